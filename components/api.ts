import type {
  BackupPreview,
  CaptureSummary,
  CwCredentialsDraft,
  Finding,
  LinkBases,
  Mapping,
  MappingConflict,
  MappingKind,
  MappingSource,
  PageContext,
  PublicSettings,
  ReconcileConfig,
  Report,
  Resolution,
  RunNames,
  RunSummary,
  SettingsPatch,
  SignOff,
} from '../core/model';
import type { FileCapture } from '../core/protocol/messages';
import type { ConnectionResult, HealthCheck } from '../core/health/schema';
import type { DictionaryEntry, NewDictionaryEntry } from '../core/dictionary/schema';
import type { InvoicingReadiness, InvoicingRow } from '../core/invoicing/schema';

/**
 * What the side panel and options page need from the rest of the extension. Models depend on
 * these interfaces only, so tests can hand them an in-memory implementation and the
 * entrypoints hand them one built over the background's message protocol.
 */

export type { PageContext } from '../core/model';

/** A capture as the protocol lists it; `captureLabel` (components/captures.ts) names it. */
export type { CaptureSummary } from '../core/model';

export type { LinkBases, RunNames, RunSummary, SignOff } from '../core/model';

/**
 * A run as the panel holds it while showing it: the report (or its first pages), the names and
 * fingerprints the background computed for it, and its sign-off. Not the stored run record
 * (`StoredRun` in core/app/ports.ts), which keeps what the run read and the settings it ran with.
 */
export interface PanelRun {
  id: string;
  createdAt: string;
  report: Report;
  names?: RunNames;
  /** Fingerprints of report.findings, index for index, when the background already computed them. */
  fingerprints?: string[];
  /** The month's sign-off; a signed-off run is frozen. */
  signOff?: SignOff;
  /** Row keys of report.findings, index for index, when the background gave them. */
  keys?: string[];
  /**
   * A run read back in pages: report.findings holds the findings read so far, in the order the
   * panel lists them, and the rest comes through `load`.
   */
  pages?: RunPages;
}

/** The rest of a run read back in pages, and its whole export (written by the background). */
export interface RunPages {
  /** How many findings the whole run has. */
  total: number;
  /** `limit` findings from `offset`, in the panel's order, with their fingerprints and row keys. */
  load(offset: number, limit: number): Promise<{ findings: Finding[]; fingerprints: string[]; keys: string[] }>;
  /** The whole run's export with the user's verdicts and notes, as the background writes it. */
  exportAll(format: 'csv' | 'json'): Promise<{ filename: string; mime: string; text: string }>;
}

export interface StartInfo {
  page: PageContext;
  /** The invoice month the panel is working on, `YYYY-MM`, or null before any capture. */
  month: string | null;
  /** Every captured invoice month a reconcile reads (oldest first); absent: just `month`. */
  months?: string[];
  captures: CaptureSummary[];
  /** Where ConnectWise data comes from: the REST API (keys set), page captures, or nowhere yet. */
  cwSource: 'api' | 'captures' | 'none';
  lastRun: RunSummary | null;
  /** Base URLs used to build deep links. */
  links?: LinkBases;
}

export interface Progress {
  done: number;
  total?: number;
  phase?: string;
}

/** A user's verdict on a finding (`open` until resolved or ignored), as the model defines it. */
export type { Resolution, ResolutionStatus } from '../core/model';

export type { Mapping, MappingKind } from '../core/model';

export type { HealthCheck, HealthStatus } from '../core/health/schema';

export type { DictionaryEntry, NewDictionaryEntry } from '../core/dictionary/schema';

export interface TaskOptions {
  signal?: AbortSignal;
  onProgress?: (p: Progress) => void;
}

