import { compactKey, nameKey } from '../shared/text';
import { perSpelling } from '../shared/memo';

/**
 * Word-bounded text for "does this invoice description name that subscription": padding with
 * spaces keeps `Visio (Oak #1)` from being found inside `Visio (Oak #10)`.
 */
export function wordKey(value: string): string {
  const words = value.toLowerCase().replace(/[^\p{L}\p{N}]+/gu, ' ').trim();
  return words === '' ? '' : ` ${words} `;
}

// A month names a few dozen products on 100,000 lines and Additions: each spelling is keyed once.
const productKeyOf = perSpelling(nameKey, 10_000);

/** Product identifiers compare case-insensitively with white space folded. */
export function productKey(value: string | null | undefined): string {
  return value ? productKeyOf(value) : '';
}

// Charge-type labels and Descriptions are a handful of spellings over 100,000 pairs.
/** `compactKey` of a label or Description, kept per spelling. */
export const labelKey = perSpelling(compactKey, 10_000);

/** DESIGN §3.3: Description equals the label, or Product Invoice Description contains it (§3.2 form). */
export function carriesLabel(description: string | null | undefined, invoiceDescription: string | null | undefined, label: string): boolean {
  const want = labelKey(label);
  if (want === '') return true;
  if (description && labelKey(description) === want) return true;
  return invoiceDescription ? compactKey(invoiceDescription).includes(want) : false;
}
