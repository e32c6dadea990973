import { batch, computed, signal } from '@preact/signals';
import type { ReadonlySignal } from '@preact/signals';
import type { FindingKind, Severity } from '../../core/model';
import { sumStakes, type Stake } from '../../core/money/stake';
import type { Resolution, ResolutionStatus, RunPages, PanelRun } from '../api';
import { findingKeys } from '../../core/report/run-export';
import { findingFingerprint } from './fingerprint';
import type { NoteDrafts } from './drafts';
import { sortItems, toItems, type FindingItem } from '../../core/app/finding-order';
import { kindLabel } from './words';
import { beyondOrder, nextSlice, type RunPage } from './paging';

// The order and grouping are shared with the background, which pages a stored run out in it.
export { sortItems, toItems, type FindingItem };

export type ResolvedFilter = 'open' | 'resolved' | 'ignored' | 'all';

export interface FindingFilters {
  kinds: ReadonlySet<FindingKind>;
  severities: ReadonlySet<Severity>;
  company: string | null;
  resolved: ResolvedFilter;
  search: string;
  /** `tree`: company → agreement by name; `amount`: largest amount at stake first at every level. */
  sort: FindingSort;
}

export type FindingSort = 'tree' | 'amount';

export type FindingRow =
  | {
      type: 'company';
      key: string;
      label: string;
      count: number;
      expanded: boolean;
      companyId?: number;
      /** Amount at stake of the findings shown, per currency. */
      stakes: Record<string, number>;
      /** Review progress over all the company's findings, whatever the filters show. */
      reviewed: number;
      total: number;
    }
  | { type: 'agreement'; key: string; label: string; count: number; expanded: boolean; agreementId?: number; stakes: Record<string, number> }
  | { type: 'finding'; key: string; item: FindingItem; resolution?: Resolution };

export interface ResolutionStore {
  /** `undoable: false` for a note saved while typing: it is kept, but is no step to undo. */
  putResolution(r: Resolution, runId?: string, opts?: { undoable?: boolean }): Promise<void>;
  deleteResolution(fingerprint: string, runId?: string): Promise<void>;
  /**
   * One user action over many findings, stored as one undo step where the store keeps undo
   * itself (the background does, so an undo outlives the panel and the service worker).
   */
  applyResolutions?(next: Resolution[], label: string, runId?: string): Promise<void>;
  /** Puts back the last stored step; answers its label and the states it restored. */
  undoLast?(): Promise<{ label: string; restored: Resolution[] } | null>;
}

/** Findings per message when the rest of a paged run is read. */
export const READ_PAGE = 1000;

/** While a run is read, how often the list takes in what has come (each time, its groups and counts are worked out again). */
export const LIST_GROWS_MS = 1000;

type PagedRun = Pick<PanelRun, 'report' | 'fingerprints' | 'keys'> & { pages: RunPages };

/**
 * Reads the rest of a run read back in pages, a page per message, appending each to the run's
 * report, fingerprints and keys in order (and handing it to `onPage`); settles when the run is whole.
 */
export async function readPages(run: PagedRun, onPage: (page: RunPage) => void = () => undefined): Promise<void> {
  const { pages, report } = run;
  const fingerprints = run.fingerprints ?? (run.fingerprints = report.findings.map(findingFingerprint));
  const keys = run.keys ?? (run.keys = findingKeys(fingerprints));
  while (report.findings.length < pages.total) {
    const page = await pages.load(report.findings.length, READ_PAGE);
    if (page.findings.length === 0) throw new Error(`the run ended after ${report.findings.length} of ${pages.total} findings`);
    report.findings.push(...page.findings);
    fingerprints.push(...page.fingerprints);
    keys.push(...page.keys);
    onPage(page);
  }
}

/** How long typing may pause before the note is saved. */
export const NOTE_SAVE_DELAY_MS = 400;

const EMPTY_FILTERS: FindingFilters = {
  kinds: new Set(),
  severities: new Set(),
  company: null,
  resolved: 'open',
  search: '',
  sort: 'tree',
};

/** For ordering only: a group's largest single-currency total (currencies are never added). */
function stakeWeight(items: readonly FindingItem[]): number {
  const totals = Object.values(sumStakes(items.flatMap((i) => (i.stake ? [i.stake] : []))));
  return totals.length ? Math.max(...totals) : 0;
}

