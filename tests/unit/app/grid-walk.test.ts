import { describe, expect, it } from 'vitest';
import { walkPages, walkScroller, type GridWalkDeps, type HTMLElementLike } from '../../../core/app/grid-walk';

/** A paged grid of `total` rows, `size` per page, whose page changes only after a delay (a fetch). */
function pagedGrid(total: number, size: number, startPage = 1) {
  const rows = Array.from({ length: total }, (_, i) => `row-${i}`);
  let page = startPage;
  let pendingPage: number | undefined;
  const pages = Math.ceil(total / size);
  const button = (delta: number): HTMLElementLike => ({
    click() {
      pendingPage = page + delta;
    },
    get disabled() {
      return page + delta < 1 || page + delta > pages;
    },
    getAttribute: () => null,
  });
  const land = () => {
    if (pendingPage !== undefined) [page, pendingPage] = [pendingPage, undefined];
  };
  return {
    pager: { next: () => button(1), prev: () => button(-1) },
    read: () => ({ rows: rows.slice((page - 1) * size, page * size), total }),
    land,
    get page() {
      return page;
    },
  };
}

function deps<T>(read: () => { rows: T[]; total?: number }, settle: () => void, signal = new AbortController().signal): GridWalkDeps<T> & { progress: number[] } {
  const progress: number[] = [];
  return {
    read,
    key: String,
    settle: async () => settle(),
    waitFor: async (changed) => changed(),
    signal,
    onProgress: (n) => progress.push(n),
    progress,
  };
}

describe('walkPages', () => {
  it('rewinds to the first page, then reads every page once', async () => {
    const grid = pagedGrid(47, 10, 3);
    const d = deps(grid.read, grid.land);
    const result = await walkPages(grid.pager, d);
    expect(result.rows).toHaveLength(47);
    expect(new Set(result.rows).size).toBe(47);
    expect(result).toMatchObject({ complete: true, total: 47, pages: 5 });
    expect(d.progress).toEqual([10, 20, 30, 40, 47]);
  });

  it('stops incomplete when a page never arrives', async () => {
    const grid = pagedGrid(30, 10);
    const d = deps(grid.read, () => undefined);
    const result = await walkPages(grid.pager, d);
    expect(result).toMatchObject({ complete: false });
    expect(result.rows).toHaveLength(10);
  });

  it('stops when cancelled', async () => {
    const grid = pagedGrid(30, 10);
    const controller = new AbortController();
    const d = deps(grid.read, () => {
      grid.land();
      controller.abort();
    }, controller.signal);
    const result = await walkPages(grid.pager, d);
    expect(result.complete).toBe(false);
  });
});

describe('walkScroller', () => {
  it('scrolls a recycled window top to bottom and keeps each row once', async () => {
    const total = 100;
    const rowHeight = 10;
    const viewport = 95;
    const scroller = { scrollTop: 0, scrollHeight: total * rowHeight, clientHeight: viewport };
    const read = () => {
      const first = Math.floor(scroller.scrollTop / rowHeight);
      return { rows: Array.from({ length: Math.min(12, total - first) }, (_, i) => first + i) };
    };
    const d = deps(read, () => {
      scroller.scrollTop = Math.min(scroller.scrollTop, scroller.scrollHeight - scroller.clientHeight);
    });
    const result = await walkScroller(scroller, d);
    expect(result.rows.sort((a, b) => a - b)).toEqual(Array.from({ length: total }, (_, i) => i));
    expect(result.complete).toBe(true);
  });
});
