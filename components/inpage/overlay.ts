import { HOST_TAG } from './scan';

/**
 * Our only node in the page: a custom element under <html> (not <body>, which apps re-render)
 * holding an open shadow root, so page styles cannot reach in and ours cannot leak out. Open
 * rather than closed so accessibility tools and browser tests can read it; it holds nothing the
 * page cannot already see.
 */
const STYLE = `
:host { all: initial; }
.layer { position: fixed; inset: 0 auto auto 0; width: 0; height: 0; z-index: 2147483646; pointer-events: none;
  font: 13px/1.4 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; color: #0f172a; }
.tip { position: fixed; max-width: 360px; padding: 8px 10px; border-radius: 6px; background: #fff; pointer-events: auto;
  border: 1px solid #94a3b8; box-shadow: 0 4px 14px rgba(15, 23, 42, .18); z-index: 2147483647; }
.tip[hidden] { display: none; }
.terms { display: flex; flex-wrap: wrap; gap: 4px 8px; align-items: baseline; font-weight: 600; }
.sys { font-size: 11px; font-weight: 500; color: #475569; text-transform: uppercase; letter-spacing: .03em; }
.arrow { color: #64748b; }
.expl { margin: 4px 0 0; }
.guide { margin: 4px 0 0; font-size: 12px; color: #475569; }
.tip button { font: inherit; margin-top: 6px; padding: 2px 8px; border-radius: 4px; border: 1px solid #2563eb;
  background: #eff6ff; color: #1e40af; cursor: pointer; }
.tip button:focus-visible, .badge:focus-visible { outline: 2px solid #1d4ed8; outline-offset: 1px; }
.badge { position: fixed; box-sizing: border-box; min-width: 20px; height: 20px; padding: 0 4px; border-radius: 10px;
  font: 600 12px/18px system-ui, sans-serif; text-align: center; cursor: pointer; pointer-events: auto; border: 1px solid; }
.badge[data-status="matched"] { background: #dcfce7; color: #166534; border-color: #22c55e; }
.badge[data-status="mismatch"] { background: #fef3c7; color: #92400e; border-color: #f59e0b; }
.badge[data-status="orphan"] { background: #fee2e2; color: #991b1b; border-color: #ef4444; }
.badge[data-status="duplicate"] { background: #ede9fe; color: #5b21b6; border-color: #8b5cf6; }
.sr { position: absolute; width: 1px; height: 1px; overflow: hidden; clip: rect(0 0 0 0); white-space: nowrap; }
`;

export interface Overlay {
  host: HTMLElement;
  root: ShadowRoot;
  layer: HTMLElement;
  badges: HTMLElement;
  live: HTMLElement;
  contains(node: Node | null): boolean;
  destroy(): void;
}

export function createOverlay(doc: Document): Overlay {
  const host = doc.createElement(HOST_TAG);
  host.setAttribute('data-cwr-ignore', '');
  const root = host.attachShadow({ mode: 'open' });
  const style = doc.createElement('style');
  style.textContent = STYLE;
  const layer = doc.createElement('div');
  layer.className = 'layer';
  const badges = doc.createElement('div');
  badges.setAttribute('role', 'group');
  badges.setAttribute('aria-label', 'CW Reconciler verdicts');
  const live = doc.createElement('div');
  live.className = 'sr';
  live.setAttribute('aria-live', 'polite');
  layer.append(badges, live);
  root.append(style, layer);
  doc.documentElement.appendChild(host);
  return {
    host,
    root,
    layer,
    badges,
    live,
    contains: (node) => node !== null && (node === host || host.contains(node) || root.contains(node)),
    destroy: () => host.remove(),
  };
}
