import { z } from 'zod';
import { CaptureKind, FindingKind, MappingKind, MappingSource, type CaptureFileKind } from '../core/model';
import { nameKey } from '../core/shared/text';
import { CaptureRecord } from './records';
import type { DictionaryRecord, MappingRecord, ResolutionRecord } from './records';

/*
 * Record shapes of schema version 2 and earlier (and of version-1 backup files), where stored
 * records named their fields their own way, and how each becomes the current record. The database
 * upgrade and the backup import both go through these, so an old database and an old file become
 * the same records.
 */

const timestamp = z.string().min(1);

export const MappingRecordV2 = z.object({
  id: z.string().min(1),
  kind: MappingKind,
  key: z.string().min(1),
  platformName: z.string().min(1),
  cwName: z.string().min(1),
  /** Added by v2 (backfilled from cwName); absent in v1. */
  cwKey: z.string().min(1),
  cwId: z.number().int().optional(),
  source: MappingSource,
  createdAt: timestamp,
  updatedAt: timestamp,
  acknowledgedCwKey: z.string().optional(),
});
export type MappingRecordV2 = z.infer<typeof MappingRecordV2>;

export const ResolutionRecordV2 = z.object({
  fingerprint: z.string().min(1),
  kind: FindingKind,
  note: z.string().optional(),
  /** `fixed` is what the model calls `resolved`; no mark was an open finding with a note. */
  mark: z.enum(['ignored', 'fixed']).optional(),
  createdAt: timestamp,
  updatedAt: timestamp,
});
export type ResolutionRecordV2 = z.infer<typeof ResolutionRecordV2>;

export const DictionaryRecordV2 = z.object({
  id: z.string().min(1),
  /** The term as the user sees it in `side`'s UI. */
  term: z.string().min(1),
  termKey: z.string().min(1),
  /** The other system's word for it. */
  otherTerm: z.string().min(1),
  explanation: z.string(),
  side: z.enum(['platform', 'connectwise']),
  createdAt: timestamp,
  updatedAt: timestamp,
});
export type DictionaryRecordV2 = z.infer<typeof DictionaryRecordV2>;

export function mappingFromV2(old: MappingRecordV2): MappingRecord {
  const { platformName, cwName, ...rest } = old;
  return { ...rest, platform: platformName, cw: cwName };
}

export function resolutionFromV2(old: ResolutionRecordV2): ResolutionRecord {
  const { mark, ...rest } = old;
  return { ...rest, status: mark === 'fixed' ? 'resolved' : mark === 'ignored' ? 'ignored' : 'open' };
}

export function dictionaryFromV2(old: DictionaryRecordV2): DictionaryRecord {
  const platform = old.side === 'platform' ? old.term : old.otherTerm;
  const connectwise = old.side === 'platform' ? old.otherTerm : old.term;
  return {
    id: old.id,
    kind: 'field',
    platform,
    connectwise,
    explanation: old.explanation,
    guideSection: '',
    origin: 'user',
    termKeys: dictionaryTermKeys(platform, connectwise),
    createdAt: old.createdAt,
    updatedAt: old.updatedAt,
  };
}

/** The lookup keys of an entry's two terms (one when both systems use the same word). */
export function dictionaryTermKeys(platform: string, connectwise: string): string[] {
  return [...new Set([nameKey(platform), nameKey(connectwise)])];
}

/**
 * Schema version 4 (and backup files up to version 3) stored a capture under storage's own field
 * names: `capturedAt` for the model's `createdAt`, `count` for `rows`, `partial` for the opposite
 * of `complete`, and one `source` string for `url`, `file` and `fileKind` (a page's address,
 * `file:<what>:<names>` for files handed in, or `api`).
 */
export const CaptureRecordV4 = z.object({
  id: z.string().min(1),
  kind: CaptureKind,
  scope: z.string().min(1),
  capturedAt: timestamp,
  months: z.array(z.string()),
  organizations: z.array(z.string()),
  agreementIds: z.array(z.number().int()),
  source: z.string().optional(),
  count: z.number().int().nonnegative(),
  deletedAt: timestamp.optional(),
  partial: z.boolean().optional(),
});
export type CaptureRecordV4 = z.infer<typeof CaptureRecordV4>;

/**
 * Schema version 3 and earlier (and backup files up to version 2) stored a capture's kind as what
 * it held: `platform-lines` or `cw-bundle`, the latter whether read from pages, files or the API.
 * From v4 it is the model's kind, and an API pull (`source` "api") is `api`.
 */
export const CaptureRecordV3 = CaptureRecordV4.extend({ kind: z.enum(['platform-lines', 'cw-bundle']) });
export type CaptureRecordV3 = z.infer<typeof CaptureRecordV3>;

export function captureFromV3<R extends CaptureRecordV3>(old: R): Omit<R, 'kind'> & CaptureRecordV4 {
  return { ...old, kind: old.kind === 'platform-lines' ? 'platform' : old.source === 'api' ? 'api' : 'connectwise' };
}

/**
 * What the v4 upgrade writes for one stored capture: the record with the model's kind, or
 * `undefined` to leave it as it is (already current, or damaged: reads keep reporting it).
 * Only `kind` changes, under the record's own key; every other field stays as it was.
 */
