/**
 * The Platform's invoice-lines CSV (its grid's *Export*, DESIGN §4.1): delimiter detected, BOM
 * dropped, headers matched by alias, every value parsed or reported with file, row, column, value.
 */
import Papa from 'papaparse';
import type { PlatformLine, ReconcileConfig, SkippedRow } from '../model';
import { InputError } from '../shared/errors';
import { LINE_HEADER_TABLE, mapHeaders, missingRequired, type LineField } from './headers';
import { buildLine, RowProblem, skippedFrom, type Cell } from './line';

export interface ParseLinesOptions {
  file?: string;
  config?: ReconcileConfig;
  skipInvalid?: boolean;
}

export interface ParsedLines {
  lines: PlatformLine[];
  skipped: SkippedRow[];
  warnings: string[];
}

const DELIMITERS = [',', ';', '\t'] as const;

/** The delimiter is whichever candidate splits the header line most often (outside quotes). */
export function detectDelimiter(text: string): string {
  const counts = new Map<string, number>(DELIMITERS.map((d) => [d, 0]));
  let quoted = false;
  for (const ch of text) {
    if (ch === '"') quoted = !quoted;
    else if (!quoted && (ch === '\n' || ch === '\r')) break;
    else if (!quoted && counts.has(ch)) counts.set(ch, (counts.get(ch) ?? 0) + 1);
  }
  let best = ',';
  let max = 0;
  for (const [d, n] of counts) if (n > max) [best, max] = [d, n];
  return best;
}

export function parseLinesCsv(text: string, opts: ParseLinesOptions = {}): ParsedLines {
  const { file, config, skipInvalid = false } = opts;
  const body = text.replace(/^\uFEFF/, '');
  if (body.trim() === '') throw new InputError('the file is empty (expected a header row of invoice-line columns)', { file });
  const delimiter = detectDelimiter(body);
  const parsed = Papa.parse<string[]>(body, { delimiter, skipEmptyLines: 'greedy' });
  const [header = [], ...rows] = parsed.data;
  const labels = header.map((h) => h.trim());
  const columns = mapHeaders(labels, LINE_HEADER_TABLE);
  const missing = missingRequired(columns);
  if (missing.length) {
    throw new InputError(`missing required column${missing.length > 1 ? 's' : ''} ${missing.map((m) => `"${m}"`).join(', ')}`, {
      file,
      row: 'header',
      field: missing[0],
    });
  }

  // Papa reports structural problems (unclosed quotes, ragged rows) per row of the data array.
  const structural = new Map<number, string>();
  for (const e of parsed.errors) {
    if (e.row !== undefined && e.row !== null && e.code !== 'UndetectableDelimiter' && !structural.has(e.row)) structural.set(e.row, e.message);
  }

  const lines: PlatformLine[] = [];
  const skipped: SkippedRow[] = [];
  const warnings: string[] = [];
  const columnName = (f: LineField) => labels[columns.get(f) ?? -1] ?? f;
  rows.forEach((cells, i) => {
    const row = i + 1;
    try {
      const problem = structural.get(i + 1);
      if (problem) throw new RowProblem(`malformed CSV (${problem})`, '(row)', cells.join(delimiter));
      if (cells.length > labels.length && cells.slice(labels.length).some((c) => c.trim() !== '')) {
        throw new RowProblem(`has ${cells.length} fields but the header has ${labels.length}`, '(row)', cells.slice(labels.length).join(' '));
      }
      const cell = (f: LineField): Cell | undefined => {
        const idx = columns.get(f);
        return idx === undefined ? undefined : { text: cells[idx] ?? '' };
      };
      lines.push(buildLine(cell, { row, config, columnName, fallbackLineId: `row-${row}` }));
    } catch (err) {
      if (!(err instanceof RowProblem)) throw err;
      if (!skipInvalid) throw new InputError(err.message, { file, row, field: err.column, value: err.value });
      skipped.push(skippedFrom(err, row, file));
    }
  });
  if (rows.length === 0) warnings.push(`${file ?? 'the CSV'} has a header but no invoice lines`);
  if (skipped.length) warnings.push(`${skipped.length} invalid row${skipped.length > 1 ? 's' : ''} skipped${file ? ` in ${file}` : ''}`);
  const ids = new Set<string>();
  for (const l of lines) {
    if (ids.has(l.lineId)) warnings.push(`Line ID "${l.lineId}" appears more than once${file ? ` in ${file}` : ''}`);
    ids.add(l.lineId);
  }
  return { lines, skipped, warnings };
}
