import { openDB } from 'idb';
import type { DBSchema, IDBPDatabase, IDBPTransaction, StoreNames } from 'idb';
import { nameKey } from '../core/shared/text';
import type {
  CaptureData,
  CaptureRecord,
  DictionaryRecord,
  MappingRecord,
  ResolutionRecord,
  RunRecord,
} from './records';
import { migrateCaptureToModel, migrateStored, migrateStoredCapture, skippedIn } from './legacy';
import type { CaptureRecordV3, CaptureRecordV4, DictionaryRecordV2, MappingRecordV2, ResolutionRecordV2, MigratedStore } from './legacy';
import { StorageError, toStorageError } from './errors';

export const DEFAULT_DB_NAME = 'cw-reconciler';

/*
 * Every schema version stays here, oldest first. A shipped version is never edited: a change is
 * a new interface plus a new step in UPGRADES, and a test that opens the previous version, seeds
 * it and upgrades.
 */

/** v1 mappings had no ConnectWise-side key. */
export type MappingRecordV1 = Omit<MappingRecordV2, 'cwKey'>;

export interface ReconDBv1 extends DBSchema {
  mappings: {
    key: string;
    value: MappingRecordV1;
    indexes: { byKindKey: [string, string]; bySource: string };
  };
  captures: {
    key: string;
    value: CaptureRecordV3;
    indexes: { byScope: [string, string]; byMonth: string; byOrganization: string; byAgreement: number };
  };
  captureData: { key: string; value: CaptureData };
  runs: { key: string; value: RunRecord; indexes: { byCreatedAt: string } };
  resolutions: { key: string; value: ResolutionRecordV2 };
  dictionary: { key: string; value: DictionaryRecordV2; indexes: { byTermKey: string } };
}

/**
 * v2: the ConnectWise tooltips ask "which Platform name maps to this company / product?", so
 * mappings gain `cwKey` (backfilled) and an index on it.
 */
export interface ReconDBv2 extends DBSchema {
  mappings: {
    key: string;
    value: MappingRecordV2;
    indexes: { byKindKey: [string, string]; bySource: string; byCwKey: [string, string] };
  };
  captures: ReconDBv1['captures'];
  captureData: ReconDBv1['captureData'];
  runs: ReconDBv1['runs'];
  resolutions: ReconDBv1['resolutions'];
  dictionary: ReconDBv1['dictionary'];
}

/**
 * v3: mappings, resolutions and dictionary entries are stored in the model's own shapes
 * (`platform`/`cw`, `status`, `platform`/`connectwise`) plus their keys, so nothing between
 * storage and the panel renames a field. A dictionary entry is found by either side's term.
 */
export interface ReconDBv3 extends DBSchema {
  mappings: {
    key: string;
    value: MappingRecord;
    indexes: ReconDBv2['mappings']['indexes'];
  };
  captures: ReconDBv2['captures'];
  captureData: ReconDBv2['captureData'];
  runs: ReconDBv2['runs'];
  resolutions: { key: string; value: ResolutionRecord };
  dictionary: { key: string; value: DictionaryRecord; indexes: { byTermKeys: string } };
}

/**
 * v4: a capture's kind is the model's (`platform`, `connectwise`, `api`), so no layer between
 * storage and the panel translates it.
 */
export interface ReconDBv4 extends DBSchema {
  mappings: ReconDBv3['mappings'];
  captures: {
    key: string;
    value: CaptureRecordV4;
    indexes: ReconDBv3['captures']['indexes'];
  };
  captureData: ReconDBv3['captureData'];
  runs: ReconDBv3['runs'];
  resolutions: ReconDBv3['resolutions'];
  dictionary: ReconDBv3['dictionary'];
}

/**
 * v5: a capture is stored as the model's `CaptureSummary` plus its keys (`createdAt`, `rows`,
 * `complete`, `url`/`file`/`fileKind`, and the counts and names it was listed with), so nothing
 * between storage and the panel renames a field. The scope index follows `createdAt`.
 */
