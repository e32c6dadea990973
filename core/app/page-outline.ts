import type { App, PageContext, Screen } from '../model';
import type { GridScreen } from '../ingest/page';
import { cwScore } from '../ingest/cw-grid';
import { parseTotals } from '../ingest/grid-dom';
import { PLATFORM_GRID_SCORES, rankScreens } from '../ingest/screen-rank';
import { CW_ADDRESS, cwAddress, cwStripHeaders, isCwHeaderStrip, readCwBanner } from '../sites/connectwise';
import { PLATFORM_PAGER_CLASS, platformPeriod, platformScreenOfPath } from '../sites/platform';

/*
 * Which screen a page shows, from what costs no pass over its rows: the address, the banner, the
 * grids' header rows and the pager's total. This is what the content script's loader runs on every
 * load and SPA navigation, so it imports only the readers' header scores (not the readers); a page
 * these leave undecided is read from a sample copy by the grid readers, which the caller passes in
 * (`SampleReaders`) once they are loaded.
 */

export type Reported = Omit<PageContext, 'tabId' | 'reachable'>;

/** The grid readers, over a copy of the page with long runs of rows cut short. */
export interface SampleReaders {
  sample(doc: Document): Document;
  detectScreen(doc: Document, url: string): GridScreen;
  /** The Platform invoices grid's total, as its pager or summary shows it. */
  platformTotal(doc: Document): number | undefined;
  /** What the Additions grid names: agreement, company, total. */
  cwAdditions(doc: Document, url: string): { agreement?: { id?: number; name?: string }; company?: { id?: number; name?: string }; total?: number };
}

function text(el: Element | null | undefined): string {
  return (el?.textContent ?? '').replace(/\s+/g, ' ').trim();
}

/** Long runs of siblings (grid rows): only their first few are entered when outlining a page. */
const LONG_RUN = 32;
const RUN_HEAD = 8;
const OUTLINE_SKIP = new Set(['SCRIPT', 'STYLE', 'TEMPLATE', 'NOSCRIPT', 'SVG', 'svg']);

interface Outline {
  /** Header rows of tables, ARIA and AG-Grid grids: the texts of their header cells. */
  headers: string[][];
  /** ConnectWise list views' header strips. */
  strips: Element[];
  /** Pagers and grid summaries, in document order. */
  pagers: Element[];
}

/**
 * What the page shows around its grids, in one walk that enters only the first few of any long
 * run of siblings: on a 5,000-row grid this reads the headers, pagers and a few rows, never the
 * rows themselves (a selector over the whole document would match against every cell).
 */
function outline(doc: Document): Outline {
  const out: Outline = { headers: [], strips: [], pagers: [] };
  const byRow = new Map<Element, string[]>();
  const root = doc.body ?? doc.documentElement;
  if (!root) return out;
  const stack: Element[] = [root];
  while (stack.length > 0) {
    const el = stack.pop()!;
    if (OUTLINE_SKIP.has(el.tagName)) continue;
    const cls = el.getAttribute('class') ?? '';
    const role = el.getAttribute('role');
    const headerCell =
      role === 'columnheader' || /\bag-header-cell\b/.test(cls) || ((el.tagName === 'TH' || el.tagName === 'TD') && el.parentElement?.parentElement?.tagName === 'THEAD');
    if (headerCell && el.parentElement) {
      const list = byRow.get(el.parentElement) ?? [];
      list.push(text(el));
      byRow.set(el.parentElement, list);
      continue;
    }
    if (isCwHeaderStrip(el)) {
      out.strips.push(el);
      continue;
    }
    if (role === 'navigation' || PLATFORM_PAGER_CLASS.test(cls)) out.pagers.push(el);
    // Siblings walked one by one, up to the first that makes the run long: asking a 5,000-row
    // body for its `children` counts (and caches) all of them.
    const kids: Element[] = [];
    for (let c = el.firstElementChild; c !== null && kids.length <= LONG_RUN; c = c.nextElementSibling) kids.push(c);
    const n = kids.length > LONG_RUN ? RUN_HEAD : kids.length;
    for (let i = n - 1; i >= 0; i--) stack.push(kids[i]!);
  }
  out.headers = [...byRow.values()];
  return out;
}

/** The total a grid's pager or summary shows (`36 invoice lines`, `1 - 50 of 5,000`). */
function pagerTotal(pagers: readonly Element[]): number | undefined {
  for (const el of pagers) {
    const total = parseTotals(text(el)).total;
    if (total !== undefined) return total;
  }
  return undefined;
}

/**
 * Whether anything on the page could be a grid the readers recognise (GWT list views, AG-Grid,
 * ARIA grids, tables): without one, the readers would find no grid, and the screen follows from
 * the address alone.
 */
