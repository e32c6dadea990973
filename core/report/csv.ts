import type { Finding, Report } from '../model';
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
  'atStake',
  'currency',
  'message',
  'fix',
] as const;

export function renderCsv(report: Report): string {
  const rows = report.findings.map((finding) => CSV_COLUMNS.map((c) => value(finding, c)));
  for (const row of readStateRows(report)) rows.push(CSV_COLUMNS.map((c) => row[c] ?? ''));
  return table(CSV_COLUMNS, rows);
}

/**
 * DESIGN §3.5 in the findings table: after the findings, one `agreement_not_read` row per
 * agreement not read whole and one `unverified` row per line it left unjudged (severity info:
 * they are not findings, but a spreadsheet of the run must not read as complete without them).
 */
function readStateRows(report: Report): Partial<Record<(typeof CSV_COLUMNS)[number], string>>[] {
  const c = report.coverage;
  const rows: Partial<Record<(typeof CSV_COLUMNS)[number], string>>[] = [];
  const id = (n: number | undefined) => (n === undefined ? '' : String(n));
  for (const g of c.agreementsNotRead ?? []) {
    const name = g.agreementId !== undefined ? `Agreement "${g.agreement ?? ''}" (#${g.agreementId})` : `${g.agreement ? `Agreement "${g.agreement}"` : 'The Agreements'} of Company "${g.company ?? ''}"`;
    rows.push({
      kind: 'agreement_not_read',
      severity: 'info',
      agreementId: id(g.agreementId),
      companyId: id(g.companyId),
      field: 'readState',
      actual: g.state,
      message: `${name} was ${g.state === 'partial' ? 'read only in part' : 'not read'}; ${g.lines} line(s) left unverified.`,
      fix: g.fix,
    });
  }
  for (const u of c.unverified ?? []) {
    rows.push({
      kind: 'unverified',
      severity: 'info',
      lineId: u.lineId,
      agreementId: id(u.agreementId),
      companyId: id(u.companyId),
      organization: u.organization ?? '',
      field: 'readState',
      actual: u.state,
      relatedLineIds: (u.lineIds ?? []).filter((l) => l !== u.lineId).join(' '),
      message: u.message,
      fix: 'Read the agreement named in the message again (its Additions tab, or a new pull); do not re-sync the line.',
    });
  }
  return rows;
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
 * The money view as its own table: one row per invoice month, company, agreement and
 * currency. Kept apart from the findings CSV so each file stays one rectangular table that a
 * spreadsheet or a script can read without knowing about sections.
 */
export function renderMoneyCsv(report: Report): string {
  const money = report.money;
  const names = report.names;
  const rows = (money?.rows ?? []).map((r) => [
    r.month,
    String(r.companyId),
    names?.companies[r.companyId] ?? '',
    String(r.agreementId),
    names?.agreements[r.agreementId] ?? '',
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
