import type { CwAddition, PlatformLine, ReconcileConfig, SkippedRow } from '../model';
// Straight from the readers' modules, not the ingest index: the index also carries the zod-based
// bundle parser, which would land in the content-script bundle.
import { cwBundleFromAdditionsPage, detectScreen } from '../ingest/page';
import { cwScore, readCwAdditionsGrid } from '../ingest/cw-grid';
import { parseTotals } from '../ingest/grid-dom';
import { invoiceScore, readPlatformGrid, rowKey } from '../ingest/platform-grid';
import { CW_ADDRESS, cwAddress, cwStripHeaders, isCwHeaderStrip, readCwBanner } from '../sites/connectwise';
import { findPager as findPagerButtons, PLATFORM_PAGER_CLASS, PLATFORM_SELECTORS, platformPeriod, platformScreenOfPath } from '../sites/platform';
import { errorResult, ProtocolError, type Result } from '../protocol/errors';
import type { ContentHandlers } from '../protocol/content';
import type { ContentCaptureResult, ContentMessageType, ContentRequestOf, JobProgress } from '../protocol/messages';
import type { App, PageContext, Screen } from '../model';
import { walkPages, walkScroller, type GridSnapshot, type GridWalkDeps, type HTMLElementLike, type Pager, type Scroller } from './grid-walk';

type Reported = Omit<PageContext, 'tabId' | 'reachable'>;
type ContentRequest = { [T in ContentMessageType]: ContentRequestOf<T> }[ContentMessageType];

/**
 * What a content script does for the background, over a document it is handed: tell which
 * screen the page shows, and capture the page's grid (every page or the whole scroll range)
 * when asked. The entrypoints bind it to the live document and runtime messaging.
 */
export interface ContentAgentDeps {
  app: App;
  doc: Document;
  url(): string;
  /** A capture's progress, for the background (`capture.progress`, fire-and-forget). */
  progress(progress: JobProgress): void;
  settle(): Promise<void>;
  waitFor(changed: () => boolean): Promise<boolean>;
  /** The page's own `scroll` event type, for DOMs without layout (tests). */
  makeScrollEvent?: () => Event;
}

function text(el: Element | null | undefined): string {
  return (el?.textContent ?? '').replace(/\s+/g, ' ').trim();
}

/** The grid's pager buttons (core/sites/platform.ts), as the walk clicks them. */
export function findPager(doc: Document): Pager | null {
  return findPagerButtons(doc) as { next(): HTMLElementLike | null; prev(): HTMLElementLike | null } | null;
}

/** A viewport that scrolls rows into existence (AG-Grid style), when the grid has one. */
export function findScroller(doc: Document): Scroller | null {
  const candidates = Array.from(doc.querySelectorAll(PLATFORM_SELECTORS.scroller));
  for (const el of candidates) {
    const box = el as HTMLElement;
    const inner = box.firstElementChild as HTMLElement | null;
    const innerHeight = inner ? Number.parseFloat(inner.style?.height ?? '') : Number.NaN;
    const ownHeight = Number.parseFloat(box.style?.height ?? '');
    // With layout, scrollHeight tells; without (happy-dom), the inline heights do.
    if (box.scrollHeight > box.clientHeight + 1) return box;
    if (Number.isFinite(innerHeight) && Number.isFinite(ownHeight) && innerHeight > ownHeight) {
      return {
        get scrollTop() {
          return box.scrollTop;
        },
        set scrollTop(v: number) {
          box.scrollTop = Math.min(v, Math.max(0, innerHeight - ownHeight));
        },
        get scrollHeight() {
          return innerHeight;
        },
        get clientHeight() {
          return ownHeight;
        },
        dispatchEvent: (e: Event) => box.dispatchEvent(e),
      };
    }
  }
  return null;
}

/** Rows kept per container in a sample: enough for the readers' per-row heuristics (GWT's checkbox offset). */
const SAMPLE_ROWS = 24;
const UNREAD = new Set(['SCRIPT', 'STYLE', 'LINK', 'TEMPLATE', 'NOSCRIPT', 'IMG', 'SVG', 'IFRAME', 'svg']);

/**
 * A detached copy of the page with every long run of siblings (grid rows) cut to its first
 * SAMPLE_ROWS. Telling the screen needs headers, a few rows, the banner and the pager's total,
 * never all rows; the grid readers cost time and heap in proportion to the rows they are handed,
 * so detection, which runs on every load and SPA navigation, reads this copy instead.
 */
export function sampleDocument(doc: Document): Document {
  const copy = doc.implementation.createHTMLDocument(doc.title);
  const from = doc.documentElement;
  if (!from) return copy;
  const copyOf = (el: Element): Element => {
    const out = copy.importNode(el, false);
    let kept = 0;
    const cut = el.childElementCount > SAMPLE_ROWS;
    for (let c = el.firstChild; c !== null; c = c.nextSibling) {
      if (c.nodeType === 1) {
        if (cut && ++kept > SAMPLE_ROWS) break;
        // Style sheets would be parsed again in the copy; no reader looks at them or at scripts.
        if (UNREAD.has(c.nodeName)) continue;
        out.appendChild(copyOf(c as Element));
      } else if (c.nodeType === 3) out.appendChild(copy.importNode(c, false));
    }
    return out;
  };
  const root = copyOf(from);
  copy.documentElement.remove();
  copy.appendChild(root);
  return copy;
}

