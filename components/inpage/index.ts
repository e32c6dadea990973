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

export type { InPageHelp, InPageHelpOptions, MappingKind, LookupEntity, Site, AdditionVerdict } from './types';
export { HIGHLIGHT_NAME } from './paint';
export { HOST_TAG } from './scan';

const HIDE_GRACE_MS = 250;
/** Text nodes a subtree may hold and still be queued whole for reading (see `fewTexts`). */
const WHOLE_TEXT_NODES = 400;

/** An element with more text children than this is asked of the caret API instead of measured. */
const MAX_MEASURED_TEXTS = 64;

/** However slowly a page scrolls, the terms come back this long after its last scroll event. */
const MAX_SCROLL_SETTLE_MS = 600;

/**
 * In-page help for one document (DESIGN §7): dictionary terms marked with the CSS
 * Custom Highlight API and explained in a tooltip, entity tooltips from the mappings, and
 * verdict badges on the ConnectWise Additions grid. Nothing runs at import; everything starts
 * here and is undone by `stop()` / `setEnabled(false)`.
 */
export function startInPageHelp(opts: InPageHelpOptions): InPageHelp {
  const { doc, site } = opts;
  const win = doc.defaultView;
  const hoverDelay = opts.hoverDelayMs ?? 150;
  const batchDelay = opts.batchDelayMs ?? 50;
  const scrollSettle = opts.scrollSettleMs ?? 150;
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
  /** Text nodes read since they last changed (read once, whether or not they held a term). */
  let seen = new WeakSet<Text>();
  /** Where there is layout, only the text around the viewport is read (see `scanWindow`). */
  let windowed = false;
  let windowDirty = false;
  let scanQueue: Node[] | undefined;
  let scanAt = 0;
  let scanScheduled = false;
  /** Set while the page scrolls; painted terms wait for it to settle (see `scrollSettleMs`). */
  let scrollTimer: ReturnType<typeof setTimeout> | undefined;
  /** When the last scroll event came, and the longest gap between two of one scroll's seen so far. */
  let lastScrollAt = -Infinity;
  let scrollGap = 0;
  /** Set from a scroll's first event until the frame after it has been timed. */
  let timingFrame = false;

  const root = (): Element => opts.root ?? doc.body ?? doc.documentElement;
  const getOverlay = (): Overlay => (overlay ??= createOverlay(doc));
  const getTooltip = (): Tooltip =>
    (tooltip ??= createTooltip(doc, getOverlay(), (kind, name) => opts.onMapRequest?.({ kind, name, site })));

  // ---- marking -------------------------------------------------------------------------------

  /** `skip` is shared across one batch so ancestor verdicts are computed once per batch. */
  function annotate(scope: Node, skip = createSkipCheck(opts.skipSelector), commit = true): void {
    const marks = store!;
    if (scope === root()) marks.beginFullScan();
    scanText(scope, matcher, skip, ({ node, hits }) => marks.set(node, hits), seen);
    if (commit) marks.commit();
  }

  // ---- reading only what is near the viewport ----------------------------------------------------

  /**
   * Whether a subtree holds few enough text nodes to be read whole. Its box alone does not say:
   * a layout container sized to the viewport may hold a grid that scrolls inside it, thousands of
   * rows clipped out of sight (the ConnectWise look-alike's whole page is one such box). The walk
   * stops at the bound, so asking costs at most that many steps however big the subtree is.
   */
  function fewTexts(el: Element): boolean {
    const walker = doc.createTreeWalker(el, 4 /* NodeFilter.SHOW_TEXT */);
    for (let i = 0; i <= WHOLE_TEXT_NODES; i++) if (walker.nextNode() === null) return true;
    return false;
  }

  /**
   * The subtrees and text nodes within one screen above and below the viewport that may hold
   * unread text, in document order. Elements wholly inside are taken whole unless they hold more
   * text than `fewTexts` allows; those, and those across the edge, are opened up; long runs of
   * siblings (grid rows) are entered by binary search, since they stack top to bottom; hidden
   * subtrees are passed over. A 5,000-row grid thus costs a few dozen boxes plus the rows on
   * screen, not a pass over every row.
   */
  function collectWindow(): Node[] {
    const vh = win?.innerHeight || 800;
    const top = -vh;
    const bottom = 2 * vh;
    const out: Node[] = [];
    const visit = (el: Element): void => {
      const long = el.childElementCount > 32;
      let start: Node | null = el.firstChild;
      if (long) {
        const kids = el.children;
        let lo = 0;
        let hi = kids.length;
        while (lo < hi) {
          const mid = (lo + hi) >> 1;
          if (kids[mid]!.getBoundingClientRect().bottom < top) lo = mid + 1;
          else hi = mid;
        }
        start = kids[lo] ?? null;
      }
      for (let c = start; c !== null; c = c.nextSibling) {
        if (c.nodeType === 3) {
          if (!seen.has(c as Text)) out.push(c);
          continue;
        }
        if (c.nodeType !== 1 || c.nodeName === 'SCRIPT' || c.nodeName === 'STYLE' || isOurs(c)) continue;
        const e = c as Element;
        const r = e.getBoundingClientRect();
        const sized = r.width > 0 || r.height > 0;
        if (sized && r.top > bottom) {
          if (long) break;
          continue;
        }
        if (sized && r.bottom < top) continue;
        if (!sized && typeof e.checkVisibility === 'function' && !e.checkVisibility()) continue;
        if (e.firstElementChild === null || (sized && r.top >= top && r.bottom <= bottom && fewTexts(e))) out.push(e);
        else visit(e);
      }
    };
    visit(root());
    return out;
  }

  function scheduleScan(): void {
    if (scanScheduled || !enabled) return;
    scanScheduled = true;
    const run = (deadline?: IdleDeadline) => {
      scanScheduled = false;
      scanWindow(deadline);
    };
    if (typeof win?.requestIdleCallback === 'function') win.requestIdleCallback(run, { timeout: 300 });
    else setTimeout(run, 0);
  }

  /**
   * Reads the unread text near the viewport, in slices that end when the idle period does (at
   * most ~12 ms, so a slice never holds input back by more than a frame), then paints, unless
   * the page is scrolling (it paints when that settles). Without a deadline, reads it all at
   * once; `paintNow` (`flush()`) paints even while scrolling.
   */
  function scanWindow(deadline?: IdleDeadline, paintNow = false): void {
    if (!enabled || !store) return;
    if (windowDirty || !scanQueue) {
      scanQueue = collectWindow();
      scanAt = 0;
      windowDirty = false;
    }
    const now = () => win?.performance?.now() ?? Date.now();
    const end = deadline ? now() + Math.min(12, Math.max(4, deadline.timeRemaining())) : Infinity;
    const skip = createSkipCheck(opts.skipSelector);
    while (scanAt < scanQueue.length) {
      const n = scanQueue[scanAt++]!;
      if (n.isConnected && !isOurs(n)) annotate(n, skip, false);
      if (now() >= end) break;
    }
    // Painted once the window is read, not per slice: Chromium repaints the whole document for
    // every frame in which a highlight changed, which on a 5,000-row grid costs more than reading.
    if (scanAt < scanQueue.length) scheduleScan();
    else {
      scanQueue = undefined;
      // While the page scrolls the marks are kept and painted once it settles.
      if (paintNow || scrollTimer === undefined) {
        // Our overlay (tooltip, badges) is added with the first painted terms: each is a visible
        // change that repaints the whole page, and together they cost one repaint, not two. It
        // is added after the commit, whose box reads would otherwise lay the page out again
        // for the inserted node (10 ms on a 5,000-row grid) instead of reading the last frame's.
        store.commit();
        painter?.release();
        if (store.count > 0 && painter?.painting) getOverlay();
      }
    }
  }

  /** A node the pointer or the keyboard reached before the idle reading did. */
  function readNow(node: Node): void {
    if (!store || (node.nodeType === 3 && seen.has(node as Text))) return;
    annotate(node);
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
      flushTimer = setTimeout(() => applyMutations(false), batchDelay);
    }
  }

  /**
   * One batch of page changes. Where only the window is read, changed text is merely marked
   * unread (it is read again when, and if, it is near the viewport) and the reading waits for
   * idle time, unless `now` (an explicit `flush()`) asks for it at once.
   */
  function applyMutations(now: boolean): void {
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
      if (n.nodeType === 3) {
        store?.forget(n as Text);
        seen.delete(n as Text);
      }
      if (!windowed && (n.nodeType === 3 || n.nodeType === 1)) annotate(n, skip, false);
    }
    const changed = pending.size > 0;
    pending.clear();
    badges?.rowsChanged();
    if (windowed) {
      if (changed) windowDirty = true;
      if (now) scanWindow(undefined, true);
      else {
        // Rows a grid recycles while it scrolls are read at idle time and painted once it settles.
        if (scrollTimer === undefined) store?.commit();
        if (changed) scheduleScan();
      }
    } else store?.commit();
    // Already batched: move badges now, so they never lag a recycled row by a frame.
    badges?.layout();
  }

  function flush(): void {
    applyMutations(true);
  }

  // ---- hover and keyboard ----------------------------------------------------------------------

  let pointer: { x: number; y: number; target: EventTarget | null; ours: boolean } | undefined;
  let frameQueued = false;
  let showTimer: ReturnType<typeof setTimeout> | undefined;
  let hideTimer: ReturnType<typeof setTimeout> | undefined;
  let shownKey: string | undefined;
  let focusBeforeTip: Element | null = null;
  const entityCache = new Map<string, Promise<string[] | null>>();

  /**
   * The text under the point. The browser has already hit-tested the pointer to find the event's
   * target, the innermost element there, so the text under the pointer is one of that element's
   * own text children, told apart by their boxes: no second hit test, which on a 5,000-row grid
   * costs 10–20 ms each time. The caret API is asked only when there is no element to start from
   * or it has too many text children to measure.
   */
  function textsUnder(x: number, y: number, target: EventTarget | null): Text[] {
    const el = target instanceof Object && (target as Node).nodeType === 1 ? (target as Element) : null;
    if (el) {
      const under: Text[] = [];
      let n = 0;
      for (let c = el.firstChild; c !== null && n <= MAX_MEASURED_TEXTS; c = c.nextSibling) {
        if (c.nodeType !== 3) continue;
        n++;
        const t = c as Text;
        if (pointOnText(rectsOf(doc, t, 0, t.length), x, y)) under.push(t);
      }
      if (n <= MAX_MEASURED_TEXTS) return under;
    }
    const caret = hasCaretApi(doc) ? caretAt(doc, x, y) : undefined;
    if (!caret || caret.node.nodeType !== 3) return [];
    const t = caret.node as Text;
    return pointOnText(rectsOf(doc, t, 0, t.length), x, y) ? [t] : [];
  }

  function markAt(x: number, y: number, target: EventTarget | null): Mark | undefined {
    for (const t of textsUnder(x, y, target)) {
      readNow(t);
      const m = store?.get(t)?.find((k) => pointOnText(rectsOf(doc, k.node, k.start, k.end), x, y));
      if (m) return m;
    }
    return undefined;
  }

  function entityUnder(x: number, y: number, target: EventTarget | null): EntityTarget | undefined {
    if (!opts.lookupEntity) return undefined;
    const el = textsUnder(x, y, target)[0]?.parentElement ?? null;
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
    // The innermost target, inside an open shadow root too (the document sees its host).
    pointer = { x: e.clientX, y: e.clientY, target: path[0] ?? e.target, ours };
    // While the page scrolls (the browser sends moves as content passes under a still pointer)
    // no tooltip shows, so there is nothing to hit-test for: the pointer is looked at once the
    // scroll settles. Otherwise the first move at once, then at most one hit test per frame.
    if (frameQueued || scrollTimer !== undefined) return;
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
        readNow(node);
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
      readNow(active);
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

  /**
   * After a scroll or resize: the badges follow their rows on every frame; the painted terms
   * follow once the scrolling has settled (a highlight change repaints the whole page), and the
   * text newly near the viewport is read then.
   */
  function onScrolled(event?: Event): void {
    if (tooltip?.visible && !focusBeforeTip) hide();
    // A box scrolling inside the page (a grid body) is repainted on every frame when the browser
    // does not composite it, and painted terms inside it make each such frame dearer: they are
    // taken off while it scrolls. The document's own scrolling is composited and costs nothing
    // extra, while taking them off there would repaint the whole page twice.
    const target = event?.target as Node | null | undefined;
    if (target && target.nodeType === 1 && target !== doc.scrollingElement && target !== doc.documentElement && target !== doc.body) {
      painter?.hold(target as Element);
    }
    // A page whose every scrolled frame takes 100–200 ms (the 5,000-row grid) sends its scroll
    // events that far apart: settled means quiet for well over the gaps its scrolls have shown,
    // or the terms would come back, and go again, between two of its frames. A gap too long to
    // be between two frames of one scroll is a pause and does not count. A first scroll's gaps
    // are not known yet, so the frame after its first event is timed too.
    const now = win?.performance?.now() ?? Date.now();
    const gap = now - lastScrollAt;
    if (gap < MAX_SCROLL_SETTLE_MS / 2) scrollGap = Math.max(scrollGap, gap);
    lastScrollAt = now;
    if (scrollTimer === undefined) timeScrolledFrame();
    armSettle();
    queueFrame();
  }

  /** (Re)starts the wait for the scroll to settle, counted from its last event. */
  function armSettle(): void {
    if (scrollTimer !== undefined) clearTimeout(scrollTimer);
    const wait = Math.min(MAX_SCROLL_SETTLE_MS, Math.max(scrollSettle, 2 * scrollGap));
    const now = win?.performance?.now() ?? Date.now();
    scrollTimer = setTimeout(onSettled, Math.max(0, lastScrollAt + wait - now));
  }

  function onSettled(): void {
    // The first frame is still being timed: its figure decides how long to wait (a tab in the
    // background renders no frames, hence the bound).
    const now = win?.performance?.now() ?? Date.now();
    if (timingFrame && now - lastScrollAt < MAX_SCROLL_SETTLE_MS) {
      scrollTimer = setTimeout(onSettled, 50);
      return;
    }
    scrollTimer = undefined;
    if (!enabled) return;
    // The content moved under a still pointer: what is under it now takes one hit test.
    if (pointer && !pointer.ours) pointer = { ...pointer, target: doc.elementFromPoint?.(pointer.x, pointer.y) ?? pointer.target };
    checkPointer();
    // The text now near the viewport is read, and the window painted once, when that read
    // commits (without layout there is no window to move); held terms come back with it.
    if (windowed) {
      windowDirty = true;
      scheduleScan();
    } else painter?.release();
  }

  /** How long the frame after this one takes to render, counted as a gap of the scroll. */
  function timeScrolledFrame(): void {
    const raf = win?.requestAnimationFrame?.bind(win);
    if (!raf) return;
    timingFrame = true;
    raf((start) =>
      raf((end) => {
        timingFrame = false;
        if (end - start < MAX_SCROLL_SETTLE_MS / 2) scrollGap = Math.max(scrollGap, end - start);
        if (scrollTimer !== undefined) armSettle();
      }),
    );
  }

  /** Moves the badges over their rows, once per frame. */
  function queueFrame(): void {
    if (frameWorkQueued) return;
    const run = () => {
      frameWorkQueued = false;
      if (!enabled) return;
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
    seen = new WeakSet();
    // With layout, nothing is read at start: the text near the viewport is read at idle time.
    windowed = doc.documentElement.getBoundingClientRect().height > 0;
    if (windowed) {
      windowDirty = true;
      scheduleScan();
    } else annotate(root());
    observer = new (win?.MutationObserver ?? MutationObserver)(onMutations);
    observer.observe(root(), { childList: true, subtree: true, characterData: true });
    listeners = new AbortController();
    const on = { capture: true, passive: true, signal: listeners.signal };
    doc.addEventListener('pointermove', onPointerMove, on);
    doc.addEventListener('keydown', onKeyDown, { capture: true, signal: listeners.signal });
    doc.addEventListener('scroll', onScrolled, on);
    win?.addEventListener('resize', onScrolled, { passive: true, signal: listeners.signal });
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
    if (scrollTimer !== undefined) clearTimeout(scrollTimer);
    scrollTimer = undefined;
    pending.clear();
    removed.length = 0;
    scanQueue = undefined;
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