export interface ReconDBv5 extends DBSchema {
  mappings: ReconDBv4['mappings'];
  captures: {
    key: string;
    value: CaptureRecord;
    indexes: ReconDBv4['captures']['indexes'];
  };
  captureData: ReconDBv4['captureData'];
  runs: ReconDBv4['runs'];
  resolutions: ReconDBv4['resolutions'];
  dictionary: ReconDBv4['dictionary'];
}

export interface SchemaAt {
  1: ReconDBv1;
  2: ReconDBv2;
  3: ReconDBv3;
  4: ReconDBv4;
  5: ReconDBv5;
}
export type SchemaVersion = keyof SchemaAt;
export const LATEST_VERSION = 5 as const satisfies SchemaVersion;
export type ReconDB = SchemaAt[typeof LATEST_VERSION];
export type ReconDatabase = IDBPDatabase<ReconDB>;

type UpgradeTx<S extends DBSchema> = IDBPTransaction<S, StoreNames<S>[], 'versionchange'>;

interface UpgradeStep<V extends SchemaVersion> {
  to: V;
  run(db: IDBPDatabase<SchemaAt[V]>, tx: UpgradeTx<SchemaAt[V]>): void | Promise<void>;
}

const v1: UpgradeStep<1> = {
  to: 1,
  run(db) {
    const mappings = db.createObjectStore('mappings', { keyPath: 'id' });
    mappings.createIndex('byKindKey', ['kind', 'key']);
    mappings.createIndex('bySource', 'source');
    const captures = db.createObjectStore('captures', { keyPath: 'id' });
    captures.createIndex('byScope', ['scope', 'capturedAt']);
    captures.createIndex('byMonth', 'months', { multiEntry: true });
    captures.createIndex('byOrganization', 'organizations', { multiEntry: true });
    captures.createIndex('byAgreement', 'agreementIds', { multiEntry: true });
    db.createObjectStore('captureData', { keyPath: 'id' });
    const runs = db.createObjectStore('runs', { keyPath: 'id' });
    runs.createIndex('byCreatedAt', 'createdAt');
    db.createObjectStore('resolutions', { keyPath: 'fingerprint' });
    const dictionary = db.createObjectStore('dictionary', { keyPath: 'id' });
    dictionary.createIndex('byTermKey', 'termKey');
  },
};

const v2: UpgradeStep<2> = {
  to: 2,
  async run(_db, tx) {
    const mappings = tx.objectStore('mappings');
    mappings.createIndex('byCwKey', ['kind', 'cwKey']);
    // Only IndexedDB work in here: the versionchange transaction must not go idle.
    let cursor = await mappings.openCursor();
    while (cursor) {
      const record = cursor.value as Partial<MappingRecordV2>;
      if (typeof record.cwName === 'string' && record.cwName.trim() !== '' && record.cwKey === undefined) {
        await cursor.update({ ...(record as MappingRecordV2), cwKey: nameKey(record.cwName) });
      }
      cursor = await cursor.continue();
    }
  },
};

const v3: UpgradeStep<3> = {
  to: 3,
  async run(_db, tx) {
    const dictionary = tx.objectStore('dictionary');
    (dictionary as unknown as IDBPObjectStoreLoose).deleteIndex('byTermKey');
    dictionary.createIndex('byTermKeys', 'termKeys', { multiEntry: true });
    // Each record renamed in place, under its own key: none is added, dropped or merged.
    for (const store of ['mappings', 'resolutions', 'dictionary'] as const satisfies readonly MigratedStore[]) {
      let cursor = await tx.objectStore(store).openCursor();
      while (cursor) {
        const next = migrateStored(store, cursor.value);
        if (next !== undefined) await cursor.update(next as never);
        cursor = await cursor.continue();
      }
    }
  },
};

const v4: UpgradeStep<4> = {
  to: 4,
  async run(_db, tx) {
    // Each capture's kind rewritten in place, under its own key; a damaged record stays as it was.
    let cursor = await tx.objectStore('captures').openCursor();
    while (cursor) {
      const next = migrateStoredCapture(cursor.value);
      if (next !== undefined) await cursor.update(next as CaptureRecordV4);
      cursor = await cursor.continue();
    }
  },
};

