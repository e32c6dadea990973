import { z } from 'zod';
import { SkippedRow } from './platform';

/** DESIGN §3.6: the taxonomy every reconciliation reports. */
export const CORE_FINDING_KINDS = [
  'missing_addition',
  'wrong_agreement',
  'effective_date_mismatch',
  'cancelled_date_mismatch',
  'quantity_mismatch',
  'unit_price_mismatch',
  'description_mismatch',
  'currency_mismatch',
  'unmapped_organization',
  'unmapped_product',
  'agreement_required',
  'agreement_not_found',
  'company_not_found',
  'sync_failed',
  'correction_spans_periods',
  'duplicate_addition',
  'orphan_addition',
  'agreement_not_active',
  'agreement_not_billable',
  'agreement_ended',
  'addition_not_billed',
  'less_included',
  'product_mismatch',
  'month_incomplete',
] as const;

/** DESIGN §3.7: raised only when the cross-reference fields are configured. */
export const REFERENCE_FINDING_KINDS = [
  'company_reference_mismatch',
  'agreement_reference_mismatch',
  'product_reference_mismatch',
] as const;

export const FINDING_KINDS = [...CORE_FINDING_KINDS, ...REFERENCE_FINDING_KINDS] as const;
export const FindingKind = z.enum(FINDING_KINDS);
export type FindingKind = z.infer<typeof FindingKind>;

export const Severity = z.enum(['error', 'warn', 'info']);
export type Severity = z.infer<typeof Severity>;

const Value = z.union([z.string(), z.number(), z.boolean(), z.null()]);

/** DESIGN §3.6 / §4.4. Ids are the inputs' own: line ids strings, ConnectWise ids numbers. */
export const Finding = z.object({
  kind: FindingKind,
  severity: Severity,
  lineId: z.string().optional(),
  additionId: z.number().int().optional(),
  agreementId: z.number().int().optional(),
  companyId: z.number().int().optional(),
  organization: z.string().optional(),
  productIdentifier: z.string().optional(),
  /** Other ids the finding involves (e.g. the matched line of a duplicate). */
  related: z
    .object({
      lineIds: z.array(z.string()).optional(),
      additionIds: z.array(z.number().int()).optional(),
      agreementIds: z.array(z.number().int()).optional(),
    })
    .optional(),
  field: z.string().optional(),
  expected: Value.optional(),
  actual: Value.optional(),
  message: z.string(),
  fix: z.string(),
  /** The amount the finding puts at stake (a magnitude, 0 for none), in `currency` (core/money/stake.ts). */
  atStake: z.number().optional(),
  currency: z.string().optional(),
});
export type Finding = z.infer<typeof Finding>;

/** DESIGN §3.5 read state of an agreement that was not read whole. */
export const ReadGapState = z.enum(['partial', 'unread']);
export type ReadGapState = z.infer<typeof ReadGapState>;

/**
 * An agreement not read whole. `agreementId` is absent when the data given does not know the
 * agreement at all; then `agreement` and `company` are the names the Platform lines use.
 */
export const AgreementNotRead = z.object({
  agreementId: z.number().int().optional(),
  agreement: z.string().optional(),
  companyId: z.number().int().optional(),
  company: z.string().optional(),
  state: ReadGapState,
  /** Compared lines left unverified because of it. */
  lines: z.number().int(),
  /** What to do so the next run can judge them. */
  fix: z.string(),
});
export type AgreementNotRead = z.infer<typeof AgreementNotRead>;

export const UnverifiedLine = z.object({
  lineId: z.string(),
  /** Every line the expectation covers (a subscription's earlier lines too). */
  lineIds: z.array(z.string()).optional(),
  organization: z.string().optional(),
  /** The agreement that was not read (absent when the data does not know it; see `agreement`). */
  agreementId: z.number().int().optional(),
  agreement: z.string().optional(),
  companyId: z.number().int().optional(),
  company: z.string().optional(),
  state: ReadGapState,
  message: z.string(),
});
export type UnverifiedLine = z.infer<typeof UnverifiedLine>;

