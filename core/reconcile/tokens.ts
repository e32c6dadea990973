import { compactKey, nameKey } from '../shared/text';

/**
 * Word-bounded text for "does this invoice description name that subscription": padding with
 * spaces keeps `Visio (Oak #1)` from being found inside `Visio (Oak #10)`.
 */
export function wordKey(value: string): string {
  const words = value.toLowerCase().replace(/[^\p{L}\p{N}]+/gu, ' ').trim();
  return words === '' ? '' : ` ${words} `;
}

/** Product identifiers compare case-insensitively with white space folded. */
export function productKey(value: string | null | undefined): string {
  return value ? nameKey(value) : '';
}

/** DESIGN §3.3: Description equals the label, or Product Invoice Description contains it (§3.2 form). */
export function carriesLabel(description: string | null | undefined, invoiceDescription: string | null | undefined, label: string): boolean {
  const want = compactKey(label);
  if (want === '') return true;
  if (description && compactKey(description) === want) return true;
  return invoiceDescription ? compactKey(invoiceDescription).includes(want) : false;
}
