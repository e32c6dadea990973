import type { ProtocolClient } from '../core/protocol/client';
import type * as P from '../core/protocol/messages';
import { FILE_PART_MAX } from '../core/protocol/messages';
import type {
  CaptureSummary,
  OptionsApi,
  PanelApi,
  Progress,
  Resolution,
  PanelRun,
  TaskOptions,
} from './api';
import type { ProtocolRunPages } from './findings/paging';

/**
 * PanelApi / OptionsApi over the background's message protocol (core/protocol/messages.ts).
 * The model's shapes pass as they are; only the panel's call shapes (jobs, pages) are adapted here.
 */

type Client = Pick<ProtocolClient, 'send' | 'onEvent'>;

let jobCounter = 0;

/** Runs a long job: forwards its progress events, and turns an abort into `job.cancel`. */
async function runJob<T>(client: Client, opts: TaskOptions | undefined, start: (jobId: string) => Promise<T>): Promise<T> {
  const jobId = `panel-${Date.now().toString(36)}-${++jobCounter}`;
  const off = client.onEvent((ev) => {
    if (ev.event === 'job.progress' && ev.progress.jobId === jobId) {
      const p: Progress = { done: ev.progress.done, total: ev.progress.total, phase: ev.progress.message ?? ev.progress.phase };
      opts?.onProgress?.(p);
    }
  });
  const onAbort = () => void client.send('job.cancel', { jobId }).catch(() => undefined);
  opts?.signal?.addEventListener('abort', onAbort, { once: true });
  try {
    return await start(jobId);
  } catch (e) {
    if (opts?.signal?.aborted) {
      const err = new Error('cancelled');
      err.name = 'AbortError';
      throw err;
    }
    throw e;
  } finally {
    off();
    opts?.signal?.removeEventListener('abort', onAbort);
  }
}

/**
 * Sends what the panel read from files as JSON in pieces no larger than the protocol allows, then
 * asks the background to store it: a 100,000-line export never travels as one message.
 */
async function storeFiles(client: Client, captures: P.FileCapture[]): Promise<CaptureSummary[]> {
  const text = JSON.stringify({ captures });
  const importId = `files-${Date.now().toString(36)}-${Math.random().toString(36).slice(2, 10)}`;
  let parts = 0;
  try {
    for (let at = 0; at < text.length; parts++) {
      let end = Math.min(text.length, at + FILE_PART_MAX);
      // Never split a surrogate pair: half a character does not survive the trip.
      const last = text.charCodeAt(end - 1);
      if (end < text.length && last >= 0xd800 && last <= 0xdbff) end--;
      await client.send('files.part', { importId, index: parts, text: text.slice(at, end) });
      at = end;
    }
    return await client.send('files.store', { importId, parts });
  } catch (error) {
    await client.send('files.discard', { importId }).catch(() => undefined);
    throw error;
  }
}

/** Findings in the first page of a run read back: more than a tall panel shows at once. */
const FIRST_PAGE = 200;

