import { BUILTIN_DICTIONARY } from '../../core/dictionary/builtin';
import { compileMatcher } from '../../core/dictionary/matcher';
import type { Matcher } from '../../core/dictionary/types';
import { createBadgeLayer, type BadgeLayer } from './badges';
import { entityAt, type EntityTarget } from './entities';
import { caretAt, hasCaretApi, pointOnText, rectsOf, unionRect } from './hit-test';
import { createMarkStore, type Mark, type MarkStore } from './marks';
import { createOverlay, type Overlay } from './overlay';
import { createPainter, type Painter } from './paint';
import { createSkipCheck, scanText } from './scan';
import { createTooltip, type Anchor, type Tooltip } from './tooltip';
import type { AdditionVerdict, InPageHelp, InPageHelpOptions } from './types';

export type { InPageHelp, InPageHelpOptions, EntityKind, LookupEntity, Site, AdditionVerdict } from './types';
export { HIGHLIGHT_NAME } from './paint';
export { HOST_TAG } from './scan';

const HIDE_GRACE_MS = 250;

/**
 * In-page help for one document (DESIGN §7, issue 7): dictionary terms marked with the CSS
 * Custom Highlight API and explained in a tooltip, entity tooltips from the mappings, and
 * verdict badges on the ConnectWise Additions grid. Nothing runs at import; everything starts
 * here and is undone by `stop()` / `setEnabled(false)`.
 */
