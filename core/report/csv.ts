import type { Finding, Report } from '../model';

/** One row per finding, the JSON report's fields flattened; related ids joined with spaces. */
export const CSV_COLUMNS = [
  'kind',
  'severity',
  'lineId',
  'additionId',
  'agreementId',
  'companyId',
  'organization',
  'productIdentifier',
  'field',
  'expected',
  'actual',
  'relatedLineIds',
  'relatedAdditionIds',
  'relatedAgreementIds',
  'message',
  'fix',
] as const;

export function renderCsv(report: Report): string {
  const rows = [CSV_COLUMNS.join(',')];
  for (const finding of report.findings) rows.push(CSV_COLUMNS.map((c) => cell(value(finding, c))).join(','));
  return rows.join('\r\n') + '\r\n';
}

function value(f: Finding, column: (typeof CSV_COLUMNS)[number]): string {
  switch (column) {
    case 'relatedLineIds':
      return (f.related?.lineIds ?? []).join(' ');
    case 'relatedAdditionIds':
      return (f.related?.additionIds ?? []).join(' ');
    case 'relatedAgreementIds':
      return (f.related?.agreementIds ?? []).join(' ');
    default: {
      const v = f[column];
      return v === undefined || v === null ? '' : String(v);
    }
  }
}

/** RFC 4180 quoting; a leading formula character is neutralised for spreadsheet safety. */
function cell(text: string): string {
  const safe = /^[=+\-@\t\r]/.test(text) && !/^-?\d/.test(text) ? `'${text}` : text;
  return /[",\r\n]/.test(safe) ? `"${safe.replace(/"/g, '""')}"` : safe;
}
