import { nameKey } from '../core/shared/text';
import { MappingRecord } from './records';
import type { MappingKind, MappingSource } from './records';
import type { Mapping } from '../core/model';
import type { StorageContext } from './context';
import { inTransaction, keyField, notFound, parseStored, parseStoredList, putRecord, queuedWrite, read } from './context';

/** A mapping as a capture or the user gives it: the model's fields, before storage stamps it. */
export type MappingInput = Pick<Mapping, 'kind' | 'platform' | 'cw' | 'cwId'>;

/** A user's mapping and a captured one that disagree; shown until the user picks one. */
export interface MappingConflict {
  kind: MappingKind;
  key: string;
  user: MappingRecord;
  captured: MappingRecord;
}

export interface CaptureMappingsResult {
  added: number;
  updated: number;
  unchanged: number;
  /** Captured targets that now disagree with a user's own mapping. */
  conflicts: number;
}

export interface MappingsRepo {
  /** Records what a capture saw. Never touches a user's mapping; blank names are skipped. */
  capture(inputs: readonly MappingInput[]): Promise<CaptureMappingsResult>;
  /** The user's own mapping; it wins over anything captured. */
  setUser(input: MappingInput): Promise<MappingRecord>;
  /** The mapping in force: the user's, else the captured one. */
  get(kind: MappingKind, platform: string): Promise<MappingRecord | undefined>;
  /** Mappings in force, one per Platform name, sorted by kind then name. */
  list(kind?: MappingKind): Promise<MappingRecord[]>;
  /** Mappings in force whose ConnectWise side is `cw` (for tooltips on ConnectWise pages). */
  findByCw(kind: MappingKind, cw: string): Promise<MappingRecord[]>;
  listConflicts(): Promise<MappingConflict[]>;
  /** `user` keeps the user's mapping (this captured target stops being a conflict); `captured` drops the user's. */
  resolveConflict(kind: MappingKind, platform: string, keep: 'user' | 'captured'): Promise<void>;
  /** Undoes keeping the user's side: the captured target counts as a conflict again. */
  reopenConflict(kind: MappingKind, platform: string): Promise<void>;
  /** Deletes one side of a mapping. Returns whether something was deleted. */
  remove(kind: MappingKind, platform: string, source?: MappingSource): Promise<boolean>;
}

export function mappingId(kind: MappingKind, key: string, source: MappingSource): string {
  return `${kind}|${key}|${source}`;
}

function targetsDiffer(a: MappingRecord, b: MappingRecord): boolean {
  if (a.cwKey !== b.cwKey) return true;
  return a.cwId !== undefined && b.cwId !== undefined && a.cwId !== b.cwId;
}

function isConflict(user: MappingRecord, captured: MappingRecord): boolean {
  return targetsDiffer(user, captured) && captured.acknowledgedCwKey !== captured.cwKey;
}

/** One record per Platform name: the user's when there is one. */
function inForce(records: readonly MappingRecord[]): MappingRecord[] {
  const byName = new Map<string, MappingRecord>();
  for (const record of records) {
    const slot = `${record.kind}|${record.key}`;
    const held = byName.get(slot);
    if (!held || (held.source === 'captured' && record.source === 'user')) byName.set(slot, record);
  }
  return [...byName.values()].sort((a, b) => a.kind.localeCompare(b.kind) || a.key.localeCompare(b.key));
}

/**
 * A mapping as it will be stored. The ConnectWise id learnt earlier stays while the mapping still
 * points at the same ConnectWise name; a new target drops it until it is learnt again.
 */
function buildRecord(
  id: string,
  input: MappingInput,
  key: string,
  cwKey: string,
  source: MappingSource,
  old: MappingRecord | undefined,
  now: string,
): MappingRecord {
  const record: MappingRecord = {
    id,
    kind: input.kind,
    key,
    platform: input.platform.trim(),
    cw: input.cw.trim(),
    cwKey,
    source,
    createdAt: old?.createdAt ?? now,
    updatedAt: now,
  };
  const cwId = input.cwId ?? (old?.cwKey === cwKey ? old.cwId : undefined);
  if (cwId !== undefined) record.cwId = cwId;
  return record;
}

