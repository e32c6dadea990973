import type { TermHit } from '../../core/dictionary/types';
import type { Painter } from './paint';

export interface Mark extends TermHit {
  node: Text;
}

interface NodeMarks {
  list: Mark[];
  /** The element observed for visibility (the text's parent when marked). */
  host: Element | null;
  /** Ranges currently painted for this node, if any. */
  ranges?: AbstractRange[];
}

export interface MarkStore {
  get(node: Text): readonly Mark[] | undefined;
  /** Replace the marks of a text node. */
  set(node: Text, hits: TermHit[]): void;
  forget(node: Text): void;
  forgetSubtree(node: Node): void;
  /** Call before a pass over the whole root: its elements arrive in document order. */
  beginFullScan(): void;
  /** Paint the window around the viewport and hand the changes to the painter in one go. */
  commit(): void;
  /**
   * Re-find the window after a scroll or resize. Painted terms are left as they are while the
   * viewport shows no unpainted one and has moved less than half a screen since they were painted.
   */
  updateWindow(): void;
  readonly count: number;
  readonly painted: number;
  destroy(): void;
}

/**
 * Every match is kept for hit-testing, but only those near the viewport are painted. Chromium
 * re-validates every range of every highlight whenever any highlight changes (measured: a
 * 5,000-range highlight costs ~65 ms of main thread per changed frame, a 100-range one ~10 ms),
 * so a highlight holding all 10,000 rows made each 100-row mutation batch cost 60–100 ms.
 * Painting the window around the viewport keeps that cost proportional to what is on screen.
 *
 * The window is found without observers (an IntersectionObserver over 10,000 targets cost
 * ~30 ms on every layout): marked elements are kept in document order, which on these grids is
 * also top-to-bottom order, and a binary search on their boxes finds the first one near the
 * viewport. Elements added later that do not follow the last known one sit in a short side list.
 * Where there is no layout at all (happy-dom) everything is painted.
 */
/** How many of the first marked elements every window update looks at whatever the search says. */
const LEADING = 24;

