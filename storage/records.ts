import { z } from 'zod';
import { CwBundle, PlatformLine, ReconcileConfig, Report, SkippedRow, FindingKind, MappingKind, MappingSource, SignOff, type CwSource } from '../core/model';

/**
 * The shape of every stored record at the latest schema version. Reads and imports go through
 * these schemas, so a damaged record is reported instead of flowing into the engine.
 */

const timestamp = z.string().min(1);

// Mapping kinds and sources are the model's; stored mappings add their lookup keys.
export { MappingKind, MappingSource } from '../core/model';

export const MappingRecord = z.object({
  /** `kind|key|source`: a user's mapping and a captured one of the same name live side by side. */
  id: z.string().min(1),
  kind: MappingKind,
  /** nameKey of the Platform name: organization, offer or contract. */
  key: z.string().min(1),
  platformName: z.string().min(1),
  /** Company name, product identifier or agreement name in ConnectWise. */
  cwName: z.string().min(1),
  /** nameKey of cwName (schema v2), for lookups from the ConnectWise side. */
  cwKey: z.string().min(1),
  cwId: z.number().int().optional(),
  source: MappingSource,
  createdAt: timestamp,
  updatedAt: timestamp,
  /** On a captured mapping: the user kept their own mapping over this captured target. */
  acknowledgedCwKey: z.string().optional(),
});
export type MappingRecord = z.infer<typeof MappingRecord>;

export const CaptureKind = z.enum(['platform-lines', 'cw-bundle']);
export type CaptureKind = z.infer<typeof CaptureKind>;

/** What the side panel lists: small, without the captured rows. */
export const CaptureRecord = z.object({
  id: z.string().min(1),
  kind: CaptureKind,
  /** Captures of the same scope supersede each other; the newest one is current. */
  scope: z.string().min(1),
  capturedAt: timestamp,
  /** Invoice months (`YYYY-MM`) the capture covers. */
  months: z.array(z.string()),
  /** nameKeys of Platform organizations (lines) or ConnectWise companies (bundle). */
  organizations: z.array(z.string()),
  agreementIds: z.array(z.number().int()),
  /** Where it came from: a page URL, a file name or `api`. */
  source: z.string().optional(),
  /** Rows or additions captured, for display. */
  count: z.number().int().nonnegative(),
  /** Set while the capture sits in the undo window after a delete. */
  deletedAt: timestamp.optional(),
  /** The read stopped part-way (cancelled, dropped, fewer rows than the page said). */
  partial: z.boolean().optional(),
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

export const ResolutionMark = z.enum(['ignored', 'fixed']);
export type ResolutionMark = z.infer<typeof ResolutionMark>;

export const ResolutionRecord = z.object({
  fingerprint: z.string().min(1),
  kind: FindingKind,
  note: z.string().optional(),
  mark: ResolutionMark.optional(),
  createdAt: timestamp,
  updatedAt: timestamp,
});
export type ResolutionRecord = z.infer<typeof ResolutionRecord>;

export const DictionarySide = z.enum(['platform', 'connectwise']);
export type DictionarySide = z.infer<typeof DictionarySide>;

export const DictionaryRecord = z.object({
  id: z.string().min(1),
  /** The term as the user sees it in `side`'s UI. */
  term: z.string().min(1),
  /** nameKey of term, indexed for lookups. */
  termKey: z.string().min(1),
  /** The other system's word for it. */
  otherTerm: z.string().min(1),
  explanation: z.string(),
  side: DictionarySide,
  createdAt: timestamp,
  updatedAt: timestamp,
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