export function createMappingsRepo(ctx: StorageContext): MappingsRepo {
  const parse = (value: unknown) => parseStored(MappingRecord, value, 'mappings', keyField('id')(value));
  const parseList = (values: unknown[]) => parseStoredList(ctx, MappingRecord, values, 'mappings', keyField('id'));

  return {
    capture(inputs) {
      return queuedWrite(ctx, 'saving captured mappings', async () => {
        const tx = ctx.db().transaction('mappings', 'readwrite');
        return inTransaction(tx, async () => {
          const result: CaptureMappingsResult = { added: 0, updated: 0, unchanged: 0, conflicts: 0 };
          const now = ctx.nowIso();
          for (const input of inputs) {
            const key = nameKey(input.platform);
            const cwKey = nameKey(input.cw);
            if (key === '' || cwKey === '') continue;
            const id = mappingId(input.kind, key, 'captured');
            const [storedCaptured, storedUser] = await Promise.all([tx.store.get(id), tx.store.get(mappingId(input.kind, key, 'user'))]);
            const old = storedCaptured === undefined ? undefined : parse(storedCaptured);
            const next = buildRecord(id, input, key, cwKey, 'captured', old, now);
            const changed =
              old === undefined ||
              old.cwKey !== cwKey ||
              old.cwId !== next.cwId ||
              old.platform !== next.platform ||
              old.cw !== next.cw;
            if (!changed) next.updatedAt = old.updatedAt;
            if (old?.acknowledgedCwKey !== undefined) next.acknowledgedCwKey = old.acknowledgedCwKey;
            if (old === undefined) result.added++;
            else if (changed) result.updated++;
            else result.unchanged++;
            if (changed) await putRecord(ctx, 'mappings', tx.store, next);
            if (storedUser !== undefined && isConflict(parse(storedUser), next)) result.conflicts++;
          }
          return result;
        });
      });
    },

    setUser(input) {
      return queuedWrite(ctx, 'saving the mapping', async () => {
        const key = nameKey(input.platform);
        const cwKey = nameKey(input.cw);
        if (key === '' || cwKey === '') {
          throw new TypeError('A mapping needs both a Platform name and a ConnectWise name.');
        }
        const tx = ctx.db().transaction('mappings', 'readwrite');
        return inTransaction(tx, async () => {
          const id = mappingId(input.kind, key, 'user');
          const stored = await tx.store.get(id);
          const old = stored === undefined ? undefined : parse(stored);
          const now = ctx.nowIso();
          const record = buildRecord(id, input, key, cwKey, 'user', old, now);
          await putRecord(ctx, 'mappings', tx.store, record);
          return record;
        });
      });
    },

    get(kind, platform) {
      return read('reading a mapping', async () => {
        const key = nameKey(platform);
        const db = ctx.db();
        const user = await db.get('mappings', mappingId(kind, key, 'user'));
        if (user !== undefined) return parse(user);
        const captured = await db.get('mappings', mappingId(kind, key, 'captured'));
        return captured === undefined ? undefined : parse(captured);
      });
    },

    list(kind) {
      return read('listing mappings', async () => {
        const db = ctx.db();
        const values =
          kind === undefined
            ? await db.getAll('mappings')
            : await db.getAll('mappings', IDBKeyRange.bound(`${kind}|`, `${kind}|\uffff`));
        return inForce(parseList(values));
      });
    },

    findByCw(kind, cw) {
      return read('looking up a mapping', async () => {
        const db = ctx.db();
        const hits = parseList(await db.getAllFromIndex('mappings', 'byCwKey', [kind, nameKey(cw)]));
        const result: MappingRecord[] = [];
        for (const hit of hits) {
          if (hit.source === 'captured') {
            // A captured mapping the user overrode is not in force.
            const user = await db.get('mappings', mappingId(kind, hit.key, 'user'));
            if (user !== undefined) continue;
          }
          result.push(hit);
        }
        return result.sort((a, b) => a.key.localeCompare(b.key));
      });
    },

    listConflicts() {
      return read('listing mapping conflicts', async () => {
        const db = ctx.db();
        const users = parseList(await db.getAllFromIndex('mappings', 'bySource', 'user'));
        const conflicts: MappingConflict[] = [];
        for (const user of users) {
          const stored = await db.get('mappings', mappingId(user.kind, user.key, 'captured'));
          if (stored === undefined) continue;
          const captured = parse(stored);
          if (isConflict(user, captured)) conflicts.push({ kind: user.kind, key: user.key, user, captured });
        }
        return conflicts;
      });
    },

    resolveConflict(kind, platform, keep) {
      return queuedWrite(ctx, 'resolving the mapping conflict', async () => {
        const key = nameKey(platform);
        const tx = ctx.db().transaction('mappings', 'readwrite');
        await inTransaction(tx, async () => {
          const storedCaptured = await tx.store.get(mappingId(kind, key, 'captured'));
          const storedUser = await tx.store.get(mappingId(kind, key, 'user'));
          if (storedCaptured === undefined || storedUser === undefined) throw notFound('mapping conflict for', `${kind} ${platform}`);
          if (keep === 'captured') {
            await tx.store.delete(mappingId(kind, key, 'user'));
            return;
          }
          const captured = parse(storedCaptured);
          await putRecord(ctx, 'mappings', tx.store, { ...captured, acknowledgedCwKey: captured.cwKey, updatedAt: ctx.nowIso() });
        });
      });
    },

    reopenConflict(kind, platform) {
      return queuedWrite(ctx, 'reopening the mapping conflict', async () => {
        const id = mappingId(kind, nameKey(platform), 'captured');
        const tx = ctx.db().transaction('mappings', 'readwrite');
        await inTransaction(tx, async () => {
          const stored = await tx.store.get(id);
          if (stored === undefined) throw notFound('captured mapping for', `${kind} ${platform}`);
          const { acknowledgedCwKey: _acknowledged, ...captured } = parse(stored);
          await putRecord(ctx, 'mappings', tx.store, { ...captured, updatedAt: ctx.nowIso() });
        });
      });
    },

    remove(kind, platform, source = 'user') {
      return queuedWrite(ctx, 'deleting the mapping', async () => {
        const id = mappingId(kind, nameKey(platform), source);
        const tx = ctx.db().transaction('mappings', 'readwrite');
        return inTransaction(tx, async () => {
          const existing = await tx.store.getKey(id);
          if (existing === undefined) return false;
          await tx.store.delete(id);
          return true;
        });
      });
    },
  };
}
