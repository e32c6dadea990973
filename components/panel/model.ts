import { batch, computed, effect, signal } from '@preact/signals';
import type {
  Resolution,
  CaptureSummary,
  DictionaryEntry,
  NewDictionaryEntry,
  HealthCheck,
  PageContext,
  PanelApi,
  Progress,
  RunSummary,
  StartInfo,
  PanelRun,
} from '../api';
import { captureLabel, captureShort } from '../captures';
import { diffRuns } from '../../core/app/run-diff';
import type { FindingsDiff, Finding, Mapping, MappingConflict, MappingSource } from '../../core/model';
import { createFindingsModel, readPages } from '../findings/model';
import { pageNoteDrafts, unsavedDrafts, type NoteDrafts } from '../findings/drafts';
import type { FindingsModel } from '../findings/model';
import { createInvoicingModel } from './invoicing-model';
import { createFileImportModel } from './file-import';

export type PanelView = 'start' | 'results' | 'money' | 'invoicing' | 'runs' | 'mappings' | 'health' | 'dictionary';

export interface TaskState {
  kind: 'capture' | 'pull' | 'reconcile';
  progress: Progress;
}

const TASK_WORDS: Record<TaskState['kind'], string> = { capture: 'Capture', pull: 'API pull', reconcile: 'Reconcile' };

function message(e: unknown): string {
  // The background went away (the extension was updated or reloaded under this panel).
  if (e instanceof Error && (e as { code?: unknown }).code === 'unavailable') {
    return 'The extension’s background is not answering (it may have just been updated). Close and reopen the side panel, then try again.';
  }
  return e instanceof Error ? e.message : String(e);
}

function isAbort(e: unknown): boolean {
  return e instanceof Error && e.name === 'AbortError';
}

/**
 * The side panel's state. Everything goes through the injected api; views only read signals and
 * call these actions. Loading of each secondary view is lazy (on first open).
 */
