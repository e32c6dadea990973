import type { CwAddition, CwAgreement, Finding, FindingKind, PlatformLine, Severity } from '../model';

/**
 * Finding builders: one sentence in both systems' words (Platform term → ConnectWise term) and a
 * fix that says where to act, following the setup guide's troubleshooting table (section 7) and
 * its rule that synced lines are corrected in ConnectWise, never re-synced (section 9).
 */

export const SEVERITY: Record<FindingKind, Severity> = {
  missing_addition: 'error',
  wrong_agreement: 'error',
  effective_date_mismatch: 'error',
  cancelled_date_mismatch: 'error',
  quantity_mismatch: 'error',
  unit_price_mismatch: 'error',
  description_mismatch: 'warn',
  currency_mismatch: 'error',
  unmapped_organization: 'warn',
  unmapped_product: 'warn',
  agreement_required: 'warn',
  agreement_not_found: 'error',
  company_not_found: 'error',
  sync_failed: 'warn',
  correction_spans_periods: 'warn',
  duplicate_addition: 'error',
  orphan_addition: 'info',
  agreement_not_active: 'error',
  agreement_not_billable: 'error',
  agreement_ended: 'error',
  addition_not_billed: 'error',
  less_included: 'warn',
  product_mismatch: 'error',
  month_incomplete: 'info',
  company_reference_mismatch: 'warn',
  agreement_reference_mismatch: 'warn',
  product_reference_mismatch: 'warn',
};

type Value = string | number | null;

const q = (s: string | null | undefined) => `"${s ?? ''}"`;
const show = (v: Value) => (v === null ? 'empty' : String(v));

function lineRef(line: PlatformLine): string {
  return `Invoice line ${line.lineId} (${line.organization}, ${line.psaProductName || line.offer || 'no product'}, ${line.chargeType}, Charge Start Date ${line.chargeStartDate})`;
}

function agreementRef(agreement: CwAgreement | undefined): string {
  return agreement ? `Agreement ${q(agreement.name)} (#${agreement.id}) of Company ${q(agreement.company.name)}` : 'no Agreement';
}

function base(kind: FindingKind, message: string, fix: string, extra: Partial<Finding>, severity: Severity = SEVERITY[kind]): Finding {
  return { kind, severity, ...extra, message, fix };
}

/** A check made for a line not synced yet predicts a problem; it is a warning (DESIGN §3.6). */
const predictedSeverity = (kind: FindingKind, predicted: boolean): Severity => (predicted ? 'warn' : SEVERITY[kind]);

function lineIds(line: PlatformLine, covered: string[] | undefined): Finding['related'] {
  const others = (covered ?? []).filter((id) => id !== line.lineId);
  return others.length ? { lineIds: others } : undefined;
}

export interface LineContext {
  line: PlatformLine;
  lineIds?: string[];
  agreement?: CwAgreement;
  companyId?: number;
}

function lineExtra(ctx: LineContext, addition?: CwAddition): Partial<Finding> {
  const extra: Partial<Finding> = { lineId: ctx.line.lineId, organization: ctx.line.organization };
  if (addition) extra.additionId = addition.id;
  if (ctx.agreement) extra.agreementId = ctx.agreement.id;
  const companyId = ctx.companyId ?? ctx.agreement?.company.id;
  if (companyId !== undefined) extra.companyId = companyId;
  if (ctx.line.psaProductName) extra.productIdentifier = ctx.line.psaProductName;
  const related = lineIds(ctx.line, ctx.lineIds);
  if (related) extra.related = related;
  return extra;
}

export function missingAddition(ctx: LineContext): Finding {
  const where = ctx.agreement
    ? `${agreementRef(ctx.agreement)} in ConnectWise holds no Addition for it`
    : `ConnectWise holds no Addition for it (no Agreement of the Company fits its PSA Agreement Name or the default Agreement Type)`;
  return base(
    'missing_addition',
    `${lineRef(ctx.line)} is Synced on the Platform but ${where}.`,
    `Check the Platform's System Logs (filter by Error) for this line, fix the cause (PSA Organization, PSA Product or Agreement mapping), then re-sync the line individually on Mapping → Invoices.`,
    lineExtra(ctx),
  );
}