export function startInPageHelp(opts: InPageHelpOptions): InPageHelp {
  const { doc, site } = opts;
  const win = doc.defaultView;
  const hoverDelay = opts.hoverDelayMs ?? 150;
  const batchDelay = opts.batchDelayMs ?? 50;
  const matcher: Matcher = compileMatcher(opts.entries ?? BUILTIN_DICTIONARY, { sides: [site] });

  let enabled = false;
  let stopped = false;
  let verdicts: readonly AdditionVerdict[] | null = opts.verdicts ?? null;

  let painter: Painter | undefined;
  let store: MarkStore | undefined;
  let overlay: Overlay | undefined;
  let tooltip: Tooltip | undefined;
  let badges: BadgeLayer | undefined;
  let observer: MutationObserver | undefined;
  let listeners: AbortController | undefined;

  const pending = new Set<Node>();
  const removed: Node[] = [];
  let flushTimer: ReturnType<typeof setTimeout> | undefined;
  let frameWorkQueued = false;

  const root = (): Element => opts.root ?? doc.body ?? doc.documentElement;
  const getOverlay = (): Overlay => (overlay ??= createOverlay(doc));
  const getTooltip = (): Tooltip =>
    (tooltip ??= createTooltip(doc, getOverlay(), (kind, name) => opts.onMapRequest?.({ kind, name, site })));

  // ---- marking -------------------------------------------------------------------------------

  /** `skip` is shared across one batch so ancestor verdicts are computed once per batch. */
  function annotate(scope: Node, skip = createSkipCheck(opts.skipSelector), commit = true): void {
    const marks = store!;
    if (scope === root()) marks.beginFullScan();
    scanText(scope, matcher, skip, ({ node, hits }) => marks.set(node, hits));
    if (commit) marks.commit();
  }

  // ---- mutations -----------------------------------------------------------------------------

  function isOurs(node: Node): boolean {
    return overlay?.contains(node) === true;
  }

  function onMutations(records: MutationRecord[]): void {
    for (const rec of records) {
      if (isOurs(rec.target)) continue;
      if (rec.type === 'characterData') {
        pending.add(rec.target);
        continue;
      }
      for (const n of Array.from(rec.removedNodes)) removed.push(n);
      for (const n of Array.from(rec.addedNodes)) if (!isOurs(n)) pending.add(n);
    }
    if (flushTimer === undefined && (pending.size > 0 || removed.length > 0)) {
      flushTimer = setTimeout(flush, batchDelay);
    }
  }

  function flush(): void {
    if (observer) onMutations(observer.takeRecords());
    if (flushTimer !== undefined) clearTimeout(flushTimer);
    flushTimer = undefined;
    if (!enabled) return;
    // Removals first: a node moved elsewhere is disconnected only if it really left.
    for (const n of removed) if (!n.isConnected) store?.forgetSubtree(n);
    removed.length = 0;
    const skip = createSkipCheck(opts.skipSelector);
    for (const n of pending) {
      // Only nodes under the observed root are ever queued; a disconnected one has gone again.
      if (!n.isConnected) continue;
      if (n.nodeType === 3) store?.forget(n as Text);
      if (n.nodeType === 3 || n.nodeType === 1) annotate(n, skip, false);
    }
    store?.commit();
    pending.clear();
    // Already batched: move badges now, so they never lag a recycled row by a frame.
    badges?.layout();
  }

  // ---- hover and keyboard ----------------------------------------------------------------------

  let pointer: { x: number; y: number; target: EventTarget | null; ours: boolean } | undefined;
  let frameQueued = false;
  let showTimer: ReturnType<typeof setTimeout> | undefined;
  let hideTimer: ReturnType<typeof setTimeout> | undefined;
  let shownKey: string | undefined;
  let focusBeforeTip: Element | null = null;
  const entityCache = new Map<string, Promise<string[] | null>>();

  function markAt(x: number, y: number, target: EventTarget | null): Mark | undefined {
    if (hasCaretApi(doc)) {
      const caret = caretAt(doc, x, y);
      if (!caret || caret.node.nodeType !== 3) return undefined;
      const list = store?.get(caret.node as Text);
      const m = list?.find((k) => caret.offset >= k.start && caret.offset <= k.end && pointOnText(rectsOf(doc, k.node, k.start, k.end), x, y));
      return m;
    }
    // No caret API: look among the text directly inside the element under the pointer.
    const el = target instanceof Object && (target as Node).nodeType === 1 ? (target as Element) : null;
    if (!el) return undefined;
    for (const child of Array.from(el.childNodes)) {
      const list = child.nodeType === 3 ? store?.get(child as Text) : undefined;
      const m = list?.find((k) => pointOnText(rectsOf(doc, k.node, k.start, k.end), x, y));
      if (m) return m;
    }
    return undefined;
  }

  function entityUnder(x: number, y: number, target: EventTarget | null): EntityTarget | undefined {
    if (!opts.lookupEntity) return undefined;
    let node: Node | null = null;
    if (hasCaretApi(doc)) {
      const caret = caretAt(doc, x, y);
      if (caret && caret.node.nodeType === 3) {
        const t = caret.node as Text;
        if (pointOnText(rectsOf(doc, t, 0, t.length), x, y)) node = t;
      }
    } else if (target && (target as Node).nodeType === 1) {
      node = target as Node;
    }
    const el = node?.nodeType === 1 ? (node as Element) : (node?.parentElement ?? null);
    if (!el || createSkipCheck(opts.skipSelector)(el)) return undefined;
    return entityAt(el, site);
  }

  function anchorOfMark(m: Mark): Anchor {
    return unionRect(rectsOf(doc, m.node, m.start, m.end));
  }

  function showMark(m: Mark, announce: boolean): void {
    cancelHide();
    shownKey = `t:${m.entry.id}:${m.start}`;
    getTooltip().show({ type: 'term', entry: m.entry, side: m.side, found: m.node.data.slice(m.start, m.end) }, anchorOfMark(m), announce);
  }

  function showEntity(t: EntityTarget, announce: boolean): void {
    cancelHide();
    const key = `e:${t.kind}:${t.name}`;
    shownKey = key;
    const anchor = unionRect([t.cell.getBoundingClientRect()]);
    const base = { type: 'entity' as const, site, kind: t.kind, name: t.name, canMap: opts.onMapRequest !== undefined };
    let lookup = entityCache.get(key);
    if (!lookup) {
      lookup = opts.lookupEntity!(t.kind, t.name).catch(() => null);
      entityCache.set(key, lookup);
    }
    getTooltip().show({ ...base, mappedTo: 'loading' }, anchor, false);
    void lookup.then((mappedTo) => {
      if (shownKey !== key || !enabled) return;
      if (mappedTo === null) hide();
      else {
        getTooltip().show({ ...base, mappedTo }, anchor, announce);
        if (announce && mappedTo.length === 0) focusIntoTip();
      }
    });
  }

  function focusIntoTip(): void {
    const active = doc.activeElement;
    if (getTooltip().focusAction()) focusBeforeTip = active;
  }

  function cancelHide(): void {
    if (hideTimer !== undefined) clearTimeout(hideTimer);
    hideTimer = undefined;
  }

  function hide(): void {
    cancelHide();
    if (showTimer !== undefined) clearTimeout(showTimer);
    showTimer = undefined;
    shownKey = undefined;
    tooltip?.hide();
    if (focusBeforeTip instanceof Object && 'focus' in focusBeforeTip) (focusBeforeTip as HTMLElement).focus();
    focusBeforeTip = null;
  }

  function scheduleHide(): void {
    if (showTimer !== undefined) clearTimeout(showTimer);
    showTimer = undefined;
    if (!tooltip?.visible || hideTimer !== undefined) return;
    hideTimer = setTimeout(hide, HIDE_GRACE_MS);
  }

  function later(key: string, show: () => void): void {
    cancelHide();
    if (key === shownKey && tooltip?.visible) return;
    if (showTimer !== undefined) clearTimeout(showTimer);
    showTimer = undefined;
    if (hoverDelay <= 0) show();
    else showTimer = setTimeout(() => {
      showTimer = undefined;
      show();
    }, hoverDelay);
  }

  function checkPointer(): void {
    if (!pointer || !enabled) return;
    const { x, y, target, ours } = pointer;
    if (ours) {
      cancelHide();
      return;
    }
    const m = markAt(x, y, target);
    if (m) {
      later(`t:${m.entry.id}:${m.start}`, () => showMark(m, false));
      return;
    }
    const ent = entityUnder(x, y, target);
    if (ent) {
      later(`e:${ent.kind}:${ent.name}`, () => showEntity(ent, false));
      return;
    }
    scheduleHide();
  }

  function onPointerMove(e: PointerEvent | MouseEvent): void {
    const path = typeof e.composedPath === 'function' ? e.composedPath() : [];
    const ours = overlay !== undefined && path.includes(overlay.host);
    pointer = { x: e.clientX, y: e.clientY, target: e.target, ours };
    // Handle the first move at once, then at most one hit test per frame.
    if (frameQueued) return;
    checkPointer();
    const raf = win?.requestAnimationFrame?.bind(win);
    if (!raf) return;
    frameQueued = true;
    raf(() => {
      frameQueued = false;
      checkPointer();
    });
  }

  function explainSelection(): boolean {
    if (!enabled) return false;
    const sel = doc.getSelection();
    if (sel && sel.rangeCount > 0) {
      const r = sel.getRangeAt(0);
      const node = r.startContainer;
      if (node.nodeType === 3) {
        const from = r.startOffset;
        const to = r.endContainer === node ? r.endOffset : (node as Text).length;
        const m = store?.get(node as Text)?.find((k) => (from === to ? from >= k.start && from <= k.end : k.start < to && k.end > from));
        if (m) {
          showMark(m, true);
          return true;
        }
      }
      if (!r.collapsed) {
        const hit = matcher.find(sel.toString())[0];
        if (hit) {
          cancelHide();
          shownKey = `s:${hit.entry.id}`;
          const rect = r.getBoundingClientRect();
          getTooltip().show(
            { type: 'term', entry: hit.entry, side: hit.side, found: sel.toString().slice(hit.start, hit.end) },
            unionRect([rect]),
            true,
          );
          return true;
        }
      }
      const ent = opts.lookupEntity ? entityAt(node, site) : undefined;
      if (ent) {
        showEntity(ent, true);
        return true;
      }
    }
    const active = doc.activeElement;
    if (active && active !== doc.body && !isOurs(active)) {
      const walker = doc.createTreeWalker(active, 4);
      for (let n = walker.nextNode(); n !== null; n = walker.nextNode()) {
        const m = store?.get(n as Text)?.[0];
        if (m) {
          showMark(m, true);
          return true;
        }
      }
      const ent = opts.lookupEntity ? entityAt(active, site) : undefined;
      if (ent) {
        showEntity(ent, true);
        return true;
      }
    }
    return false;
  }

  function onKeyDown(e: KeyboardEvent): void {
    if (e.altKey && e.shiftKey && !e.ctrlKey && !e.metaKey && (e.code === 'KeyD' || e.key.toLowerCase() === 'd')) {
      if (explainSelection()) {
        e.preventDefault();
        e.stopPropagation();
      }
    } else if (e.key === 'Escape' && tooltip?.visible) {
      hide();
    }
  }

  // ---- badges ----------------------------------------------------------------------------------

  /** After scroll or resize: move the painted window and the badges, once per frame. */
  function queueFrame(): void {
    if (frameWorkQueued) return;
    const run = () => {
      frameWorkQueued = false;
      if (!enabled) return;
      store?.updateWindow();
      badges?.layout();
    };
    const raf = win?.requestAnimationFrame?.bind(win);
    if (!raf) return run();
    frameWorkQueued = true;
    raf(run);
  }

  function applyVerdicts(): void {
    if (!enabled) return;
    if (!verdicts || verdicts.length === 0) {
      badges?.clear();
      return;
    }
    badges ??= createBadgeLayer(root(), getOverlay, (v) => opts.onOpenFinding?.(v), opts.rowAdditionId);
    badges.setVerdicts(verdicts);
  }

  // ---- lifecycle -------------------------------------------------------------------------------

  function enable(): void {
    if (enabled || stopped) return;
    enabled = true;
    painter = createPainter(doc);
    store = createMarkStore(doc, painter, opts.paint !== 'all');
    annotate(root());
    observer = new (win?.MutationObserver ?? MutationObserver)(onMutations);
    observer.observe(root(), { childList: true, subtree: true, characterData: true });
    listeners = new AbortController();
    const on = { capture: true, passive: true, signal: listeners.signal };
    doc.addEventListener('pointermove', onPointerMove, on);
    doc.addEventListener('keydown', onKeyDown, { capture: true, signal: listeners.signal });
    doc.addEventListener('scroll', () => {
      if (tooltip?.visible && !focusBeforeTip) hide();
      queueFrame();
    }, on);
    win?.addEventListener('resize', queueFrame, { passive: true, signal: listeners.signal });
    applyVerdicts();
  }

  function disable(): void {
    if (!enabled) return;
    enabled = false;
    observer?.disconnect();
    observer = undefined;
    listeners?.abort();
    listeners = undefined;
    if (flushTimer !== undefined) clearTimeout(flushTimer);
    flushTimer = undefined;
    pending.clear();
    removed.length = 0;
    hide();
    store?.destroy();
    store = undefined;
    painter?.destroy();
    painter = undefined;
    badges?.clear();
    badges = undefined;
    tooltip = undefined;
    overlay?.destroy();
    overlay = undefined;
    entityCache.clear();
  }

  if (opts.enabled !== false) enable();

  return {
    stop() {
      disable();
      stopped = true;
    },
    setEnabled(on) {
      if (on) enable();
      else disable();
    },
    setVerdicts(v) {
      verdicts = v;
      applyVerdicts();
    },
    flush,
    explainSelection,
    get enabled() {
      return enabled;
    },
    get markedCount() {
      return store?.count ?? 0;
    },
    get paintedCount() {
      return store?.painted ?? 0;
    },
  };
}
