import type {
  BackupPreview,
  CaptureKind,
  CaptureOrigin,
  CaptureSummary,
  CwBundle,
  CwCredentialsDraft,
  Finding,
  Mapping,
  MappingConflict,
  MappingKind,
  PageContext,
  PlatformLine,
  PublicSettings,
  ReconcileConfig,
  Report,
  Resolution,
  ResolutionStatus,
  SettingsPatch,
  SkippedRow,
} from '../model';
import type { ContentCaptureResult, ProtocolEvent } from '../protocol/messages';
import type { ConnectionResult, HealthCheck } from '../health/schema';
import type { DictionaryEntry, NewDictionaryEntry } from '../dictionary/schema';
import type { z } from 'zod';
import type { UndoStore } from './undo';

/*
 * What the background services need from the world, as small interfaces. entrypoints/background.ts
 * binds them to browser.*, the storage repositories, the engine and the ConnectWise client; unit
 * tests bind them to in-memory fakes. Nothing here names a browser API.
 */

export interface TabsPort {
  /** The active tab of the focused window, or null (a browser page, no window). */
  activeTabId(): Promise<number | null>;
  url(tabId: number): Promise<string | null>;
  /** Sends to the tab's top frame; rejects when no content script listens there. */
  send(tabId: number, message: unknown): Promise<unknown>;
  /**
   * Runs the in-page code (help, badges, capture) in one frame of the tab; resolves once it has
   * run. Every page gets only a small loader at load, which asks for this when it is needed.
   */
  runInPage(tabId: number, frameId: number): Promise<void>;
}

/**
 * A stored capture as the services read it: the model's summary as storage keeps it, and whether
 * it is current (the newest whole capture of its scope, or a partial one beside it).
 */
export interface StoredCaptureMeta extends CaptureSummary {
  current?: boolean;
}

export interface StoredCapture extends StoredCaptureMeta {
  lines?: PlatformLine[];
  skippedRows?: SkippedRow[];
  bundle?: CwBundle;
}

export interface CapturesPort {
  addLines(input: { lines: PlatformLine[]; skippedRows?: SkippedRow[] } & CaptureOrigin): Promise<StoredCaptureMeta>;
  /** `kind` `api` for a pull (default `connectwise`); the names are the agreement's a page showed. */
  addBundle(
    input: { bundle: CwBundle; kind?: 'connectwise' | 'api'; scope?: string; months?: string[] } & CaptureOrigin &
      Partial<Pick<CaptureSummary, 'skipped' | 'agreementName' | 'companyName'>>,
  ): Promise<StoredCaptureMeta>;
  list(filter?: { month?: string }): Promise<StoredCaptureMeta[]>;
  /** The newest complete capture of every scope, and a newer partial one beside it: what to reconcile. */
  current(filter?: { kind?: CaptureKind | readonly CaptureKind[]; month?: string }): Promise<StoredCapture[]>;
  remove(id: string): Promise<unknown>;
  /** Erases the deleted captures whose undo window has passed; answers how many. */
  purgeDeleted?(): Promise<number>;
}

export interface MappingsPort {
  capture(inputs: Pick<Mapping, 'kind' | 'platform' | 'cw' | 'cwId'>[]): Promise<unknown>;
  list(kind?: MappingKind): Promise<Mapping[]>;
  set(input: { kind: MappingKind; platform: string; cw: string; cwId?: number }): Promise<Mapping>;
  remove(kind: MappingKind, platform: string): Promise<unknown>;
  conflicts(): Promise<MappingConflict[]>;
  /** Keeps one side of a conflict; the other stays stored (captured) or comes back through `reopen` (the user's). */
  resolveConflict?(kind: MappingKind, platform: string, keep: 'user' | 'captured'): Promise<void>;
  /** Counts the captured side as a conflict again (undo of keeping the user's side). */
  reopenConflict?(kind: MappingKind, platform: string): Promise<void>;
  /** Both sides of a Platform name, as stored (for what a resolve sets aside). */
  sides?(kind: MappingKind, platform: string): Promise<{ user?: Mapping; captured?: Mapping }>;
  /** Platform names mapped to a ConnectWise name. */
  findByCw(kind: MappingKind, cw: string): Promise<Mapping[]>;
}

/**
 * A stored run as the services read it: its report, what it read (captures, where its ConnectWise
 * side came from) and the settings it ran with. The panel's view of a run is `PanelRun`
 * (components/api.ts).
 */
