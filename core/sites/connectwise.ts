/**
 * What the extension knows of ConnectWise Manage's pages, in one place: the addresses it is served
 * from and how an address names its record, the record banner, and the Additions list view's rows
 * and their record ids. Pure: every function is handed the node or address it reads, so the grid
 * readers (`core/ingest`), the content scripts and the badges all read a page the same way.
 */
import { rowRecordId, visibleText } from '../ingest/grid-dom';
import { CW_WEB_HOST } from '../shared/hosts';

/** The Additions list view: the header strip (a sibling table) and the rows GWT recycles on scroll. */
export const CW_SELECTORS = {
  headerStrip: '[class*="cw-ml-header"]',
  additionRow: 'tr.cw-ml-row',
  banner: '[class*="cw-main-banner"]',
} as const;

/** An address served by ConnectWise: its cloud hosts, and the page names of on-premise servers. */
export const CW_ADDRESS = new RegExp(`${CW_WEB_HOST.source}|connectwise\\.(aspx|html)|openrecord\\.rails`, 'i');

// ---- addresses -----------------------------------------------------------------------------------

export interface CwAddressFacts {
  /** `locale=en_US`, as given. */
  locale?: string;
  /** The record the address opens: `recid=`, or `rd` in the single-page `#…state={…}` part. */
  recid?: number;
  /** `recordType=AgreementFV` / `routeTo=…`, or `state` when the id came from the state part. */
  recordType?: string;
}

function decodeSafe(text: string): string {
  try {
    return decodeURIComponent(text);
  } catch {
    return text;
  }
}

/**
 * The record id of the single-page address, `…/ConnectWise.aspx?locale=en_US#startscreen=…&state=
 * {"p":"…","s":{"p":{"pid":…,"rd":<id>}}}`: the innermost `rd`, raw or percent-encoded.
 */
