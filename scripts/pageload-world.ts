/**
 * What the page-load scripts (the Chromium and Firefox benches, the Firefox profile) share: the
 * generated world and the list of sandbox pages they load, so every browser is measured on the
 * very same pages, and the budget they judge them by.
 */
import type { CwAddition, CwBundle, PlatformLine } from '../core/model';
import { cwAgreementUrl, platformUrl } from '../tests/e2e/chromium';
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

/** A sandbox page a page-load script loads: its label, address, and what shows its grid is there. */
export interface SandboxPage {
  label: string;
  url: string;
  ready: string;
  size: number;
}

/** The Additions tab of each size's agreement, then the invoices grid at each size, for `sites`. */
export function sandboxPages(agreements: ReadonlyMap<number, number>, sizes: readonly number[], sites: readonly string[]): SandboxPage[] {
  const pages: SandboxPage[] = [];
  for (const size of sites.includes('connectwise') ? sizes : []) {
    pages.push({ label: `ConnectWise Additions, ${size.toLocaleString('en-US')} rows`, url: cwAgreementUrl(agreements.get(size)!), ready: 'tr.cw-ml-row', size });
  }
  for (const size of sites.includes('platform') ? sizes : []) {
    pages.push({ label: `Platform invoices, ${size.toLocaleString('en-US')} lines`, url: platformUrl('/mapping/invoices', `month=${MONTH}&pageSize=${size}`), ready: 'table tbody tr', size });
  }
  return pages;
}

/** At load: with / without at most this. */
export const BUDGET_RATIO = 1.1;
/** Memory the extension may add to a loaded page, MB (10^6 bytes). */
export const BUDGET_HEAP_MB = 5;
/** On input: the longest task (or frame) may exceed the page's own repaint by a frame, and by a quarter for noise. */
export const FRAME_MS = 16.7;
export const INPUT_TOLERANCE = 1.25;

/**
 * Whether the first pointer move or the scroll held the page up for longer than the floor allows:
 * the floor is the page's own cost of one visible change (or its own input cost, if more), and
 * for the scroll its own longest scrolled frame too.
 */
export function inputOver(floor: number, input: number, scroll: number, ownScroll: number): boolean {
  return input > floor * INPUT_TOLERANCE + FRAME_MS || scroll > Math.max(floor, ownScroll) * INPUT_TOLERANCE + FRAME_MS;
}

export const median = (xs: number[]): number => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)]!;
};

/**
 * The mean of `xs` less its highest and lowest value (from five values up). For readings that
 * come in coarse steps, such as Linux's 10 ms CPU ticks: on a 50 ms page a median can only move
 * in 20% steps, while this mean resolves the extra few milliseconds and still drops an outlier.
 */
export const trimmedMean = (xs: number[]): number => {
  const s = [...xs].sort((a, b) => a - b);
  const kept = s.length >= 5 ? s.slice(1, -1) : s;
  return kept.reduce((a, b) => a + b, 0) / kept.length;
};
