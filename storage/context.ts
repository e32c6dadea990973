import type { StoreNames } from 'idb';
import type { z } from 'zod';
import type { ReconDB, ReconDatabase } from './db';
import { StorageError, toStorageError } from './errors';
import type { WriteQueue } from './queue';

/**
 * Test seam for failures IndexedDB cannot be asked to produce on demand (a full disk). Called
 * before every record a repository writes; throwing from it behaves as if the write failed.
 */
export interface StorageHooks {
  beforeWrite?(store: StoreNames<ReconDB>, value: unknown): void;
}

/** What every repository shares: one connection, one clock, one write queue. */
export interface StorageContext {
  db(): ReconDatabase;
  now(): Date;
  nowIso(): string;
  newId(): string;
  queue: WriteQueue;
  hooks: StorageHooks;
  /** Damaged records are skipped by list reads and reported here; they stay stored. */
  onCorrupt(error: StorageError): void;
}

/** Queues a write and turns IndexedDB failures into StorageErrors naming `doing`. */
export function queuedWrite<T>(ctx: StorageContext, doing: string, task: () => Promise<T>): Promise<T> {
  return ctx.queue.run(async () => {
    try {
      return await task();
    } catch (error) {
      throw toStorageError(error, doing);
    }
  });
}

export async function read<T>(doing: string, task: () => Promise<T>): Promise<T> {
  try {
    return await task();
  } catch (error) {
    throw toStorageError(error, doing);
  }
}

/** Any idb transaction: only its completion and abort are needed here. */
interface AnyTx {
  readonly done: Promise<void>;
  abort(): void;
}

/**
 * Runs `body` in `tx` and waits for the commit. If `body` throws half-way, the transaction is
 * aborted so none of the writes it already issued land.
 */
export async function inTransaction<T>(tx: AnyTx, body: () => Promise<T>): Promise<T> {
  try {
    const result = await body();
    await tx.done;
    return result;
  } catch (error) {
    try {
      tx.abort();
    } catch {
      // it aborted on its own
    }
    const txError = await tx.done.then(
      () => undefined,
      (reason: unknown) => reason,
    );
    // Browsers report a full disk on the transaction while its requests just say "aborted".
    throw errorName(error) === 'AbortError' && txError !== undefined && errorName(txError) !== 'AbortError' ? txError : error;
  }
}

function errorName(error: unknown): string | undefined {
  return error && typeof error === 'object' && 'name' in error && typeof error.name === 'string' ? error.name : undefined;
}

interface PutTarget<V> {
  put(value: V): Promise<unknown>;
}

/** Puts one record, giving the test hook its chance to fail first. */
export function putRecord<V>(ctx: StorageContext, storeName: StoreNames<ReconDB>, store: PutTarget<V>, value: V): Promise<unknown> {
  ctx.hooks.beforeWrite?.(storeName, value);
  const pending = store.put(value);
  // Marked as handled: when the transaction aborts, the caller learns it from tx.done.
  pending.catch(() => undefined);
  return pending;
}

/** Validates a stored value; a mismatch is a `corrupt` StorageError naming store, key and field. */
export function parseStored<S extends z.ZodType>(schema: S, value: unknown, store: string, key: IDBValidKey): z.infer<S> {
  const result = schema.safeParse(value);
  if (result.success) return result.data;
  const issue = result.error.issues[0];
  const where = issue && issue.path.length > 0 ? ` (field ${issue.path.join('.')}: ${issue.message})` : issue ? ` (${issue.message})` : '';
  throw new StorageError(
    'corrupt',
    `The stored ${store} record ${JSON.stringify(key)} is damaged and cannot be read${where}. It was left as it is; delete it or restore a backup.`,
  );
}

/** Validates many stored values, skipping and reporting the damaged ones. */
export function parseStoredList<S extends z.ZodType>(
  ctx: StorageContext,
  schema: S,
  values: readonly unknown[],
  store: string,
  keyOf: (value: unknown) => IDBValidKey,
): z.infer<S>[] {
  const out: z.infer<S>[] = [];
  for (const value of values) {
    try {
      out.push(parseStored(schema, value, store, keyOf(value)));
    } catch (error) {
      if (error instanceof StorageError) ctx.onCorrupt(error);
      else throw error;
    }
  }
  return out;
}

export function keyField(field: string): (value: unknown) => IDBValidKey {
  return (value) => {
    const key = value && typeof value === 'object' ? (value as Record<string, unknown>)[field] : undefined;
    return typeof key === 'string' || typeof key === 'number' ? key : '?';
  };
}

export function notFound(what: string, key: string): StorageError {
  return new StorageError('not-found', `No ${what} ${JSON.stringify(key)} is stored.`);
}
