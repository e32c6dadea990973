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

export function formatLinesCsv(lines: readonly PlatformLine[]): string {
  const fields = LINE_HEADERS.map(([f]) => f);
  const header = LINE_HEADERS.map(([, names]) => names[0] ?? '');
  const rows = lines.map((l) => fields.map((f) => value(l, f)));
  return Papa.unparse([header, ...rows], { newline: '\n' }) + '\n';
}
