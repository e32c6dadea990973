import { compactKey, nameKey } from '../shared/text';

/**
 * Word-bounded text for "does this invoice description name that subscription": padding with
 * spaces keeps `Visio (Oak #1)` from being found inside `Visio (Oak #10)`.
 */
export function wordKey(value: string): string {
  const words = value.toLowerCase().replace(/[^\p{L}\p{N}]+/gu, ' ').trim();
  return words === '' ? '' : ` ${words} `;
}

// A month names a few dozen products on 100,000 lines and Additions: each spelling is keyed once.
const PRODUCT_KEYS = new Map<string, string>();

/** Product identifiers compare case-insensitively with white space folded. */
export function productKey(value: string | null | undefined): string {
  if (!value) return '';
  let key = PRODUCT_KEYS.get(value);
  if (key === undefined) {
    // Bounded: a cache, not a record of every identifier ever seen.
    if (PRODUCT_KEYS.size > 10_000) PRODUCT_KEYS.clear();
    key = nameKey(value);
    PRODUCT_KEYS.set(value, key);
  }
  return key;
}

// Charge-type labels and Descriptions are a handful of spellings over 100,000 pairs.
const LABEL_KEYS = new Map<string, string>();

/** `compactKey` of a label or Description, kept per spelling. */
export function labelKey(value: string): string {
  let key = LABEL_KEYS.get(value);
  if (key === undefined) {
    // Bounded: a cache, not a record of every Description ever seen.
    if (LABEL_KEYS.size > 10_000) LABEL_KEYS.clear();
    key = compactKey(value);
    LABEL_KEYS.set(value, key);
  }
  return key;
}

/** DESIGN §3.3: Description equals the label, or Product Invoice Description contains it (§3.2 form). */
export function carriesLabel(description: string | null | undefined, invoiceDescription: string | null | undefined, label: string): boolean {
  const want = labelKey(label);
  if (want === '') return true;
  if (description && labelKey(description) === want) return true;
  return invoiceDescription ? compactKey(invoiceDescription).includes(want) : false;
}
