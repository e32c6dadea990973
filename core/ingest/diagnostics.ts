/**
 * What a page reader saw, so a capture is never an empty "clean" result by accident: whether the
 * grid was found, which columns it had, which required ones were missing, and rows read against
 * the grid's own total.
 */
import type { RawGrid } from './grid-dom';
import { findTotals } from './grid-dom';

export interface GridDiagnostics {
  found: boolean;
  layout?: 'table' | 'aria' | 'aggrid' | 'gwt';
  /** Header labels as shown (blank filler columns left out). */
  columns: string[];
  missingRequired: string[];
  /** Rows taken from the grid: those read into records plus those skipped as invalid. */
  rowsRead: number;
  /** The grid's own row count (pager, summary or aria-rowcount), when it shows one. */
  totalShown?: number;
  /** True when every row the grid holds was read. */
  complete: boolean;
  problems: string[];
}

export function notFound(what: string, hint: string): GridDiagnostics {
  return { found: false, columns: [], missingRequired: [], rowsRead: 0, complete: false, problems: [`No ${what} found on this page (${hint}).`] };
}

/**
 * Diagnostics for a grid that was found, from its rows read and skipped; the caller adds
 * missing columns before calling so that case is reported first.
 */
export function diagnose(grid: RawGrid, what: string, missingRequired: string[], read: number, skipped: number): GridDiagnostics {
  const problems: string[] = [];
  const totals = findTotals(grid);
  const d: GridDiagnostics = {
    found: true,
    layout: grid.layout,
    columns: grid.headers.filter((h) => h !== ''),
    missingRequired,
    rowsRead: read + skipped,
    complete: true,
    problems,
  };
  if (totals.total !== undefined) d.totalShown = totals.total;
  if (missingRequired.length) {
    problems.push(
      `The ${what} lacks required column${missingRequired.length > 1 ? 's' : ''} ${missingRequired.map((m) => `"${m}"`).join(', ')}; show ${missingRequired.length > 1 ? 'them' : 'it'} with the grid's Columns button.`,
    );
  }
  if (grid.loading) problems.push(`The ${what} is still loading; wait for its rows and read again.`);
  if (grid.pendingRows > 0) problems.push(`${grid.pendingRows} row${grid.pendingRows > 1 ? 's are' : ' is'} not rendered yet (half-loaded grid); read again once filled.`);
  const taken = read + skipped;
  if (taken === 0 && grid.pendingRows === 0 && !grid.loading) {
    problems.push(grid.emptyMessage ? `The ${what} is empty (it says "${grid.emptyMessage}").` : `The ${what} shows no rows.`);
  }
  if (skipped > 0) problems.push(`${skipped} row${skipped > 1 ? 's' : ''} could not be read (see skipped).`);
  if (totals.total !== undefined && taken + grid.pendingRows !== totals.total) {
    const where = totals.pages && totals.pages > 1 ? ` (page ${totals.page ?? '?'} of ${totals.pages}: follow the pages or raise the page size)` : '';
    problems.push(`Read ${taken} of the ${totals.total} rows the grid reports${where}.`);
  } else if (totals.total === undefined && totals.pages !== undefined && totals.pages > 1) {
    problems.push(`The grid has ${totals.pages} pages; only page ${totals.page ?? '?'} was read.`);
  }
  const gap = indexGap(grid);
  if (gap) problems.push(gap);
  const emptyButSaysSo = taken === 0 && Boolean(grid.emptyMessage);
  d.complete =
    missingRequired.length === 0 &&
    !grid.loading &&
    grid.pendingRows === 0 &&
    (taken > 0 || emptyButSaysSo) &&
    (totals.total === undefined ? !(totals.pages !== undefined && totals.pages > 1) : taken === totals.total) &&
    !gap;
  return d;
}

/** Virtual grids render a window of rows; indexes that do not start at 0 or skip some say so. */
function indexGap(grid: RawGrid): string | undefined {
  const indexes = grid.rows.map((r) => r.index).filter((i): i is number => i !== undefined);
  if (indexes.length !== grid.rows.length || indexes.length === 0) return undefined;
  const sorted = [...new Set(indexes)].sort((a, b) => a - b);
  const first = sorted[0] as number;
  const last = sorted[sorted.length - 1] as number;
  if (first > 0) return `Rows before row ${first + 1} are not rendered (scrolled grid); scroll to the top or capture while scrolling.`;
  if (last - first + 1 !== sorted.length) return `Some rows between ${first + 1} and ${last + 1} are not rendered (virtualised grid).`;
  return undefined;
}