export function wrongAgreement(ctx: LineContext, addition: CwAddition, actual: CwAgreement | undefined): Finding {
  const extra = lineExtra(ctx, addition);
  extra.agreementId = addition.agreementId;
  extra.companyId = actual?.company.id ?? extra.companyId;
  extra.field = 'agreement';
  extra.expected = ctx.agreement ? ctx.agreement.id : null;
  extra.actual = addition.agreementId;
  if (ctx.agreement) extra.related = { ...(extra.related ?? {}), agreementIds: [ctx.agreement.id] };
  return base(
    'wrong_agreement',
    `${lineRef(ctx.line)} expects ${agreementRef(ctx.agreement)} (PSA Agreement Name), but its Addition #${addition.id} sits on ${agreementRef(actual)}.`,
    `Synced lines cannot be moved from the Platform: in ConnectWise set a Cancelled Date on Addition #${addition.id} and add it to the right Agreement; do not re-sync. Correct PSA Agreement Name on the Platform for future lines.`,
    extra,
  );
}

const FIELD_TEXT: Record<string, { platform: string; cw: string; fix: string }> = {
  effectiveDate: {
    platform: 'Charge Start Date',
    cw: 'Effective Date',
    fix: 'A System Updated badge means a Charge Start Date rule moved the date. If the Platform value is right, correct the Effective Date on the Addition in ConnectWise; do not re-sync.',
  },
  cancelledDate: {
    platform: 'Charge End Date',
    cw: 'Cancelled Date',
    fix: 'Check the Charge End Date rules and badges on the Platform; then correct the Cancelled Date on the Addition in ConnectWise; do not re-sync.',
  },
  quantity: {
    platform: 'Quantity',
    cw: 'Quantity',
    fix: 'Correct the Quantity on the Addition in ConnectWise; do not re-sync (it would overwrite manual corrections).',
  },
  unitPrice: {
    platform: 'Revenue / Quantity',
    cw: 'Unit Price',
    fix: 'Correct the Unit Price on the Addition in ConnectWise; do not re-sync.',
  },
  description: {
    platform: 'Charge Type',
    cw: 'Description',
    fix: 'Check Settings → Configuration → Custom Charge Type Names on the Platform (a System Updated badge on Charge Type means a custom name is in effect), then correct the Description on the Addition in ConnectWise.',
  },
};

const FIELD_KIND: Record<string, FindingKind> = {
  effectiveDate: 'effective_date_mismatch',
  cancelledDate: 'cancelled_date_mismatch',
  quantity: 'quantity_mismatch',
  unitPrice: 'unit_price_mismatch',
  description: 'description_mismatch',
};

export function fieldMismatch(
  field: 'effectiveDate' | 'cancelledDate' | 'quantity' | 'unitPrice' | 'description',
  ctx: LineContext,
  addition: CwAddition,
  expected: Value,
  actual: Value,
  note = '',
  fix?: string,
): Finding {
  const text = FIELD_TEXT[field]!;
  const extra = lineExtra(ctx, addition);
  extra.field = field;
  extra.expected = expected;
  extra.actual = actual;
  const verb = field === 'description' ? 'does not carry' : 'differs from';
  const shown = (v: Value) => (field === 'description' && v !== null ? q(String(v)) : show(v));
  return base(
    FIELD_KIND[field]!,
    `${lineRef(ctx.line)}: Addition #${addition.id} ${text.cw} ${shown(actual)} ${verb} the Platform's ${text.platform} ${shown(expected)}${note}.`,
    fix ?? text.fix,
    extra,
  );
}

/**
 * The Cancelled Date fix depends on what is right: a date to set, an empty date (clear it so the
 * subscription keeps billing, guide §9), or, when the organization's last month is missing, the
 * Platform's own cancellation, in which case clearing would restart billing for a customer who
 * may have left.
 */
export function cancelledDateFix(expected: string | null, platformCancellation?: string): string {
  if (platformCancellation !== undefined) {
    return `The Organization has no invoice lines in the last loaded month: load that month on the Platform to see whether the subscription continues. If it ended, set the Cancelled Date on the Addition in ConnectWise to ${platformCancellation} (the Platform's automatic cancellation, guide §9); do not re-sync.`;
  }
  if (expected === null) {
    return 'The subscription still bills on the Platform: clear the Cancelled Date on the Addition in ConnectWise so it keeps billing (guide §9); do not re-sync.';
  }
  return `Check the Charge End Date rules and badges on the Platform; then set the Cancelled Date on the Addition in ConnectWise to ${expected}; do not re-sync.`;
}

