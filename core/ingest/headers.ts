/**
 * Header names of Platform invoice lines (DESIGN §4.1), matched case-, space- and
 * punctuation-insensitively: `Invoice #`, `invoice-number` and `INVOICE NO` all find their field.
 */
import { compactKey } from '../shared/text';

export type LineField =
  | 'lineId'
  | 'invoiceNumber'
  | 'invoiceDate'
  | 'organization'
  | 'organizationRef'
  | 'subscription'
  | 'offer'
  | 'contractId'
  | 'currency'
  | 'chargeType'
  | 'chargeTypeBadge'
  | 'chargeStartDate'
  | 'chargeStartDateBadge'
  | 'chargeEndDate'
  | 'chargeEndDateBadge'
  | 'quantity'
  | 'cost'
  | 'revenue'
  | 'psaOrganizationName'
  | 'psaProductName'
  | 'psaAgreementName'
  | 'status'
  | 'excluded';

/** Canonical header first, then its aliases; the canonical order is the CSV export's order. */
export const LINE_HEADERS: ReadonlyArray<readonly [LineField, readonly string[]]> = [
  ['lineId', ['Line ID', 'Invoice Line ID', 'Line Reference']],
  ['invoiceNumber', ['Invoice #', 'Invoice Number', 'Invoice No']],
  ['invoiceDate', ['Invoice Date']],
  ['organization', ['Organization', 'Organization Name', 'Customer']],
  ['organizationRef', ['Organization Reference #', 'Organization Reference', 'Org Ref']],
  ['subscription', ['Subscription', 'Subscription Name', 'Subscription ID']],
  ['offer', ['Offer', 'Offer Name']],
  ['contractId', ['Contract ID', 'Contract', 'Invoice Contract']],
  ['currency', ['Currency']],
  ['chargeType', ['Charge Type']],
  ['chargeTypeBadge', ['Charge Type Badge']],
  ['chargeStartDate', ['Charge Start Date']],
  ['chargeStartDateBadge', ['Charge Start Date Badge']],
  ['chargeEndDate', ['Charge End Date']],
  ['chargeEndDateBadge', ['Charge End Date Badge']],
  ['quantity', ['Quantity', 'Qty', 'Customer Quantity']],
  ['cost', ['Cost', 'Cost Total Price', 'Cost Total']],
  ['revenue', ['Revenue', 'Revenue Total Price', 'Revenue Total']],
  ['psaOrganizationName', ['PSA Organization Name', 'PSA Organization', 'PSA Company']],
  ['psaProductName', ['PSA Product Name', 'PSA Product']],
  ['psaAgreementName', ['PSA Agreement Name', 'PSA Agreement']],
  ['status', ['Status in PSA', 'PSA Status', 'Sync Status']],
  ['excluded', ['Excluded from Sync', 'Excluded']],
];

export const REQUIRED_LINE_FIELDS: readonly LineField[] = [
  'invoiceDate',
  'organization',
  'chargeType',
  'chargeStartDate',
  'quantity',
  'revenue',
];

export function canonicalHeader(field: LineField): string {
  return LINE_HEADERS.find(([f]) => f === field)?.[1][0] ?? field;
}

/** An alias table: header key → field. */
export interface HeaderTable<F extends string> {
  get(key: string): F | undefined;
}

/**
 * Built on first use, not at module load: the content script's loader carries the page outline,
 * which carries these tables, and a page nobody asks about should not pay for normalising every
 * alias (a Unicode-aware regex) each time it loads.
 */
export function headerTable<F extends string>(entries: ReadonlyArray<readonly [F, readonly string[]]>): HeaderTable<F> {
  let map: Map<string, F> | undefined;
  return {
    get(key) {
      if (!map) {
        map = new Map<string, F>();
        for (const [field, names] of entries) for (const name of names) map.set(compactKey(name), field);
      }
      return map.get(key);
    },
  };
}

export const LINE_HEADER_TABLE: HeaderTable<LineField> = headerTable(LINE_HEADERS);

/**
 * Maps header labels to fields: the first column with a field wins, so a stray duplicate column
 * never overrides the real one. Returns field → column index.
 */
export function mapHeaders<F extends string>(labels: readonly string[], table: HeaderTable<F>): Map<F, number> {
  const out = new Map<F, number>();
  labels.forEach((label, index) => {
    const field = table.get(compactKey(label));
    if (field !== undefined && !out.has(field)) out.set(field, index);
  });
  return out;
}

/** How a required field is named in messages: its canonical header. */
export function missingRequired(mapped: ReadonlyMap<LineField, number>): string[] {
  return REQUIRED_LINE_FIELDS.filter((f) => !mapped.has(f)).map((f) =>
    f === 'organization' ? 'Organization (or Organization Name / Customer)' : canonicalHeader(f),
  );
}