export interface StoredRun {
  id: string;
  createdAt: string;
  report: Report;
  captureIds: string[];
  cwSource: 'api' | 'captures' | 'mixed';
  config: ReconcileConfig;
  /** Who signed the month off, when, and the run's verdicts as they stood then: the run is then frozen. */
  signOff?: { by: string; at: string; note?: string; resolutions?: Resolution[] };
}

export interface RunsPort {
  /** Stores the run; the store assigns its id and time. */
  add(run: Omit<StoredRun, 'id' | 'createdAt'>): Promise<StoredRun>;
  /** Newest first. */
  list(limit?: number): Promise<StoredRun[]>;
  get(id: string): Promise<StoredRun | undefined>;
  remove(id: string): Promise<unknown>;
  /** `resolutions`: the run's verdicts at this moment, kept with the sign-off as the frozen state. */
  signOff?(id: string, by: string, note?: string, resolutions?: Resolution[]): Promise<StoredRun>;
}

export interface ResolutionsPort {
  list(): Promise<Resolution[]>;
  get(finding: Finding): Promise<Resolution | null>;
  /**
   * Sets the finding's state to exactly this (status `open` and no note deletes it); answers
   * the stored state, or null when nothing is left stored.
   */
  put(finding: Finding, state: { status: ResolutionStatus; note?: string }): Promise<Resolution | null>;
}

export interface DictionaryPort {
  list(): Promise<DictionaryEntry[]>;
  add(entry: z.infer<typeof NewDictionaryEntry>): Promise<DictionaryEntry>;
  remove(id: string): Promise<unknown>;
}

export interface SettingsPort {
  get(): Promise<PublicSettings>;
  patch(patch: SettingsPatch): Promise<PublicSettings>;
  /** Read only inside the background, to build the ConnectWise client. */
  privateKey(): Promise<string | undefined>;
}

export interface BackupPort {
  exportJson(): Promise<string>;
  /** `deleteUnreadable`: confirmed that a replace may delete stored records that cannot be read. */
  importJson(json: string, mode: 'merge' | 'replace', deleteUnreadable?: boolean): Promise<Record<string, number>>;
  /** What importJson would change, per store, without writing anything. */
  previewJson(json: string, mode: 'merge' | 'replace'): Promise<BackupPreview>;
  clear(): Promise<void>;
}

export interface EnginePort {
  reconcile(input: { lines: PlatformLine[]; bundle: CwBundle; config: ReconcileConfig; skippedRows: SkippedRow[]; now: Date }): Report;
}

/** Full credentials, only ever held inside the background. */
export interface CwCredentials {
  site: string;
  codebase?: string;
  companyId: string;
  publicKey: string;
  privateKey: string;
  clientId: string;
  /** The site the private key was entered for; the client sends the key nowhere else. */
  keySite?: string;
}

export interface CwPort {
  pull(
    credentials: CwCredentials,
    options: { companies?: string[]; products?: string[]; window?: { from: string; to: string }; signal: AbortSignal; onProgress: (done: number, total: number, stage: string) => void; now: Date },
  ): Promise<CwBundle>;
  test(credentials: CwCredentials, signal?: AbortSignal): Promise<ConnectionResult>;
  health(input: { credentials: CwCredentials | null; bundle: CwBundle | null; lines: PlatformLine[]; config: ReconcileConfig }): Promise<HealthCheck[]>;
}

export interface HostsPort {
  /** Registers content scripts on the custom hosts the extension holds permission for. */
  sync(hosts: PublicSettings['hosts']): Promise<{ registered: string[]; missing: string[] }>;
}

export interface PanelPort {
  open(tabId: number | undefined): Promise<void>;
}

export interface AppPorts {
  now(): Date;
  newId(): string;
  log(message: string): void;
  broadcast(event: ProtocolEvent): void;
  tabs: TabsPort;
  captures: CapturesPort;
  mappings: MappingsPort;
  runs: RunsPort;
  resolutions: ResolutionsPort;
  dictionary: DictionaryPort;
  settings: SettingsPort;
  backup: BackupPort;
  engine: EnginePort;
  cw: CwPort;
  hosts: HostsPort;
  panel: PanelPort;
  /** Where the resolutions' undo steps are kept (outliving the service worker); memory when absent. */
  undo?: UndoStore;
  /** Waits between tries at a tab still loading; a timer when absent. */
  sleep?(ms: number): Promise<void>;
}

export type { ContentCaptureResult, CwCredentialsDraft, PageContext };
