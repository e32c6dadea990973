/**
 * What the extension knows of the Platform's pages, in one place: which address opens which
 * Mapping screen and what each screen's grid is called, the invoice month the Invoices screen
 * shows (its `?month=` address or its month picker), and the grid's pager and scrolling viewport.
 * Pure: every function is handed the document or address it reads, so the grid readers
 * (`core/ingest`) and the content scripts read a Platform page the same way.
 */
import type { Screen } from '../model';

/** The Mapping screens the Platform serves, by the address path that opens each and its grid's name. */
export const PLATFORM_SCREENS = {
  'platform.invoices': { path: /\/invoices\b/, grid: 'invoices grid' },
  'platform.organizations': { path: /\/organizations\b/, grid: 'Organizations mapping grid' },
  'platform.products': { path: /\/products\b/, grid: 'Products mapping grid' },
} as const satisfies Partial<Record<Screen, { path: RegExp; grid: string }>>;

export type PlatformScreen = keyof typeof PLATFORM_SCREENS;

/** The screen a Platform address opens, by its path (any case); undefined for any other page. */
export function platformScreenOfPath(pathname: string): PlatformScreen | undefined {
  const path = pathname.toLowerCase();
  return (Object.keys(PLATFORM_SCREENS) as PlatformScreen[]).find((screen) => PLATFORM_SCREENS[screen].path.test(path));
}

export const PLATFORM_SELECTORS = {
  /** Where the grid's pager buttons sit: its own pager, AG-Grid's paging panel, or any pagination. */
  pagerScope: '[role="navigation"], .px-pager, .ag-paging-panel, [class*="pagination" i], [class*="pager" i]',
  pagerButton: 'button, a[role="button"], [role="button"]',
  /** A viewport that scrolls rows into existence (AG-Grid and virtual scrollers). */
  scroller: '.ag-body-viewport, [data-virtual-scroller], [role="grid"] [style*="overflow"]',
  /** The month picker: the Invoices screen's `<select>` of invoice months. */
  monthPicker: 'select',
} as const;

/** A pager or grid summary, told by its class while walking the page. */
export const PLATFORM_PAGER_CLASS = /pager|pagination|ag-paging-panel/i;

/** The address parameter naming the invoice month the Invoices screen shows (`YYYY-MM`). */
export const PLATFORM_MONTH_PARAM = 'month';

const MONTHS = ['january', 'february', 'march', 'april', 'may', 'june', 'july', 'august', 'september', 'october', 'november', 'december'];

/** `November 2026` or `2026-11` in a month picker's option, as `YYYY-MM`. */
export function monthFromText(text: string): string | undefined {
  const m = /\b([a-z]+)\s+(\d{4})\b/i.exec(text);
  if (m) {
    const index = MONTHS.indexOf(m[1]!.toLowerCase());
    if (index >= 0) return `${m[2]}-${String(index + 1).padStart(2, '0')}`;
  }
  const iso = /\b(\d{4})-(\d{2})\b/.exec(text);
  return iso ? `${iso[1]}-${iso[2]}` : undefined;
}

function text(el: Element | null | undefined): string {
  return (el?.textContent ?? '').replace(/\s+/g, ' ').trim();
}

/**
 * The Invoices screen's invoice month: `?month=`, else the month selected in its picker. Read
 * from the live document: a copy does not carry which option a script selected.
 */
export function platformPeriod(doc: Document, url: URL): string | undefined {
  const asked = url.searchParams.get(PLATFORM_MONTH_PARAM);
  if (asked && /^\d{4}-\d{2}$/.test(asked)) return asked;
  for (const select of Array.from(doc.querySelectorAll(PLATFORM_SELECTORS.monthPicker))) {
    const option = (select as HTMLSelectElement).selectedOptions?.[0];
    const month = (option && (monthFromText(option.value) ?? monthFromText(text(option)))) || undefined;
    if (month) return month;
  }
  return undefined;
}

const NEXT_LABEL = /^(next(\s+page)?|›|»|>)\s*[›»>]?$/i;
const PREV_LABEL = /^[‹«<]?\s*(prev(ious)?(\s+page)?|‹|«|<)$/i;

/** The grid's next and previous buttons, each looked up when asked for. */
export interface PagerButtons {
  next(): Element | null;
  prev(): Element | null;
}

/**
 * The grid's pager buttons: by `data-act` or label first, then by their visible words. Null
 * when the page has neither button. The ConnectWise list view's pager answers to the same words.
 */
export function findPager(doc: Document): PagerButtons | null {
  const pick = (re: RegExp, act: string): Element | null => {
    // Looked up afresh each time: grids redraw their pager, leaving old buttons detached.
    const scopes = Array.from(doc.querySelectorAll(PLATFORM_SELECTORS.pagerScope));
    for (const scope of scopes.length ? scopes : [doc.body]) {
      for (const el of Array.from(scope.querySelectorAll(PLATFORM_SELECTORS.pagerButton))) {
        const label = (el.getAttribute('aria-label') ?? '').trim() || text(el);
        if (el.getAttribute('data-act') === act || re.test(label)) return el;
      }
    }
    return null;
  };
  if (!pick(NEXT_LABEL, 'next') && !pick(PREV_LABEL, 'prev')) return null;
  return { next: () => pick(NEXT_LABEL, 'next'), prev: () => pick(PREV_LABEL, 'prev') };
}
