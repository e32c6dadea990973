/**
 * Turns one row's cells into a PlatformLine. Shared by the CSV reader and the page readers so a
 * file and a screen of the same data give the same lines.
 */
import type { Badge, PlatformLine, ReconcileConfig, SkippedRow } from '../model';
import type { IsoDate } from '../shared/dates';
import type { LineField } from './headers';
import { fileDateProblem, parseBadge, parseFileDate, parseNumber, parseSyncStatus, parseYesNo, splitBadge } from './values';

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
}

// Screens show these in unmapped cells; they are not values.
const PLACEHOLDERS = new Set(['click to select', 'select', 'select...', 'select…', '—', '–', 'n/a', 'none']);

export function buildLine(cell: (field: LineField) => Cell | undefined, ctx: RowContext): PlatformLine {
  const text = (field: LineField): string | undefined => {
    const c = cell(field);
    if (!c) return undefined;
    const t = splitBadge(c.text).text;
    return t === '' || PLACEHOLDERS.has(t.toLowerCase()) ? undefined : t;
  };
  const fail = (field: LineField, message: string): never => {
    throw new RowProblem(message, ctx.columnName(field), cell(field)?.text ?? '');
  };
  const required = (field: LineField): string => text(field) ?? fail(field, 'is empty');
  const date = (field: LineField, value: string): IsoDate =>
    parseFileDate(value, ctx.config?.dateFormat) ?? fail(field, fileDateProblem(value, ctx.config?.dateFormat));
  const num = (field: LineField, value: string): number =>
    parseNumber(value, ctx.config?.decimalSeparator ?? '.')?.value ??
    fail(field, `not a number${ctx.config?.decimalSeparator === ',' ? ' (decimal separator ",")' : ''}`);
  const badge = (valueField: LineField, badgeField: LineField): Badge | undefined => {
    const own = cell(badgeField);
    if (own && own.text.trim() !== '') {
      const b = parseBadge(own.text);
      if (b === null) fail(badgeField, 'not a badge (expected System Updated or User Updated)');
      return b ?? undefined;
    }
    const c = cell(valueField);
    return c?.badge ?? (c ? splitBadge(c.text).badge : undefined);
  };

  const endText = text('chargeEndDate');
  const costText = text('cost');
  const statusText = cell('status')?.text ?? '';
  const status = parseSyncStatus(splitBadge(statusText).text);
  if (status === null) fail('status', 'not a PSA status (expected Synced, Not Synced, Error or Response Error)');
  const excludedCell = cell('excluded');
  let excluded = status?.excluded ?? false;
  if (excludedCell) {
    const flag = excludedCell.checked ?? parseYesNo(excludedCell.text);
    if (flag === null) fail('excluded', 'not Yes or No');
    excluded = excluded || flag === true;
  }

  const line: PlatformLine = {
    lineId: text('lineId') ?? ctx.fallbackLineId,
    row: ctx.row,
    invoiceDate: date('invoiceDate', required('invoiceDate')),
    organization: required('organization'),
    chargeType: required('chargeType'),
    chargeStartDate: date('chargeStartDate', required('chargeStartDate')),
    quantity: num('quantity', required('quantity')),
    revenue: num('revenue', required('revenue')),
    excluded,
  };
  const optional: Array<[keyof PlatformLine, LineField]> = [
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
  const out = line as Record<string, unknown>;
  for (const [key, field] of optional) {
    const v = text(field);
    if (v !== undefined) out[key] = v;
  }
  if (endText !== undefined) line.chargeEndDate = date('chargeEndDate', endText);
  if (costText !== undefined) line.cost = num('cost', costText);
  if (status?.status) line.status = status.status;
  const typeBadge = badge('chargeType', 'chargeTypeBadge');
  if (typeBadge) line.chargeTypeBadge = typeBadge;
  const startBadge = badge('chargeStartDate', 'chargeStartDateBadge');
  if (startBadge) line.chargeStartDateBadge = startBadge;
  const endBadge = badge('chargeEndDate', 'chargeEndDateBadge');
  if (endBadge) line.chargeEndDateBadge = endBadge;
  return line;
}

/** The skipped-row record for a problem (used by every reader). */
export function skippedFrom(problem: RowProblem, row: number, file?: string): SkippedRow {
  const s: SkippedRow = { row, column: problem.column, value: problem.value, message: `${problem.column}: ${problem.message}` };
  if (file) s.file = file;
  return s;
}