function mayHoldGrid(doc: Document): boolean {
  return doc.querySelector('[class*="cw-ml-header"], .ag-root-wrapper, [col-id], [role=grid], [role=treegrid], [role=table], table') !== null;
}

/**
 * Which screen the page shows. Without `readers`, answers only what the outline decides and
 * returns null for a page that has a grid it cannot place (the caller loads the readers and asks
 * again). `full` reads the sample's grid too (agreement, company and total as a capture would
 * read them), for a background that asks.
 */
export function detectPage(app: App, doc: Document, url: string, full: boolean, readers?: SampleReaders): Reported | null {
  const parsed = new URL(url);
  const base = { url, app, title: doc.title || undefined } as const;
  const page = outline(doc);
  /** The grid a sample copy shows, or null when only the readers can tell. */
  const sampled = (quick: GridScreen | undefined): { grid: GridScreen; copy?: Document } | null => {
    if (quick && !full) return { grid: quick };
    if (!readers) return !full && !mayHoldGrid(doc) ? { grid: 'none' } : null;
    const copy = readers.sample(doc);
    return { grid: quick ?? readers.detectScreen(copy, url), copy };
  };
  if (app === 'platform') {
    // The header rows ranked as the readers rank a grid's (the mapping tabs included).
    const seen = sampled(rankScreens(PLATFORM_GRID_SCORES.map(([screen, score]) => [screen, Math.max(0, ...page.headers.map(score))] as const)));
    if (!seen) return null;
    const { grid, copy } = seen;
    // The invoices grid wins over the address; otherwise a recognised grid, then the address.
    const byPath = platformScreenOfPath(parsed.pathname);
    const screen: Screen =
      grid === 'platform.invoices' || byPath === 'platform.invoices'
        ? 'platform.invoices'
        : grid === 'platform.organizations' || byPath === 'platform.organizations'
          ? 'platform.organizations'
          : grid === 'platform.products' || byPath === 'platform.products'
            ? 'platform.products'
            : 'platform.other';
    const context: Reported = { ...base, screen, capturable: screen === 'platform.invoices' && grid === 'platform.invoices' };
    if (screen === 'platform.invoices') {
      // The live page: a copy does not carry which option a script selected.
      const period = platformPeriod(doc, parsed);
      if (period) context.period = period;
      const total = copy && readers ? readers.platformTotal(copy) : pagerTotal(page.pagers);
      if (total !== undefined) context.gridTotal = total;
    }
    return context;
  }
  const address = cwAddress(url);
  const recordType = (address.recordType ?? '').toLowerCase();
  const recid = address.recid ?? 0;
  const strips = page.strips.flatMap(cwStripHeaders);
  const bonus = (CW_ADDRESS.test(url) ? 1 : 0) + 1;
  const seen = sampled(strips.some((h) => cwScore(h) + bonus >= 3) ? 'connectwise.additions' : undefined);
  if (!seen) return null;
  const { grid, copy } = seen;
  let screen: Screen = 'connectwise.other';
  if (grid === 'connectwise.additions') screen = 'connectwise.additions';
  else if (recordType === 'agreementfv') screen = 'connectwise.agreement';
  else if (recordType === 'companyfv') screen = 'connectwise.company';
  const context: Reported = { ...base, screen, capturable: screen === 'connectwise.additions' };
  if (screen === 'connectwise.additions') {
    const banner = readCwBanner(doc);
    const read = copy && readers ? readers.cwAdditions(copy, url) : undefined;
    const byAddress = recid > 0 && (!recordType || /agreement|state/.test(recordType)) ? recid : undefined;
    const id = read ? (read.agreement?.id ?? (recordType === 'agreementfv' && recid > 0 ? recid : undefined)) : (byAddress ?? banner.agreementId);
    const name = read ? read.agreement?.name : banner.agreementName;
    context.agreement = { ...(id !== undefined ? { id } : {}), ...(name ? { name } : {}) };
    const company = read ? read.company : banner.companyName ? { name: banner.companyName } : undefined;
    if (company && (company.id !== undefined || company.name)) {
      context.company = { ...(company.id !== undefined ? { id: company.id } : {}), ...(company.name ? { name: company.name } : {}) };
    }
    const total = read ? read.total : pagerTotal(page.pagers);
    if (total !== undefined) context.gridTotal = total;
  } else if (screen === 'connectwise.agreement') {
    const banner = readCwBanner(doc, 'agreement');
    context.agreement = { ...(recid > 0 ? { id: recid } : {}), ...(banner.agreementName ? { name: banner.agreementName } : {}) };
  } else if (screen === 'connectwise.company') {
    const banner = readCwBanner(doc, 'company');
    context.company = { ...(recid > 0 ? { id: recid } : {}), ...(banner.companyName ? { name: banner.companyName } : {}) };
  }
  return context;
}
