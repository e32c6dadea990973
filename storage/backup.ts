import { z } from 'zod';
import type { StorageContext } from './context';
import { inTransaction, keyField, parseStoredList, putRecord, queuedWrite, read } from './context';
import { StorageError } from './errors';
import {
  CaptureData,
  CaptureRecord,
  DATA_STORES,
  DictionaryRecord,
  MappingRecord,
  ResolutionRecord,
  RunRecord,
  STORE_RECORDS,
} from './records';
import type { DataStoreName } from './records';
import { mappingId } from './mappings';
import { CaptureRecordV3, CaptureRecordV4, DictionaryRecordV2, MappingRecordV2, ResolutionRecordV2, captureFromV3, captureFromV4, dictionaryFromV2, mappingFromV2, resolutionFromV2, skippedIn } from './legacy';
import { CwConnection, Preferences } from './settings';
import type { ConnectionChange, Settings } from './settings';

export const BACKUP_FORMAT = 'cw-reconciler/backup' as const;
/** Bump when the file's shape changes; older files keep importing, newer ones are refused. */
export const BACKUP_VERSION = 4 as const;

const backupEnvelope = {
  format: z.literal(BACKUP_FORMAT),
  exportedAt: z.string(),
  /** Preferences and the connection without its private key; absent when not exported. */
  settings: z.object({ preferences: Preferences, connection: CwConnection.nullable() }).optional(),
  /** Stored records that were damaged and so are not in this file (they stayed in the database). */
  damaged: z.array(z.object({ store: z.string(), key: z.string(), message: z.string() })).optional(),
};

/** Version 4: records in the model's shapes, as the database stores them from schema v5 on. */
export const BackupFileV4 = z.object({
  ...backupEnvelope,
  version: z.literal(4),
  data: z.object({
    mappings: z.array(MappingRecord),
    captures: z.array(CaptureRecord),
    captureData: z.array(CaptureData),
    runs: z.array(RunRecord),
    resolutions: z.array(ResolutionRecord),
    dictionary: z.array(DictionaryRecord),
  }),
});
export type BackupFile = z.infer<typeof BackupFileV4>;

/** Version 3: as version 4, but each capture under storage's own field names (`CaptureRecordV4`). */
export const BackupFileV3 = z.object({
  ...backupEnvelope,
  version: z.literal(3),
  data: z.object({
    mappings: z.array(MappingRecord),
    captures: z.array(CaptureRecordV4),
    captureData: z.array(CaptureData),
    runs: z.array(RunRecord),
    resolutions: z.array(ResolutionRecord),
    dictionary: z.array(DictionaryRecord),
  }),
});

/** Version 2: as version 3, but each capture's kind names what it held (`CaptureRecordV3`). */
export const BackupFileV2 = z.object({
  ...backupEnvelope,
  version: z.literal(2),
  data: z.object({
    mappings: z.array(MappingRecord),
    captures: z.array(CaptureRecordV3),
    captureData: z.array(CaptureData),
    runs: z.array(RunRecord),
    resolutions: z.array(ResolutionRecord),
    dictionary: z.array(DictionaryRecord),
  }),
});

/** Version 1: mappings, resolutions and dictionary entries in the field names storage used before. */
export const BackupFileV1 = z.object({
  ...backupEnvelope,
  version: z.literal(1),
  data: z.object({
    mappings: z.array(MappingRecordV2),
    captures: z.array(CaptureRecordV3),
    captureData: z.array(CaptureData),
    runs: z.array(RunRecord),
    resolutions: z.array(ResolutionRecordV2),
    dictionary: z.array(DictionaryRecordV2),
  }),
});

/** An older file's records as the current ones, so it imports and previews like a new file. */
function fromV1(file: z.infer<typeof BackupFileV1>): BackupFile {
  const { data } = file;
  return fromV2({
    ...file,
    version: 2,
    data: {
      ...data,
      mappings: data.mappings.map(mappingFromV2),
      resolutions: data.resolutions.map(resolutionFromV2),
      dictionary: data.dictionary.map(dictionaryFromV2),
    },
  });
}

