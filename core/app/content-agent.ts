import type { CwAddition, PlatformLine, ReconcileConfig, SkippedRow } from '../model';
// Straight from the readers' modules, not the ingest index: the index also carries the zod-based
// bundle parser, which would land in the content-script bundle.
import { cwBundleFromAdditionsPage, detectScreen } from '../ingest/page';
import { readCwAdditionsGrid } from '../ingest/cw-grid';
import { readPlatformGrid, rowKey } from '../ingest/platform-grid';
import { findPager as findPagerButtons, PLATFORM_SELECTORS } from '../sites/platform';
import { errorResult, ProtocolError, type Result } from '../protocol/errors';
import type { ContentHandlers } from '../protocol/content';
import type { ContentCaptureResult, ContentMessageType, ContentRequestOf, JobProgress } from '../protocol/messages';
import type { App } from '../model';
import { walkPages, walkScroller, type GridSnapshot, type GridWalkDeps, type HTMLElementLike, type Pager, type Scroller } from './grid-walk';
import { detectPage, type Reported, type SampleReaders } from './page-outline';

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

/** The grid readers over a sample copy, for pages the outline leaves undecided. */
const SAMPLE_READERS: SampleReaders = {
  sample: (doc) => sampleDocument(doc),
  detectScreen: (doc, url) => detectScreen(doc, url),
  platformTotal: (doc) => readPlatformGrid(doc).diagnostics.totalShown,
  cwAdditions(doc, url) {
    const read = readCwAdditionsGrid(doc, { url });
    return { agreement: read.agreement, company: read.company, total: read.diagnostics.totalShown };
  },
};

export function createContentAgent(deps: ContentAgentDeps) {
  const running = new Map<string, AbortController>();

  /**
   * Which screen the page shows, for the side panel: from the page's outline where that decides
   * (core/app/page-outline.ts), otherwise from a sample copy read by the grid readers. `full`
   * reads the sample's grid too (agreement, company and total as a capture would read them), for
   * a background that asks.
   */
  function detect(full = false): Reported {
    return detectPage(deps.app, deps.doc, deps.url(), full, SAMPLE_READERS)!;
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
