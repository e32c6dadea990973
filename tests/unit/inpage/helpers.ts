import { HOST_TAG } from '../../../components/inpage';

/**
 * happy-dom has no CSS Custom Highlight API. Tests that want painting install the smallest
 * stand-in the API's shape allows (a registry map and a set-like Highlight), as a browser would
 * provide them; the code under test is the real one.
 */
let savedCss: PropertyDescriptor | undefined;

export function installHighlightApi(win: Window = document.defaultView!): Map<string, Set<AbstractRange>> {
  const registry = new Map<string, Set<AbstractRange>>();
  const w = win as unknown as { CSS?: object; Highlight?: unknown };
  // happy-dom's CSS is a getter answering a fresh object each time: pin one carrying the registry.
  savedCss ??= Object.getOwnPropertyDescriptor(win, 'CSS');
  Object.defineProperty(win, 'CSS', { value: { ...(w.CSS ?? {}), highlights: registry }, configurable: true, writable: true });
  w.Highlight = class Highlight extends Set<AbstractRange> {
    constructor(...ranges: AbstractRange[]) {
      super(ranges);
    }
  };
  return registry;
}

export function removeHighlightApi(win: Window = document.defaultView!): void {
  if (savedCss) Object.defineProperty(win, 'CSS', savedCss);
  else delete (win as unknown as { CSS?: unknown }).CSS;
  savedCss = undefined;
  delete (win as unknown as { Highlight?: unknown }).Highlight;
}

export function shadow(): ShadowRoot | null {
  return document.querySelector(HOST_TAG)?.shadowRoot ?? null;
}

export function tooltipEl(): HTMLElement | null {
  return shadow()?.querySelector<HTMLElement>('[role="tooltip"]') ?? null;
}

export function visibleTooltipText(): string | null {
  const tip = tooltipEl();
  return tip && !tip.hidden ? (tip.textContent ?? '') : null;
}

export function textNodeContaining(root: Node, text: string): Text {
  const walker = document.createTreeWalker(root, 4);
  for (let n = walker.nextNode(); n !== null; n = walker.nextNode()) {
    if ((n as Text).data.includes(text)) return n as Text;
  }
  throw new Error(`no text node with ${text}`);
}

export function hover(target: Element, x = 5, y = 5): void {
  target.dispatchEvent(new PointerEvent('pointermove', { bubbles: true, composed: true, clientX: x, clientY: y }));
}

/** ConnectWise-like GWT list view: header strip apart from the rows, a leading checkbox cell. */
export function gwtGrid(rows: Array<{ id: number; product: string; company: string; description: string }>): string {
  const head = ['', 'Effective', 'Product ID', 'Company', 'Description'];
  return `<div class="mm_grid">
  <div class="cw-ml-header"><table><tr>${head.map((h, i) => `<td cellindex="${i}"><span>${h}</span></td>`).join('')}</tr></table></div>
  <table class="srboard-grid"><tbody>${rows
    .map(
      (r) => `<tr class="cw-ml-row"><td cellindex="0"><input type="checkbox"></td><td cellindex="1">11/01/2026</td>` +
        `<td cellindex="2"><a class="multilineClickable" href="#recid=${r.id}">${r.product}</a></td>` +
        `<td cellindex="3">${r.company}</td><td cellindex="4">${r.description}</td></tr>`,
    )
    .join('')}</tbody></table></div>`;
}

/**
 * happy-dom has no layout. This stand-in gives every element a box from the nearest `data-y`
 * (a 20 px tall row at that offset from the viewport's top), as a browser's layout would;
 * `restore` puts the original back.
 */
export function installLayout() {
  const proto = (document.defaultView as unknown as { Element: typeof Element }).Element.prototype;
  const saved = proto.getBoundingClientRect;
  proto.getBoundingClientRect = function (this: Element) {
    if (this === this.ownerDocument.documentElement) return new DOMRect(0, 0, 1000, 5000);
    const y = Number(this.closest('[data-y]')?.getAttribute('data-y') ?? 0);
    return new DOMRect(0, y, 300, 20);
  };
  return {
    restore() {
      proto.getBoundingClientRect = saved;
    },
  };
}

export const settle = () => new Promise((r) => setTimeout(r, 0));