export function createMarkStore(doc: Document, painter: Painter, windowed: boolean): MarkStore {
  const marks = new Map<Text, NodeMarks>();
  /** Marked element → how many of its text children carry marks. */
  const hosts = new Map<Element, number>();
  const order: Element[] = [];
  const inOrder = new Set<Element>();
  const extras = new Set<Element>();
  let stale = 0;
  let paintedHosts = new Set<Element>();
  let count = 0;
  let painted = 0;
  let toAdd: AbstractRange[] = [];
  let toRemove: AbstractRange[] = [];
  const win = doc.defaultView;
  const hasLayout = (): boolean => doc.documentElement.getBoundingClientRect().height > 0;
  const windowing = windowed && painter.painting && win !== null && hasLayout();

  function paint(entry: NodeMarks, node: Text): void {
    if (entry.ranges) return;
    entry.ranges = entry.list.map((m) => painter.range(node, m.start, m.end));
    for (const r of entry.ranges) toAdd.push(r);
    painted += entry.ranges.length;
  }

  function unpaint(entry: NodeMarks): void {
    if (!entry.ranges) return;
    for (const r of entry.ranges) toRemove.push(r);
    painted -= entry.ranges.length;
    entry.ranges = undefined;
  }

  function eachMarkedChild(el: Element, fn: (entry: NodeMarks, node: Text) => void): void {
    for (let c = el.firstChild; c !== null; c = c.nextSibling) {
      if (c.nodeType !== 3) continue;
      const entry = marks.get(c as Text);
      if (entry && entry.host === el) fn(entry, c as Text);
    }
  }

  function track(host: Element, fromFullScan: boolean): void {
    const n = hosts.get(host);
    hosts.set(host, (n ?? 0) + 1);
    if (n !== undefined || inOrder.has(host) || extras.has(host)) return;
    const last = order[order.length - 1];
    // Document order is top-to-bottom order here; a later arrival that follows the last known
    // element (rows appended at the end) keeps the list sorted.
    if (fromFullScan || last === undefined || (last.compareDocumentPosition(host) & 4) !== 0) {
      order.push(host);
      inOrder.add(host);
    } else extras.add(host);
  }

  function untrack(host: Element): void {
    const left = (hosts.get(host) ?? 1) - 1;
    if (left > 0) {
      hosts.set(host, left);
      return;
    }
    hosts.delete(host);
    if (inOrder.has(host)) stale++;
    extras.delete(host);
    paintedHosts.delete(host);
  }

  function compact(): void {
    if (stale === 0) return;
    let k = 0;
    for (const el of order) {
      if (hosts.has(el)) order[k++] = el;
      else inOrder.delete(el);
    }
    order.length = k;
    stale = 0;
  }

  /**
   * Text is read as the user scrolls, so hosts can arrive above ones already known (scrolling
   * up); once there are more than a few, they are merged into the ordered list rather than
   * checked one by one on every frame.
   */
  function mergeExtras(): void {
    const follows = (a: Element, b: Element) => (a.compareDocumentPosition(b) & 4) !== 0;
    const more = [...extras].sort((a, b) => (follows(a, b) ? -1 : 1));
    const merged: Element[] = [];
    let i = 0;
    let j = 0;
    while (i < order.length || j < more.length) {
      if (j >= more.length || (i < order.length && follows(order[i]!, more[j]!))) merged.push(order[i++]!);
      else merged.push(more[j++]!);
    }
    order.length = 0;
    for (const el of merged) order.push(el);
    for (const el of more) inOrder.add(el);
    extras.clear();
  }

  /** An element painted at the last window change, and where it stood then. */
  let anchor: { el: Element; top: number } | undefined;

  /**
   * Paint what lies within one screen above and below the viewport; unpaint the rest. Every
   * change to the painted set repaints the whole document (Chromium invalidates all of it for a
   * highlight change: measured 0.3–0.5 s on a 5,000-line page that is not virtualised, the same as
   * any visible change of its own there), so the set is kept while it still covers what is on
   * screen: a short scroll repaints nothing.
   */
  function updateWindow(): void {
    if (!windowing) return;
    compact();
    if (extras.size > 64) mergeExtras();
    const vh = win!.innerHeight || 800;
    const top = -vh;
    const bottom = 2 * vh;
    const next = new Set<Element>();
    /** Whether a marked element now on screen is not painted. */
    let uncovered = false;
    const consider = (el: Element, r: DOMRect): void => {
      next.add(el);
      if (!uncovered && r.bottom > 0 && r.top < vh && !paintedHosts.has(el)) uncovered = true;
    };
    let lo = 0;
    let hi = order.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (order[mid]!.getBoundingClientRect().bottom < top) lo = mid + 1;
      else hi = mid;
    }
    // The search assumes document order is top-to-bottom order, which a box scrolling inside the
    // page breaks: the page's own header before it stays put while the rows move up past it. The
    // first few marked elements (where such a header sits) are therefore always looked at.
    for (let i = 0; i < Math.min(lo, LEADING); i++) {
      const r = order[i]!.getBoundingClientRect();
      if (r.bottom >= top && r.top <= bottom && (r.width > 0 || r.height > 0)) consider(order[i]!, r);
    }
    let first: { el: Element; top: number } | undefined;
    for (let i = lo; i < order.length; i++) {
      const r = order[i]!.getBoundingClientRect();
      if (r.top > bottom) break;
      if (r.bottom >= top && (r.width > 0 || r.height > 0)) {
        first ??= { el: order[i]!, top: r.top };
        consider(order[i]!, r);
      }
    }
    for (const el of extras) {
      const r = el.getBoundingClientRect();
      if (r.bottom >= top && r.top <= bottom && (r.width > 0 || r.height > 0)) consider(el, r);
    }
    const moved = anchor && anchor.el.isConnected ? Math.abs(anchor.el.getBoundingClientRect().top - anchor.top) : Infinity;
    if (!uncovered && moved < vh / 2) {
      // Still covered: only the changes of text already painted (a row rewritten in place).
      flushPaint();
      return;
    }
    for (const el of paintedHosts) if (!next.has(el)) eachMarkedChild(el, (entry) => unpaint(entry));
    for (const el of next) if (!paintedHosts.has(el)) eachMarkedChild(el, paint);
    paintedHosts = next;
    anchor = first;
    flushPaint();
  }

  function forget(node: Text): void {
    const entry = marks.get(node);
    if (!entry) return;
    marks.delete(node);
    count -= entry.list.length;
    unpaint(entry);
    if (entry.host && windowing) untrack(entry.host);
  }

  function flushPaint(): void {
    if (toRemove.length > 0) painter.remove(toRemove);
    if (toAdd.length > 0) painter.add(toAdd);
    toAdd = [];
    toRemove = [];
  }

  let scanning = false;

  return {
    get: (node) => marks.get(node)?.list,
    set(node, hits) {
      forget(node);
      // The matcher's hits are fresh objects: extend them in place rather than copy.
      const list = hits as Mark[];
      for (const m of list) m.node = node;
      const host = node.parentElement;
      const entry: NodeMarks = { list, host };
      marks.set(node, entry);
      count += list.length;
      if (!painter.painting) return;
      if (!windowing || !host) paint(entry, node);
      else {
        track(host, scanning);
        if (paintedHosts.has(host)) paint(entry, node);
      }
    },
    forget,
    forgetSubtree(node) {
      if (node.nodeType === 3) {
        forget(node as Text);
        return;
      }
      if (marks.size === 0 || !node.hasChildNodes()) return;
      const walker = doc.createTreeWalker(node, 4);
      for (let n = walker.nextNode(); n !== null; n = walker.nextNode()) forget(n as Text);
    },
    beginFullScan() {
      scanning = order.length === 0;
    },
    commit() {
      scanning = false;
      if (windowing) updateWindow();
      else flushPaint();
    },
    updateWindow,
    get count() {
      return count;
    },
    get painted() {
      return painted;
    },
    destroy() {
      marks.clear();
      hosts.clear();
      order.length = 0;
      inOrder.clear();
      extras.clear();
      paintedHosts.clear();
      anchor = undefined;
      toAdd = [];
      toRemove = [];
      count = 0;
      painted = 0;
    },
  };
}