export function createPanelModel(
  api: PanelApi,
  now: () => Date = () => new Date(),
  /** Notes as typed, kept until the background has them (the extension page's own storage). */
  drafts: NoteDrafts | undefined = pageNoteDrafts(),
) {
  const view = signal<PanelView>('start');
  const start = signal<StartInfo | null>(null);
  const loading = signal(false);
  const error = signal<string | null>(null);
  const notice = signal<string | null>(null);
  /** The notice shown while a newer run waits for the open finding to close. */
  let waitingNotice: string | null = null;
  /** A notice about data read only in part is a warning, not information. */
  const noticeTone = signal<'info' | 'warn'>('info');
  const task = signal<TaskState | null>(null);
  const run = signal<PanelRun | null>(null);
  const findings = signal<FindingsModel | null>(null);
  const runs = signal<RunSummary[]>([]);
  const previousRun = signal<PanelRun | null>(null);
  const mappings = signal<Mapping[]>([]);
  /** The store's own verdict on which mappings disagree (one rule, in the background's storage). */
  const mappingConflicts = signal<MappingConflict[]>([]);
  /** The conflict the user settled last: the mapping kept and the one set aside, until undone. */
  const settledConflict = signal<{ kept: Mapping; setAside: Mapping } | null>(null);
  /** A run stored elsewhere that waits for the user to finish with the finding they have open. */
  const newerRun = signal<RunSummary | null>(null);
  const loadMappings = async () => {
    [mappings.value, mappingConflicts.value] = await Promise.all([api.listMappings(), api.listMappingConflicts()]);
  };
  const health = signal<HealthCheck[] | null>(null);
  const dictionary = signal<DictionaryEntry[]>([]);
  const invoicing = createInvoicingModel(api, message);
  // Files handed in to the panel: previewed, then stored as captures like any other.
  const files = createFileImportModel(api, {
    parseHtml: (html) => new DOMParser().parseFromString(html, 'text/html'),
    onStored: async (stored) => {
      const partial = stored.some((c) => !c.complete);
      batch(() => {
        noticeTone.value = partial ? 'warn' : 'info';
        notice.value = `Stored from files: ${stored.map((c) => `${captureLabel(c)} (${c.rows} rows)`).join('; ')}.${partial ? ' Some of it was read only in part: it is kept as partial.' : ''}`;
      });
      await model.refreshStart();
    },
  });
  let controller: AbortController | null = null;

  const diff = computed<FindingsDiff<Finding> | null>(() => {
    const cur = run.value;
    const prev = previousRun.value;
    // A run read back in pages is compared once all of it is read.
    if (findings.value?.reading.value || (prev?.pages && prev.report.findings.length < prev.pages.total)) return null;
    return cur && prev ? diffRuns(prev.report.findings, cur.report.findings) : null;
  });

  /**
   * Saves the notes typed before the panel last closed that the background never received (the
   * page went inside the typing pause and its last message was lost); answers the resolutions
   * with them in.
   */
  async function saveDrafts(resolutions: Resolution[]): Promise<Resolution[]> {
    if (!drafts) return resolutions;
    const byFp = new Map(resolutions.map((r) => [r.fingerprint, r]));
    const lost: string[] = [];
    for (const d of unsavedDrafts(drafts.list(), byFp)) {
      const before = byFp.get(d.fingerprint);
      const next: Resolution = { ...before, fingerprint: d.fingerprint, status: before?.status ?? 'open', updatedAt: now().toISOString() };
      if (d.note.trim()) next.note = d.note.trim();
      else delete next.note;
      try {
        await api.putResolution(next, d.runId, { undoable: false });
        byFp.set(d.fingerprint, next);
      } catch (e) {
        lost.push(`“${d.note.trim()}” (${message(e)})`);
      }
    }
    for (const d of drafts.list()) drafts.drop(d.fingerprint, d.note);
    if (lost.length) error.value = `A note typed before the panel closed could not be saved: ${lost.join('; ')}`;
    return [...byFp.values()];
  }

  /** A signed-off run shows the verdicts it was signed off with; later ones do not change it. */
  function signedResolutions(stored: PanelRun): Resolution[] | undefined {
    return stored.signOff?.resolutions;
  }

  /** The run being opened: a broadcast of its own storing must not open it a second time. */
  let openingRunId: string | null = null;

  async function showRun(stored: PanelRun) {
    openingRunId = stored.id;
    // A note still waiting for its typing pause is saved before the model holding it goes.
    await findings.peek()?.flushNote();
    const live = await saveDrafts(await api.listResolutions());
    const resolutions = signedResolutions(stored) ?? live;
    const heldUndo = api.lastUndo ? await api.lastUndo().catch(() => null) : null;
    const list = await api.listRuns();
    const idx = list.findIndex((r) => r.id === stored.id);
    const prevSummary = idx >= 0 ? list[idx + 1] : list.find((r) => r.id !== stored.id && r.createdAt < stored.createdAt);
    const prev = prevSummary ? await api.getRun(prevSummary.id) : null;
    batch(() => {
      run.value = stored;
      runs.value = list;
      previousRun.value = prev;
      findings.value = createFindingsModel(stored, resolutions, api, now, heldUndo, drafts);
    });
    // The previous run is read whole after this one shows (the comparison waits for it).
    if (prev?.pages && prev.report.findings.length < prev.pages.total) {
      const paged = { ...prev, pages: prev.pages };
      void readPages(paged)
        .then(() => {
          if (previousRun.peek() === prev) previousRun.value = paged;
        })
        .catch((e: unknown) => {
          if (previousRun.peek() === prev) error.value = `The previous run could not be read for the comparison: ${message(e)}`;
        });
    }
  }

  /** The user is in the middle of the findings: one is open in the detail, or some are ticked. */
  function busyWithFindings(): boolean {
    const m = findings.peek();
    return !!m && (m.selectedKey.peek() !== null || m.checked.peek().size > 0);
  }

  async function guard<T>(fn: () => Promise<T>): Promise<T | undefined> {
    try {
      error.value = null;
      return await fn();
    } catch (e) {
      error.value = message(e);
      return undefined;
    }
  }

  async function runTask<T>(kind: TaskState['kind'], fn: (signal: AbortSignal, onProgress: (p: Progress) => void) => Promise<T>) {
    if (task.value) return undefined;
    controller = new AbortController();
    const { signal: abort } = controller;
    batch(() => {
      task.value = { kind, progress: { done: 0 } };
      error.value = null;
      notice.value = null;
      noticeTone.value = 'info';
    });
    try {
      return await fn(abort, (p) => {
        if (!abort.aborted) task.value = { kind, progress: p };
      });
    } catch (e) {
      if (isAbort(e) || abort.aborted) notice.value = `${TASK_WORDS[kind]} cancelled; nothing was saved from it.`;
      else error.value = message(e);
      return undefined;
    } finally {
      task.value = null;
      controller = null;
    }
  }

  const model = {
    view,
    start,
    loading,
    error,
    notice,
    noticeTone,
    task,
    run,
    findings,
    runs,
    previousRun,
    diff,
    mappings,
    mappingConflicts,
    settledConflict,
    newerRun,
    health,
    dictionary,
    /** Agreement Invoicing readiness (its own small model; see invoicing-model.ts). */
    invoicing,
    /** Files handed in by picker or drop (see file-import.ts). */
    files,

    async load() {
      loading.value = true;
      await guard(async () => {
        const s = await api.getStart();
        start.value = s;
        if (s.lastRun && !run.value) {
          const stored = await api.getRun(s.lastRun.id);
          if (stored) await showRun(stored);
        }
      });
      loading.value = false;
    },

    /** Re-reads the start screen (after a page change or a data change elsewhere). */
    async refreshStart() {
      await guard(async () => {
        start.value = await api.getStart();
      });
    },

    /** Shows one finding (a badge click on the ConnectWise page asked for it). */
    focus(fingerprint: string | undefined) {
      const m = findings.value;
      view.value = 'results';
      if (!m || !fingerprint) return;
      if (!m.filtered.value.some((i) => i.key === fingerprint)) {
        m.clearFilters();
        m.setFilters({ resolved: 'all' });
      }
      m.select(fingerprint);
      // A finding the panel has not read yet (a large run still coming in) is read with its own
      // page and opened, not after every page before it.
      if (m.selectedKey.peek() !== fingerprint) {
        void m.reveal(fingerprint).then((found) => {
          if (found && findings.peek() === m && m.selectedKey.peek() === null) m.select(fingerprint);
        });
      }
    },

    setPage(page: PageContext) {
      if (start.value) start.value = { ...start.value, page };
    },

    async capture(): Promise<CaptureSummary | undefined> {
      const summary = await runTask('capture', (signal, onProgress) => api.capture({ signal, onProgress }));
      if (summary) {
        const short = !summary.complete || captureShort(summary);
        noticeTone.value = short ? 'warn' : 'info';
        notice.value = short
          ? `Captured ${summary.rows}${summary.gridTotal !== undefined ? ` of ${summary.gridTotal}` : ''} rows from ${captureLabel(summary)}: some rows were not read. It is kept as partial beside any complete capture; capture again.`
          : `Captured ${summary.rows} rows from ${captureLabel(summary)}.`;
        await guard(async () => {
          start.value = await api.getStart();
        });
      }
      return summary;
    },

    async pull(): Promise<CaptureSummary | undefined> {
      const summary = await runTask('pull', (signal, onProgress) => api.pull({ signal, onProgress }));
      if (summary) {
        noticeTone.value = summary.complete ? 'info' : 'warn';
        notice.value = !summary.complete
          ? `The ConnectWise API pull stopped part-way (${summary.rows} Additions read). It is kept as partial beside the last complete pull, which still counts; pull again.`
          : `Read ${summary.rows} Additions from the ConnectWise API.`;
        await model.refreshStart();
      }
      return summary;
    },

    async reconcile(): Promise<PanelRun | undefined> {
      const stored = await runTask('reconcile', async (signal, onProgress) => {
        const made = await api.reconcile({ signal, onProgress });
        // Claimed before the task ends, so the broadcast of this very run cannot open it twice.
        if (made) openingRunId = made.id;
        return made;
      });
      if (stored) {
        await guard(() => showRun(stored));
        view.value = 'results';
        await guard(async () => {
          start.value = await api.getStart();
        });
      }
      return stored;
    },

    cancel() {
      controller?.abort();
    },

    /** Saves notes still in their typing pause now (the panel is being hidden or closed). */
    flushNotes(): Promise<void> {
      return findings.peek()?.flushNote() ?? Promise.resolve();
    },

    /** Signs the month off on the shown run: who and a note; the run is frozen from then on. */
    async signOff(by: string, note: string) {
      const current = run.value;
      if (!current || !api.signOff) return;
      if (!by.trim()) {
        error.value = 'Say who signs the month off.';
        return;
      }
      await guard(async () => {
        await findings.peek()?.flushNote();
        const signOff = await api.signOff!(current.id, by.trim(), note.trim() || undefined);
        await showRun({ ...current, signOff });
        noticeTone.value = 'info';
        notice.value = `Signed off by ${signOff.by}. The run is frozen and the sign-off is in the printable evidence.`;
      });
    },

    async openRun(id: string) {
      await guard(async () => {
        const stored = await api.getRun(id);
        if (!stored) throw new Error('That run is no longer stored.');
        await showRun(stored);
        view.value = 'results';
      });
    },

    async show(next: PanelView) {
      view.value = next;
      await findings.peek()?.flushNote();
      if (next === 'runs') await guard(async () => void (runs.value = await api.listRuns()));
      if (next === 'mappings') await guard(loadMappings);
      if (next === 'health') await model.refreshHealth();
      if (next === 'dictionary') await guard(async () => void (dictionary.value = await api.listDictionary()));
      if (next === 'invoicing') {
        // The default Thru Date comes from the working month, so the start info must be there first.
        if (!start.value) await model.refreshStart();
        await invoicing.open(start.value?.month);
      }
    },

    async refreshHealth() {
      health.value = null;
      await guard(async () => void (health.value = await api.health()));
    },

    async saveMapping(entry: Pick<Mapping, 'kind' | 'platform' | 'cw' | 'cwId'>) {
      await guard(async () => {
        const at = now().toISOString();
        await api.putMapping({ ...entry, source: 'user', createdAt: at, updatedAt: at });
        await loadMappings();
      });
    },

    /** Keeps one side of a conflict; the other is set aside and `undoConflict` brings it back. */
    async resolveConflict(conflict: MappingConflict, keep: MappingSource) {
      if (!api.resolveMappingConflict) return;
      await guard(async () => {
        settledConflict.value = await api.resolveMappingConflict!(conflict.kind, conflict.name, keep);
        await loadMappings();
      });
    },

    async undoConflict() {
      const settled = settledConflict.value;
      if (!settled || !api.reopenMappingConflict) return;
      await guard(async () => {
        await api.reopenMappingConflict!(settled.setAside.kind, settled.setAside.platform, settled.setAside);
        settledConflict.value = null;
        await loadMappings();
      });
    },

    /**
     * Runs were stored or removed elsewhere (another window, the options page). The run list
     * follows at once; a newer run replaces the shown one only when the panel was showing the
     * latest, and waits while the user has a finding open or ticked (it opens when they are done).
     */
    async runsChanged() {
      await guard(async () => {
        const before = runs.peek();
        const list = await api.listRuns();
        const current = run.peek();
        const followingLatest = !current || before.length === 0 || before[0]?.id === current.id;
        runs.value = list;
        start.value = await api.getStart();
        const newest = list[0];
        const isNewer = !!newest && newest.id !== current?.id && newest.id !== openingRunId && (!current || newest.createdAt > current.createdAt);
        if (!isNewer || !followingLatest || task.peek()) {
          newerRun.value = null;
          return;
        }
        if (busyWithFindings()) {
          newerRun.value = newest;
          noticeTone.value = 'info';
          notice.value = `A newer run (${newest.createdAt.slice(0, 16).replace('T', ' ')}) was stored elsewhere; it opens once no finding is open or ticked.`;
          waitingNotice = notice.value;
          return;
        }
        await model.openNewerRun(newest);
      });
    },

    /** Shows the newer run stored elsewhere, keeping the view the user is on. */
    async openNewerRun(summary: RunSummary | null = newerRun.peek()) {
      if (!summary) return;
      newerRun.value = null;
      // The notice promised this run; once it opens the promise is kept and the words go.
      if (waitingNotice !== null && notice.peek() === waitingNotice) notice.value = null;
      waitingNotice = null;
      await guard(async () => {
        const stored = await api.getRun(summary.id);
        if (stored) await showRun(stored);
      });
    },

    async deleteMapping(entry: Mapping) {
      await guard(async () => {
        await api.deleteMapping(entry.kind, entry.platform);
        await loadMappings();
      });
    },

    async addDictionaryEntry(entry: NewDictionaryEntry) {
      const platform = entry.platform.trim();
      const connectwise = entry.connectwise.trim();
      if (!platform || !connectwise) {
        error.value = 'Give both the Platform term and the ConnectWise term.';
        return;
      }
      await guard(async () => {
        await api.putDictionaryEntry({
          ...entry,
          platform,
          connectwise,
          explanation: entry.explanation.trim(),
        });
        dictionary.value = await api.listDictionary();
      });
    },

    async deleteDictionaryEntry(id: string) {
      await guard(async () => {
        await api.deleteDictionaryEntry(id);
        dictionary.value = await api.listDictionary();
      });
    },
  };
  // A run waiting for the open finding opens once it is closed and nothing is ticked.
  effect(() => {
    const m = findings.value;
    if (!m || !newerRun.value) return;
    if (m.selectedKey.value === null && m.checked.value.size === 0) queueMicrotask(() => void model.openNewerRun());
  });
  api.onRunsChanged?.(() => void model.runsChanged());
  return model;
}

export type PanelModel = ReturnType<typeof createPanelModel>;
