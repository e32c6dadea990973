import { summariseRun, type ReconcileConfig, type Report, type RunSummary, type SignOff } from '../core/model';
import { RunRecord, cwSourceOfInputs } from './records';
import type { RunInputs } from './records';
import type { StorageContext } from './context';
import { inTransaction, keyField, notFound, parseStored, parseStoredList, putRecord, queuedWrite, read } from './context';

export interface RunInput {
  report: Report;
  inputs: Partial<RunInputs>;
  settings: ReconcileConfig;
}

export type { RunSummary } from '../core/model';

export interface RunsRepo {
  add(input: RunInput): Promise<RunRecord>;
  /** Throws `not-found`. */
  get(id: string): Promise<RunRecord>;
  /** The newest run, if any. */
  latest(): Promise<RunRecord | undefined>;
  /** Newest first. */
  list(options?: { limit?: number }): Promise<RunSummary[]>;
  /** Whole runs, newest first, read in one pass (no second read per run). */
  listRecords(options?: { limit?: number }): Promise<RunRecord[]>;
  remove(id: string): Promise<boolean>;
  /** Records the month's sign-off on the run (once: a signed-off run stays as signed). */
  signOff(id: string, by: string, note?: string, resolutions?: SignOff['resolutions']): Promise<RunRecord>;
  /** Keeps the newest `keep` runs and deletes the rest. Returns how many were deleted. */
  prune(keep: number): Promise<number>;
}

function summarise(run: RunRecord): RunSummary {
  return summariseRun({ ...run, captureIds: run.inputs.captureIds, cwSource: cwSourceOfInputs(run.inputs) });
}

export function createRunsRepo(ctx: StorageContext): RunsRepo {
  const parse = (value: unknown) => parseStored(RunRecord, value, 'runs', keyField('id')(value));
  const parseList = (values: unknown[]) => parseStoredList(ctx, RunRecord, values, 'runs', keyField('id'));

  async function newestFirst(limit?: number): Promise<RunRecord[]> {
    const runs: unknown[] = [];
    let cursor = await ctx.db().transaction('runs').store.index('byCreatedAt').openCursor(null, 'prev');
    while (cursor && (limit === undefined || runs.length < limit)) {
      runs.push(cursor.value);
      cursor = await cursor.continue();
    }
    return parseList(runs);
  }

  return {
    add(input) {
      return queuedWrite(ctx, 'saving the run', async () => {
        const record: RunRecord = {
          id: ctx.newId(),
          createdAt: ctx.nowIso(),
          report: input.report,
          inputs: { ...input.inputs, captureIds: [...(input.inputs.captureIds ?? [])] },
          settings: input.settings,
        };
        const tx = ctx.db().transaction('runs', 'readwrite');
        await inTransaction(tx, () => putRecord(ctx, 'runs', tx.store, record));
        return record;
      });
    },

    get(id) {
      return read('reading the run', async () => {
        const stored = await ctx.db().get('runs', id);
        if (stored === undefined) throw notFound('run', id);
        return parse(stored);
      });
    },

    latest() {
      return read('reading the latest run', async () => (await newestFirst(1))[0]);
    },

    list(options = {}) {
      return read('listing runs', async () => (await newestFirst(options.limit)).map(summarise));
    },

    listRecords(options = {}) {
      return read('listing runs', () => newestFirst(options.limit));
    },

    signOff(id, by, note, resolutions) {
      return queuedWrite(ctx, 'signing off the run', async () => {
        const tx = ctx.db().transaction('runs', 'readwrite');
        return inTransaction(tx, async () => {
          const stored = await tx.store.get(id);
          if (stored === undefined) throw notFound('run', id);
          const run = parse(stored);
          if (run.signOff) return run;
          const next: RunRecord = {
            ...run,
            signOff: { by: by.trim(), at: ctx.nowIso(), ...(note?.trim() ? { note: note.trim() } : {}), ...(resolutions ? { resolutions } : {}) },
          };
          await putRecord(ctx, 'runs', tx.store, next);
          return next;
        });
      });
    },

    remove(id) {
      return queuedWrite(ctx, 'deleting the run', async () => {
        const tx = ctx.db().transaction('runs', 'readwrite');
        return inTransaction(tx, async () => {
          if ((await tx.store.getKey(id)) === undefined) return false;
          await tx.store.delete(id);
          return true;
        });
      });
    },

    prune(keep) {
      return queuedWrite(ctx, 'deleting old runs', async () => {
        const tx = ctx.db().transaction('runs', 'readwrite');
        return inTransaction(tx, async () => {
          let seen = 0;
          let deleted = 0;
          let cursor = await tx.store.index('byCreatedAt').openKeyCursor(null, 'prev');
          while (cursor) {
            seen++;
            if (seen > keep) {
              await tx.store.delete(cursor.primaryKey);
              deleted++;
            }
            cursor = await cursor.continue();
          }
          return deleted;
        });
      });
    },
  };
}
