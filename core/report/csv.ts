import type { Finding, Report } from '../model';
import type { MoneyView } from '../money/view';
import type { ReportNames } from './names';
import { csvCell } from '../ingest/csv-write';

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
  return table(CSV_COLUMNS, report.findings.map((finding) => CSV_COLUMNS.map((c) => value(finding, c))));
}

export const MONEY_CSV_COLUMNS = [
  'month',
  'companyId',
  'company',
  'agreementId',
  'agreement',
  'currency',
  'platform',
  'connectwise',
  'difference',
  'explained',
  'residual',
  'explainedBy',
] as const;

/**
 * The money view (issue 8) as its own table: one row per invoice month, company, agreement and
 * currency. Kept apart from the findings CSV so each file stays one rectangular table that a
 * spreadsheet or a script can read without knowing about sections.
 */
export function renderMoneyCsv(report: Report): string {
  const money = (report as { money?: MoneyView }).money;
  const names = (report as { names?: Partial<ReportNames> }).names ?? {};
  const rows = (money?.rows ?? []).map((r) => [
    r.month,
    String(r.companyId),
    names.companies?.[r.companyId] ?? '',
    String(r.agreementId),
    names.agreements?.[r.agreementId] ?? '',
    r.currency,
    String(r.platform),
    String(r.connectwise),
    String(r.difference),
    String(r.explained),
    String(r.residual),
    r.findings.map((f) => `${f.kind}:${f.lineId ?? f.additionId ?? f.agreementId ?? f.organization ?? ''}=${f.amount}`).join(' '),
  ]);
  return table(MONEY_CSV_COLUMNS, rows);
}

function table(columns: readonly string[], rows: string[][]): string {
  const out = [columns.map(cell).join(',')];
  for (const row of rows) out.push(row.map(cell).join(','));
  return out.join('\r\n') + '\r\n';
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

/** The one CSV cell writer every export shares: formula neutralising and RFC 4180 quoting. */
const cell = csvCell;
