import { capturePartial, type CaptureOrigin, type CaptureSummary, type CwBundle, type PlatformLine, type SkippedRow } from '../core/model';
import { monthOf } from '../core/shared/dates';
import { nameKey } from '../core/shared/text';
import { CaptureData, CaptureRecord } from './records';
import type { CaptureKind } from './records';
import type { StorageContext } from './context';
import { inTransaction, keyField, notFound, parseStored, parseStoredList, putRecord, queuedWrite, read } from './context';
import { StorageError } from './errors';

export interface LinesCaptureInput extends CaptureOrigin {
  lines: readonly PlatformLine[];
  skippedRows?: readonly SkippedRow[];
  /** Defaults to the invoice months the lines cover: a new capture of a month supersedes the last. */
  scope?: string;
}

export interface BundleCaptureInput extends CaptureOrigin, Partial<Pick<CaptureSummary, 'skipped' | 'agreementName' | 'companyName'>> {
  bundle: CwBundle;
  /** `api` for a pull; otherwise pages and files (`connectwise`, the default). */
  kind?: 'connectwise' | 'api';
  /** Defaults to the agreements the bundle covers. */
  scope?: string;
  /** Invoice months the capture was taken for, when known. */
  months?: readonly string[];
}

/** The origin fields the caller gave, leaving out those it did not. */
function origin(input: CaptureOrigin): CaptureOrigin {
  const out: CaptureOrigin = {};
  if (input.url !== undefined) out.url = input.url;
  if (input.file !== undefined) out.file = input.file;
  if (input.fileKind !== undefined) out.fileKind = input.fileKind;
  if (input.gridTotal !== undefined) out.gridTotal = input.gridTotal;
  return out;
}

/**
 * A capture as listed: `current` when it is the newest complete live capture of its scope, or a
 * partial one newer than that (kept beside it: what a stopped read did get is still real).
 */
export interface ListedCapture extends CaptureRecord {
  current: boolean;
}

export interface Capture extends ListedCapture {
  lines?: PlatformLine[];
  skippedRows?: SkippedRow[];
  bundle?: CwBundle;
}

export interface CaptureFilter {
  /** One kind, or any of several (`['connectwise', 'api']`: every ConnectWise capture). */
  kind?: CaptureKind | readonly CaptureKind[];
  /** `YYYY-MM` */
  month?: string;
  /** Platform organization or ConnectWise company name (any case). */
  organization?: string;
  agreementId?: number;
  /** Include captures still in their undo window after a delete. */
  includeDeleted?: boolean;
}

/** Hands back a deleted capture while its undo window lasts. */
export interface UndoToken {
  captureId: string;
  deletedAt: string;
}

export interface CapturesRepo {
  addLines(input: LinesCaptureInput): Promise<ListedCapture>;
  addBundle(input: BundleCaptureInput): Promise<ListedCapture>;
  /** The capture with its rows; throws `not-found`. Deleted captures stay readable until purged. */
  get(id: string): Promise<Capture>;
  /** Newest first. Older captures of a scope stay listed (current: false) until deleted. */
  list(filter?: CaptureFilter): Promise<ListedCapture[]>;
  /** The current capture of every scope matching the filter, with rows: what to reconcile. */
  current(filter?: Omit<CaptureFilter, 'includeDeleted'>): Promise<Capture[]>;
  /** Soft delete: hidden at once, restorable with the token until the undo window passes. */
  remove(id: string): Promise<UndoToken>;
  undoRemove(token: UndoToken): Promise<ListedCapture>;
  /** Erases captures deleted longer ago than the undo window. Returns how many. */
  purgeDeleted(): Promise<number>;
}

function sortedUnique<T extends string | number>(values: Iterable<T>): T[] {
  return [...new Set(values)].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
}

function newer(a: CaptureRecord, b: CaptureRecord): number {
  return b.createdAt.localeCompare(a.createdAt) || b.id.localeCompare(a.id);
}

