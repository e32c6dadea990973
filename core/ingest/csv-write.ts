/**
 * Writes lines as the Platform's CSV export (canonical headers, ISO dates, `.` decimals), so a
 * capture can be saved and read back by parseLinesCsv unchanged.
 */
import Papa from 'papaparse';
import type { PlatformLine } from '../model';
import { LINE_HEADERS, type LineField } from './headers';

function value(line: PlatformLine, field: LineField): string {
  switch (field) {
    case 'excluded':
      return line.excluded ? 'Yes' : 'No';
    case 'quantity':
    case 'cost':
    case 'revenue': {
      const n = line[field];
      return n === undefined ? '' : String(n);
    }
    default: {
      const v = line[field];
      return v === undefined ? '' : String(v);
    }
  }
}

/** A number as a spreadsheet reads one: optional sign, digits, decimals, exponent. */
const PLAIN_NUMBER = /^[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?$/;

/**
 * Every CSV this project writes passes each cell through here. A cell a spreadsheet would take
 * for a formula (leading `=`, `+`, `-`, `@`, tab or carriage return) gets a leading apostrophe,
 * unless it is a plain number: `-12.5` stays a number, `-1+cmd|' /C calc'!A0` becomes text.
 */
export function neutraliseCsvCell(text: string): string {
  return /^[=+\-@\t\r]/.test(text) && !PLAIN_NUMBER.test(text) ? `'${text}` : text;
}

/** One cell, neutralised and quoted as RFC 4180 asks (quotes, commas, semicolons, line breaks). */
export function csvCell(value: unknown): string {
  if (value === undefined || value === null) return '';
  const safe = neutraliseCsvCell(String(value));
  return /[",;\r\n]/.test(safe) ? `"${safe.replace(/"/g, '""')}"` : safe;
}

/**
 * The lines as the Platform's CSV export. A blank *Status in PSA* cell reads back as Not Synced,
 * so a line without a status (its source had no such column) is never written as one: when no
 * line has a status the column is left out, and in a mix such a line is written as Synced, which
 * is how a line without the column counts.
 */
export function formatLinesCsv(lines: readonly PlatformLine[]): string {
  const withStatus = lines.length === 0 || lines.some((l) => l.status !== undefined);
  const columns = withStatus ? LINE_HEADERS : LINE_HEADERS.filter(([f]) => f !== 'status');
  const fields = columns.map(([f]) => f);
  const header = columns.map(([, names]) => names[0] ?? '');
  const rows = lines.map((l) => fields.map((f) => neutraliseCsvCell(f === 'status' ? (l.status ?? 'Synced') : value(l, f))));
  return Papa.unparse([header, ...rows], { newline: '\n' }) + '\n';
}