function fromV2(file: z.infer<typeof BackupFileV2>): BackupFile {
  return fromV3({ ...file, version: 3, data: { ...file.data, captures: file.data.captures.map(captureFromV3) } });
}

function fromV3(file: z.infer<typeof BackupFileV3>): BackupFile {
  // The count of rows a capture set aside was not written before; its rows travel in the file.
  const data = new Map(file.data.captureData.map((d) => [d.id, d]));
  const captures = file.data.captures.map((c) => captureFromV4(c, skippedIn(data.get(c.id))));
  return { ...file, version: BACKUP_VERSION, data: { ...file.data, captures } };
}

/** `merge` adds and overwrites records by key; `replace` also removes what the file lacks. */
export type ImportMode = 'merge' | 'replace';

export interface StoreChanges {
  added: number;
  updated: number;
  unchanged: number;
  removed: number;
}

/** A record named by store and key, with what is wrong with it. */
export interface RecordProblem {
  store: string;
  key: string;
  message: string;
}

export interface ImportPreview {
  mode: ImportMode;
  exportedAt: string;
  stores: Record<DataStoreName, StoreChanges>;
  /** Whether the file carries settings (they are restored on import when settings are passed). */
  settings: boolean;
  /**
   * Every change the file makes to the ConnectWise connection, and whether the stored private key
   * is dropped because of it (known when the preview is given the settings).
   */
  connection?: { changes: ConnectionChange[]; keyDropped: boolean };
  /** Records the file says were damaged when it was exported, and so are not in it. */
  damagedInFile: RecordProblem[];
  /** Stored records that cannot be read; a replace import deletes them only when told to. */
  unreadable: RecordProblem[];
  /** True when this import would delete unreadable stored records (replace): it needs `deleteUnreadable`. */
  needsConfirmation: boolean;
  /**
   * Imported mappings that are not applied: an id that does not match its own fields, or (merge)
   * one that would replace the user's own mapping with another target.
   */
  conflicts: RecordProblem[];
}

export interface ExportResult {
  backup: BackupFile;
  /** Damaged records that were left out (and left in the database). */
  problems: StorageError[];
}

export interface BackupApi {
  export(options?: { settings?: Settings }): Promise<ExportResult>;
  /** The backup as the JSON text of the file to download. */
  exportJson(options?: { settings?: Settings }): Promise<string>;
  /** What `import` would change, without changing anything. */
  preview(file: unknown, options?: { mode?: ImportMode; settings?: Settings }): Promise<ImportPreview>;
  /** Applies the file in one transaction: all of it or, on any failure, none of it. */
  import(file: unknown, options?: { mode?: ImportMode; settings?: Settings; deleteUnreadable?: boolean }): Promise<ImportPreview>;
}

function invalid(message: string): StorageError {
  return new StorageError('invalid-import', `This file cannot be imported: ${message}. Nothing was changed.`);
}

function pathText(path: readonly PropertyKey[]): string {
  return path.map((p, i) => (typeof p === 'number' ? `[${p}]` : i === 0 ? String(p) : `.${String(p)}`)).join('');
}

function valueAt(root: unknown, path: readonly PropertyKey[]): unknown {
  let node = root;
  for (const step of path) {
    if (node === null || typeof node !== 'object') return undefined;
    node = (node as Record<PropertyKey, unknown>)[step];
  }
  return node;
}

function shortJson(value: unknown): string {
  const text = value === undefined ? 'nothing' : JSON.stringify(value);
  return text.length > 60 ? `${text.slice(0, 57)}...` : text;
}

