/**
 * Turns one row's cells into a PlatformLine. Shared by the CSV reader and the page readers so a
 * file and a screen of the same data give the same lines.
 */
import type { Badge, PlatformLine, ReconcileConfig, SkippedRow } from '../model';
import type { IsoDate } from '../shared/dates';
import type { LineField } from './headers';
import { fileDateProblem, numberValue, parseBadge, parseFileDate, parseSyncStatus, parseYesNo, splitBadge, withoutBadge } from './values';

/** A cell as read: its text, a badge shown inside it, and a toggle's state where it is one. */
export interface Cell {
  text: string;
  badge?: Badge;
  checked?: boolean;
}

/** A value the reader could not use, with where it was. */
export class RowProblem extends Error {
  constructor(
    message: string,
    readonly column: string,
    readonly value: string,
  ) {
    super(message);
    this.name = 'RowProblem';
  }
}

export interface RowContext {
  /** 1-based data row. */
  row: number;
  config?: ReconcileConfig;
  /** Header text of the column a field came from, for messages. */
  columnName: (field: LineField) => string;
  /** Line ID when the source has none. */
  fallbackLineId: string;
  /** Values already read in this source; a reader of many rows passes one for all of them. */
  cache?: ValueCache;
}

/**
 * Results of reading a cell's text, kept per distinct text: a month repeats the same dates,
 * statuses and flags on every row, so each is parsed once per source instead of once per row.
 */
export interface ValueCache {
  dates: Map<string, IsoDate | null>;
  statuses: Map<string, ReturnType<typeof parseSyncStatus>>;
  flags: Map<string, boolean | null>;
  badges: Map<string, Badge | undefined | null>;
  /**
   * Per column, a cell's text → its value (badge and placeholder taken off; null for none). Rows
   * repeat organizations, products, agreements and charge types: each spelling is cleaned once,
   * and the lines share one string for it, which later lookups find by identity.
   */
  texts?: Partial<Record<LineField, TextColumn>>;
}

/**
 * What one column's texts became. The row before is compared first (rows of one organization
 * come together); a column whose first rows are mostly new values (invoice numbers, subscription
 * names) stops keeping them, since hashing a value seen once costs more than cleaning it.
 */
interface TextColumn {
  lastText: string;
  lastValue: string | null;
  known: Map<string, string | null> | undefined;
  seen: number;
  fresh: number;
}

export function valueCache(): ValueCache {
  return { dates: new Map(), statuses: new Map(), flags: new Map(), badges: new Map(), texts: {} };
}

/**
 * The columns whose values repeat down a month and are looked up again by name later (companies,
 * products, agreements, charge types, currencies). Line IDs, invoice numbers and subscription
 * names are mostly one-off, dates are kept by their own cache, numbers are read each time.
 */
const SHARED_FIELDS: ReadonlySet<LineField> = new Set(['organization', 'psaOrganizationName', 'psaProductName', 'psaAgreementName', 'chargeType', 'currency', 'offer']);

/** Past this many distinct texts a column's cache starts again. */
const TEXTS_KEPT = 50_000;
/** Rows a column is watched before deciding whether its values repeat enough to keep. */
const TEXTS_SAMPLE = 5_000;

const OPTIONAL_TEXT: ReadonlyArray<readonly [keyof PlatformLine, LineField]> = [
  ['invoiceNumber', 'invoiceNumber'],
  ['organizationRef', 'organizationRef'],
  ['subscription', 'subscription'],
  ['offer', 'offer'],
  ['contractId', 'contractId'],
  ['currency', 'currency'],
  ['psaOrganizationName', 'psaOrganizationName'],
  ['psaProductName', 'psaProductName'],
  ['psaAgreementName', 'psaAgreementName'],
];

// Screens show these in unmapped cells; they are not values.
const PLACEHOLDERS = new Set(['click to select', 'select', 'select...', 'select…', '—', '–', 'n/a', 'none']);
const LONGEST_PLACEHOLDER = 15;

/** A cell's value without its badge; null when empty or a placeholder. */
function cleanText(text: string): string | null {
  const t = withoutBadge(text);
  if (t === '') return null;
  return t.length <= LONGEST_PLACEHOLDER && mayBePlaceholder(t.charCodeAt(0)) && PLACEHOLDERS.has(t.toLowerCase()) ? null : t;
}

/** Whether a text starting with this character could be a placeholder (spares lower-casing every short value). */
function mayBePlaceholder(first: number): boolean {
  const lower = first | 0x20;
  return lower === 0x63 || lower === 0x73 || lower === 0x6e || first === 0x2014 || first === 0x2013;
}

/**
 * One row's reading, as methods rather than per-row closures: a reader of 100,000 rows would
 * otherwise build a handful of functions for every one of them.
 */
class RowReader {
  private readonly dateFormat: ReconcileConfig['dateFormat'];
  private readonly decimal: '.' | ',';
  constructor(
    private readonly cell: (field: LineField) => Cell | undefined,
    private readonly ctx: RowContext,
  ) {
    this.dateFormat = ctx.config?.dateFormat;
    this.decimal = ctx.config?.decimalSeparator ?? '.';
  }

