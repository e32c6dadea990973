import type { Finding, FindingKind, ResolutionStatus } from '../core/model';
import { findingFingerprint } from '../core/model/fingerprint';
import { ResolutionRecord } from './records';
import type { StorageContext } from './context';
import { inTransaction, keyField, parseStored, parseStoredList, putRecord, queuedWrite, read } from './context';

/** `null` clears the note; an absent field is left as it is. */
export interface ResolutionPatch {
  note?: string | null;
  status?: ResolutionStatus;
}

export interface ResolutionsRepo {
  get(finding: Finding): Promise<ResolutionRecord | undefined>;
  /** Resolutions for a report's findings, by fingerprint (only those that have one). */
  forFindings(findings: readonly Finding[]): Promise<Map<string, ResolutionRecord>>;
  /**
   * Merges the patch into the finding's resolution (inside one transaction, so a note and a mark
   * saved at the same moment from two places both stay). A resolution left open with no note is
   * deleted; then `undefined` is returned.
   */
  update(finding: Finding, patch: ResolutionPatch): Promise<ResolutionRecord | undefined>;
  list(): Promise<ResolutionRecord[]>;
  remove(finding: Finding): Promise<boolean>;
}

export function createResolutionsRepo(ctx: StorageContext): ResolutionsRepo {
  const parse = (value: unknown) => parseStored(ResolutionRecord, value, 'resolutions', keyField('fingerprint')(value));
  const parseList = (values: unknown[]) => parseStoredList(ctx, ResolutionRecord, values, 'resolutions', keyField('fingerprint'));

  return {
    get(finding) {
      return read('reading the resolution', async () => {
        const stored = await ctx.db().get('resolutions', findingFingerprint(finding));
        return stored === undefined ? undefined : parse(stored);
      });
    },

    forFindings(findings) {
      return read('reading resolutions', async () => {
        const wanted = new Set(findings.map(findingFingerprint));
        const out = new Map<string, ResolutionRecord>();
        // One scan beats thousands of point reads for a large report; resolutions are few.
        for (const record of parseList(await ctx.db().getAll('resolutions'))) {
          if (wanted.has(record.fingerprint)) out.set(record.fingerprint, record);
        }
        return out;
      });
    },

    update(finding, patch) {
      return queuedWrite(ctx, 'saving the note', async () => {
        const fingerprint = findingFingerprint(finding);
        const kind: FindingKind = finding.kind;
        const tx = ctx.db().transaction('resolutions', 'readwrite');
        return inTransaction(tx, async () => {
          const stored = await tx.store.get(fingerprint);
          const old = stored === undefined ? undefined : parse(stored);
          const now = ctx.nowIso();
          const status = patch.status ?? old?.status ?? 'open';
          const next: ResolutionRecord = { fingerprint, kind, status, createdAt: old?.createdAt ?? now, updatedAt: now };
          const note = patch.note === undefined ? old?.note : (patch.note ?? undefined);
          if (note !== undefined && note.trim() !== '') next.note = note;
          if (next.note === undefined && next.status === 'open') {
            if (old) await tx.store.delete(fingerprint);
            return undefined;
          }
          await putRecord(ctx, 'resolutions', tx.store, next);
          return next;
        });
      });
    },

    list() {
      return read('listing resolutions', async () => parseList(await ctx.db().getAll('resolutions')));
    },

    remove(finding) {
      return queuedWrite(ctx, 'deleting the note', async () => {
        const fingerprint = findingFingerprint(finding);
        const tx = ctx.db().transaction('resolutions', 'readwrite');
        return inTransaction(tx, async () => {
          if ((await tx.store.getKey(fingerprint)) === undefined) return false;
          await tx.store.delete(fingerprint);
          return true;
        });
      });
    },
  };
}