export function currencyMismatch(ctx: LineContext, agreementCurrency: string, predicted = false): Finding {
  const extra = lineExtra(ctx);
  extra.field = 'currency';
  extra.expected = ctx.line.currency ?? null;
  extra.actual = agreementCurrency;
  return base(
    'currency_mismatch',
    `${lineRef(ctx.line)} is in ${ctx.line.currency} (Invoice Contract currency) but ${agreementRef(ctx.agreement)} bills in ${agreementCurrency} (Agreement Currency)${predicted ? '; once synced its Addition would be priced in the wrong currency' : ''}.`,
    predicted
      ? `Before syncing, set the Currency of the Agreement in ConnectWise (Recurring Invoicing Parameters) to ${ctx.line.currency}, or choose an Agreement in that currency as PSA Agreement Name on the Platform.`
      : `The line is Synced and ConnectWise does not convert currencies: set the Agreement's Currency in ConnectWise (Recurring Invoicing Parameters) to ${ctx.line.currency} and check the Addition's Unit Price, or move the Addition to an Agreement in that currency; do not re-sync.`,
    extra,
    predictedSeverity('currency_mismatch', predicted),
  );
}

export function unmappedOrganization(ctx: LineContext): Finding {
  return base(
    'unmapped_organization',
    `${lineRef(ctx.line)} is not synced: its Organization has no PSA Organization Name (ConnectWise Company).`,
    `On the Platform (Mapping → Invoices or Organizations), choose the ConnectWise Company for ${q(ctx.line.organization)}; the Company must be Active to appear in the dropdown.`,
    lineExtra(ctx),
  );
}

export function unmappedProduct(ctx: LineContext): Finding {
  return base(
    'unmapped_product',
    `${lineRef(ctx.line)} is not synced: Offer ${q(ctx.line.offer)} has no PSA Product Name (ConnectWise Product ID).`,
    `Create the Product in the ConnectWise Product Catalog if needed, then choose it as PSA Product Name for the Offer on the Platform.`,
    lineExtra(ctx),
  );
}

export function agreementRequired(ctx: LineContext, organizations: number): Finding {
  return base(
    'agreement_required',
    `${lineRef(ctx.line)} has no PSA Agreement Name while ${organizations} Platform Organizations map to ConnectWise Company ${q(ctx.line.psaOrganizationName)}.`,
    `Choose the ConnectWise Agreement in PSA Agreement Name on the Platform's Mapping → Invoices before syncing, so each Organization's lines land on its own Agreement.`,
    lineExtra(ctx),
  );
}

export function agreementNotFound(ctx: LineContext, predicted: boolean, addition?: CwAddition, holder?: CwAgreement): Finding {
  const extra = lineExtra(ctx, addition);
  extra.field = 'agreement';
  extra.expected = ctx.line.psaAgreementName ?? null;
  extra.actual = holder ? holder.name : null;
  if (holder) {
    extra.agreementId = holder.id;
    extra.companyId = holder.company.id;
  }
  const where = addition ? ` Its Addition #${addition.id} sits on ${agreementRef(holder)}.` : '';
  return base(
    'agreement_not_found',
    `${lineRef(ctx.line)} names PSA Agreement Name ${q(ctx.line.psaAgreementName)}, which is no Agreement of ConnectWise Company ${q(ctx.line.psaOrganizationName)}${predicted ? '' : ' (was it renamed in ConnectWise?)'}.${where}`,
    predicted
      ? `Create or rename the Agreement in ConnectWise (Finance → Agreements), or pick an existing one in PSA Agreement Name on the Platform, before syncing.`
      : `The line is Synced: check Finance → Agreements in ConnectWise for a renamed or deleted Agreement and give it back the name the Platform uses (or correct PSA Agreement Name for future lines); do not re-sync this line.`,
    extra,
    predictedSeverity('agreement_not_found', predicted),
  );
}

