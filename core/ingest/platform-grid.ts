/**
 * The Platform's Mapping → Invoices grid (DESIGN §5): found by its header labels in whatever
 * markup it uses, columns mapped with the §4.1 aliases, badges read inside cells.
 */
import type { PlatformLine, ReconcileConfig, SkippedRow } from '../model';
import { diagnose, notFound, type GridDiagnostics } from './diagnostics';
import { findGrids, readCell, type RawGrid } from './grid-dom';
import { LINE_HEADER_TABLE, mapHeaders, missingRequired, REQUIRED_LINE_FIELDS, type LineField } from './headers';
import { buildLine, RowProblem, skippedFrom } from './line';
import { PLATFORM_SCREENS } from '../sites/platform';

export type { GridDiagnostics } from './diagnostics';

export interface PlatformGridResult {
  lines: PlatformLine[];
  skipped: SkippedRow[];
  diagnostics: GridDiagnostics;
}

/** The grid whose headers score highest (at least `minimum`); alternative GWT alignments count too. */
export function pickGrid(grids: RawGrid[], score: (headers: string[]) => number, minimum: number): RawGrid | undefined {
  let best: RawGrid | undefined;
  let bestScore = minimum - 1;
  for (const g of grids) {
    const s = Math.max(score(g.headers), ...(g.alternatives ?? []).map(score));
    if (s > bestScore) [best, bestScore] = [g, s];
  }
  return best;
}

// An invoices grid names at least three line fields, two of them required ones.
export function invoiceScore(headers: string[]): number {
  const mapped = mapHeaders(headers, LINE_HEADER_TABLE);
  const required = REQUIRED_LINE_FIELDS.filter((f) => mapped.has(f)).length;
  return required >= 2 ? mapped.size : 0;
}

export function readPlatformGrid(root: ParentNode, opts: { config?: ReconcileConfig; file?: string } = {}): PlatformGridResult {
  const grid = pickGrid(findGrids(root), invoiceScore, 3);
  if (!grid) {
    return {
      lines: [],
      skipped: [],
      diagnostics: notFound(PLATFORM_SCREENS['platform.invoices'].grid, 'looked for a table or grid with headers such as Invoice Date, Charge Type, Charge Start Date, Quantity, Revenue'),
    };
  }
  const columns = mapHeaders(grid.headers, LINE_HEADER_TABLE);
  const missing = missingRequired(columns);
  const lines: PlatformLine[] = [];
  const skipped: SkippedRow[] = [];
  if (missing.length === 0) {
    const columnName = (f: LineField) => grid.headers[columns.get(f) ?? -1] ?? f;
    grid.rows.forEach((r, position) => {
      const row = (r.index ?? position) + 1;
      const cell = (f: LineField) => {
        const i = columns.get(f);
        return i === undefined ? undefined : (readCell(r.cells[i]) ?? { text: '' });
      };
      try {
        lines.push(buildLine(cell, { row, config: opts.config, columnName, fallbackLineId: `row-${row}` }));
      } catch (err) {
        if (!(err instanceof RowProblem)) throw err;
        skipped.push(skippedFrom(err, row, opts.file));
      }
    });
  }
  return { lines, skipped, diagnostics: diagnose(grid, 'invoices grid', missing, lines.length, skipped.length) };
}

const CONTENT_FIELDS: ReadonlyArray<keyof PlatformLine> = [
  'invoiceNumber',
  'invoiceDate',
  'organization',
  'organizationRef',
  'subscription',
  'offer',
  'contractId',
  'currency',
  'chargeType',
  'chargeTypeBadge',
  'chargeStartDate',
  'chargeStartDateBadge',
  'chargeEndDate',
  'chargeEndDateBadge',
  'quantity',
  'cost',
  'revenue',
  'psaOrganizationName',
  'psaProductName',
  'psaAgreementName',
  'status',
  'excluded',
];

/**
 * A stable key for merging rows read page by page or while scrolling: the Line ID when the grid
 * shows one, else the row's content. Without a Line ID, two rows identical in every column merge
 * into one; the diagnostics' rows-read-vs-total check is what catches that.
 */
export function rowKey(line: PlatformLine): string {
  if (!/^row-\d+$/.test(line.lineId)) return `id:${line.lineId}`;
  return 'cells:' + JSON.stringify(CONTENT_FIELDS.map((f) => line[f] ?? null));
}
