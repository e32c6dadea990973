import type { FindingKind, Severity } from '../../core/model';

/**
 * The two systems' words for the fields findings talk about (DESIGN §3.1), so a value is always
 * shown under the name each user knows it by.
 */
export interface FieldWords {
  platform: string;
  connectwise: string;
}

const FIELD_WORDS: Record<string, FieldWords> = {
  effectivedate: { platform: 'Charge Start Date', connectwise: 'Effective Date' },
  chargestartdate: { platform: 'Charge Start Date', connectwise: 'Effective Date' },
  cancelleddate: { platform: 'Charge End Date', connectwise: 'Cancelled Date' },
  chargeenddate: { platform: 'Charge End Date', connectwise: 'Cancelled Date' },
  quantity: { platform: 'Quantity', connectwise: 'Quantity' },
  unitprice: { platform: 'Revenue / Quantity', connectwise: 'Unit Price' },
  revenue: { platform: 'Revenue', connectwise: 'Unit Price' },
  description: { platform: 'Charge Type', connectwise: 'Description' },
  chargetype: { platform: 'Charge Type', connectwise: 'Description' },
  currency: { platform: 'Currency (Invoice Contract)', connectwise: 'Agreement Currency' },
  agreement: { platform: 'PSA Agreement Name', connectwise: 'Agreement' },
  agreementid: { platform: 'PSA Agreement Name', connectwise: 'Agreement' },
  agreementname: { platform: 'PSA Agreement Name', connectwise: 'Agreement Name' },
  company: { platform: 'PSA Organization Name', connectwise: 'Company' },
  organization: { platform: 'PSA Organization Name', connectwise: 'Company' },
  product: { platform: 'PSA Product Name', connectwise: 'Product ID' },
  productidentifier: { platform: 'PSA Product Name', connectwise: 'Product ID' },
  companyref: { platform: 'Organization Reference #', connectwise: 'Company custom field' },
  organizationref: { platform: 'Organization Reference #', connectwise: 'Company custom field' },
  agreementref: { platform: 'Contract ID', connectwise: 'Agreement custom field' },
  contractid: { platform: 'Contract ID', connectwise: 'Agreement custom field' },
  productref: { platform: 'Offer', connectwise: 'Integration Cross Reference' },
  integrationxref: { platform: 'Offer', connectwise: 'Integration Cross Reference' },
  agreementstatus: { platform: 'Contract', connectwise: 'Agreement Status' },
  billproducts: { platform: 'Contract', connectwise: 'Bill Products' },
  billcustomer: { platform: 'Revenue', connectwise: 'Bill Customer' },
  lessincluded: { platform: 'Quantity', connectwise: 'Less Included' },
  enddate: { platform: 'Charge Start Date', connectwise: 'Agreement End Date' },
};

/** Words for a finding's field; unknown fields show their own name on both sides. */
export function fieldWords(field: string | undefined): FieldWords | null {
  if (!field) return null;
  const key = field.toLowerCase().replace(/[^a-z]/g, '');
  return FIELD_WORDS[key] ?? { platform: field, connectwise: field };
}

const KIND_LABELS: Record<FindingKind, string> = {
  missing_addition: 'Missing Addition',
  wrong_agreement: 'On the wrong Agreement',
  effective_date_mismatch: 'Effective Date differs',
  cancelled_date_mismatch: 'Cancelled Date differs',
  quantity_mismatch: 'Quantity differs',
  unit_price_mismatch: 'Unit Price differs',
  description_mismatch: 'Description lacks the charge type',
  currency_mismatch: 'Currency differs',
  unmapped_organization: 'Organization not mapped',
  unmapped_product: 'Offer not mapped',
  agreement_required: 'Agreement name required',
  agreement_not_found: 'Agreement not found',
  company_not_found: 'Company not found',
  sync_failed: 'Sync failed',
  correction_spans_periods: 'Correction spans two periods',
  duplicate_addition: 'Duplicate Addition',
  orphan_addition: 'Addition not on the Platform',
  agreement_not_active: 'Agreement not active',
  agreement_not_billable: 'Agreement not billable',
  agreement_ended: 'Agreement ended',
  addition_not_billed: 'Addition set not to bill',
  less_included: 'Less Included lowers the billed quantity',
  product_mismatch: 'Product differs',
  month_incomplete: 'Month incomplete',
  company_reference_mismatch: 'Company reference differs',
  agreement_reference_mismatch: 'Agreement reference differs',
  product_reference_mismatch: 'Product reference differs',
};

export function kindLabel(kind: FindingKind): string {
  return KIND_LABELS[kind] ?? kind;
}

export const SEVERITY_LABELS: Record<Severity, string> = { error: 'Error', warn: 'Warning', info: 'Info' };

export { SEVERITY_ORDER } from '../../core/app/finding-order';

/** Renders a finding's expected/actual value for people: empty values are named, not blank. */
export function formatValue(v: string | number | boolean | null | undefined): string {
  if (v === undefined || v === null || v === '') return '(empty)';
  if (typeof v === 'boolean') return v ? 'Yes' : 'No';
  return String(v);
}

/** Totals per currency, side by side (never added across currencies); zero totals are left out. */
export function formatStakes(stakes: Record<string, number>, money: (amount: number, currency: string) => string): string {
  return Object.entries(stakes)
    .filter(([, amount]) => amount !== 0)
    .map(([currency, amount]) => money(amount, currency))
    .join(' + ');
}