export function companyNotFound(ctx: LineContext, predicted: boolean, addition?: CwAddition, holder?: CwAgreement): Finding {
  const extra = lineExtra(ctx, addition);
  extra.field = 'company';
  extra.expected = ctx.line.psaOrganizationName ?? null;
  extra.actual = holder ? holder.company.name ?? null : null;
  if (holder) {
    extra.agreementId = holder.id;
    extra.companyId = holder.company.id;
  }
  const where = addition ? ` Its Addition #${addition.id} sits on ${agreementRef(holder)}.` : '';
  return base(
    'company_not_found',
    `${lineRef(ctx.line)} names PSA Organization Name ${q(ctx.line.psaOrganizationName)}, which is no Company in ConnectWise (by name or identifier).${where}`,
    predicted
      ? `Map Organization ${q(ctx.line.organization)} to an existing ConnectWise Company on the Platform (the Company must be Active to appear in the dropdown), or create the Company in ConnectWise, before syncing.`
      : `The line is Synced but its Company is gone or renamed: check Companies in ConnectWise (a renamed or deleted Company), restore its name or correct the PSA Organization mapping on the Platform for future lines; do not re-sync this line.`,
    extra,
    predictedSeverity('company_not_found', predicted),
  );
}

export function syncFailed(ctx: LineContext): Finding {
  return base(
    'sync_failed',
    `${lineRef(ctx.line)} has Status in PSA ${q(ctx.line.status)}: the Platform could not create its Addition in ConnectWise.`,
    ctx.line.status === 'Response Error'
      ? `A Response Error is usually a temporary communication problem: wait a few minutes, refresh, and check Dashboard → System Information before re-syncing the line.`
      : `Open the Platform's System Logs (filter by Error) for the cause, fix it (mapping, Agreement status, API permissions), then re-sync the line individually.`,
    lineExtra(ctx),
  );
}

export function correctionSpansPeriods(ctx: LineContext, effective: string, cancelled: string): Finding {
  const extra = lineExtra(ctx);
  // Both dates are the line's own (Charge Start and Charge End on the Platform): the finding is
  // about the line's period, not a value ConnectWise holds differently.
  extra.field = 'chargePeriod';
  extra.expected = `${effective} to ${cancelled}`;
  return base(
    'correction_spans_periods',
    `${lineRef(ctx.line)} is a one-time charge whose Effective Date ${effective} and Cancelled Date ${cancelled} (Charge Start and End Dates) fall in different months, so ConnectWise bills it in two periods or prorates it.`,
    `Check the Addition's billing in ConnectWise after Agreement Invoicing; if it must bill once, set its Cancelled Date within the start month in ConnectWise (or adjust the Charge End Date on the Platform before syncing).`,
    extra,
  );
}

export function duplicateAddition(addition: CwAddition, kept: CwAddition, ctx: LineContext, agreement: CwAgreement | undefined): Finding {
  return base(
    'duplicate_addition',
    `Addition #${addition.id} on ${agreementRef(agreement)} duplicates Addition #${kept.id}, which already holds ${lineRef(ctx.line)}.`,
    `The line is Synced: do not re-sync. Delete Addition #${addition.id} directly in ConnectWise (or set its Cancelled Date before its Effective Date if it was already invoiced).`,
    {
      additionId: addition.id,
      agreementId: addition.agreementId,
      companyId: agreement?.company.id,
      organization: ctx.line.organization,
      productIdentifier: addition.product.identifier,
      related: { lineIds: [ctx.line.lineId], additionIds: [kept.id] },
    },
  );
}

export function orphanAddition(addition: CwAddition, agreement: CwAgreement | undefined): Finding {
  return base(
    'orphan_addition',
    `Addition #${addition.id} (${addition.product.identifier}, Effective Date ${addition.effectiveDate?.slice(0, 10) ?? 'empty'}) on ${agreementRef(agreement)} matches no Platform invoice line loaded for these months.`,
    `If it was added by hand in ConnectWise this may be intended; otherwise cancel or delete it in ConnectWise. Load the matching months on the Platform if it belongs to another period.`,
    {
      additionId: addition.id,
      agreementId: addition.agreementId,
      companyId: agreement?.company.id,
      productIdentifier: addition.product.identifier,
    },
  );
}

export function agreementNotActive(agreement: CwAgreement, lineIds: string[], predicted = false): Finding {
  return base(
    'agreement_not_active',
    `${agreementRef(agreement)} has status ${q(agreement.agreementStatus)}, but Platform invoice lines are mapped to it (PSA Agreement Name); a cancelled Agreement cannot receive or invoice Additions.`,
    `Reactivate the Agreement in ConnectWise (Status Active), or map the lines to an active Agreement on the Platform.`,
    { agreementId: agreement.id, companyId: agreement.company.id, field: 'agreementStatus', expected: 'Active', actual: agreement.agreementStatus ?? null, related: { lineIds } },
    predictedSeverity('agreement_not_active', predicted),
  );
}