export function createProtocolPanelApi(client: Client, tabId?: () => number | undefined): PanelApi {
  return {
    async getStart() {
      const s = await client.send('panel.start', { tabId: tabId?.() });
      return {
        page: s.page,
        month: s.month,
        months: [...new Set(s.captures.filter((c) => c.kind === 'platform').flatMap((c) => c.months))].sort(),
        captures: s.captures,
        cwSource: s.cwSource,
        lastRun: s.lastRun,
        links: s.links,
      };
    },
    capture: (opts) => runJob(client, opts, (jobId) => client.send('capture.start', { tabId: tabId?.(), jobId })),
    pull: (opts) => runJob(client, opts, (jobId) => client.send('cw.pull', { jobId })),
    async reconcile(opts) {
      const summary = await runJob(client, opts, (jobId) => client.send('reconcile.start', { jobId }));
      const run = await this.getRun(summary.id);
      if (!run) throw new Error('The run finished but could not be read back.');
      return run;
    },
    async listRuns() {
      return client.send('runs.list', {});
    },
    async getRun(id): Promise<PanelRun | null> {
      // The run and a screenful of its findings first; the findings model reads the rest in
      // pages, so no single message (nor the task that reads it) grows with the run.
      const r = await client.send('runs.page', { runId: id, offset: 0, limit: FIRST_PAGE });
      if (!r?.report || !r.names) return null;
      const runId = r.run.id;
      const pages: ProtocolRunPages = {
        total: r.total,
        async load(offset, limit) {
          const page = await client.send('runs.page', { runId, offset, limit });
          if (!page) throw new Error(`run ${runId} is no longer stored`);
          return { findings: page.findings.map((f) => f.finding), fingerprints: page.findings.map((f) => f.fingerprint), keys: page.findings.map((f) => f.key) };
        },
        async pageOf(key, offset, limit) {
          const page = await client.send('runs.page', { runId, offset, limit, key });
          if (!page) throw new Error(`run ${runId} is no longer stored`);
          if (!page.findings.some((f) => f.key === key)) return null;
          return { offset: page.offset, findings: page.findings.map((f) => f.finding), fingerprints: page.findings.map((f) => f.fingerprint), keys: page.findings.map((f) => f.key) };
        },
        exportAll: (format) => client.send('runs.export', { runId, format }),
        exportKeys: (format, keys) => client.send('runs.export', { runId, format, keys }),
        hasMoney: r.hasMoney ?? false,
        async money() {
          const m = await client.send('runs.money', { runId });
          if (!m) throw new Error(`run ${runId} is no longer stored`);
          return m.money;
        },
      };
      return {
        id: runId,
        createdAt: r.run.createdAt,
        report: { ...r.report, findings: r.findings.map((f) => f.finding) },
        names: r.names,
        fingerprints: r.findings.map((f) => f.fingerprint),
        keys: r.findings.map((f) => f.key),
        ...(r.signOff ? { signOff: r.signOff } : {}),
        pages,
      };
    },
    async listResolutions() {
      return client.send('resolutions.list', {});
    },
    async putResolution(r, runId, opts) {
      await client.send('resolution.set', { fingerprint: r.fingerprint, runId, status: r.status, note: r.note ?? '', undoable: opts?.undoable ?? true });
    },
    async applyResolutions(next, label, runId) {
      await client.send('resolutions.apply', {
        runId,
        label,
        changes: next.map((r) => ({ fingerprint: r.fingerprint, status: r.status, note: r.note ?? '' })),
      });
    },
    async undoLast() {
      const done = await client.send('resolutions.undo', {});
      return done ? { label: done.label, restored: done.restored.map((r): Resolution => ({ fingerprint: r.fingerprint, status: r.status, ...(r.note ? { note: r.note } : {}), updatedAt: '' })) } : null;
    },
    signOff: (runId, by, note) => client.send('runs.signOff', { runId, by, note }),
    async lastUndo() {
      return (await client.send('resolutions.undoable', {})).label;
    },
    async deleteResolution(fingerprint, runId) {
      await client.send('resolution.set', { fingerprint, runId, status: 'open', note: '' });
    },
    async listMappings() {
      return client.send('mappings.list', {});
    },
    async putMapping(m) {
      await client.send('mappings.set', { kind: m.kind, platform: m.platform, cw: m.cw, cwId: m.cwId });
    },
    async deleteMapping(kind, platform) {
      await client.send('mappings.delete', { kind, platform });
    },
    listMappingConflicts: () => client.send('mappings.conflicts', {}),
    resolveMappingConflict: (kind, platform, keep) => client.send('mappings.resolveConflict', { kind, platform, keep }),
    async reopenMappingConflict(kind, platform, setAside) {
      await client.send('mappings.reopenConflict', { kind, platform, setAside });
    },
    async health() {
      return client.send('health.check', {});
    },
    async listDictionary() {
      return client.send('dictionary.list', {});
    },
    async putDictionaryEntry(e) {
      await client.send('dictionary.add', {
        entry: { platform: e.platform, connectwise: e.connectwise, kind: e.kind, explanation: e.explanation, guideSection: e.guideSection },
      });
    },
    async deleteDictionaryEntry(id) {
      await client.send('dictionary.remove', { id });
    },
    invoicingReadiness: (thruDate) => client.send('invoicing.readiness', { thruDate }),
    async readerConfig() {
      return (await client.send('settings.get', {})).reconcile;
    },
    storeFiles: (captures) => storeFiles(client, captures),
    onPageChange(cb) {
      return client.onEvent((ev) => {
        if (ev.event === 'page.changed') cb(ev.context);
      });
    },
    onRunsChanged(cb) {
      return client.onEvent((ev) => {
        if (ev.event === 'data.changed' && ev.stores.includes('runs')) cb();
      });
    },
  };
}

/**
 * `request` is the page's own `permissions.request` (it must run inside the click's gesture,
 * before any await), passed in so this stays testable.
 */
export function createProtocolOptionsApi(client: Client, request: (origins: string[]) => Promise<boolean>): OptionsApi {
  return {
    getSettings: () => client.send('settings.get', {}),
    saveSettings: (patch) => client.send('settings.set', { patch }),
    testConnection: (draft) => client.send('cw.test', { draft }),
    async requestHostPermission(origins) {
      const granted = await request(origins);
      if (granted) await client.send('hosts.sync', {});
      return granted;
    },
    exportData: () => client.send('data.export', {}),
    previewImport: (json, mode) => client.send('data.importPreview', { json, mode }),
    async importData(json, mode, deleteUnreadable) {
      return (await client.send('data.import', { json, mode, ...(deleteUnreadable ? { deleteUnreadable } : {}) })).imported;
    },
    async clearAll() {
      await client.send('data.clear', { confirm: true });
    },
  };
}