const v5: UpgradeStep<5> = {
  to: 5,
  async run(_db, tx) {
    const captures = tx.objectStore('captures');
    (captures as unknown as IDBPObjectStoreLoose).deleteIndex('byScope');
    captures.createIndex('byScope', ['scope', 'createdAt']);
    const data = tx.objectStore('captureData');
    // Each capture renamed in place, under its own key; a damaged record stays as it was. The
    // count of rows set aside, which v4 did not keep, is read off the capture's own data.
    let cursor = await captures.openCursor();
    while (cursor) {
      const next = migrateCaptureToModel(cursor.value, skippedIn(await data.get(cursor.primaryKey)));
      if (next !== undefined) await cursor.update(next as CaptureRecord);
      cursor = await cursor.continue();
    }
  },
};

/** The one index call a typed store cannot name: an index the previous version had and this one drops (or redefines). */
interface IDBPObjectStoreLoose {
  deleteIndex(name: string): void;
}

// Append only. Steps are typed against their own version's schema, hence the widening here.
const UPGRADES = [v1, v2, v3, v4, v5] as unknown as UpgradeStep<SchemaVersion>[];

export interface OpenOptions<V extends SchemaVersion> {
  /** Open at an older schema version (upgrade tests); defaults to the latest. */
  version?: V;
  /** Called when this connection had to close for a newer version opened elsewhere. */
  onClosed?: (reason: 'newer-version' | 'terminated') => void;
}

/**
 * Opens (creating or upgrading) the database. Rejects with StorageError `blocked` when another
 * tab keeps an older version open, and `version` when the stored database is newer than this code.
 */
export function openDatabase<V extends SchemaVersion = typeof LATEST_VERSION>(
  name: string,
  options: OpenOptions<V> = {},
): Promise<IDBPDatabase<SchemaAt[V]>> {
  const version = options.version ?? LATEST_VERSION;
  return new Promise((resolve, reject) => {
    let blocked = false;
    let upgradeFailure: unknown;
    let connection: IDBPDatabase<unknown> | undefined;
    openDB<unknown>(name, version, {
      upgrade(db, oldVersion, _newVersion, tx) {
        tx.done.catch(() => undefined);
        const steps = UPGRADES.filter((step) => step.to > oldVersion && step.to <= version);
        void (async () => {
          for (const step of steps) {
            // Synchronous steps run back to back inside the upgrade event; only real work is awaited.
            const pending = step.run(db as never, tx as never);
            if (pending) await pending;
          }
        })().catch((error: unknown) => {
          upgradeFailure = error;
          try {
            tx.abort();
          } catch {
            // already finished
          }
        });
      },
      blocked(currentVersion) {
        blocked = true;
        reject(
          new StorageError(
            'blocked',
            `CW Reconciler's data is still open in another tab or window on an older version (v${currentVersion}). Close or reload the other CW Reconciler tabs and panels, then try again. Nothing was changed.`,
          ),
        );
      },
      blocking() {
        // A newer version wants to upgrade: step aside rather than hold every tab hostage.
        connection?.close();
        options.onClosed?.('newer-version');
      },
      terminated() {
        options.onClosed?.('terminated');
      },
    }).then(
      (db) => {
        if (blocked) {
          // The caller was already told; this late connection is not theirs to use.
          db.close();
          return;
        }
        connection = db;
        resolve(db as unknown as IDBPDatabase<SchemaAt[V]>);
      },
      (error: unknown) => {
        const cause = upgradeFailure ?? error;
        if (upgradeFailure !== undefined) {
          const detail = upgradeFailure instanceof Error ? upgradeFailure.message : String(upgradeFailure);
          reject(
            new StorageError(
              'failed',
              `Upgrading the stored data to version ${version} failed (${detail}); the previous version's data was kept as it was.`,
              { cause },
            ),
          );
        } else reject(toStorageError(cause, 'opening the database'));
      },
    );
  });
}
