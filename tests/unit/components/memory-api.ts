import type {
  CaptureSummary,
  DictionaryEntry,
  HealthCheck,
  InvoicingReadiness,
  PageContext,
  PanelApi,
  Resolution,
  RunSummary,
  PanelRun,
  TaskOptions,
} from '../../../components/api';
import { summariseRun, type Mapping, type MappingConflict } from '../../../core/model';

/**
 * A working in-memory PanelApi: what the background does, minus the browser. Captures and
 * reconciles are driven by the callbacks a test passes in, so tests exercise real flows
 * (progress, cancel, persistence across a fresh model) without mocks.
 */
export interface MemoryApiOptions {
  /** The page the panel sees; unset fields are those of a page with nothing to capture. */
  page?: Partial<PageContext>;
  runs?: PanelRun[];
  /** Produces the next run; default: an error. */
  reconcile?: (n: number) => PanelRun;
  /** Steps a capture reports before it finishes. */
  captureSteps?: number;
  health?: HealthCheck[];
  /** What the store answers for mapping conflicts (the rule itself is the storage's, tested there). */
  mappingConflicts?: MappingConflict[];
  dictionary?: DictionaryEntry[];
  cwSource?: 'api' | 'captures' | 'none';
  /** The working month before any capture in this api (as if captured earlier). */
  month?: string;
  /** Answers Agreement Invoicing readiness; default: an error saying to capture first. */
  readiness?: (thruDate: string) => InvoicingReadiness | Promise<InvoicingReadiness>;
}

function summarize(r: PanelRun): RunSummary {
  return summariseRun({ ...r, captureIds: [], cwSource: 'captures' });
}

function abortError(): Error {
  const e = new Error('cancelled');
  e.name = 'AbortError';
  return e;
}

/** Waits one macrotask; the in-memory capture yields between steps like a real page walk. */
const tick = () => new Promise<void>((r) => setTimeout(r, 0));

