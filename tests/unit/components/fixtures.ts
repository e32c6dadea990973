import { FINDING_KINDS, REPORT_SCHEMA } from '../../../core/model';
import type { Finding, FindingKind, Report } from '../../../core/model';
import { SEVERITY } from '../../../core/reconcile/findings';
import type { RunNames, PanelRun } from '../../../components/api';

/**
 * Synthetic runs for panel tests and the panel benchmark: findings spread over companies and
 * agreements the way a real month spreads them. (The engine's own scenario generator gives real
 * reports once it lands; these only need the report shape.)
 */

const FIELD: Partial<Record<FindingKind, [string, string | number, string | number]>> = {
  effective_date_mismatch: ['effectiveDate', '2026-11-01', '2026-11-05'],
  cancelled_date_mismatch: ['cancelledDate', '2026-11-30', ''],
  quantity_mismatch: ['quantity', 12, 10],
  unit_price_mismatch: ['unitPrice', 9.5, 9.0],
  currency_mismatch: ['currency', 'EUR', 'SEK'],
};

/** The nineteen kinds these runs cycle through (the kinds added later keep the spread unchanged). */
const LATER: readonly FindingKind[] = ['company_not_found', 'agreement_ended', 'addition_not_billed', 'less_included', 'product_mismatch'];
const KINDS = FINDING_KINDS.filter((k) => !LATER.includes(k));

export function makeFinding(i: number, companies: number, agreementsPerCompany: number): Finding {
  let kind = KINDS[i % 19]!;
  // The engine says a month is incomplete once per organization; later ones become line findings.
  if (kind === 'month_incomplete' && i >= 19 * companies) kind = 'missing_addition';
  const company = i % companies;
  const agreement = 3000 + company * agreementsPerCompany + (i % agreementsPerCompany);
  const field = FIELD[kind];
  const base = {
    kind,
    severity: SEVERITY[kind],
    message: `Line L${String(i).padStart(5, '0')} of Company ${company}: ${kind.replace(/_/g, ' ')}.`,
    fix: 'Correct the Addition in ConnectWise; do not re-sync.',
  } satisfies Partial<Finding>;
  if (kind === 'month_incomplete') return { ...base, organization: `Company ${company}` };
  if (kind === 'orphan_addition' || kind === 'duplicate_addition') return { ...base, additionId: 50000 + i, agreementId: agreement, companyId: company };
  if (kind === 'agreement_not_active' || kind === 'agreement_not_billable') return { ...base, agreementId: agreement, companyId: company };
  if (kind.startsWith('unmapped') || kind === 'agreement_required' || kind === 'agreement_not_found' || kind === 'sync_failed') {
    return { ...base, lineId: `L${String(i).padStart(5, '0')}`, organization: `Company ${company}` };
  }
  return {
    ...base,
    lineId: `L${String(i).padStart(5, '0')}`,
    agreementId: agreement,
    companyId: company,
    ...(field ? { field: field[0], expected: field[1], actual: field[2] } : {}),
  };
}

export function makeRun(count: number, opts: { id?: string; createdAt?: string; companies?: number; skip?: number[] } = {}): PanelRun {
  const companies = opts.companies ?? Math.max(1, Math.min(200, Math.ceil(count / 50)));
  const perCompany = 3;
  const skip = new Set(opts.skip ?? []);
  const findings: Finding[] = [];
  for (let i = 0; i < count; i++) if (!skip.has(i)) findings.push(makeFinding(i, companies, perCompany));
  const names: RunNames = { companies: {}, agreements: {} };
  for (let c = 0; c < companies; c++) {
    names.companies![String(c)] = `Company ${c}`;
    for (let a = 0; a < perCompany; a++) {
      const id = 3000 + c * perCompany + a;
      names.agreements![String(id)] = { name: `Agreement ${id}`, companyId: c };
    }
  }
  const report: Report = {
    schema: REPORT_SCHEMA,
    generatedAt: opts.createdAt ?? '2026-12-01T08:00:00.000Z',
    window: { from: '2026-11-01', to: '2026-11-30' },
    coverage: {
      linesRead: count + 10,
      linesCompared: count,
      linesSkipped: { notSynced: 10 },
      additionsRead: count,
      additionsInScope: count,
      additionsMatched: Math.floor(count / 2),
      cwComplete: true,
      invoiceMonths: ['2026-11'],
      skippedRows: [],
      warnings: [],
    },
    findings,
  };
  return { id: opts.id ?? 'run-1', createdAt: opts.createdAt ?? '2026-12-01T08:00:00.000Z', report, names };
}