export function migrateStoredCapture(value: unknown): object | undefined {
  if (value === null || typeof value !== 'object') return undefined;
  const record = value as Record<string, unknown>;
  if (record.kind !== 'platform-lines' && record.kind !== 'cw-bundle') return undefined;
  if (!CaptureRecordV3.safeParse(record).success) return undefined;
  return captureFromV3(record as Record<string, unknown> & CaptureRecordV3);
}

const CAPTURE_V4_NAMES = ['capturedAt', 'count', 'source', 'partial'] as const;

/** How a v4 `source` of files handed in was written: `file:<bundle|page|lines>:<names>`. */
const FILE_SOURCE = /^file:(bundle|page|lines):([^]*)$/;

/**
 * A v4 capture as the model's record. `skipped` is how many rows its stored data set aside (v4
 * kept only the rows, not their count). The agreement a ConnectWise capture names is its first,
 * as the panel named it before.
 */
export function captureFromV4(old: CaptureRecordV4, skipped: number): CaptureRecord {
  const { capturedAt, count, source, partial, ...rest } = old;
  const file = source === undefined ? null : FILE_SOURCE.exec(source);
  const agreementId = rest.kind === 'connectwise' ? rest.agreementIds[0] : undefined;
  return {
    ...rest,
    createdAt: capturedAt,
    rows: count,
    skipped,
    complete: partial !== true,
    ...(file ? { file: file[2]!, fileKind: file[1] as CaptureFileKind } : source === undefined || (source === 'api' && rest.kind === 'api') ? {} : { url: source }),
    ...(agreementId === undefined ? {} : { agreementId }),
  };
}

/** How many rows a stored capture's data set aside (its `captureData` record, as stored). */
export function skippedIn(data: unknown): number {
  const rows = data !== null && typeof data === 'object' ? (data as { skippedRows?: unknown }).skippedRows : undefined;
  return Array.isArray(rows) ? rows.length : 0;
}

/**
 * What the v5 upgrade writes for one stored capture: the record under the model's field names,
 * or `undefined` to leave it as it is: already current; damaged (not a whole v4 record, or one
 * whose translation would not be a valid record: reads keep reporting it); or holding a new name
 * with a value other than the one its old name gives (reads report its leftover old name,
 * nothing is overwritten). Fields the v4 schema did not know stay as they were.
 */
export function migrateCaptureToModel(value: unknown, skipped: number): object | undefined {
  if (value === null || typeof value !== 'object') return undefined;
  const record = value as Record<string, unknown>;
  const oldNames: readonly string[] = CAPTURE_V4_NAMES;
  if (!oldNames.some((name) => name in record)) return undefined;
  const parsed = CaptureRecordV4.safeParse(record);
  if (!parsed.success) return undefined;
  const next = captureFromV4(parsed.data, skipped) as Record<string, unknown>;
  const clashes = Object.keys(next).some((field) => field in record && !sameValue(record[field], next[field]));
  if (clashes) return undefined;
  const kept = Object.fromEntries(Object.entries(record).filter(([field]) => !oldNames.includes(field) && !(field in next)));
  const out = { ...kept, ...next };
  return CaptureRecord.safeParse(out).success ? out : undefined;
}

/** The field names an old record has and a current one does not, and the reverse. */
const NAMES = {
  mappings: { old: ['platformName', 'cwName'], current: ['platform', 'cw'] },
  resolutions: { old: ['mark'], current: ['status'] },
  dictionary: { old: ['term', 'otherTerm', 'side', 'termKey'], current: ['platform', 'connectwise', 'termKeys'] },
} as const;

export type MigratedStore = keyof typeof NAMES;

const FROM_V2 = {
  mappings: (v: unknown) => mapOk(MappingRecordV2.safeParse(v), mappingFromV2),
  resolutions: (v: unknown) => mapOk(ResolutionRecordV2.safeParse(v), resolutionFromV2),
  dictionary: (v: unknown) => mapOk(DictionaryRecordV2.safeParse(v), dictionaryFromV2),
} as const;

function mapOk<A, B>(parsed: { success: true; data: A } | { success: false }, to: (a: A) => B): B | undefined {
  return parsed.success ? to(parsed.data) : undefined;
}

function sameValue(a: unknown, b: unknown): boolean {
  return JSON.stringify(a) === JSON.stringify(b);
}

/**
 * What the upgrade writes for one stored record: the current record, or `undefined` to leave it
 * as it is. A record already in the current names is left alone; so is a record that is not a
 * whole old record (damaged: reads keep reporting it) and one that holds a new name with a value
 * other than the one its old name gives (reads report its leftover old name, nothing is
 * overwritten).
 */
export function migrateStored(store: MigratedStore, value: unknown): object | undefined {
  if (value === null || typeof value !== 'object') return undefined;
  const record = value as Record<string, unknown>;
  const oldNames: readonly string[] = NAMES[store].old;
  const current = NAMES[store].current.every((name) => name in record) && !oldNames.some((name) => name in record);
  if (current) return undefined;
  const next = FROM_V2[store](record) as Record<string, unknown> | undefined;
  if (next === undefined) return undefined;
  const clashes = Object.keys(next).some((field) => field in record && !oldNames.includes(field) && !sameValue(record[field], next[field]));
  if (clashes) return undefined;
  // Fields the old schema did not know stay as they were.
  const kept = Object.fromEntries(Object.entries(record).filter(([field]) => !oldNames.includes(field) && !(field in next)));
  return { ...kept, ...next };
}
