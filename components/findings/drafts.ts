/**
 * Notes as typed, kept where they outlive the page. The background saves a note after a pause in
 * typing; a side panel can close inside that pause. Each keystroke therefore also writes the
 * draft to a store the page's next load reads back (`localStorage`: its write is handed to the
 * browser before `setItem` returns, so a page torn down right after still leaves it stored).
 */
export interface NoteDraft {
  fingerprint: string;
  note: string;
  /** The run the note was typed in (the background looks the finding up there). */
  runId?: string;
  /** When it was typed (ISO): a stored resolution newer than this already holds it or a later word. */
  at: string;
}

export interface NoteDrafts {
  put(draft: NoteDraft): void;
  /** Drops the draft of a finding; with `note`, only while the draft still says exactly that. */
  drop(fingerprint: string, note?: string): void;
  list(): NoteDraft[];
}

const KEY = 'cwr.noteDrafts';

/** Drafts in a Web Storage area (the extension page's `localStorage`). */
export function storageNoteDrafts(storage: Pick<Storage, 'getItem' | 'setItem' | 'removeItem'>): NoteDrafts {
  const read = (): Record<string, NoteDraft> => {
    try {
      const value: unknown = JSON.parse(storage.getItem(KEY) ?? '{}');
      return value && typeof value === 'object' ? (value as Record<string, NoteDraft>) : {};
    } catch {
      // A draft store someone else wrote garbage into holds no draft of ours.
      return {};
    }
  };
  const write = (all: Record<string, NoteDraft>) => {
    if (Object.keys(all).length === 0) storage.removeItem(KEY);
    else storage.setItem(KEY, JSON.stringify(all));
  };
  return {
    put(draft) {
      write({ ...read(), [draft.fingerprint]: draft });
    },
    drop(fingerprint, note) {
      const all = read();
      const d = all[fingerprint];
      if (!d || (note !== undefined && d.note !== note)) return;
      delete all[fingerprint];
      write(all);
    },
    list() {
      return Object.values(read()).filter((d) => typeof d?.fingerprint === 'string' && typeof d.note === 'string' && typeof d.at === 'string');
    },
  };
}

/** Drafts in memory (tests; pages with no Web Storage). */
export function memoryNoteDrafts(): NoteDrafts {
  const all = new Map<string, NoteDraft>();
  return {
    put: (d) => void all.set(d.fingerprint, d),
    drop(fp, note) {
      if (note === undefined || all.get(fp)?.note === note) all.delete(fp);
    },
    list: () => [...all.values()],
  };
}

/**
 * The drafts an extension page keeps: its own `localStorage`. Anywhere else (unit tests under a
 * fake DOM) none, so one test's unsaved typing never turns up in another's panel.
 */
export function pageNoteDrafts(): NoteDrafts | undefined {
  const loc = (globalThis as { location?: { protocol?: string } }).location;
  const storage = (globalThis as { localStorage?: Storage }).localStorage;
  if (!storage || !loc?.protocol || !/-extension:$/.test(loc.protocol)) return undefined;
  return storageNoteDrafts(storage);
}

/**
 * Which drafts still need saving: those typed after the finding's stored resolution was last
 * written (an older draft was saved, or overtaken by a later verdict or note).
 */
export function unsavedDrafts(drafts: readonly NoteDraft[], stored: ReadonlyMap<string, { updatedAt: string; note?: string }>): NoteDraft[] {
  return drafts.filter((d) => {
    const s = stored.get(d.fingerprint);
    if (!s) return d.note.trim() !== '';
    if ((s.note ?? '') === d.note.trim()) return false;
    return Date.parse(d.at) > Date.parse(s.updatedAt);
  });
}
