/**
 * Reads every row of a grid that shows only part of its rows at a time: a paged grid (a *Next*
 * button) or a virtualised one (rows recycled as a viewport scrolls). Rows are keyed, so a row
 * seen twice (a page that did not change yet, an overlapping scroll window) counts once.
 *
 * Pure of browser globals: the content script passes the document and a `settle` that waits
 * for the page to redraw, so this runs under happy-dom in tests as it does in Chromium.
 */

export interface GridSnapshot<T> {
  rows: T[];
  /** The grid's own row count when it shows one (`120 invoice lines`). */
  total?: number;
}

export interface GridWalkDeps<T> {
  /** Reads the rows currently in the DOM. */
  read(): GridSnapshot<T>;
  key(row: T): string;
  /** Resolves once the page has had the chance to redraw after a click or a scroll. */
  settle(): Promise<void>;
  /** Resolves when `changed()` turns true, or false after the page's patience runs out. */
  waitFor(changed: () => boolean): Promise<boolean>;
  signal: AbortSignal;
  onProgress(read: number, total: number | undefined, phase: 'reading' | 'paging' | 'scrolling'): void;
}

export interface GridWalkResult<T> {
  rows: T[];
  total?: number;
  /** False when cancelled, or when a page did not load in time. */
  complete: boolean;
  pages: number;
}

/** Something a paged grid can be moved with. */
export interface Pager {
  next(): HTMLElementLike | null;
  prev(): HTMLElementLike | null;
}

/** The little of an element the walk uses, so tests need no full DOM. */
export interface HTMLElementLike {
  click(): void;
  readonly disabled?: boolean;
  getAttribute(name: string): string | null;
}

export interface Scroller {
  scrollTop: number;
  readonly scrollHeight: number;
  readonly clientHeight: number;
  dispatchEvent?(event: Event): boolean;
}

function enabled(button: HTMLElementLike | null): button is HTMLElementLike {
  return !!button && !button.disabled && button.getAttribute('aria-disabled') !== 'true' && button.getAttribute('disabled') === null;
}

function collect<T>(into: Map<string, T>, snapshot: GridSnapshot<T>, key: (row: T) => string): number {
  let added = 0;
  for (const row of snapshot.rows) {
    const k = key(row);
    if (!into.has(k)) {
      into.set(k, row);
      added += 1;
    }
  }
  return added;
}

function signature<T>(snapshot: GridSnapshot<T>, key: (row: T) => string): string {
  return snapshot.rows.map(key).join('\u0001');
}

/** Walks a paged grid: back to its first page, then *Next* until it is disabled. */
export async function walkPages<T>(pager: Pager, deps: GridWalkDeps<T>): Promise<GridWalkResult<T>> {
  const rows = new Map<string, T>();
  let total: number | undefined;
  const move = async (button: HTMLElementLike): Promise<boolean> => {
    const before = signature(deps.read(), deps.key);
    button.click();
    await deps.settle();
    return deps.waitFor(() => signature(deps.read(), deps.key) !== before);
  };

  // Rewind: the user may have paged forward before asking for a capture.
  for (let guard = 0; guard < 10_000; guard++) {
    if (deps.signal.aborted) return { rows: [...rows.values()], total, complete: false, pages: 0 };
    const prev = pager.prev();
    if (!enabled(prev)) break;
    if (!(await move(prev))) break;
  }

  let pages = 0;
  for (;;) {
    if (deps.signal.aborted) return { rows: [...rows.values()], total, complete: false, pages };
    const snapshot = deps.read();
    total = snapshot.total ?? total;
    collect(rows, snapshot, deps.key);
    pages += 1;
    deps.onProgress(rows.size, total, 'paging');
    const next = pager.next();
    if (!enabled(next)) break;
    if (!(await move(next))) return { rows: [...rows.values()], total, complete: false, pages };
  }
  return { rows: [...rows.values()], total, complete: total === undefined || rows.size >= total, pages };
}

/** Walks a virtualised grid: scroll its viewport top to bottom a screen at a time. */
export async function walkScroller<T>(scroller: Scroller, deps: GridWalkDeps<T>, makeScrollEvent?: () => Event): Promise<GridWalkResult<T>> {
  const rows = new Map<string, T>();
  let total: number | undefined;
  const scrollTo = async (top: number) => {
    scroller.scrollTop = top;
    // Browsers fire `scroll` on their own; a DOM without layout (happy-dom) needs a nudge.
    if (makeScrollEvent && scroller.dispatchEvent) scroller.dispatchEvent(makeScrollEvent());
    await deps.settle();
  };
  await scrollTo(0);
  // Overlap steps a little so a row straddling the edge is always fully rendered once.
  const step = Math.max(1, Math.floor(scroller.clientHeight * 0.8));
  let pages = 0;
  for (let guard = 0; guard < 1_000_000; guard++) {
    if (deps.signal.aborted) return { rows: [...rows.values()], total, complete: false, pages };
    const snapshot = deps.read();
    total = snapshot.total ?? total;
    collect(rows, snapshot, deps.key);
    pages += 1;
    deps.onProgress(rows.size, total, 'scrolling');
    if (total !== undefined && rows.size >= total) break;
    const before = scroller.scrollTop;
    const atEnd = before + scroller.clientHeight >= scroller.scrollHeight - 1;
    if (atEnd) break;
    await scrollTo(before + step);
    if (scroller.scrollTop <= before) break;
  }
  return { rows: [...rows.values()], total, complete: total === undefined || rows.size >= total, pages };
}