export function createMemoryApi(opts: MemoryApiOptions = {}) {
  const runs: PanelRun[] = [...(opts.runs ?? [])];
  const captures: CaptureSummary[] = [];
  const resolutions = new Map<string, Resolution>();
  const mappings = new Map<string, Mapping>();
  const dictionary = new Map((opts.dictionary ?? []).map((e) => [e.id, e]));
  let page: PageContext = { tabId: 1, url: '', app: null, screen: 'none', capturable: false, reachable: true, ...opts.page };
  let cwSource = opts.cwSource ?? 'none';
  const pageListeners = new Set<(p: PageContext) => void>();
  const runListeners = new Set<() => void>();
  let conflicts: MappingConflict[] = [...(opts.mappingConflicts ?? [])];
  const settled: MappingConflict[] = [];
  const calls: string[] = [];

  const api: PanelApi = {
    async getStart() {
      calls.push('getStart');
      const latest = [...runs].sort((a, b) => b.createdAt.localeCompare(a.createdAt))[0];
      return {
        page,
        month: captures.find((c) => c.months.length)?.months.at(-1) ?? opts.month ?? null,
        captures: [...captures],
        cwSource,
        lastRun: latest ? summarize(latest) : null,
        links: { cwWebOrigin: 'https://na.myconnectwise.net', cwCompanyId: 'acme', platformOrigin: 'https://demo.rethinkportal.com' },
      };
    },
    async capture(o?: TaskOptions) {
      calls.push('capture');
      const steps = opts.captureSteps ?? 3;
      for (let i = 0; i < steps; i++) {
        if (o?.signal?.aborted) throw abortError();
        o?.onProgress?.({ done: i * 100, total: steps * 100, phase: 'reading' });
        await tick();
      }
      if (o?.signal?.aborted) throw abortError();
      const platform = page.app !== 'connectwise';
      const c: CaptureSummary = {
        id: `cap-${captures.length + 1}`,
        kind: platform ? 'platform' : 'connectwise',
        months: platform ? ['2026-11'] : [],
        ...(page.agreement?.id !== undefined ? { agreementId: page.agreement.id } : {}),
        rows: steps * 100,
        skipped: 0,
        complete: true,
        createdAt: new Date().toISOString(),
      };
      captures.push(c);
      if (!platform && cwSource === 'none') cwSource = 'captures';
      return c;
    },
    async pull(o?: TaskOptions) {
      calls.push('pull');
      if (cwSource !== 'api') throw new Error('Set up the ConnectWise connection in the options first.');
      o?.onProgress?.({ done: 1, total: 2, phase: 'paging' });
      await tick();
      if (o?.signal?.aborted) throw abortError();
      const c: CaptureSummary = { id: `cap-${captures.length + 1}`, kind: 'api', months: [], rows: 42, skipped: 0, complete: true, createdAt: new Date().toISOString() };
      captures.push(c);
      return c;
    },
    async reconcile(o?: TaskOptions) {
      calls.push('reconcile');
      if (!opts.reconcile) throw new Error('Nothing to reconcile: capture the month first.');
      o?.onProgress?.({ done: 1, total: 2, phase: 'matching' });
      await tick();
      if (o?.signal?.aborted) throw abortError();
      const run = opts.reconcile(runs.length + 1);
      runs.push(run);
      return run;
    },
    async listRuns() {
      return [...runs].sort((a, b) => b.createdAt.localeCompare(a.createdAt)).map(summarize);
    },
    async getRun(id) {
      return runs.find((r) => r.id === id) ?? null;
    },
    async listResolutions() {
      return [...resolutions.values()];
    },
    async putResolution(r) {
      calls.push(`put:${r.fingerprint}`);
      resolutions.set(r.fingerprint, r);
    },
    async deleteResolution(fp) {
      calls.push(`delete:${fp}`);
      resolutions.delete(fp);
    },
    async listMappings() {
      return [...mappings.values()];
    },
    async putMapping(m) {
      mappings.set(`${m.kind}|${m.platform}|${m.source}`, m);
    },
    async deleteMapping(kind, platform) {
      for (const [k, m] of mappings) if (m.kind === kind && m.platform === platform) mappings.delete(k);
    },
    async listMappingConflicts() {
      return [...conflicts];
    },
    // Settling keeps the chosen candidate in force and hands the other back, as the background does.
    async resolveMappingConflict(kind, platform, keep) {
      const c = conflicts.find((x) => x.kind === kind && x.name === platform);
      if (!c) throw new Error(`There is no open mapping conflict for “${platform}”.`);
      const as = (source: 'user' | 'captured'): Mapping => ({ kind, platform, cw: c.candidates.find((x) => x.source === source)!.name, source, createdAt: 'x', updatedAt: 'x' });
      conflicts = conflicts.filter((x) => x !== c);
      settled.push(c);
      const kept = as(keep);
      mappings.set(`${kind}|${platform}|${kept.source}`, kept);
      return { kept, setAside: as(keep === 'user' ? 'captured' : 'user') };
    },
    async reopenMappingConflict(kind, platform) {
      const at = settled.findIndex((x) => x.kind === kind && x.name === platform);
      if (at < 0) throw new Error('Nothing to reopen.');
      conflicts.push(...settled.splice(at, 1));
    },
    async health() {
      return opts.health ?? [];
    },
    async listDictionary() {
      return [...dictionary.values()];
    },
    async putDictionaryEntry(e) {
      const id = `user:${e.platform.toLowerCase()}=${e.connectwise.toLowerCase()}`;
      dictionary.set(id, { ...e, id, guideSection: e.guideSection ?? '', origin: 'user' });
    },
    async deleteDictionaryEntry(id) {
      dictionary.delete(id);
    },
    async invoicingReadiness(thruDate) {
      calls.push(`invoicing:${thruDate}`);
      if (!opts.readiness) throw new Error('Capture the invoice lines on the Platform first (Mapping → Invoices).');
      return structuredClone(await opts.readiness(thruDate));
    },
    onPageChange(cb) {
      pageListeners.add(cb);
      return () => pageListeners.delete(cb);
    },
    onRunsChanged(cb) {
      runListeners.add(cb);
      return () => runListeners.delete(cb);
    },
  };

  return {
    api,
    calls,
    resolutions,
    mappings,
    /** A run made in another window: stored, then announced as the background's broadcast does. */
    storeRunElsewhere(run: PanelRun) {
      runs.push(run);
      for (const l of runListeners) l();
    },
    /** The background's broadcast that runs changed, with nothing new stored by this call. */
    announceRunsChanged() {
      for (const l of runListeners) l();
    },
    setPage(next: PageContext) {
      page = next;
      for (const l of pageListeners) l(next);
    },
  };
}
