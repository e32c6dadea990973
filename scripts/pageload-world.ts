/**
 * The generated world both page-load benchmarks (Chromium's and Firefox's) load their sandbox
 * pages from, so the two browsers are measured on the very same pages.
 */
import type { CwAddition, CwBundle, PlatformLine } from '../core/model';
import { generateLarge } from '../tests/generator/index';

export const MONTH = '2026-11';

/**
 * One generated world, reshaped so one month holds at least the largest size of lines and one
 * agreement per size holds exactly that many Additions (the generator spreads both thinly).
 */
export function world(sizes: number[]): { lines: PlatformLine[]; bundle: CwBundle; agreements: Map<number, number> } {
  const largest = Math.max(...sizes);
  const total = sizes.reduce((a, b) => a + b, 0);
  const s = generateLarge(Math.ceil(Math.max(total, largest * 1.6) / 10) * 10, 19);
  const ofMonth = s.lines.filter((l) => l.invoiceDate.startsWith(MONTH));
  if (ofMonth.length < largest) throw new Error(`the generated world has ${ofMonth.length} lines in ${MONTH}, fewer than ${largest}`);
  const agreements = new Map<number, number>();
  const additions: CwAddition[] = [...s.bundle.additions];
  if (additions.length < total) throw new Error(`the generated world has ${additions.length} Additions, fewer than ${total}`);
  let at = 0;
  sizes.forEach((size, k) => {
    const agreement = s.bundle.agreements[k]!;
    agreements.set(size, agreement.id);
    for (let i = at; i < at + size; i++) additions[i] = { ...additions[i]!, agreementId: agreement.id };
    at += size;
  });
  // Every other agreement keeps none of the reassigned ones; the rest of its Additions stay.
  const kept = additions.filter((a, i) => i < at || !sizes.some((_, k) => s.bundle.agreements[k]!.id === a.agreementId));
  return { lines: s.lines, bundle: { ...s.bundle, additions: kept }, agreements };
}