export const Coverage = z.object({
  linesRead: z.number().int(),
  linesCompared: z.number().int(),
  /** reason → count: notSynced, excluded, syncFailed, coveredBySubscription, invalid, … */
  linesSkipped: z.record(z.string(), z.number().int()),
  additionsRead: z.number().int(),
  additionsInScope: z.number().int(),
  additionsMatched: z.number().int(),
  /**
   * false when an agreement was read only in part, or a compared line could not be verified
   * because an agreement that could hold its Addition was not read (DESIGN §3.5).
   */
  cwComplete: z.boolean(),
  invoiceMonths: z.array(z.string()),
  skippedRows: z.array(SkippedRow).default([]),
  warnings: z.array(z.string()).default([]),
  /** Agreements read only in part, and those compared lines need that were not read at all. */
  agreementsNotRead: z.array(AgreementNotRead).optional(),
  /** Compared lines neither matched nor reported missing: an agreement that could hold them was not read. */
  unverified: z.array(UnverifiedLine).optional(),
});
export type Coverage = z.infer<typeof Coverage>;

/**
 * Whether a run may be called clean when it has no findings: lines were compared, ConnectWise
 * was read completely, no compared line is unverified and no row was skipped as unreadable.
 * Every rendering asks this one question, so none calls partial input clean.
 */
export function coverageComplete(c: Coverage): boolean {
  return (
    c.linesCompared > 0 &&
    c.cwComplete &&
    (c.skippedRows?.length ?? 0) === 0 &&
    (c.linesSkipped.invalid ?? 0) === 0 &&
    (c.unverified?.length ?? 0) === 0 &&
    (c.agreementsNotRead?.length ?? 0) === 0
  );
}

/** A line (or subscription, named by its latest line) paired with the Addition that holds it. */
export const Match = z.object({
  lineId: z.string(),
  additionId: z.number().int(),
  agreementId: z.number().int(),
  /** Every line the matched expectation covers (a subscription's earlier lines too). */
  lineIds: z.array(z.string()).optional(),
});
export type Match = z.infer<typeof Match>;

/** Display names of the companies and agreements a report's findings and money rows mention. */
export const ReportNames = z.object({
  companies: z.record(z.string(), z.string()).default({}),
  agreements: z.record(z.string(), z.string()).default({}),
});
export type ReportNames = z.infer<typeof ReportNames>;

/** What one finding explains of a money difference (core/money/view.ts). */
export const MoneyContribution = z.object({
  kind: FindingKind,
  lineId: z.string().optional(),
  additionId: z.number().int().optional(),
  agreementId: z.number().int().optional(),
  organization: z.string().optional(),
  amount: z.number(),
});
export type MoneyContribution = z.infer<typeof MoneyContribution>;

/** One invoice month of one agreement: the Platform's revenue against what ConnectWise will bill. */
export const MoneyRow = z.object({
  month: z.string(),
  companyId: z.number().int(),
  agreementId: z.number().int(),
  currency: z.string(),
  platform: z.number(),
  connectwise: z.number(),
  difference: z.number(),
  explained: z.number(),
  residual: z.number(),
  findings: z.array(MoneyContribution),
  /**
   * The part of the residual on lines that could not be verified because an agreement that could
   * hold their Addition was not read (DESIGN §3.5); absent when there is none.
   */
  unverified: z.number().optional(),
  /** Those lines, so the view can say which to read again. */
  unverifiedLineIds: z.array(z.string()).optional(),
});
export type MoneyRow = z.infer<typeof MoneyRow>;

export const MoneyTotal = z.object({
  platform: z.number(),
  connectwise: z.number(),
  difference: z.number(),
  explained: z.number(),
  residual: z.number(),
  /** Of the residual, what lies on unverified lines (absent when none). */
  unverified: z.number().optional(),
});
export type MoneyTotal = z.infer<typeof MoneyTotal>;

export const MoneyView = z.object({
  rows: z.array(MoneyRow),
  /** Per currency code, never across currencies. */
  totals: z.record(z.string(), MoneyTotal),
  notes: z.array(z.string()),
});
export type MoneyView = z.infer<typeof MoneyView>;

export const REPORT_SCHEMA = 'cw-reconciler/report@1' as const;

/**
 * Everything a report carries is declared here, so readers take it as it is. Unknown keys are
 * kept (a report written by a newer version still loads) but nothing reads them.
 */
export const Report = z.looseObject({
  schema: z.literal(REPORT_SCHEMA),
  generatedAt: z.string(),
  window: z.object({ from: z.string().nullable(), to: z.string().nullable() }),
  coverage: Coverage,
  findings: z.array(Finding),
  matches: z.array(Match).optional(),
  /** Absent in reports made without ConnectWise names (ids then stand alone). */
  names: ReportNames.optional(),
  /** Absent in reports written before the money view existed. */
  money: MoneyView.optional(),
});
export type Report = z.infer<typeof Report>;