  text(field: LineField): string | undefined {
    const c = this.cell(field);
    if (!c) return undefined;
    const raw = c.text;
    const texts = SHARED_FIELDS.has(field) ? this.ctx.cache?.texts : undefined;
    if (!texts) return cleanText(raw) ?? undefined;
    let col = texts[field];
    if (!col) texts[field] = col = { lastText: '', lastValue: null, known: new Map(), seen: 0, fresh: 0 };
    if (raw === col.lastText) return col.lastValue ?? undefined;
    const known = col.known;
    let t: string | null | undefined;
    if (known) {
      t = known.get(raw);
      if (t === undefined) {
        col.fresh++;
        if (known.size >= TEXTS_KEPT) known.clear();
        t = cleanText(raw);
        known.set(raw, t);
      }
      if (++col.seen === TEXTS_SAMPLE && col.fresh > TEXTS_SAMPLE * 0.9) col.known = undefined;
    } else t = cleanText(raw);
    col.lastText = raw;
    col.lastValue = t;
    return t ?? undefined;
  }

  fail(field: LineField, message: string): never {
    throw new RowProblem(message, this.ctx.columnName(field), this.cell(field)?.text ?? '');
  }

  required(field: LineField): string {
    return this.text(field) ?? this.fail(field, 'is empty');
  }

  date(field: LineField, value: string): IsoDate {
    const dates = this.ctx.cache?.dates;
    let d = dates?.get(value);
    if (d === undefined) {
      d = parseFileDate(value, this.dateFormat);
      dates?.set(value, d);
    }
    return d ?? this.fail(field, fileDateProblem(value, this.dateFormat));
  }

  num(field: LineField, value: string): number {
    return numberValue(value, this.decimal) ?? this.fail(field, `not a number${this.decimal === ',' ? ' (decimal separator ",")' : ''}`);
  }

  badge(valueField: LineField, badgeField: LineField): Badge | undefined {
    const own = this.cell(badgeField);
    if (own && own.text.trim() !== '') {
      const badges = this.ctx.cache?.badges;
      let b = badges?.get(own.text);
      if (b === undefined && !badges?.has(own.text)) {
        b = parseBadge(own.text);
        badges?.set(own.text, b);
      }
      if (b === null) this.fail(badgeField, 'not a badge (expected System Updated or User Updated)');
      return b ?? undefined;
    }
    const c = this.cell(valueField);
    return c?.badge ?? (c ? splitBadge(c.text).badge : undefined);
  }

  status(text: string): ReturnType<typeof parseSyncStatus> {
    const statuses = this.ctx.cache?.statuses;
    let s = statuses?.get(text);
    if (s === undefined) {
      s = parseSyncStatus(withoutBadge(text));
      statuses?.set(text, s);
    }
    return s;
  }

  flag(text: string): boolean | null {
    const flags = this.ctx.cache?.flags;
    let f = flags?.get(text);
    if (f === undefined) {
      f = parseYesNo(text);
      flags?.set(text, f);
    }
    return f;
  }
}

export function buildLine(cell: (field: LineField) => Cell | undefined, ctx: RowContext): PlatformLine {
  const r = new RowReader(cell, ctx);
  const endText = r.text('chargeEndDate');
  const costText = r.text('cost');
  const statusCell = cell('status');
  const status = r.status(statusCell?.text ?? '');
  if (status === null) r.fail('status', 'not a PSA status (expected Synced, Not Synced, Error or Response Error)');
  const excludedCell = cell('excluded');
  let excluded = status?.excluded ?? false;
  if (excludedCell) {
    const flag = excludedCell.checked ?? r.flag(excludedCell.text);
    if (flag === null) r.fail('excluded', 'not Yes or No');
    excluded = excluded || flag === true;
  }

  const line: PlatformLine = {
    lineId: r.text('lineId') ?? ctx.fallbackLineId,
    row: ctx.row,
    invoiceDate: r.date('invoiceDate', r.required('invoiceDate')),
    organization: r.required('organization'),
    chargeType: r.required('chargeType'),
    chargeStartDate: r.date('chargeStartDate', r.required('chargeStartDate')),
    quantity: r.num('quantity', r.required('quantity')),
    revenue: r.num('revenue', r.required('revenue')),
    excluded,
  };
  const out = line as Record<string, unknown>;
  for (const [key, field] of OPTIONAL_TEXT) {
    const v = r.text(field);
    if (v !== undefined) out[key] = v;
  }
  if (endText !== undefined) line.chargeEndDate = r.date('chargeEndDate', endText);
  if (costText !== undefined) line.cost = r.num('cost', costText);
  if (status?.status) line.status = status.status;
  // A blank cell in a present Status in PSA column is a line the Platform has not synced; only a
  // source without the column leaves the status unknown (every line then counts as synced).
  else if (statusCell) line.status = 'Not Synced';
  const typeBadge = r.badge('chargeType', 'chargeTypeBadge');
  if (typeBadge) line.chargeTypeBadge = typeBadge;
  const startBadge = r.badge('chargeStartDate', 'chargeStartDateBadge');
  if (startBadge) line.chargeStartDateBadge = startBadge;
  const endBadge = r.badge('chargeEndDate', 'chargeEndDateBadge');
  if (endBadge) line.chargeEndDateBadge = endBadge;
  return line;
}

/** The skipped-row record for a problem (used by every reader). */
export function skippedFrom(problem: RowProblem, row: number, file?: string): SkippedRow {
  const s: SkippedRow = { row, column: problem.column, value: problem.value, message: `${problem.column}: ${problem.message}` };
  if (file) s.file = file;
  return s;
}