function renumber(lines: PlatformLine[]): PlatformLine[] {
  // Lines without a Line ID were numbered per page; number them across the whole grid instead.
  return lines.map((line, i) => (/^row-\d+$/.test(line.lineId) ? { ...line, lineId: `row-${i + 1}`, row: i + 1 } : { ...line, row: i + 1 }));
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

export function createContentAgent(deps: ContentAgentDeps) {
  const running = new Map<string, AbortController>();

  /**
   * Which screen the page shows, for the side panel. By default from what costs no pass over
   * the rows, since it runs on every load and SPA navigation: the address, the banner, the
   * grids' header rows and the pager's total; only a page those leave undecided is read from a
   * sample copy. `full` reads the sample's grid too (agreement, company and total as a capture
   * would read them), for a background that asks.
   */
  function detect(full = false): Reported {
    const url = deps.url();
    const parsed = new URL(url);
    const base = { url, app: deps.app, title: deps.doc.title || undefined } as const;
    if (deps.app === 'platform') {
      const page = outline(deps.doc);
      const quick = page.headers.some((h) => invoiceScore(h) >= 3) ? 'platform.invoices' : undefined;
      const doc = quick && !full ? undefined : sampleDocument(deps.doc);
      const grid = quick ?? detectScreen(doc!, url);
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
        const period = platformPeriod(deps.doc, parsed);
        if (period) context.period = period;
        const total = doc ? readPlatformGrid(doc).diagnostics.totalShown : pagerTotal(page.pagers);
        if (total !== undefined) context.gridTotal = total;
      }
      return context;
    }
    const address = cwAddress(url);
    const recordType = (address.recordType ?? '').toLowerCase();
    const recid = address.recid ?? 0;
    const page = outline(deps.doc);
    const strips = page.strips.flatMap(cwStripHeaders);
    const bonus = (CW_ADDRESS.test(url) ? 1 : 0) + 1;
    const quick = strips.some((h) => cwScore(h) + bonus >= 3) ? 'connectwise.additions' : undefined;
    const doc = quick && !full ? undefined : sampleDocument(deps.doc);
    const grid = quick ?? detectScreen(doc!, url);
    let screen: Screen = 'connectwise.other';
    if (grid === 'connectwise.additions') screen = 'connectwise.additions';
    else if (recordType === 'agreementfv') screen = 'connectwise.agreement';
    else if (recordType === 'companyfv') screen = 'connectwise.company';
    const context: Reported = { ...base, screen, capturable: screen === 'connectwise.additions' };
    if (screen === 'connectwise.additions') {
      const banner = readCwBanner(deps.doc);
      const read = doc ? readCwAdditionsGrid(doc, { url }) : undefined;
      const byAddress = recid > 0 && (!recordType || /agreement|state/.test(recordType)) ? recid : undefined;
      const id = read ? (read.agreement?.id ?? (recordType === 'agreementfv' && recid > 0 ? recid : undefined)) : (byAddress ?? banner.agreementId);
      const name = read ? read.agreement?.name : banner.agreementName;
      context.agreement = { ...(id !== undefined ? { id } : {}), ...(name ? { name } : {}) };
      const company = read ? read.company : banner.companyName ? { name: banner.companyName } : undefined;
      if (company && (company.id !== undefined || company.name)) {
        context.company = { ...(company.id !== undefined ? { id: company.id } : {}), ...(company.name ? { name: company.name } : {}) };
      }
      const total = read ? read.diagnostics.totalShown : pagerTotal(page.pagers);
      if (total !== undefined) context.gridTotal = total;
    } else if (screen === 'connectwise.agreement') {
      const banner = readCwBanner(deps.doc, 'agreement');
      context.agreement = { ...(recid > 0 ? { id: recid } : {}), ...(banner.agreementName ? { name: banner.agreementName } : {}) };
    } else if (screen === 'connectwise.company') {
      const banner = readCwBanner(deps.doc, 'company');
      context.company = { ...(recid > 0 ? { id: recid } : {}), ...(banner.companyName ? { name: banner.companyName } : {}) };
    }
    return context;
  }

  async function walk<T>(jobId: string, signal: AbortSignal, read: () => GridSnapshot<T>, key: (row: T) => string) {
    const progress = (done: number, total: number | undefined, phase: string) => {
      const p: JobProgress = { jobId, job: 'capture', phase, done, ...(total !== undefined ? { total } : {}) };
      deps.progress(p);
    };
    const walkDeps: GridWalkDeps<T> = { read, key, settle: deps.settle, waitFor: deps.waitFor, signal, onProgress: progress };
    const scroller = findScroller(deps.doc);
    if (scroller) return walkScroller(scroller, walkDeps, deps.makeScrollEvent);
    const pager = findPager(deps.doc);
    if (pager) return walkPages(pager, walkDeps);
    const snapshot = read();
    progress(snapshot.rows.length, snapshot.total, 'reading');
    return { rows: snapshot.rows, total: snapshot.total, complete: snapshot.total === undefined || snapshot.rows.length >= snapshot.total, pages: 1 };
  }

  async function capture(jobId: string, config: ReconcileConfig | undefined): Promise<ContentCaptureResult> {
    const controller = new AbortController();
    running.set(jobId, controller);
    try {
      const url = deps.url();
      if (deps.app === 'platform') {
        const skipped = new Map<string, SkippedRow>();
        const read = (): GridSnapshot<PlatformLine> => {
          const r = readPlatformGrid(deps.doc, { config });
          if (!r.diagnostics.found) throw new ProtocolError('not_found', r.diagnostics.problems[0] ?? 'No invoice lines grid on this page.');
          if (r.diagnostics.missingRequired.length) {
            throw new ProtocolError('invalid', `The grid lacks required columns: ${r.diagnostics.missingRequired.join(', ')}. Show them with the Columns button.`);
          }
          for (const s of r.skipped) skipped.set(JSON.stringify(s), s);
          return { rows: r.lines, total: r.diagnostics.totalShown };
        };
        const result = await walk(jobId, controller.signal, read, rowKey);
        if (controller.signal.aborted) throw new ProtocolError('cancelled', 'The capture was cancelled.');
        return {
          app: 'platform',
          url,
          lines: renumber(result.rows),
          skipped: [...skipped.values()],
          ...(result.total !== undefined ? { gridTotal: result.total } : {}),
          complete: result.complete,
        };
      }
      let first: ReturnType<typeof readCwAdditionsGrid> | undefined;
      const skipped = new Map<string, SkippedRow>();
      const read = (): GridSnapshot<CwAddition> => {
        const r = readCwAdditionsGrid(deps.doc, { url, ...(config?.dateFormat ? { dateFormat: config.dateFormat } : {}), ...(config?.decimalSeparator ? { decimalSeparator: config.decimalSeparator } : {}) });
        if (!r.diagnostics.found) throw new ProtocolError('not_found', r.diagnostics.problems[0] ?? 'No Additions grid on this page.');
        // Rows of an agreement the page does not name would be filed under a guess.
        if (r.unidentified) throw new ProtocolError('invalid', r.unidentified);
        first ??= r;
        for (const s of r.skipped) skipped.set(JSON.stringify(s), s);
        return { rows: r.additions, total: r.diagnostics.totalShown };
      };
      const result = await walk(jobId, controller.signal, read, (a) => String(a.id));
      if (controller.signal.aborted) throw new ProtocolError('cancelled', 'The capture was cancelled.');
      const base = first!;
      const bundle = cwBundleFromAdditionsPage({
        ...base,
        additions: result.rows,
        diagnostics: { ...base.diagnostics, rowsRead: result.rows.length, complete: base.diagnostics.complete && result.complete },
      });
      return {
        app: 'connectwise',
        url,
        bundle,
        skipped: [...skipped.values()],
        ...(result.total !== undefined ? { gridTotal: result.total } : {}),
        complete: bundle.complete !== false,
      };
    } finally {
      running.delete(jobId);
    }
  }

  /** One handler per request CONTENT_MESSAGES declares; the background checked each against its schema. */
  const handlers: ContentHandlers = {
    'content.context': async () => detect(true),
    'content.capture': (request) => capture(request.jobId, request.config),
    'content.cancel': async (request) => {
      const controller = running.get(request.jobId);
      controller?.abort();
      return { cancelled: !!controller };
    },
  };

  /**
   * Answers a background request, or returns undefined when the message is not one of ours.
   * Only our own background reaches this listener (the entrypoint checks the sender), and it
   * builds every request through the protocol's schemas (`contentRequest`); what is checked here
   * is only what the handlers cannot do without, so the schema library stays out of the page.
   */
  function handle(message: unknown): Promise<Result<unknown>> | undefined {
    if (typeof message !== 'object' || message === null) return undefined;
    const { type } = message as { type?: unknown };
    if (typeof type !== 'string' || !Object.hasOwn(handlers, type)) return undefined;
    const request = message as ContentRequest;
    const answer = async (): Promise<unknown> => {
      if (request.type !== 'content.context' && (typeof request.jobId !== 'string' || request.jobId === '')) throw new ProtocolError('invalid', `${type} needs a jobId`);
      return (handlers[request.type] as (r: ContentRequest) => Promise<unknown>)(request);
    };
    return answer().then((value): Result<unknown> => ({ ok: true, value }), errorResult);
  }

  return { detect, handle, capture, cancelAll: () => running.forEach((c) => c.abort()) };
}

export type ContentAgent = ReturnType<typeof createContentAgent>;
