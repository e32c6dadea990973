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
  /** Hand the ranges gathered since the last commit to the painter in one go. */
  commit(): void;
  readonly count: number;
  readonly painted: number;
  destroy(): void;
}

/**
 * Every match is kept for hit-testing, but only those near the viewport are painted. Chromium
 * re-validates every range of every highlight whenever one changes, so a highlight holding all
 * 10,000 rows' marks made each 100-row mutation batch cost a frame of 60–100 ms; painting the
 * visible window (found with an IntersectionObserver on the marked text's parent elements) keeps
 * that cost proportional to what is on screen. Without IntersectionObserver everything is painted.
 */
export function createMarkStore(doc: Document, painter: Painter, windowed: boolean): MarkStore {
  const marks = new Map<Text, NodeMarks>();
  const hosts = new Map<Element, number>();
  const visible = new Set<Element>();
  let count = 0;
  let painted = 0;
  let toAdd: AbstractRange[] = [];
  let toRemove: AbstractRange[] = [];

  const IO = doc.defaultView?.IntersectionObserver;
  const observer =
    windowed && painter.painting && IO
      ? new IO(onIntersect, { rootMargin: '100% 0px', scrollMargin: '200px' } as IntersectionObserverInit)
      : undefined;

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

  function onIntersect(entries: IntersectionObserverEntry[]): void {
    for (const e of entries) {
      const el = e.target;
      if (e.isIntersecting) visible.add(el);
      else visible.delete(el);
      for (const child of Array.from(el.childNodes)) {
        const entry = child.nodeType === 3 ? marks.get(child as Text) : undefined;
        if (!entry || entry.host !== el) continue;
        if (e.isIntersecting) paint(entry, child as Text);
        else unpaint(entry);
      }
    }
    commit();
  }

  function forget(node: Text): void {
    const entry = marks.get(node);
    if (!entry) return;
    marks.delete(node);
    count -= entry.list.length;
    unpaint(entry);
    const host = entry.host;
    if (host && observer) {
      const left = (hosts.get(host) ?? 1) - 1;
      if (left > 0) hosts.set(host, left);
      else {
        hosts.delete(host);
        visible.delete(host);
        observer.unobserve(host);
      }
    }
  }

  function commit(): void {
    if (toRemove.length > 0) painter.remove(toRemove);
    if (toAdd.length > 0) painter.add(toAdd);
    toAdd = [];
    toRemove = [];
  }

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
      if (!observer || !host) {
        paint(entry, node);
        return;
      }
      const n = hosts.get(host);
      if (n === undefined) observer.observe(host);
      hosts.set(host, (n ?? 0) + 1);
      if (visible.has(host)) paint(entry, node);
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
    commit,
    get count() {
      return count;
    },
    get painted() {
      return painted;
    },
    destroy() {
      observer?.disconnect();
      marks.clear();
      hosts.clear();
      visible.clear();
      toAdd = [];
      toRemove = [];
      count = 0;
      painted = 0;
    },
  };
}
