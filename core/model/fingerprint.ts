import type { Finding, FindingKind } from './report';
import { nameKey } from '../shared/text';

/**
 * What makes a finding "the same problem" from one run to the next: its kind and the ids of the
 * thing it is about (DESIGN §3.6, key column). Never the message, severity, fix or the
 * expected/actual values: those change as the data is corrected, and a note or an "ignored" mark
 * must survive that.
 */
type IdField = 'lineId' | 'additionId' | 'agreementId' | 'organization' | 'productIdentifier';

const KEYS: Record<FindingKind, readonly IdField[]> = {
  missing_addition: ['lineId'],
  wrong_agreement: ['lineId', 'additionId'],
  effective_date_mismatch: ['lineId'],
  cancelled_date_mismatch: ['lineId'],
  quantity_mismatch: ['lineId'],
  unit_price_mismatch: ['lineId'],
  description_mismatch: ['lineId'],
  currency_mismatch: ['lineId'],
  unmapped_organization: ['lineId'],
  unmapped_product: ['lineId'],
  agreement_required: ['lineId'],
  agreement_not_found: ['lineId'],
  company_not_found: ['lineId'],
  sync_failed: ['lineId'],
  correction_spans_periods: ['lineId'],
  duplicate_addition: ['additionId'],
  orphan_addition: ['additionId'],
  agreement_not_active: ['agreementId'],
  agreement_not_billable: ['agreementId'],
  agreement_ended: ['agreementId'],
  addition_not_billed: ['lineId'],
  less_included: ['lineId'],
  product_mismatch: ['lineId'],
  agreement_reference_mismatch: ['agreementId'],
  month_incomplete: ['organization'],
  company_reference_mismatch: ['organization'],
  product_reference_mismatch: ['productIdentifier'],
};

const FALLBACK: readonly IdField[] = ['lineId', 'additionId', 'agreementId', 'organization', 'productIdentifier'];

/** A line id the reader made up from the row number (`row-N`): it names a position, not a line. */
const POSITIONAL_LINE_ID = /^row-\d+$/;

function part(field: IdField, value: string | number): string {
  const text = field === 'organization' || field === 'productIdentifier' ? nameKey(String(value)) : String(value);
  return `${field}=${encodeURIComponent(text)}`;
}

/**
 * A stable key for a finding, e.g. `quantity_mismatch|lineId=L00012`. Organization and product
 * names compare case- and space-insensitively. When a line has no Line ID of its own (`row-N`),
 * its organization and product are added so a note cannot jump to another line after rows move.
 */
export function findingFingerprint(finding: Finding): string {
  const fields = [...KEYS[finding.kind]];
  if (finding.lineId !== undefined && POSITIONAL_LINE_ID.test(finding.lineId)) {
    for (const extra of ['organization', 'productIdentifier'] as const) if (!fields.includes(extra)) fields.push(extra);
  }
  const parts: string[] = [finding.kind];
  for (const field of fields) {
    const value = finding[field];
    if (value !== undefined && value !== '') parts.push(part(field, value));
  }
  if (parts.length === 1) {
    // The finding lacks its key field; any id it does carry beats lumping all of its kind together.
    for (const field of FALLBACK) {
      const value = finding[field];
      if (value !== undefined && value !== '') parts.push(part(field, value));
    }
  }
  return parts.join('|');
}
