/**
 * The Platform's invoice-lines CSV (its grid's *Export*, DESIGN §4.1): delimiter detected, BOM
 * dropped, headers matched by alias, every value parsed or reported with file, row, column, value.
 *
 * The reader takes the text in pieces (a whole string is one piece), so a large export is read
 * as it streams in: each piece is split into rows by papaparse's parser and every complete row is
 * turned into a line at once; only an unfinished last row waits for the next piece.
 */
import Papa from 'papaparse';
import type { PlatformLine, ReconcileConfig, SkippedRow } from '../model';
import { InputError } from '../shared/errors';
import { LINE_HEADER_TABLE, LINE_HEADERS, mapHeaders, missingRequired, type LineField } from './headers';
import { buildLine, RowProblem, skippedFrom, valueCache, type Cell, type RowContext } from './line';

export interface ParseLinesOptions {
  file?: string;
  config?: ReconcileConfig;
  skipInvalid?: boolean;
}

export interface ParsedLines {
  lines: PlatformLine[];
  skipped: SkippedRow[];
  warnings: string[];
  /** True when no two lines share a Line ID (callers then need no index of them). */
  uniqueIds?: boolean;
}

const DELIMITERS = [',', ';', '\t'] as const;
const FIELD_INDEX = Object.fromEntries(LINE_HEADERS.map(([f], i) => [f, i])) as Record<LineField, number>;

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

/** Line endings as papaparse guesses them: `\n`, `\r\n` or `\r`, ignoring breaks inside quotes. */
function guessNewline(text: string): '\n' | '\r\n' | '\r' {
  const head = text.slice(0, 1 << 20).replace(/"[^]*?"/g, '');
  const r = head.split('\r');
  const n = head.split('\n');
  if (r.length === 1 || (n.length > 1 && (n[0] as string).length < (r[0] as string).length)) return '\n';
  let withN = 0;
  for (const part of r) if (part[0] === '\n') withN++;
  return withN >= r.length / 2 ? '\r\n' : '\r';
}

// Enough text to guess delimiter and line endings from, as papaparse does from its first chunk.
const START_AFTER = 1 << 20;

interface PapaResult {
  data: string[][];
  errors: Array<{ row?: number; message: string }>;
  meta: { cursor: number };
}

/** Reads the CSV a piece at a time: `push` each piece in order, then `end` for the result. */
export class LinesCsvReader {
  private readonly file?: string;
  private readonly config?: ReconcileConfig;
  private readonly skipInvalid: boolean;
  private pending = '';
  private blank = true;
  private first = true;
  private parser?: Papa.Parser;
  private delimiter = ',';
  /** A piece that completed no row is parsed again only once the text has doubled, so one long row costs linear time. */
  private retryAt = 0;
  private labels?: string[];
  private columns = new Map<LineField, number>();
  private readonly lines: PlatformLine[] = [];
  private readonly skipped: SkippedRow[] = [];
  private readonly warnings: string[] = [];
  private readonly ids = new Set<string>();
  /** Line IDs seen again: one warning at the end, with a count and the first few, however many repeat. */
  private readonly repeatedIds = new Set<string>();
  private repeatedRows = 0;
  private row = 0;
  private cells: string[] = [];
  /** One Cell per column, refilled for each row: buildLine reads a cell and lets it go. */
  private slots: Array<Cell | undefined> = [];
  /** Field index → the column it is read from (-1 for none), so a cell is found without a Map lookup. */
  private columnAt: number[] = [];
  private readonly cell = (f: LineField): Cell | undefined => {
    const i = FIELD_INDEX[f];
    const slot = this.slots[i];
    if (slot) slot.text = this.cells[this.columnAt[i] as number] ?? '';
    return slot;
  };
  private readonly ctx: RowContext;

  constructor(opts: ParseLinesOptions = {}) {
    this.file = opts.file;
    this.config = opts.config;
    this.skipInvalid = opts.skipInvalid ?? false;
    const columnName = (f: LineField) => this.labels?.[this.columns.get(f) ?? -1] ?? f;
    this.ctx = {
      row: 0,
      config: this.config,
      columnName,
      // Built only for the rows that have no Line ID.
      get fallbackLineId() {
        return `row-${this.row}`;
      },
      cache: valueCache(),
    };
  }

  push(piece: string): void {
    if (piece === '') return;
    if (this.first) {
      this.first = false;
      piece = piece.replace(/^\uFEFF/, '');
    }
    if (this.blank && /\S/.test(piece)) this.blank = false;
    this.pending += piece;
    if (!this.parser && this.pending.length < START_AFTER) return;
    if (this.pending.length < this.retryAt) return;
    this.parse(false);
  }

  end(): ParsedLines {
    if (this.blank) throw new InputError('the file is empty (expected a header row of invoice-line columns)', { file: this.file });
    this.parse(true);
    if (!this.labels) this.header([]);
    const { file } = this;
    if (this.row === 0) this.warnings.push(`${file ?? 'the CSV'} has a header but no invoice lines`);
    const dup = this.duplicateWarning();
    if (dup) this.warnings.push(dup);
    const skipped = this.skipped.length;
    if (skipped) this.warnings.push(`${skipped} invalid row${skipped > 1 ? 's' : ''} skipped${file ? ` in ${file}` : ''}`);
    return { lines: this.lines, skipped: this.skipped, warnings: this.warnings, uniqueIds: this.repeatedIds.size === 0 };
  }

