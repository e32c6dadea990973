import { z } from 'zod';
import { CaptureSummary, CwBundle, PlatformLine, ReconcileConfig, Report, SkippedRow, FindingKind, Mapping, Resolution, SignOff, type CwSource } from '../core/model';
import { DictionaryEntry } from '../core/dictionary/schema';

/**
 * The shape of every stored record at the latest schema version. Reads and imports go through
 * these schemas, so a damaged record is reported instead of flowing into the engine.
 */

const timestamp = z.string().min(1);

// Mapping kinds and sources are the model's; stored mappings add their lookup keys.
export { CaptureKind, MappingKind, MappingSource } from '../core/model';

/**
 * A stored record as the model's shape: the record without the keys storage adds. Picked by the
 * model schema's own fields, so nothing is renamed on the way.
 */
export function asModel<S extends z.ZodObject>(schema: S, record: z.infer<S>): z.infer<S> {
  const out: Record<string, unknown> = {};
  for (const field of Object.keys(schema.shape)) {
    const value = (record as Record<string, unknown>)[field];
    if (value !== undefined) out[field] = value;
  }
  return out as z.infer<S>;
}

/**
 * A field name an earlier schema version used: a record that still holds it was not migrated
 * (the upgrade leaves a record alone rather than overwrite a differing value), so reads report it.
 */
function retired(name: string) {
  return z.never({ error: `${name} is an earlier version's field, not migrated because the record also holds a different value under its new name` }).optional();
}

/** A mapping as the model has it, with the keys it is stored and looked up by. */
export const MappingRecord = Mapping.extend({
  /** `kind|key|source`: a user's mapping and a captured one of the same name live side by side. */
  id: z.string().min(1),
  /** nameKey of the Platform name: organization, offer or contract. */
  key: z.string().min(1),
  /** nameKey of `cw`, for lookups from the ConnectWise side. */
  cwKey: z.string().min(1),
  createdAt: timestamp,
  updatedAt: timestamp,
  /** On a captured mapping: the user kept their own mapping over this captured target. */
  acknowledgedCwKey: z.string().optional(),
  platformName: retired('platformName'),
  cwName: retired('cwName'),
});
export type MappingRecord = z.infer<typeof MappingRecord>;

/**
 * A capture as the model has it (what the side panel lists: small, without the captured rows),
 * with the keys it is stored, superseded and looked up by. Its rows are the `captureData` record
 * of the same id.
 */
export const CaptureRecord = CaptureSummary.extend({
  id: z.string().min(1),
  /** Captures of the same scope supersede each other; the newest whole one is current. */
  scope: z.string().min(1),
  /** nameKeys of Platform organizations (lines) or ConnectWise companies (bundle). */
  organizations: z.array(z.string()),
  agreementIds: z.array(z.number().int()),
  /** Set while the capture sits in the undo window after a delete. */
  deletedAt: timestamp.optional(),
  capturedAt: retired('capturedAt'),
  count: retired('count'),
  source: retired('source'),
  partial: retired('partial'),
});
export type CaptureRecord = z.infer<typeof CaptureRecord>;

export const CaptureData = z.object({
  id: z.string().min(1),
  lines: z.array(PlatformLine).optional(),
  skippedRows: z.array(SkippedRow).optional(),
  bundle: CwBundle.optional(),
});
export type CaptureData = z.infer<typeof CaptureData>;

export const RunInputs = z.object({
  captureIds: z.array(z.string()).default([]),
  /** When the CW side did not come from a capture: `api`, a file name, … */
  bundleSource: z.string().optional(),
  linesSource: z.string().optional(),
});
export type RunInputs = z.infer<typeof RunInputs>;

/** Where a stored run's ConnectWise side came from, read off its inputs. */
export function cwSourceOfInputs(inputs: RunInputs): CwSource {
  return inputs.bundleSource === 'api' || inputs.bundleSource === 'mixed' ? inputs.bundleSource : 'captures';
}

export const RunRecord = z.object({
  id: z.string().min(1),
  createdAt: timestamp,
  report: Report,
  inputs: RunInputs,
  settings: ReconcileConfig,
  /** The month's sign-off: who closed the review, when, and why; a signed-off run is frozen. */
  signOff: SignOff.optional(),
});
export type RunRecord = z.infer<typeof RunRecord>;

/** A resolution as the model has it, with the finding kind it was made for and when it began. */
export const ResolutionRecord = Resolution.extend({
  kind: FindingKind,
  createdAt: timestamp,
  updatedAt: timestamp,
  mark: retired('mark'),
});
export type ResolutionRecord = z.infer<typeof ResolutionRecord>;

/** A user's dictionary entry as the model has it, with the nameKeys of both terms for lookups. */
export const DictionaryRecord = DictionaryEntry.extend({
  /** nameKey of each side's term, indexed (multi-entry) so either system's word finds the entry. */
  termKeys: z.array(z.string().min(1)).min(1),
  createdAt: timestamp,
  updatedAt: timestamp,
  term: retired('term'),
  otherTerm: retired('otherTerm'),
  side: retired('side'),
});
export type DictionaryRecord = z.infer<typeof DictionaryRecord>;

/** Each store's record schema and key field, shared by reads, export and import. */
export const STORE_RECORDS = {
  mappings: { schema: MappingRecord, key: 'id' },
  captures: { schema: CaptureRecord, key: 'id' },
  captureData: { schema: CaptureData, key: 'id' },
  runs: { schema: RunRecord, key: 'id' },
  resolutions: { schema: ResolutionRecord, key: 'fingerprint' },
  dictionary: { schema: DictionaryRecord, key: 'id' },
} as const;
export type DataStoreName = keyof typeof STORE_RECORDS;
export const DATA_STORES = Object.keys(STORE_RECORDS) as DataStoreName[];