function stateRecord(url: string): number | undefined {
  const hash = url.indexOf('#');
  if (hash < 0) return undefined;
  const fragment = decodeSafe(url.slice(hash + 1));
  const at = fragment.search(/(?:^|[&#?])state=/i);
  if (at < 0) return undefined;
  const text = fragment.slice(fragment.indexOf('=', at) + 1);
  let found: number | undefined;
  const visit = (v: unknown, depth: number): void => {
    if (depth > 8 || !v || typeof v !== 'object') return;
    for (const [k, child] of Object.entries(v as Record<string, unknown>)) {
      if (k === 'rd' && (typeof child === 'number' || (typeof child === 'string' && /^\d+$/.test(child))) && Number(child) > 0) found = Number(child);
      else visit(child, depth + 1);
    }
  };
  const end = text.lastIndexOf('}');
  try {
    visit(JSON.parse(end >= 0 ? text.slice(0, end + 1) : text), 0);
  } catch {
    const m = /"rd"\s*:\s*"?(\d+)/.exec(text);
    if (m) found = Number(m[1]);
  }
  return found !== undefined && Number.isSafeInteger(found) ? found : undefined;
}

/** What a ConnectWise address says about the page: its locale, record id and record type. */
export function cwAddress(url: string | undefined): CwAddressFacts {
  if (!url) return {};
  const q = (name: string) => new RegExp(`[?&#]${name}=([^&#]*)`, 'i').exec(url)?.[1];
  const out: CwAddressFacts = {};
  const locale = q('locale');
  if (locale) out.locale = decodeURIComponent(locale);
  const recid = q('recid') ?? q('recID') ?? q('rec_id');
  if (recid && /^\d+$/.test(recid)) out.recid = Number(recid);
  const type = q('recordType') ?? q('routeTo');
  if (type) out.recordType = decodeURIComponent(type);
  if (out.recid === undefined) {
    const rd = stateRecord(url);
    if (rd !== undefined) {
      out.recid = rd;
      out.recordType = 'state';
    }
  }
  return out;
}

/** The record id an address names: `recid=`, or `rd` in the single-page `#…state={…}` part. */
export function cwRecordId(url: string): number | undefined {
  return cwAddress(url).recid;
}

// ---- the record banner -----------------------------------------------------------------------------

/** Breadcrumb entries share the banner's label class; they name the screens above, not the record. */
const isBreadcrumb = (el: Element): boolean => !!el.closest('[class*="navigationEntry"]');

function bannerLabel(root: ParentNode): Element | undefined {
  for (const selector of ['[class*="BannerView"] [class*="detailLabel"]', `${CW_SELECTORS.banner} [class*="detailLabel"]`, '[class*="detailLabel"]']) {
    const el = Array.from(root.querySelectorAll(selector)).find((e) => !isBreadcrumb(e) && visibleText(e).trim() !== '');
    if (el) return el;
  }
  return root.querySelector(CW_SELECTORS.banner) ?? undefined;
}

export interface CwBanner {
  /** The record label, breadcrumbs left out (`Agreement: Name (Company)`). */
  text: string;
  /** `Agreement #123: …` */
  agreementId?: number;
  /** The agreement's name, read on an agreement's screens. */
  agreementName?: string;
  /** The company named in brackets after an agreement, or the company a company screen shows. */
  companyName?: string;
}

/** The record label of a ConnectWise banner, breadcrumbs left out (`Agreement: Name (Company)`). */
export function cwBannerText(root: ParentNode): string {
  const el = bannerLabel(root);
  return el ? visibleText(el, isBreadcrumb).replace(/\s+/g, ' ').trim() : '';
}

/**
 * The banner read as the record it names: `Agreement #12: Name (Company)`, `Agreement: Name -
 * …`, or `Company: Name`. A banner that names neither kind is taken for an agreement's name when
 * `on` says the page is an agreement's (ConnectWise leaves the prefix off on some screens).
 */
export function readCwBanner(root: ParentNode, on: 'agreement' | 'company' = 'agreement'): CwBanner {
  const text = cwBannerText(root);
  if (!text) return { text };
  const out: CwBanner = { text };
  const company = /^\s*company\b\s*[:\-–—]?\s*(.*)$/i.exec(text);
  if (company || on === 'company') {
    const name = (company ? company[1]! : text).trim();
    if (name) out.companyName = name;
    return out;
  }
  const m = /^\s*agreement\b\s*(?:#\s*(\d+))?\s*[:\-–—]?\s*(.*)$/i.exec(text);
  let name = m ? (m[2] ?? '') : text;
  if (m?.[1]) out.agreementId = Number(m[1]);
  // `Agreement: Name (Company)` when the banner also names the company.
  const bracketed = /^(.*?)\s*[([]\s*(.+?)\s*[)\]]\s*$/.exec(name);
  if (bracketed?.[1] && bracketed[2]) {
    name = bracketed[1];
    out.companyName = bracketed[2];
  }
  if (name.trim()) out.agreementName = name.trim();
  return out;
}

// ---- the Additions grid's rows ---------------------------------------------------------------------

/** The Addition id a row carries (a record-id attribute or a `recid=` link), as a number. */
export function cwRowRecordId(row: Element): number | undefined {
  const id = rowRecordId(row);
  return id === undefined ? undefined : Number(id);
}

/** Header texts of the list view's header strips, read without touching a single row. */
export function cwHeaderTexts(root: ParentNode): string[][] {
  return Array.from(root.querySelectorAll(CW_SELECTORS.headerStrip)).flatMap(cwStripHeaders);
}

/** Whether an element is a list view's header strip (for callers walking the page themselves). */
export const isCwHeaderStrip = (el: Element): boolean => (el.getAttribute('class') ?? '').includes('cw-ml-header');

/** The header texts of one header strip, a row of texts per row of the strip. */
export function cwStripHeaders(strip: Element): string[][] {
  return Array.from(strip.querySelectorAll('tr')).map((tr) => Array.from(tr.children).map((c) => (c.textContent ?? '').replace(/\s+/g, ' ').trim()));
}

/**
 * A detached copy of the Additions list view holding only `rows` (copies) under the grid's own
 * header strip, for reading a few rows (those on screen) with the grid readers, which otherwise
 * read every row there is. `originalOf` leads from each copy back to the live row.
 */
export function cwRowsSample(rows: readonly Element[]): { root: Element; originalOf: Map<Element, Element> } | undefined {
  const first = rows[0];
  const doc = first?.ownerDocument;
  if (!first || !doc) return undefined;
  let header: Element | null = null;
  for (let scope = first.parentElement; scope && !header; scope = scope.parentElement) header = scope.querySelector(CW_SELECTORS.headerStrip);
  if (!header) return undefined;
  const root = doc.createElement('div');
  root.appendChild(header.cloneNode(true));
  const table = root.appendChild(doc.createElement('table'));
  table.className = 'cw-ml-table';
  const body = table.appendChild(doc.createElement('tbody'));
  const originalOf = new Map<Element, Element>();
  for (const row of rows) {
    const copy = row.cloneNode(true) as Element;
    body.appendChild(copy);
    originalOf.set(copy, row);
  }
  return { root, originalOf };
}