  private parse(final: boolean): void {
    if (!this.parser) {
      this.delimiter = detectDelimiter(this.pending);
      this.parser = new Papa.Parser({ delimiter: this.delimiter, newline: guessNewline(this.pending) });
    }
    const text = this.pending;
    const result = (this.parser.parse(text, 0, !final) as PapaResult);
    // Papa reports structural problems (unclosed quotes, stray quotes) by row of this piece.
    let problems: Map<number, string> | undefined;
    for (const e of result.errors) {
      if (typeof e.row !== 'number' || e.row >= result.data.length) continue;
      problems ??= new Map();
      if (!problems.has(e.row)) problems.set(e.row, e.message);
    }
    const rows = result.data;
    for (let i = 0; i < rows.length; i++) this.take(rows[i] as string[], problems?.get(i));
    if (final) {
      this.pending = '';
      return;
    }
    this.pending = text.slice(result.meta.cursor);
    this.retryAt = rows.length === 0 ? text.length * 2 : 0;
  }

  private take(cells: string[], problem: string | undefined): void {
    if (problem === undefined && isEmptyRow(cells)) return;
    if (!this.labels) {
      this.header(cells);
      return;
    }
    const row = ++this.row;
    const { labels, file } = this;
    try {
      if (problem) throw new RowProblem(`malformed CSV (${problem})`, '(row)', cells.join(this.delimiter));
      if (cells.length > labels.length && cells.slice(labels.length).some((c) => c.trim() !== '')) {
        throw new RowProblem(`has ${cells.length} fields but the header has ${labels.length}`, '(row)', cells.slice(labels.length).join(' '));
      }
      this.cells = cells;
      this.ctx.row = row;
      const line = buildLine(this.cell, this.ctx);
      this.lines.push(line);
      if (this.ids.has(line.lineId)) this.repeated(line.lineId);
      else this.ids.add(line.lineId);
    } catch (err) {
      if (!(err instanceof RowProblem)) throw err;
      if (!this.skipInvalid) throw new InputError(err.message, { file, row, field: err.column, value: err.value });
      this.skipped.push(skippedFrom(err, row, file));
    } finally {
      this.cells = [];
    }
  }

  private repeated(lineId: string): void {
    this.repeatedRows++;
    this.repeatedIds.add(lineId);
  }

  private duplicateWarning(): string | undefined {
    const ids = this.repeatedIds.size;
    if (ids === 0) return undefined;
    const where = this.file ? ` in ${this.file}` : '';
    const rows = this.repeatedRows;
    const first = [...take(this.repeatedIds, SHOWN_REPEATS)].map((id) => JSON.stringify(id.length > 40 ? `${id.slice(0, 40)}…` : id));
    if (ids === 1) return `Line ID ${first[0]} appears more than once${where}${rows > 1 ? ` (${rows} more rows carry it)` : ''}`;
    return `${ids} Line IDs appear more than once${where} (${rows} rows repeat an earlier one): ${first.join(', ')}${ids > SHOWN_REPEATS ? ', …' : ''}`;
  }

  private header(cells: string[]): void {
    const labels = cells.map((h) => h.trim());
    this.labels = labels;
    this.columns = mapHeaders(labels, LINE_HEADER_TABLE);
    this.slots = LINE_HEADERS.map(([f]) => (this.columns.has(f) ? { text: '' } : undefined));
    this.columnAt = LINE_HEADERS.map(([f]) => this.columns.get(f) ?? -1);
    const missing = missingRequired(this.columns);
    if (missing.length) {
      throw new InputError(`missing required column${missing.length > 1 ? 's' : ''} ${missing.map((m) => `"${m}"`).join(', ')}`, {
        file: this.file,
        row: 'header',
        field: missing[0],
      });
    }
  }
}

/** Repeated Line IDs named in the warning; the rest are counted. */
const SHOWN_REPEATS = 5;

function* take<T>(items: Iterable<T>, n: number): Generator<T> {
  if (n <= 0) return;
  let i = 0;
  for (const item of items) {
    yield item;
    if (++i >= n) return;
  }
}

/** A row of nothing but white space (papaparse's `skipEmptyLines: 'greedy'`). */
function isEmptyRow(cells: readonly string[]): boolean {
  for (const c of cells) if (c !== '' && c.trim() !== '') return false;
  return true;
}

export function parseLinesCsv(text: string, opts: ParseLinesOptions = {}): ParsedLines {
  const reader = new LinesCsvReader(opts);
  reader.push(text);
  return reader.end();
}

/** The same reader over text arriving in pieces (a file read as a stream). */
export async function readLinesCsv(pieces: AsyncIterable<string> | Iterable<string>, opts: ParseLinesOptions = {}): Promise<ParsedLines> {
  const reader = new LinesCsvReader(opts);
  for await (const piece of pieces) reader.push(piece);
  return reader.end();
}