/**
 * Orders already grouped items by amount at stake: companies, their agreements and the findings
 * in each, largest first; ties keep the tree's order, so the grouping stays contiguous.
 */
export function sortByStake(items: readonly FindingItem[]): FindingItem[] {
  const companies = new Map<string, Map<string, FindingItem[]>>();
  for (const i of items) {
    let c = companies.get(i.companyKey);
    if (!c) companies.set(i.companyKey, (c = new Map()));
    const a = c.get(i.agreementKey);
    if (a) a.push(i);
    else c.set(i.agreementKey, [i]);
  }
  const weighed = <T>(list: T[], weight: (t: T) => number) =>
    list
      .map((t, index) => ({ t, index, w: weight(t) }))
      .sort((x, y) => y.w - x.w || x.index - y.index)
      .map((x) => x.t);
  const out: FindingItem[] = [];
  for (const c of weighed([...companies.values()], (c) => stakeWeight([...c.values()].flat()))) {
    for (const a of weighed([...c.values()], stakeWeight)) for (const i of weighed(a, (i) => i.stake?.amount ?? 0)) out.push(i);
  }
  return out;
}

const haystacks = new WeakMap<FindingItem, string>();

/** Lower-cased text the search box matches against; built on the first search, then kept. */
export function haystackOf(i: FindingItem): string {
  let h = haystacks.get(i);
  if (h === undefined) {
    const f = i.finding;
    h = [f.message, f.fix, f.lineId, f.additionId, f.agreementId, f.organization, f.productIdentifier, f.field, f.expected, f.actual, kindLabel(f.kind), i.companyLabel, i.agreementLabel]
      .filter((v) => v !== undefined && v !== null)
      .join(' ')
      .toLowerCase();
    haystacks.set(i, h);
  }
  return h;
}

/** A finding's status: one with no stored resolution is open. */
export function statusOf(r: Resolution | undefined): ResolutionStatus {
  return r?.status ?? 'open';
}

/** A resolution worth keeping: a verdict, or a note on an open finding. */
function kept(r: Resolution): boolean {
  return r.status !== 'open' || !!r.note;
}

function statusMatches(filter: ResolvedFilter, r: Resolution | undefined): boolean {
  return filter === 'all' || statusOf(r) === filter;
}

/**
 * State behind the findings view: filters, grouping into company → agreement → finding rows
 * (flat, for the windowed list), selection, and resolve / ignore / note with undo, persisted
 * through the injected store by fingerprint.
 */