/** Parses and validates a backup (JSON text or an already parsed value). */
export function parseBackup(file: unknown): BackupFile {
  let value = file;
  if (typeof file === 'string') {
    try {
      value = JSON.parse(file);
    } catch (error) {
      throw invalid(`it is not valid JSON (${error instanceof Error ? error.message : String(error)})`);
    }
  }
  if (value === null || typeof value !== 'object' || (value as { format?: unknown }).format !== BACKUP_FORMAT) {
    throw invalid(`it is not a CW Reconciler backup (expected "format": "${BACKUP_FORMAT}")`);
  }
  const version = (value as { version?: unknown }).version;
  if (typeof version !== 'number' || !Number.isInteger(version) || version < 1) {
    throw invalid(`field version holds ${shortJson(version)}, not a backup version number`);
  }
  if (version > BACKUP_VERSION) {
    throw new StorageError(
      'future-version',
      `This backup was made by a newer version of CW Reconciler (backup version ${version}; this one reads up to ${BACKUP_VERSION}). Update the extension, then import it. Nothing was changed.`,
    );
  }
  const parsed =
    version === 1
      ? BackupFileV1.safeParse(value)
      : version === 2
        ? BackupFileV2.safeParse(value)
        : version === 3
          ? BackupFileV3.safeParse(value)
          : BackupFileV4.safeParse(value);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const path = issue?.path ?? [];
    throw invalid(`field ${pathText(path) || '(root)'} holds ${shortJson(valueAt(value, path))}: ${issue?.message ?? 'invalid'}`);
  }
  const backup =
    parsed.data.version === 1 ? fromV1(parsed.data) : parsed.data.version === 2 ? fromV2(parsed.data) : parsed.data.version === 3 ? fromV3(parsed.data) : parsed.data;
  if (parsed.data.version < BACKUP_VERSION) {
    // An older record must also be a valid one once translated; otherwise the import would store
    // a record that every later read reports as damaged.
    backup.data.captures.forEach((c, i) => {
      const check = CaptureRecord.safeParse(c);
      if (!check.success) {
        const issue = check.error.issues[0];
        const field = issue ? pathText(['data', 'captures', i, ...issue.path]) : `data.captures[${i}]`;
        throw invalid(`field ${field} holds ${shortJson(valueAt(c, issue?.path ?? []))} once read as the current version: ${issue?.message ?? 'invalid'}`);
      }
    });
  }
  // Captures and their rows travel as pairs; one without the other would be unreadable later.
  const dataIds = new Set(backup.data.captureData.map((d) => d.id));
  const captureIds = new Set(backup.data.captures.map((c) => c.id));
  backup.data.captures.forEach((c, i) => {
    if (!dataIds.has(c.id)) throw invalid(`field data.captures[${i}] (id ${JSON.stringify(c.id)}) has no matching data.captureData entry`);
  });
  backup.data.captureData.forEach((d, i) => {
    if (!captureIds.has(d.id)) throw invalid(`field data.captureData[${i}] (id ${JSON.stringify(d.id)}) has no matching data.captures entry`);
  });
  return backup;
}

function sameValue(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (a === null || b === null || typeof a !== 'object' || typeof b !== 'object') return false;
  if (Array.isArray(a) !== Array.isArray(b)) return false;
  if (Array.isArray(a) && Array.isArray(b)) return a.length === b.length && a.every((x, i) => sameValue(x, b[i]));
  const ka = Object.keys(a).filter((k) => (a as Record<string, unknown>)[k] !== undefined);
  const kb = Object.keys(b).filter((k) => (b as Record<string, unknown>)[k] !== undefined);
  return ka.length === kb.length && ka.every((k) => sameValue((a as Record<string, unknown>)[k], (b as Record<string, unknown>)[k]));
}

interface LooseStore {
  getAll(): Promise<unknown[]>;
  put(value: unknown): Promise<unknown>;
  delete(key: IDBValidKey): Promise<void>;
  clear(): Promise<void>;
}

/**
 * Why an imported mapping must not be written: its id is not the one its own fields give (it
 * would land in another mapping's slot), or in a merge it would overwrite the user's own mapping.
 */
function mappingConflict(record: MappingRecord, old: unknown, mode: ImportMode): string | undefined {
  const expected = mappingId(record.kind, record.key, record.source);
  if (record.id !== expected) return `its id ${JSON.stringify(record.id)} does not match its own kind, name and source (${JSON.stringify(expected)}); it was not imported`;
  const held = MappingRecord.safeParse(old);
  if (mode === 'merge' && held.success && held.data.source === 'user' && held.data.cwKey !== record.cwKey) {
    return `your mapping of "${held.data.platform}" to "${held.data.cw}" was kept; the file maps it to "${record.cw}"`;
  }
  return undefined;
}

