/**
 * Comparison keys. Charge types compare case-, space- and hyphen-insensitively (DESIGN §3.2);
 * CSV and grid headers also ignore punctuation (§4.1). Both reduce to lower-case alphanumerics,
 * which is the stricter of the two and keeps `Cycle Fee`, `cycle-fee` and `CycleFee` equal.
 */
export function compactKey(value: string): string {
  return value.toLowerCase().replace(/[^\p{L}\p{N}]+/gu, '');
}

/** Names (companies, agreements) compare case-insensitively with runs of white space folded. */
export function nameKey(value: string): string {
  return value.trim().replace(/\s+/g, ' ').toLowerCase();
}

export function isBlank(value: string | null | undefined): value is '' | null | undefined {
  return value === undefined || value === null || value.trim() === '';
}