export function createFindingsModel(
  run: Pick<PanelRun, 'report' | 'names' | 'fingerprints' | 'keys' | 'pages'> & { id?: string; signOff?: PanelRun['signOff'] },
  initialResolutions: Resolution[] = [],
  store?: ResolutionStore,
  now: () => Date = () => new Date(),
  /** The label of an undo step the store still holds from before this model (a restart). */
  storedUndo: string | null = null,
  /** Where each keystroke of a note is kept until the store has it (see drafts.ts). */
  drafts?: NoteDrafts,
) {
  // A run read in pages comes in the order it is listed in; the rest is appended as it is read.
  const items = run.pages ? toItems(run) : sortItems(toItems(run));
  const byKey = new Map(items.map((i) => [i.key, i]));
  const fps = new Set(items.map((i) => i.fp));
  /** How many findings are read: what depends on the whole list is worked out again as it grows. */
  const itemsRead = signal(items.length);
  const resolutions = signal(new Map(initialResolutions.map((r) => [r.fingerprint, r])));
  const filters = signal<FindingFilters>(EMPTY_FILTERS);
  const collapsed = signal<ReadonlySet<string>>(new Set());
  const selectedKey = signal<string | null>(null);
  const undoStack = signal<Array<{ changes: Array<{ fp: string; before: Resolution | undefined }>; label: string }>>([]);
  /** An undo step kept by the store from an earlier session; only the store can put it back. */
  const heldUndo = signal<string | null>(store?.undoLast ? storedUndo : null);
  const error = signal<string | null>(null);
  const checked = signal<ReadonlySet<string>>(new Set());
  let anchor: string | null = null;
  const noteTimers = new Map<string, ReturnType<typeof setTimeout>>();

  /**
   * What the filters showed of the findings read so far: while a run is read, the findings only
   * grow at the end of the list, so with the same filters and verdicts only the new ones are tested.
   */
  let shownSoFar: { f: FindingFilters; res: ReadonlyMap<string, Resolution>; upTo: number; shown: FindingItem[] } | null = null;
  const filtered = computed(() => {
    const upTo = itemsRead.value;
    const f = filters.value;
    const res = resolutions.value;
    const q = f.search.trim().toLowerCase();
    const terms = q ? q.split(/\s+/) : [];
    const test = (i: FindingItem) =>
      (f.kinds.size === 0 || f.kinds.has(i.finding.kind)) &&
      (f.severities.size === 0 || f.severities.has(i.finding.severity)) &&
      (f.company === null || f.company === i.companyKey) &&
      statusMatches(f.resolved, res.get(i.fp)) &&
      (terms.length === 0 || terms.every((t) => haystackOf(i).includes(t)));
    const before = shownSoFar && shownSoFar.f === f && shownSoFar.res === res && shownSoFar.upTo <= upTo ? shownSoFar : null;
    const shown = before ? before.shown.slice() : [];
    for (let n = before ? before.upTo : 0; n < upTo; n++) if (test(items[n]!)) shown.push(items[n]!);
    shownSoFar = { f, res, upTo, shown };
    return f.sort === 'amount' ? sortByStake(shown) : shown;
  });

  /** Per company: how many of its findings are resolved or ignored, of all it has. */
  // Like the filtered list, the per-company progress and the counts only grow at the end while a
  // run is read: with the same verdicts, only the findings listed since are counted.
  let progressSoFar: { res: ReadonlyMap<string, Resolution>; upTo: number; out: Map<string, { reviewed: number; total: number }> } | null = null;
  const progress = computed(() => {
    const upTo = itemsRead.value;
    const res = resolutions.value;
    const before = progressSoFar && progressSoFar.res === res && progressSoFar.upTo <= upTo ? progressSoFar : null;
    const out = new Map(before?.out);
    const copied = new Set<string>();
    for (let n = before ? before.upTo : 0; n < upTo; n++) {
      const i = items[n]!;
      let p = out.get(i.companyKey);
      if (!p || !copied.has(i.companyKey)) {
        out.set(i.companyKey, (p = { reviewed: p?.reviewed ?? 0, total: p?.total ?? 0 }));
        copied.add(i.companyKey);
      }
      p.total++;
      if (statusOf(res.get(i.fp)) !== 'open') p.reviewed++;
    }
    progressSoFar = { res, upTo, out };
    return out;
  });

  const rows = computed<FindingRow[]>(() => {
    const list = filtered.value;
    const closed = collapsed.value;
    const res = resolutions.value;
    const reviewed = progress.value;
    // Each company's and agreement's findings are one stretch of the list (both orders keep the
    // grouping contiguous), so a group's count is its stretch's length, and its amount at stake
    // is summed only when its row is drawn: a long list draws a few dozen rows at a time.
    const stakesOf = (from: number, to: number) => {
      let sum: Record<string, number> | undefined;
      return () => {
        if (sum) return sum;
        const stakes: Stake[] = [];
        for (let n = from; n < to; n++) if (list[n]!.stake) stakes.push(list[n]!.stake!);
        return (sum = sumStakes(stakes));
      };
    };
    const out: FindingRow[] = [];
    let n = 0;
    while (n < list.length) {
      const c = list[n]!;
      let cEnd = n + 1;
      while (cEnd < list.length && list[cEnd]!.companyKey === c.companyKey) cEnd++;
      const cStakes = stakesOf(n, cEnd);
      const p = reviewed.get(c.companyKey);
      out.push({
        type: 'company',
        key: c.companyKey,
        label: c.companyLabel,
        count: cEnd - n,
        expanded: !closed.has(c.companyKey),
        companyId: c.companyId,
        get stakes() {
          return cStakes();
        },
        reviewed: p?.reviewed ?? 0,
        total: p?.total ?? 0,
      });
      if (!closed.has(c.companyKey)) {
        let a = n;
        while (a < cEnd) {
          const first = list[a]!;
          let aEnd = a + 1;
          while (aEnd < cEnd && list[aEnd]!.agreementKey === first.agreementKey) aEnd++;
          const aStakes = stakesOf(a, aEnd);
          out.push({
            type: 'agreement',
            key: first.agreementKey,
            label: first.agreementLabel,
            count: aEnd - a,
            expanded: !closed.has(first.agreementKey),
            agreementId: first.agreementId,
            get stakes() {
              return aStakes();
            },
          });
          if (!closed.has(first.agreementKey)) {
            for (let k = a; k < aEnd; k++) {
              const i = list[k]!;
              out.push({ type: 'finding', key: i.key, item: i, resolution: res.get(i.fp) });
            }
          }
          a = aEnd;
        }
      }
      n = cEnd;
    }
    return out;
  });

  let countsSoFar: { res: ReadonlyMap<string, Resolution>; upTo: number; c: { open: number; resolved: number; ignored: number; error: number; warn: number; info: number } } | null = null;
  const counts = computed(() => {
    const upTo = itemsRead.value;
    const res = resolutions.value;
    const before = countsSoFar && countsSoFar.res === res && countsSoFar.upTo <= upTo ? countsSoFar : null;
    const c = before ? { ...before.c } : { open: 0, resolved: 0, ignored: 0, error: 0, warn: 0, info: 0 };
    for (let n = before ? before.upTo : 0; n < upTo; n++) {
      const i = items[n]!;
      const s = statusOf(res.get(i.fp));
      if (s !== 'open') c[s]++;
      else {
        c.open++;
        c[i.finding.severity]++;
      }
    }
    countsSoFar = { res, upTo, c };
    return { total: upTo, ...c, shown: filtered.value.length };
  });

  const companySeen = new Map<string, string>();
  let companyList: { key: string; label: string }[] = [];
  let companiesUpTo = 0;
  const companies = computed(() => {
    const upTo = itemsRead.value;
    const grown = companySeen.size;
    for (; companiesUpTo < upTo; companiesUpTo++) {
      const i = items[companiesUpTo]!;
      if (!companySeen.has(i.companyKey)) companySeen.set(i.companyKey, i.companyLabel);
    }
    if (companySeen.size !== grown || companyList.length !== companySeen.size) companyList = [...companySeen].map(([key, label]) => ({ key, label }));
    return companyList;
  });

  const kindsPresent = [...new Set(items.map((i) => i.finding.kind))].sort();

  /** Findings read so far, listed or about to be. */
  const readSoFar = signal(items.length);
  /** While a run is still being read: how many of its findings are here, of how many. */
  const reading = computed(() => (run.pages && itemsRead.value < run.pages.total ? { read: readSoFar.value, total: run.pages.total } : null));

  const itemsOf = (page: RunPage) =>
    toItems({ report: { findings: page.findings, names: run.report.names }, names: run.names, fingerprints: page.fingerprints, keys: page.keys });
  /** Pages read ahead of the reader (a finding asked for by a badge), by offset: the reader takes them as they are. */
  const ahead = new Map<number, RunPage>();
  /** Findings of those pages, opened before the list reaches them. */
  const aheadItems = new Map<string, FindingItem>();

  /**
   * Reads the rest of a paged run, a page per message, each in its own slice of idle time so
   * the panel answers input between them. Pages are appended in order (the background lists them
   * so) and the list takes what has come at most every LIST_GROWS_MS, so what depends on the
   * whole list is worked out a few times, not once per page. The report and fingerprints fill in
   * too, so exports and comparisons see the whole run once it is read.
   */
  async function readRest(pages: RunPages) {
    let waiting: FindingItem[] = [];
    let listedAt = performance.now();
    const list = () => {
      for (const i of waiting) {
        items.push(i);
        byKey.set(i.key, i);
        fps.add(i.fp);
        aheadItems.delete(i.key);
        if (!kindsPresent.includes(i.finding.kind)) kindsPresent.push(i.finding.kind);
      }
      waiting = [];
      kindsPresent.sort();
      batch(() => {
        itemsRead.value = items.length;
        readSoFar.value = items.length;
      });
      listedAt = performance.now();
    };
    const paced: RunPages = {
      ...pages,
      async load(offset, limit) {
        for (const at of ahead.keys()) if (at < offset) ahead.delete(at);
        const early = ahead.get(offset);
        if (early && early.findings.length > 0) return early;
        await nextSlice();
        return pages.load(offset, limit);
      },
    };
    try {
      await readPages({ ...run, pages: paced }, (page) => {
        for (const i of itemsOf(page)) waiting.push(i);
        readSoFar.value = items.length + waiting.length;
        if (performance.now() - listedAt >= LIST_GROWS_MS) list();
      });
      list();
    } catch (e) {
      list();
      error.value = `Read ${items.length} of ${pages.total} findings; the rest could not be read: ${e instanceof Error ? e.message : String(e)}`;
    }
  }
  const whole = run.pages && items.length < run.pages.total ? readRest(run.pages) : Promise.resolve();

  // A finding the filters hide is not shown as selected: a search with no match shows none. One
  // read ahead of the list (opened from a badge) is shown while the list has not reached it.
  const selected = computed(() => {
    const key = selectedKey.value;
    // Once the list reaches a finding opened ahead of it, the listed one is shown.
    void itemsRead.value;
    const early = key ? aheadItems.get(key) : undefined;
    if (early) return { item: early, resolution: resolutions.value.get(early.fp) };
    const item = key ? byKey.get(key) : undefined;
    if (!item || !filtered.value.includes(item)) return null;
    return { item, resolution: resolutions.value.get(item.fp) };
  });

  function cancelNoteSave(fp: string) {
    const t = noteTimers.get(fp);
    if (t !== undefined) clearTimeout(t);
    noteTimers.delete(fp);
  }

  function stored(r: Resolution): Resolution {
    return r.note === undefined ? r : { ...r, note: r.note.trim() || undefined };
  }

  async function persist(changes: Array<{ fp: string; next: Resolution | undefined }>, label?: string) {
    for (const { fp } of changes) cancelNoteSave(fp);
    if (!store) return;
    try {
      if (store.applyResolutions && label && changes.length > 0) {
        await store.applyResolutions(
          changes.map(({ fp, next }) => (next ? stored(next) : { fingerprint: fp, status: 'open' as const, updatedAt: now().toISOString() })),
          label,
          run.id,
        );
        heldUndo.value = null;
      } else {
        for (const { fp, next } of changes) {
          if (next) await store.putResolution(stored(next), run.id);
          else await store.deleteResolution(fp, run.id);
        }
      }
      // The verdict carried the note as typed: its draft is stored now.
      for (const { fp } of changes) drafts?.drop(fp);
      error.value = null;
    } catch (e) {
      error.value = `Could not save: ${e instanceof Error ? e.message : String(e)}`;
    }
  }

  /** Applies one user action (to one or many findings) as a single undo step. */
  function applyAll(fpList: string[], change: (fp: string, before: Resolution | undefined) => Resolution | undefined, label: string) {
    if (run.signOff) {
      error.value = `This month was signed off by ${run.signOff.by}; its findings are frozen.`;
      return Promise.resolve();
    }
    const map = new Map(resolutions.value);
    const changes: Array<{ fp: string; before: Resolution | undefined }> = [];
    const writes: Array<{ fp: string; next: Resolution | undefined }> = [];
    for (const fp of new Set(fpList)) {
      if (!fps.has(fp)) continue;
      const before = map.get(fp);
      const next = change(fp, before);
      if (next) map.set(fp, next);
      else map.delete(fp);
      changes.push({ fp, before });
      writes.push({ fp, next });
    }
    if (!changes.length) return Promise.resolve();
    batch(() => {
      resolutions.value = map;
      undoStack.value = [...undoStack.value, { changes, label }].slice(-50);
    });
    return persist(writes, label);
  }

  function apply(fp: string, change: (before: Resolution | undefined) => Resolution | undefined, label: string) {
    return applyAll([fp], (_fp, before) => change(before), label);
  }

  function withStatus(fp: string, status: ResolutionStatus, before: Resolution | undefined, note?: string) {
    const next: Resolution = { ...before, fingerprint: fp, status, updatedAt: now().toISOString() };
    if (note !== undefined && note.trim()) next.note = note.trim();
    return kept(next) ? next : undefined;
  }

  function checkedItems(): FindingItem[] {
    const keys = checked.value;
    return items.filter((i) => keys.has(i.key));
  }

  const model = {
    items: items as readonly FindingItem[],
    filters: filters as ReadonlySignal<FindingFilters>,
    filtered: filtered as ReadonlySignal<FindingItem[]>,
    rows: rows as ReadonlySignal<FindingRow[]>,
    counts,
    companies,
    kindsPresent,
    /** Set while a run read in pages is still coming in: findings read, of the run's total. */
    reading,
    /** Settles once every finding of the run is read (at once for a run given whole). */
    whole,
    resolutions: resolutions as ReadonlySignal<ReadonlyMap<string, Resolution>>,
    selected,
    selectedKey: selectedKey as ReadonlySignal<string | null>,
    canUndo: computed(() => undoStack.value.length > 0 || heldUndo.value !== null),
    lastAction: computed(() => undoStack.value.at(-1)?.label ?? heldUndo.value),
    error: error as ReadonlySignal<string | null>,
    /** Row keys ticked for a bulk action. */
    checked: checked as ReadonlySignal<ReadonlySet<string>>,

    /**
     * The note as typed: shown at once (switching findings keeps it), saved after a pause in
     * typing, and carried by resolve / ignore, which save the note with the verdict.
     */
    /** Signed off: verdicts and notes are frozen as they were signed. */
    frozen: !!run.signOff,
    typeNote(fp: string, text: string) {
      if (!fps.has(fp) || run.signOff) return;
      const map = new Map(resolutions.value);
      const before = map.get(fp);
      const next: Resolution = { ...before, fingerprint: fp, status: statusOf(before), updatedAt: now().toISOString() };
      if (text) next.note = text;
      else delete next.note;
      if (kept(next)) map.set(fp, next);
      else map.delete(fp);
      resolutions.value = map;
      drafts?.put({ fingerprint: fp, note: text, ...(run.id ? { runId: run.id } : {}), at: next.updatedAt });
      cancelNoteSave(fp);
      noteTimers.set(
        fp,
        setTimeout(() => void model.flushNote(fp), NOTE_SAVE_DELAY_MS),
      );
    },
    /**
     * Saves every note still waiting for its typing pause (the page is hidden or closing, another
     * finding or view opens). Every save is sent before the first await, so a `pagehide` handler
     * that calls this has handed them all to the browser before the page goes.
     */
    async flushNote(fp?: string) {
      const list = (fp ? [fp] : [...noteTimers.keys()]).filter((f) => noteTimers.has(f));
      const saves = list.map(async (f) => {
        cancelNoteSave(f);
        const r = resolutions.value.get(f);
        if (!store) return;
        const text = r?.note ?? '';
        try {
          if (r) await store.putResolution(stored(r), run.id, { undoable: false });
          else await store.deleteResolution(f, run.id);
          drafts?.drop(f, text);
          error.value = null;
        } catch (e) {
          // The draft stays: the panel's next load saves it.
          error.value = `Could not save the note: ${e instanceof Error ? e.message : String(e)}`;
        }
      });
      await Promise.all(saves);
    },
    notePending(fp: string): boolean {
      return noteTimers.has(fp);
    },

    /** Ticks or unticks a finding; with `range`, every shown finding from the last ticked one. */
    toggleChecked(key: string, range = false) {
      const list = filtered.value;
      const next = new Set(checked.value);
      const on = !next.has(key);
      const from = range && anchor ? list.findIndex((i) => i.key === anchor) : -1;
      const to = list.findIndex((i) => i.key === key);
      if (from >= 0 && to >= 0) {
        for (let i = Math.min(from, to); i <= Math.max(from, to); i++) {
          if (on) next.add(list[i]!.key);
          else next.delete(list[i]!.key);
        }
      } else if (on) next.add(key);
      else next.delete(key);
      anchor = key;
      checked.value = next;
    },
    /** Ticks every finding the current filters match (not only those scrolled into view). */
    checkAllMatching() {
      checked.value = new Set(filtered.value.map((i) => i.key));
    },
    clearChecked() {
      checked.value = new Set();
      anchor = null;
    },
    /** Resolves or ignores the ticked findings with one note, as one undoable step. */
    async markChecked(status: Exclude<ResolutionStatus, 'open'>, note = '') {
      const list = checkedItems().map((i) => i.fp);
      const label = `${status === 'resolved' ? 'Marked resolved' : 'Ignored'}: ${list.length} finding${list.length === 1 ? '' : 's'}`;
      checked.value = new Set();
      anchor = null;
      return applyAll(list, (fp, b) => withStatus(fp, status, b, note), label);
    },

    setFilters(patch: Partial<FindingFilters>) {
      filters.value = { ...filters.value, ...patch };
    },
    toggleKind(kind: FindingKind) {
      const next = new Set(filters.value.kinds);
      if (next.has(kind)) next.delete(kind);
      else next.add(kind);
      filters.value = { ...filters.value, kinds: next };
    },
    toggleSeverity(sev: Severity) {
      const next = new Set(filters.value.severities);
      if (next.has(sev)) next.delete(sev);
      else next.add(sev);
      filters.value = { ...filters.value, severities: next };
    },
    clearFilters() {
      filters.value = EMPTY_FILTERS;
    },
    toggleGroup(key: string) {
      const next = new Set(collapsed.value);
      if (next.has(key)) next.delete(key);
      else next.add(key);
      collapsed.value = next;
    },
    setGroupExpanded(key: string, expanded: boolean) {
      if (expanded !== collapsed.value.has(key)) return;
      const next = new Set(collapsed.value);
      if (expanded) next.delete(key);
      else next.add(key);
      collapsed.value = next;
    },
    /** Selects by row key; a fingerprint works too (it is the key of its first finding). */
    select(key: string | null) {
      // The note of the finding being left is saved now rather than after its typing pause.
      if (noteTimers.size) void model.flushNote();
      selectedKey.value = key && (byKey.has(key) || aheadItems.has(key)) ? key : null;
    },
    /**
     * Makes a finding of a run still being read ready to open: one not read yet is read at once
     * with its page (not after the pages before it). Answers whether the run has it.
     */
    async reveal(key: string): Promise<boolean> {
      if (byKey.has(key) || aheadItems.has(key)) return true;
      const pageOf = beyondOrder(run.pages).pageOf;
      if (!run.pages || !pageOf || itemsRead.peek() >= run.pages.total) return false;
      const page = await pageOf(key, run.report.findings.length, READ_PAGE);
      if (!page) return false;
      if (page.offset >= run.report.findings.length) ahead.set(page.offset, page);
      // The reader may have listed it meanwhile.
      if (byKey.has(key)) return true;
      for (const i of itemsOf(page)) {
        if (i.key !== key) continue;
        aheadItems.set(key, i);
        // Its verdict and note can be given before the list reaches it.
        fps.add(i.fp);
      }
      return aheadItems.has(key);
    },
    resolve(fp: string) {
      return apply(fp, (b) => withStatus(fp, 'resolved', b), 'Marked resolved');
    },
    ignore(fp: string) {
      return apply(fp, (b) => withStatus(fp, 'ignored', b), 'Ignored');
    },
    reopen(fp: string) {
      return apply(fp, (b) => withStatus(fp, 'open', b), 'Reopened');
    },
    setNote(fp: string, note: string) {
      const text = note.trim();
      return apply(
        fp,
        (b) => {
          const next: Resolution = { ...b, fingerprint: fp, status: statusOf(b), updatedAt: now().toISOString() };
          if (text) next.note = text;
          else delete next.note;
          return kept(next) ? next : undefined;
        },
        text ? 'Note saved' : 'Note removed',
      );
    },
    /** Resolves or ignores every finding the current filters show, as one undoable step. */
    markShown(status: Exclude<ResolutionStatus, 'open'>) {
      const list = filtered.value.map((i) => i.fp);
      const label = `${status === 'resolved' ? 'Marked resolved' : 'Ignored'}: ${list.length} finding${list.length === 1 ? '' : 's'}`;
      return applyAll(list, (fp, b) => withStatus(fp, status, b), label);
    },
    async undo() {
      if (run.signOff) {
        error.value = `This month was signed off by ${run.signOff.by}; its findings are frozen.`;
        return;
      }
      if (store?.undoLast) {
        // The store holds the steps (they outlive this panel): it decides what comes back.
        try {
          const done = await store.undoLast();
          const map = new Map(resolutions.value);
          for (const r of done?.restored ?? []) {
            if (!fps.has(r.fingerprint)) continue;
            cancelNoteSave(r.fingerprint);
            if (kept(r)) map.set(r.fingerprint, r);
            else map.delete(r.fingerprint);
          }
          batch(() => {
            resolutions.value = map;
            if (undoStack.value.length) undoStack.value = undoStack.value.slice(0, -1);
            else heldUndo.value = null;
          });
          error.value = null;
        } catch (e) {
          error.value = `Could not undo: ${e instanceof Error ? e.message : String(e)}`;
        }
        return;
      }
      const last = undoStack.value.at(-1);
      if (!last) return;
      const map = new Map(resolutions.value);
      for (const { fp, before } of last.changes) {
        if (before) map.set(fp, before);
        else map.delete(fp);
      }
      batch(() => {
        resolutions.value = map;
        undoStack.value = undoStack.value.slice(0, -1);
      });
      return persist(last.changes.map(({ fp, before }) => ({ fp, next: before })));
    },
  };
  return model;
}

export type FindingsModel = ReturnType<typeof createFindingsModel>;