function diff(
  existing: readonly unknown[],
  incoming: readonly unknown[],
  key: (v: unknown) => IDBValidKey,
  mode: ImportMode,
  name: DataStoreName,
  conflicts: RecordProblem[],
  unreadable: ReadonlySet<string>,
) {
  const before = new Map(existing.map((v) => [String(key(v)), v]));
  const changes: StoreChanges = { added: 0, updated: 0, unchanged: 0, removed: 0 };
  const writes: unknown[] = [];
  const seen = new Set<string>();
  for (const record of incoming) {
    const id = String(key(record));
    if (name === 'mappings') {
      const why = mappingConflict(record as MappingRecord, before.get(id), mode);
      if (why) {
        conflicts.push({ store: name, key: id, message: why });
        // Listed, not applied; in a replace the stored record it names stays.
        seen.add(id);
        continue;
      }
    }
    seen.add(id);
    const old = before.get(id);
    if (old === undefined) changes.added++;
    else if (sameValue(old, record)) changes.unchanged++;
    else changes.updated++;
    if (old === undefined || mode === 'replace' || !sameValue(old, record)) writes.push(record);
  }
  const removals: IDBValidKey[] = [];
  if (mode === 'replace') {
    for (const value of existing) {
      const id = String(key(value));
      if (seen.has(id)) continue;
      removals.push(key(value));
      if (!unreadable.has(id)) changes.removed++;
    }
  }
  return { changes, writes, removals };
}

/** The stored records of one store that do not match its schema, named by key and first fault. */
function unreadableIn(name: DataStoreName, values: readonly unknown[]): RecordProblem[] {
  const keyOf = keyField(STORE_RECORDS[name].key);
  const out: RecordProblem[] = [];
  for (const value of values) {
    const parsed = STORE_RECORDS[name].schema.safeParse(value);
    if (parsed.success) continue;
    const issue = parsed.error.issues[0];
    out.push({ store: name, key: String(keyOf(value)), message: `damaged${issue ? ` (field ${issue.path.join('.') || '(record)'}: ${issue.message})` : ''}` });
  }
  return out;
}