export interface PanelApi {
  getStart(): Promise<StartInfo>;
  capture(opts?: TaskOptions): Promise<CaptureSummary>;
  /** Reads the month's ConnectWise data through the REST API (keys set in the options). */
  pull(opts?: TaskOptions): Promise<CaptureSummary>;
  reconcile(opts?: TaskOptions): Promise<PanelRun>;
  listRuns(): Promise<RunSummary[]>;
  getRun(id: string): Promise<PanelRun | null>;
  listResolutions(): Promise<Resolution[]>;
  /** `runId` names the run the finding was seen in (the background looks the finding up there). */
  putResolution(r: Resolution, runId?: string, opts?: { undoable?: boolean }): Promise<void>;
  deleteResolution(fingerprint: string, runId?: string): Promise<void>;
  /** Many verdicts as one stored undo step (absent: each is put on its own). */
  applyResolutions?(next: Resolution[], label: string, runId?: string): Promise<void>;
  /** Undoes the newest stored step, from this session or an earlier one. */
  undoLast?(): Promise<{ label: string; restored: Resolution[] } | null>;
  /** The label of the step undoLast would put back. */
  lastUndo?(): Promise<string | null>;
  /** Signs the month off on a run (who, a note); the background stamps the time. */
  signOff?(runId: string, by: string, note?: string): Promise<SignOff>;
  listMappings(): Promise<Mapping[]>;
  putMapping(m: Mapping): Promise<void>;
  /** Removes the mapping of this Platform name. */
  deleteMapping(kind: MappingKind, platform: string): Promise<void>;
  /** A user's mapping and a captured one that disagree, as the background's store decides it. */
  listMappingConflicts(): Promise<MappingConflict[]>;
  /** Keeps one side of a conflict; answers the mapping kept and the one set aside (for undo). */
  resolveMappingConflict?(kind: MappingKind, platform: string, keep: MappingSource): Promise<{ kept: Mapping; setAside: Mapping }>;
  /** Puts a settled conflict back as it was, from the mapping its resolve set aside. */
  reopenMappingConflict?(kind: MappingKind, platform: string, setAside: Mapping): Promise<void>;
  health(): Promise<HealthCheck[]>;
  listDictionary(): Promise<DictionaryEntry[]>;
  /** Adds a user's entry; the background assigns its id. */
  putDictionaryEntry(e: NewDictionaryEntry): Promise<void>;
  deleteDictionaryEntry(id: string): Promise<void>;
  /** Agreement Invoicing readiness for a Thru Date (`YYYY-MM-DD`), from the current captures. */
  invoicingReadiness(thruDate: string): Promise<InvoicingReadiness>;
  /** Subscribe to page changes (tab switch, SPA navigation); returns an unsubscribe. */
  onPageChange?(cb: (page: PageContext) => void): () => void;
  /** Subscribe to runs being stored or removed anywhere (another window, the CLI's import); returns an unsubscribe. */
  onRunsChanged?(cb: () => void): () => void;
  /** The reconcile settings the file readers follow (date format, decimal separator), as the CLI's --config. */
  readerConfig?(): Promise<ReconcileConfig>;
  /** Stores what the panel read from files handed in to it, each entry as one capture. */
  storeFiles?(captures: FileCapture[]): Promise<CaptureSummary[]>;
}

/** Settings as the protocol carries them: the private key is never read back, only `hasPrivateKey`. */
export type SettingsView = PublicSettings;
export type { SettingsPatch, ConnectionResult, CwCredentialsDraft, InvoicingReadiness, InvoicingRow, BackupPreview };

export interface ImportPreview {
  ok: boolean;
  /** store → records the file holds. */
  counts: Record<string, number>;
  errors: string[];
  /** What the background worked out each mode would change, once it has answered. */
  changes?: { merge: BackupPreview; replace: BackupPreview };
}

export interface OptionsApi {
  getSettings(): Promise<SettingsView>;
  /** `patch.cw.privateKey` is write-only: it goes to local storage in the background and never comes back. */
  saveSettings(patch: SettingsPatch): Promise<SettingsView>;
  testConnection(draft?: CwCredentialsDraft): Promise<ConnectionResult>;
  /**
   * Ask the browser for host access (needs the click's user gesture) and register content
   * scripts there; resolves false when refused.
   */
  requestHostPermission(origins: string[]): Promise<boolean>;
  exportData(): Promise<{ filename: string; json: string }>;
  /** A dry run of importData: per store, what would be added, updated, left alone or removed. */
  previewImport(json: string, mode: 'merge' | 'replace'): Promise<BackupPreview>;
  /** `deleteUnreadable`: the user confirmed that a replace may delete stored records that cannot be read. */
  importData(json: string, mode: 'merge' | 'replace', deleteUnreadable?: boolean): Promise<Record<string, number>>;
  clearAll(): Promise<void>;
}

export type { Finding, Report };