export function agreementNotBillable(agreement: CwAgreement, lineIds: string[], predicted = false): Finding {
  return base(
    'agreement_not_billable',
    `${agreementRef(agreement)} has Bill Products ${q(agreement.billProducts)}, so the Additions synced from Platform invoice lines will not appear on invoices.`,
    `In ConnectWise set Bill Products to Billable in the Agreement's Finance Information Defaults (and on its Agreement Type for new Agreements).`,
    { agreementId: agreement.id, companyId: agreement.company.id, field: 'billProducts', expected: 'Billable', actual: agreement.billProducts ?? null, related: { lineIds } },
    predictedSeverity('agreement_not_billable', predicted),
  );
}

export function agreementEnded(agreement: CwAgreement, lineIds: string[], firstStart: string, predicted = false): Finding {
  const end = agreement.endDate?.slice(0, 10) ?? null;
  return base(
    'agreement_ended',
    `${agreementRef(agreement)} ends on ${end ?? 'empty'} (End Date), but Platform invoice lines mapped to it (PSA Agreement Name) start on ${firstStart} (Charge Start Date): ConnectWise does not invoice Additions after the Agreement has ended.`,
    `In ConnectWise extend the Agreement's End Date or set No End Date (Finance → Agreements), or map the lines to a current Agreement on the Platform${predicted ? ' before syncing' : '; do not re-sync synced lines'}.`,
    { agreementId: agreement.id, companyId: agreement.company.id, field: 'endDate', expected: firstStart, actual: end, related: { lineIds } },
    predictedSeverity('agreement_ended', predicted),
  );
}

export function additionNotBilled(ctx: LineContext, addition: CwAddition): Finding {
  const extra = lineExtra(ctx, addition);
  extra.field = 'billCustomer';
  extra.expected = 'Billable';
  extra.actual = addition.billCustomer ?? null;
  return base(
    'addition_not_billed',
    `${lineRef(ctx.line)} has Revenue ${ctx.line.revenue} on the Platform, but its Addition #${addition.id} has Bill Customer ${q(addition.billCustomer)}, so ConnectWise invoices none of it.`,
    `If the customer must pay, set Bill Customer to Billable on Addition #${addition.id} in ConnectWise (Finance → Agreements → Additions tab); do not re-sync.`,
    extra,
  );
}

export function lessIncluded(ctx: LineContext, addition: CwAddition): Finding {
  const extra = lineExtra(ctx, addition);
  const less = addition.lessIncluded ?? 0;
  extra.field = 'lessIncluded';
  extra.expected = 0;
  extra.actual = less;
  return base(
    'less_included',
    `${lineRef(ctx.line)}: Addition #${addition.id} has Less Included ${less}, so ConnectWise bills ${roundQty(addition.quantity - less)} of the Platform's Quantity ${ctx.line.quantity} (Quantity to Bill = Total Quantity − Less Included).`,
    `If the units are not included in the Agreement, set Less Included to 0 on Addition #${addition.id} in ConnectWise; do not re-sync.`,
    extra,
  );
}

export function productMismatch(ctx: LineContext, addition: CwAddition, field: string): Finding {
  const extra = lineExtra(ctx, addition);
  extra.field = 'product';
  extra.expected = ctx.line.psaProductName ?? null;
  extra.actual = addition.product.identifier;
  return base(
    'product_mismatch',
    `${lineRef(ctx.line)}: Addition #${addition.id} carries this line in its ${q(field)} custom field, but its Product ID ${q(addition.product.identifier)} is not the Platform's PSA Product Name ${q(ctx.line.psaProductName)}.`,
    `Correct the Product on Addition #${addition.id} in ConnectWise (or cancel it and add the right Product); check the Offer's PSA Product Name on the Platform for future lines; do not re-sync.`,
    extra,
  );
}

function roundQty(value: number): number {
  return Math.round(value * 1e6) / 1e6;
}

export function monthIncomplete(organization: string, lastMonth: string, companyId?: number): Finding {
  return base(
    'month_incomplete',
    `Organization ${q(organization)} has synced invoice lines before ${lastMonth} but none in ${lastMonth}; its subscriptions are not judged ended (no Cancelled Date expected).`,
    `Load ${lastMonth}'s invoice lines for this Organization on the Platform (Mapping → Invoices) if they exist, then reconcile again.`,
    { organization, companyId, field: 'invoiceMonth', expected: lastMonth, actual: null },
  );
}