export function createBackupApi(ctx: StorageContext): BackupApi {
  async function exportData(settings?: Settings): Promise<ExportResult> {
    const problems: StorageError[] = [];
    const local: StorageContext = { ...ctx, onCorrupt: (error) => problems.push(error) };
    // One read transaction: a consistent snapshot even while other tabs write.
    const tx = ctx.db().transaction(DATA_STORES, 'readonly');
    const values = await Promise.all(DATA_STORES.map((name) => (tx.objectStore(name) as unknown as LooseStore).getAll()));
    const data = Object.fromEntries(
      DATA_STORES.map((name, i) => [
        name,
        parseStoredList(local, STORE_RECORDS[name].schema, values[i] ?? [], name, keyField(STORE_RECORDS[name].key)),
      ]),
    ) as BackupFile['data'];
    const backup: BackupFile = { format: BACKUP_FORMAT, version: BACKUP_VERSION, exportedAt: ctx.nowIso(), data };
    if (settings) backup.settings = await settings.exportable();
    // Said in the file itself, so whoever imports it knows what it lacks and why.
    const damaged = DATA_STORES.flatMap((name, i) => unreadableIn(name, values[i] ?? []));
    if (damaged.length) backup.damaged = damaged;
    return { backup, problems };
  }

  async function plan(backup: BackupFile, mode: ImportMode, stores: (name: DataStoreName) => LooseStore, settings?: Settings) {
    const existing = await Promise.all(DATA_STORES.map((name) => stores(name).getAll()));
    const perStoreUnreadable = DATA_STORES.map((name, i) => unreadableIn(name, existing[i] ?? []));
    const unreadable = perStoreUnreadable.flat();
    const unreadableKeys = perStoreUnreadable.map((list) => new Set(list.map((u) => u.key)));
    const conflicts: RecordProblem[] = [];
    const perStore = DATA_STORES.map((name, i) =>
      diff(existing[i] ?? [], backup.data[name], keyField(STORE_RECORDS[name].key), mode, name, conflicts, unreadableKeys[i] ?? new Set()),
    );
    // In a replace, an unreadable record the file does not overwrite would be deleted unseen.
    const lost = mode === 'replace' ? unreadable.filter((u) => !perStore[DATA_STORES.indexOf(u.store as DataStoreName)]!.writes.some((w) => String(keyField(STORE_RECORDS[u.store as DataStoreName].key)(w)) === u.key)) : [];
    const preview: ImportPreview = {
      mode,
      exportedAt: backup.exportedAt,
      stores: Object.fromEntries(DATA_STORES.map((name, i) => [name, perStore[i]!.changes])) as ImportPreview['stores'],
      settings: backup.settings !== undefined,
      damagedInFile: backup.damaged ?? [],
      unreadable,
      needsConfirmation: lost.length > 0,
      conflicts,
    };
    if (settings && backup.settings) preview.connection = await settings.previewRestore(backup.settings);
    return { backup, preview, writes: perStore.map((s) => s.writes), removals: perStore.map((s) => s.removals), lost };
  }

  return {
    export(options = {}) {
      return read('exporting the data', () => exportData(options.settings));
    },

    async exportJson(options = {}) {
      const { backup } = await read('exporting the data', () => exportData(options.settings));
      const json = JSON.stringify(backup, null, 1);
      const secret = options.settings ? await options.settings.items.privateKey.getValue() : null;
      if (secret && json.includes(secret)) {
        // Only possible if the user pasted the key into a note or dictionary entry.
        throw new StorageError(
          'failed',
          'The export was stopped: a stored note or entry contains the ConnectWise private key. Remove it from there and export again.',
        );
      }
      return json;
    },

    preview(file, options = {}) {
      return read('reading the backup', async () => {
        const backup = parseBackup(file);
        const tx = ctx.db().transaction(DATA_STORES, 'readonly');
        return (await plan(backup, options.mode ?? 'merge', (name) => tx.objectStore(name) as unknown as LooseStore, options.settings)).preview;
      });
    },

    async import(file, options = {}) {
      const mode = options.mode ?? 'merge';
      // Validate before queueing so a bad file fails fast and never opens a write transaction.
      const parsed = parseBackup(file);
      return queuedWrite(ctx, 'importing the backup', async () => {
        const tx = ctx.db().transaction(DATA_STORES, 'readwrite');
        const store = (name: DataStoreName) => tx.objectStore(name) as unknown as LooseStore;
        const { backup, preview } = await inTransaction(tx, async () => {
          // Without the settings: their preview reads browser storage, and awaiting anything but
          // IndexedDB here lets a real browser commit the transaction before the writes below.
          const planned = await plan(parsed, mode, store);
          if (planned.lost.length && !options.deleteUnreadable) {
            const names = planned.lost.map((u) => `${u.store} ${JSON.stringify(u.key)}`);
            throw new StorageError(
              'corrupt',
              `A replace import would delete ${planned.lost.length} stored record${planned.lost.length === 1 ? '' : 's'} that cannot be read (${names.slice(0, 5).join(', ')}${names.length > 5 ? ', …' : ''}). Nothing was changed; confirm deleting them, or import with merge.`,
            );
          }
          const puts: Promise<unknown>[] = [];
          // Record by record rather than clear(): what the preview kept (a refused mapping's slot) stays.
          DATA_STORES.forEach((name, i) => {
            for (const key of planned.removals[i] ?? []) {
              const pending = store(name).delete(key);
              // Marked as handled: an aborted transaction is reported once, through tx.done.
              pending.catch(() => undefined);
              puts.push(pending);
            }
          });
          DATA_STORES.forEach((name, i) => {
            for (const record of planned.writes[i] ?? []) puts.push(putRecord(ctx, name, store(name), record));
          });
          await Promise.all(puts);
          return planned;
        });
        // Settings live outside IndexedDB; they follow once the data has committed.
        if (options.settings && backup.settings) {
          preview.connection = await options.settings.previewRestore(backup.settings);
          try {
            await options.settings.restore(backup.settings);
          } catch (error) {
            throw new StorageError(
              'failed',
              `The data was imported, but restoring the settings failed (${error instanceof Error ? error.message : String(error)}); set them again in the options.`,
              { cause: error },
            );
          }
        }
        return preview;
      });
    },
  };
}
