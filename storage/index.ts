import { createBackupApi } from './backup';
import type { BackupApi } from './backup';
import { createCapturesRepo } from './captures';
import type { CapturesRepo } from './captures';
import { inTransaction, queuedWrite } from './context';
import type { StorageContext, StorageHooks } from './context';
import { DEFAULT_DB_NAME, openDatabase } from './db';
import type { ReconDatabase } from './db';
import { createDictionaryRepo } from './dictionary';
import type { DictionaryRepo } from './dictionary';
import { StorageError } from './errors';
import { createMappingsRepo } from './mappings';
import type { MappingsRepo } from './mappings';
import { WriteQueue } from './queue';
import { createResolutionsRepo } from './resolutions';
import type { ResolutionsRepo } from './resolutions';
import { createRunsRepo } from './runs';
import type { RunsRepo } from './runs';

export interface StorageOptions {
  /** IndexedDB database name; tests use a fresh one each. */
  name?: string;
  /** The clock for timestamps and the undo window. */
  now?: () => Date;
  /** How long a deleted capture can be brought back (default one day). */
  undoWindowMs?: number;
  /** Damaged records skipped by list reads are reported here (default: console.warn). */
  onCorrupt?: (error: StorageError) => void;
  /** Called if this connection closes because a newer version opened the database elsewhere. */
  onClosed?: (reason: 'newer-version' | 'terminated') => void;
  /** Fault injection for tests (e.g. a full disk half-way through an import). */
  hooks?: StorageHooks;
}

export interface ReconStorage {
  mappings: MappingsRepo;
  captures: CapturesRepo;
  runs: RunsRepo;
  resolutions: ResolutionsRepo;
  dictionary: DictionaryRepo;
  backup: BackupApi;
  /**
   * Empties every store of the database in one transaction (all or nothing), behind the writes
   * already queued. The settings and the private key live in extension storage and stay.
   */
  clearAll(): Promise<void>;
  /** Resolves when every write queued on this connection has settled. */
  idle(): Promise<void>;
  close(): void;
}

const DAY_MS = 24 * 60 * 60 * 1000;

/**
 * Opens the database (creating or upgrading it) once and returns every repository over that one
 * connection. Each call opens its own connection: an extension context should call it once
 * (see `getStorage`), while tests open two to play two tabs.
 */
export async function openStorage(options: StorageOptions = {}): Promise<ReconStorage> {
  const name = options.name ?? DEFAULT_DB_NAME;
  const now = options.now ?? (() => new Date());
  let closedReason: string | undefined;
  const db: ReconDatabase = await openDatabase(name, {
    onClosed(reason) {
      closedReason =
        reason === 'newer-version'
          ? 'A newer version of CW Reconciler opened its data in another tab; reload this page to continue.'
          : 'The browser closed the database unexpectedly; reload this page to continue.';
      options.onClosed?.(reason);
    },
  });
  const queue = new WriteQueue();
  const ctx: StorageContext = {
    db() {
      if (closedReason !== undefined) throw new StorageError('closed', closedReason);
      return db;
    },
    now,
    nowIso: () => now().toISOString(),
    newId: () => crypto.randomUUID(),
    queue,
    hooks: options.hooks ?? {},
    onCorrupt: options.onCorrupt ?? ((error) => console.warn(error.message)),
  };
  return {
    mappings: createMappingsRepo(ctx),
    captures: createCapturesRepo(ctx, options.undoWindowMs ?? DAY_MS),
    runs: createRunsRepo(ctx),
    resolutions: createResolutionsRepo(ctx),
    dictionary: createDictionaryRepo(ctx),
    backup: createBackupApi(ctx),
    clearAll: () =>
      queuedWrite(ctx, 'clearing all data', async () => {
        // Every store the schema has, so a store a later version adds is cleared too.
        const names = [...ctx.db().objectStoreNames];
        const tx = ctx.db().transaction(names, 'readwrite');
        await inTransaction(tx, async () => {
          await Promise.all(names.map((n) => tx.objectStore(n).clear()));
        });
      }),
    idle: () => queue.idle(),
    close() {
      closedReason ??= 'This storage connection was closed.';
      db.close();
    },
  };
}

let shared: Promise<ReconStorage> | undefined;

/** The storage of this extension context, opened on first use; a failed open is retried next call. */
export function getStorage(): Promise<ReconStorage> {
  shared ??= openStorage().catch((error: unknown) => {
    shared = undefined;
    throw error;
  });
  return shared;
}

export { StorageError, isStorageError } from './errors';
export type { StorageErrorCode } from './errors';
export { findingFingerprint } from '../core/model/fingerprint';
export { defineSettings, getSettings, DEFAULT_PREFERENCES } from './settings';
export type { Settings, Preferences, CwConnection, CwCredentials, ExportableSettings } from './settings';
export { BACKUP_FORMAT, BACKUP_VERSION, parseBackup } from './backup';
export type { BackupApi, BackupFile, ImportMode, ImportPreview, StoreChanges, ExportResult } from './backup';
export type { MappingsRepo, MappingInput, MappingConflict, CaptureMappingsResult } from './mappings';
export type { CapturesRepo, Capture, ListedCapture, CaptureFilter, UndoToken, LinesCaptureInput, BundleCaptureInput } from './captures';
export type { RunsRepo, RunInput, RunSummary } from './runs';
export type { ResolutionsRepo, ResolutionPatch } from './resolutions';
export type { DictionaryRepo, DictionaryEntryInput } from './dictionary';
export type {
  MappingRecord,
  MappingKind,
  MappingSource,
  CaptureRecord,
  CaptureKind,
  RunRecord,
  RunInputs,
  ResolutionRecord,
  DictionaryRecord,
} from './records';
export { DEFAULT_DB_NAME, LATEST_VERSION } from './db';