export function createCapturesRepo(ctx: StorageContext, undoWindowMs: number): CapturesRepo {
  const parseMeta = (value: unknown) => parseStored(CaptureRecord, value, 'captures', keyField('id')(value));
  const parseMetaList = (values: unknown[]) => parseStoredList(ctx, CaptureRecord, values, 'captures', keyField('id'));

  function save(record: CaptureRecord, data: CaptureData): Promise<ListedCapture> {
    return queuedWrite(ctx, 'saving the capture', async () => {
      const tx = ctx.db().transaction(['captures', 'captureData'], 'readwrite');
      await inTransaction(tx, async () => {
        await Promise.all([
          putRecord(ctx, 'captureData', tx.objectStore('captureData'), data),
          putRecord(ctx, 'captures', tx.objectStore('captures'), record),
        ]);
      });
      return { ...record, current: true };
    });
  }

  async function currentIds(records: readonly CaptureRecord[]): Promise<Set<string>> {
    const db = ctx.db();
    const ids = new Set<string>();
    for (const scope of new Set(records.map((r) => r.scope))) {
      const range = IDBKeyRange.bound([scope, ''], [scope, '\uffff']);
      const sameScope = parseMetaList(await db.getAllFromIndex('captures', 'byScope', range)).filter((r) => !r.deletedAt);
      // A read that is not whole never replaces a whole one: the newest whole capture stays
      // current, and a partial one newer than it sits beside it.
      const sorted = sameScope.sort(newer);
      const whole = sorted.find((r) => !capturePartial(r));
      if (whole) ids.add(whole.id);
      const newest = sorted[0];
      if (newest && capturePartial(newest)) ids.add(newest.id);
    }
    return ids;
  }

  async function listRecords(filter: CaptureFilter): Promise<CaptureRecord[]> {
    const db = ctx.db();
    let values: unknown[];
    if (filter.agreementId !== undefined) values = await db.getAllFromIndex('captures', 'byAgreement', filter.agreementId);
    else if (filter.organization !== undefined) values = await db.getAllFromIndex('captures', 'byOrganization', nameKey(filter.organization));
    else if (filter.month !== undefined) values = await db.getAllFromIndex('captures', 'byMonth', filter.month);
    else values = await db.getAll('captures');
    const org = filter.organization === undefined ? undefined : nameKey(filter.organization);
    return parseMetaList(values).filter(
      (r) =>
        (filter.includeDeleted || !r.deletedAt) &&
        (filter.kind === undefined || (typeof filter.kind === 'string' ? r.kind === filter.kind : filter.kind.includes(r.kind))) &&
        (filter.month === undefined || r.months.includes(filter.month)) &&
        (org === undefined || r.organizations.includes(org)) &&
        (filter.agreementId === undefined || r.agreementIds.includes(filter.agreementId)),
    );
  }

  async function withData(summary: ListedCapture): Promise<Capture> {
    const stored = await ctx.db().get('captureData', summary.id);
    if (stored === undefined) {
      throw new StorageError('corrupt', `The rows of capture ${JSON.stringify(summary.id)} are missing. Delete the capture and capture again.`);
    }
    const data = parseStored(CaptureData, stored, 'captureData', summary.id);
    const capture: Capture = { ...summary };
    if (data.lines) capture.lines = data.lines;
    if (data.skippedRows) capture.skippedRows = data.skippedRows;
    if (data.bundle) capture.bundle = data.bundle;
    return capture;
  }

  const expired = (deletedAt: string) => ctx.now().getTime() - Date.parse(deletedAt) > undoWindowMs;

  return {
    addLines(input) {
      const id = ctx.newId();
      const months = sortedUnique(input.lines.map((l) => monthOf(l.invoiceDate)));
      const record: CaptureRecord = {
        id,
        kind: 'platform',
        scope: input.scope ?? `platform|${months.join(',')}`,
        createdAt: ctx.nowIso(),
        months,
        organizations: sortedUnique(input.lines.map((l) => nameKey(l.organization)).filter((k) => k !== '')),
        agreementIds: [],
        rows: input.lines.length,
        skipped: input.skippedRows?.length ?? 0,
        complete: input.complete ?? true,
        ...origin(input),
      };
      const data: CaptureData = { id, lines: [...input.lines] };
      if (input.skippedRows) data.skippedRows = [...input.skippedRows];
      return save(record, data);
    },

    addBundle(input) {
      const id = ctx.newId();
      const { bundle } = input;
      const agreementIds = sortedUnique([...bundle.agreements.map((a) => a.id), ...bundle.additions.map((a) => a.agreementId)]);
      const kind = input.kind ?? 'connectwise';
      const record: CaptureRecord = {
        id,
        kind,
        scope: input.scope ?? `cw|${agreementIds.join(',')}`,
        createdAt: ctx.nowIso(),
        months: sortedUnique(input.months ?? []),
        organizations: sortedUnique(bundle.companies.map((c) => nameKey(c.name)).filter((k) => k !== '')),
        agreementIds,
        rows: bundle.additions.length,
        skipped: input.skipped ?? 0,
        // A bundle that says it is not whole is not, whatever the read that produced it said.
        complete: (input.complete ?? true) && bundle.complete !== false,
        ...origin(input),
      };
      // The agreement a page or file of pages is about: its first (a page holds one).
      if (kind === 'connectwise' && agreementIds[0] !== undefined) record.agreementId = agreementIds[0];
      if (input.agreementName !== undefined) record.agreementName = input.agreementName;
      if (input.companyName !== undefined) record.companyName = input.companyName;
      return save(record, { id, bundle });
    },

    get(id) {
      return read('reading the capture', async () => {
        const stored = await ctx.db().get('captures', id);
        if (stored === undefined) throw notFound('capture', id);
        const record = parseMeta(stored);
        const current = (await currentIds([record])).has(id);
        return withData({ ...record, current });
      });
    },

    list(filter = {}) {
      return read('listing captures', async () => {
        const records = await listRecords(filter);
        const current = await currentIds(records);
        return records.sort(newer).map((r) => ({ ...r, current: current.has(r.id) }));
      });
    },

    current(filter = {}) {
      return read('reading the current captures', async () => {
        const records = await listRecords(filter);
        const current = await currentIds(records);
        const summaries = records.filter((r) => current.has(r.id)).sort(newer);
        const out: Capture[] = [];
        for (const summary of summaries) out.push(await withData({ ...summary, current: true }));
        return out;
      });
    },

    remove(id) {
      return queuedWrite(ctx, 'deleting the capture', async () => {
        const tx = ctx.db().transaction('captures', 'readwrite');
        return inTransaction(tx, async () => {
          const stored = await tx.store.get(id);
          if (stored === undefined) throw notFound('capture', id);
          const record = parseMeta(stored);
          if (record.deletedAt) return { captureId: id, deletedAt: record.deletedAt };
          const deletedAt = ctx.nowIso();
          await putRecord(ctx, 'captures', tx.store, { ...record, deletedAt });
          return { captureId: id, deletedAt };
        });
      });
    },

    undoRemove(token) {
      return queuedWrite(ctx, 'restoring the capture', async () => {
        const tx = ctx.db().transaction('captures', 'readwrite');
        const restored = await inTransaction(tx, async () => {
          const stored = await tx.store.get(token.captureId);
          const record = stored === undefined ? undefined : parseMeta(stored);
          if (!record || record.deletedAt !== token.deletedAt || expired(token.deletedAt)) {
            throw new StorageError('not-found', 'That delete can no longer be undone: its undo window has passed.');
          }
          const { deletedAt: _gone, ...live } = record;
          await putRecord(ctx, 'captures', tx.store, live);
          return live;
        });
        return { ...restored, current: (await currentIds([restored])).has(restored.id) };
      });
    },

    purgeDeleted() {
      return queuedWrite(ctx, 'erasing deleted captures', async () => {
        const tx = ctx.db().transaction(['captures', 'captureData'], 'readwrite');
        return inTransaction(tx, async () => {
          const captures = tx.objectStore('captures');
          const data = tx.objectStore('captureData');
          let erased = 0;
          let cursor = await captures.openCursor();
          while (cursor) {
            const value: unknown = cursor.value;
            const deletedAt = value && typeof value === 'object' ? (value as { deletedAt?: unknown }).deletedAt : undefined;
            if (typeof deletedAt === 'string' && expired(deletedAt)) {
              await Promise.all([cursor.delete(), data.delete(cursor.primaryKey)]);
              erased++;
            }
            cursor = await cursor.continue();
          }
          return erased;
        });
      });
    },
  };
}
