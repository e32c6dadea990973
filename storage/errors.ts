/**
 * Storage failures the UI can explain. Every one of them leaves what was already stored intact:
 * writes run in IndexedDB transactions, so a failure aborts the whole write and nothing half-done
 * is committed.
 */
export type StorageErrorCode =
  /** The browser refused to store more (QuotaExceededError). */
  | 'quota'
  /** Another tab still holds the database open on an older version, so the upgrade must wait. */
  | 'blocked'
  /** The stored database is newer than this code (the extension was downgraded). */
  | 'version'
  /** This connection was closed because a newer version of the extension opened the database. */
  | 'closed'
  /** A stored record does not match its schema; it is left in place, untouched. */
  | 'corrupt'
  /** A backup file that is not JSON, not ours, or fails validation. */
  | 'invalid-import'
  /** A backup file written by a newer version of the extension. */
  | 'future-version'
  /** The record asked for does not exist (or its undo window passed). */
  | 'not-found'
  /** Anything else IndexedDB reported. */
  | 'failed';

export class StorageError extends Error {
  override readonly name = 'StorageError';
  constructor(
    readonly code: StorageErrorCode,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}

export function isStorageError(error: unknown, code?: StorageErrorCode): error is StorageError {
  return error instanceof StorageError && (code === undefined || error.code === code);
}

function domName(error: unknown): string | undefined {
  if (error && typeof error === 'object' && 'name' in error && typeof error.name === 'string') return error.name;
  return undefined;
}

/**
 * Turns whatever IndexedDB (or a test fault) threw into a StorageError with a message a user can
 * act on. `doing` names the operation, e.g. "saving the capture".
 */
export function toStorageError(error: unknown, doing: string): StorageError {
  if (error instanceof StorageError) return error;
  const name = domName(error);
  if (name === 'QuotaExceededError') {
    return new StorageError(
      'quota',
      `The browser's storage for this extension is full, so ${doing} was cancelled and nothing was changed. Delete older captures or runs, or export a backup and clear them, then try again.`,
      { cause: error },
    );
  }
  if (name === 'VersionError') {
    return new StorageError(
      'version',
      `The saved data was written by a newer version of CW Reconciler than this one; update the extension. Nothing was changed.`,
      { cause: error },
    );
  }
  if (name === 'InvalidStateError' || name === 'TransactionInactiveError') {
    return new StorageError(
      'closed',
      `The database connection is closed (a newer version of the extension may have opened it in another tab), so ${doing} did not happen. Reload this page.`,
      { cause: error },
    );
  }
  const detail = error instanceof Error ? error.message : String(error);
  return new StorageError('failed', `Storage failed while ${doing}: ${detail}. Nothing was changed.`, { cause: error });
}
