import { z } from 'zod';
import {
  AdditionVerdict,
  App,
  BackupPreview,
  CalendarDate,
  CaptureSummary,
  CwBundle,
  CwCredentialsDraft,
  EntityLookup,
  LinkBases,
  Mapping,
  MappingConflict,
  MappingKind,
  MappingSource,
  MonthKey,
  PageContext,
  PlatformLine,
  PublicSettings,
  ReconcileConfig,
  Report,
  Resolution,
  ResolutionStatus,
  RunDiff,
  RunFinding,
  RunNames,
  RunSummary,
  SettingsPatch,
  SignOff,
  SkippedRow,
} from '../model';
import { ConnectionResult, HealthCheck } from '../health/schema';
import { InvoicingReadiness } from '../invoicing/schema';
import { DictionaryEntry, NewDictionaryEntry } from '../dictionary/schema';
import { ERROR_CODES, type EVENT_CHANNEL, type ErrorCode } from './errors';

export { ProtocolError, EVENT_CHANNEL, type ErrorCode, type Result } from './errors';

/**
 * The one message protocol between the extension's contexts (DESIGN §2).
 *
 * Every request is `{ type, ...payload }`; the background validates it against the schema in
 * MESSAGES[type] before any handler runs, and checks the sender's role against `roles`. Requests
 * a content script may send are listed with role `content`; everything else is for extension
 * pages only. Content scripts are never told a secret: no response here carries the private key
 * (settings responses only say `hasPrivateKey`).
 *
 * Answers travel as a Result (`{ ok: true, value }` / `{ ok: false, error }`) because Error
 * objects do not survive structured cloning between contexts.
 *
 * Long jobs (capture, reconcile, API pull) take an optional caller-chosen `jobId`, answer when
 * the job ends, and meanwhile broadcast `job.progress` events with that id; `job.cancel` stops
 * them. The panel stays responsive because all of this runs in the background.
 */

// ---------------------------------------------------------------------------------------------
// The protocol's own shapes. The domain's shapes live with their domain (core/model,
// core/health, core/invoicing, core/dictionary) and travel as they are: import them from there.
// ---------------------------------------------------------------------------------------------

export const SenderRole = z.enum(['panel', 'options', 'content']);
export type SenderRole = z.infer<typeof SenderRole>;

const monthKey = MonthKey;
const jobId = z.string().min(1).max(100);

export const JobKind = z.enum(['capture', 'reconcile', 'pull']);
export type JobKind = z.infer<typeof JobKind>;

export const JobProgress = z.object({
  jobId,
  job: JobKind,
  /** A short machine word for the stage, e.g. `reading`, `paging`, `scrolling`, `matching`, `saving`. */
  phase: z.string(),
  done: z.number().int().nonnegative(),
  total: z.number().int().nonnegative().optional(),
  message: z.string().optional(),
});
export type JobProgress = z.infer<typeof JobProgress>;

/** What a content script hands back from a capture. */
export const ContentCaptureResult = z.discriminatedUnion('app', [
  z.object({
    app: z.literal('platform'),
    url: z.string(),
    lines: z.array(PlatformLine),
    skipped: z.array(SkippedRow).default([]),
    gridTotal: z.number().int().optional(),
    complete: z.boolean(),
  }),
  z.object({
    app: z.literal('connectwise'),
    url: z.string(),
    bundle: CwBundle,
    skipped: z.array(SkippedRow).default([]),
    gridTotal: z.number().int().optional(),
    complete: z.boolean(),
  }),
]);
export type ContentCaptureResult = z.infer<typeof ContentCaptureResult>;

/**
 * What the panel read from files the user handed in (picked or dropped), to be stored as captures.
 * The panel reads them (pages need a DOM, which the background lacks) and shows a preview first;
 * the background validates this on receipt and stores each entry as one capture.
 */
export const FileCapture = z.discriminatedUnion('kind', [
  z.object({
    kind: z.literal('lines'),
    /** The file names the lines came from (several exports of one import are one capture). */
    files: z.array(z.string().min(1)).min(1),
    lines: z.array(PlatformLine).min(1),
    skipped: z.array(SkippedRow).default([]),
    /** False when a saved page held fewer rows than its grid said. */
    complete: z.boolean(),
  }),
  z.object({
    kind: z.literal('cw'),
    file: z.string().min(1),
    /** A bundle file lists companies and agreements; a saved Additions page shows one agreement. */
    from: z.enum(['file', 'page']),
    bundle: CwBundle,
  }),
]);
export type FileCapture = z.infer<typeof FileCapture>;
export const FileImport = z.object({ captures: z.array(FileCapture).min(1) });
export type FileImport = z.infer<typeof FileImport>;

/**
 * The most text one `files.part` carries. A large import (a 100,000-line export) travels as its
 * JSON in pieces of this size, so no single message grows with the file.
 */
export const FILE_PART_MAX = 4_000_000;

// ---------------------------------------------------------------------------------------------
// Requests: panel / options / content → background
// ---------------------------------------------------------------------------------------------

const PAGES = ['panel', 'options'] as const satisfies readonly SenderRole[];
const EVERYONE = ['panel', 'options', 'content'] as const satisfies readonly SenderRole[];
const CONTENT = ['content'] as const satisfies readonly SenderRole[];

function message<const T extends string, const S extends z.ZodRawShape, R extends z.ZodType>(
  type: T,
  payload: S,
  response: R,
  roles: readonly SenderRole[],
) {
  return { type, request: z.object({ type: z.literal(type), ...payload }), response, roles };
}

const ok = z.object({ ok: z.literal(true) });

export const MESSAGES = {
  // Page context: which screen each tab shows.
  'page.context': message('page.context', { tabId: z.number().int().optional() }, PageContext, PAGES),
  /** A content script announcing what its page shows (on load and on SPA navigation). */
  'page.report': message(
    'page.report',
    { context: PageContext.omit({ tabId: true, reachable: true }) },
    ok,
    CONTENT,
  ),

  /** Everything the panel's start screen shows, in one round trip. */
  'panel.start': message(
    'panel.start',
    { tabId: z.number().int().optional() },
    z.object({
      page: PageContext,
      /** The invoice month being worked on (latest captured), or null before any capture. */
      month: monthKey.nullable(),
      captures: z.array(CaptureSummary),
      cwSource: z.enum(['api', 'captures', 'none']),
      lastRun: RunSummary.nullable(),
      links: LinkBases,
    }),
    PAGES,
  ),

  // Capture.
  'capture.start': message(
    'capture.start',
    { tabId: z.number().int().optional(), jobId: jobId.optional() },
    CaptureSummary,
    PAGES,
  ),
  /** Content script → background: progress of a capture the background asked for. */
  'capture.progress': message('capture.progress', { progress: JobProgress }, ok, CONTENT),
  'captures.list': message('captures.list', { month: monthKey.optional() }, z.array(CaptureSummary), PAGES),
  'captures.delete': message('captures.delete', { id: z.string() }, ok, PAGES),
  /** One piece of a file import's JSON (a FileImport), in order from 0; kept until `files.store`. */
  'files.part': message(
    'files.part',
    { importId: jobId, index: z.number().int().nonnegative().max(100_000), text: z.string().max(FILE_PART_MAX) },
    ok,
    PAGES,
  ),
  /** Joins the import's pieces, validates them as a FileImport and stores each entry as a capture. */
  'files.store': message('files.store', { importId: jobId, parts: z.number().int().positive().max(100_001) }, z.array(CaptureSummary), PAGES),
  /** Drops the pieces of an import that will not be stored. */
  'files.discard': message('files.discard', { importId: jobId }, ok, PAGES),

  // Any long job.
  'job.cancel': message('job.cancel', { jobId }, z.object({ cancelled: z.boolean() }), PAGES),

  // Reconcile.
  'reconcile.start': message(
    'reconcile.start',
    {
      jobId: jobId.optional(),
      /** Invoice months to reconcile; absent: every captured month. */
      months: z.array(monthKey).optional(),
      /** `auto`: captured additions where there are some, the last API pull for the rest. */
      cwSource: z.enum(['auto', 'api', 'captures']).default('auto'),
    },
    RunSummary,
    PAGES,
  ),
  'runs.list': message('runs.list', { limit: z.number().int().positive().max(1000).optional() }, z.array(RunSummary), PAGES),
  'runs.get': message(
    'runs.get',
    { runId: z.string().optional() },
    z
      .object({
        run: RunSummary,
        report: Report,
        findings: z.array(RunFinding),
        names: RunNames,
        signOff: SignOff.optional(),
      })
      .nullable(),
    PAGES,
  ),
  /**
   * A stored run read back in pages, in the order the panel lists its findings: `limit` findings
   * from `offset` (each with the row key the panel lists it under) and `total`, how many the whole
   * run has. The first page (offset 0) also carries the report without its findings and matches
   * (the whole run's exports come from `runs.export`) and the names; later pages carry neither.
   * The money view is not in it either (`runs.money` answers it when the money view is opened);
   * `hasMoney` says whether the run has one.
   * With `key`, the answer is the page holding that finding on the grid `offset + n·limit` (its
   * own `offset` says which), so a finding asked for by a badge is read without the pages before it.
   */
  'runs.page': message(
    'runs.page',
    {
      runId: z.string().optional(),
      offset: z.number().int().min(0),
      limit: z.number().int().positive().max(5000),
      key: z.string().optional(),
    },
    z
      .object({
        run: RunSummary,
        report: Report.optional(),
        names: RunNames.optional(),
        hasMoney: z.boolean().optional(),
        signOff: SignOff.optional(),
        total: z.number().int().min(0),
        offset: z.number().int().min(0),
        findings: z.array(RunFinding.extend({ key: z.string() })),
      })
      .nullable(),
    PAGES,
  ),
  /** A stored run's money view, read when the panel opens it (null: no such run). */
  'runs.money': message('runs.money', { runId: z.string() }, z.object({ money: Report.shape.money }).nullable(), PAGES),
  /** Signs the month off on a run: who, when (the background's clock), a note; the run is then frozen. */
  'runs.signOff': message(
    'runs.signOff',
    { runId: z.string(), by: z.string().trim().min(1).max(200), note: SignOff.shape.note },
    SignOff,
    PAGES,
  ),
  'runs.diff': message('runs.diff', { runId: z.string(), baseRunId: z.string().optional() }, RunDiff, PAGES),
  'runs.delete': message('runs.delete', { runId: z.string() }, ok, PAGES),
  /** The report of a run rendered for export; the panel saves it as a file. */
  'runs.export': message(
    'runs.export',
    {
      runId: z.string(),
      format: z.enum(['csv', 'json', 'text']),
      /** Row keys of the findings to write (what the panel's filters show, with their matches); absent, all. */
      keys: z.array(z.string()).optional(),
    },
    z.object({ filename: z.string(), mime: z.string(), text: z.string() }),
    PAGES,
  ),

  // Resolutions.
  /**
   * Marks or annotates a finding of a run (the latest when runId is absent). Answers null when
   * the change left the finding with neither a mark nor a note (it is open again).
   */
  'resolution.set': message(
    'resolution.set',
    {
      fingerprint: z.string(),
      runId: z.string().optional(),
      status: ResolutionStatus.optional(),
      /** An empty note removes the note. Any length: the user's words are never refused or cut. */
      note: Resolution.shape.note,
      /** False for a note saved while it is typed: stored, but no step of its own to undo. */
      undoable: z.boolean().default(true),
    },
    Resolution.nullable(),
    PAGES,
  ),
  /** Puts back the state before the last change of this fingerprint. */
  'resolution.undo': message('resolution.undo', { fingerprint: z.string() }, Resolution.nullable(), PAGES),
  /** Sets many findings of a run at once (a bulk verdict): one step to undo. */
  'resolutions.apply': message(
    'resolutions.apply',
    {
      runId: z.string().optional(),
      label: z.string().min(1).max(200),
      changes: z
        .array(z.object({ fingerprint: z.string(), status: ResolutionStatus, note: Resolution.shape.note }))
        .max(100_000),
    },
    z.object({ changed: z.number().int() }),
    PAGES,
  ),
  /** Undoes the newest step, whatever it covered; the states it put back. */
  'resolutions.undo': message(
    'resolutions.undo',
    {},
    z.object({ label: z.string(), restored: z.array(z.object({ fingerprint: z.string(), status: ResolutionStatus, note: z.string().optional() })) }).nullable(),
    PAGES,
  ),
  /** The label of the step an undo would put back, if any. */
  'resolutions.undoable': message('resolutions.undoable', {}, z.object({ label: z.string().nullable() }), PAGES),
  'resolutions.list': message('resolutions.list', {}, z.array(Resolution), PAGES),

  // Mappings.
  'mappings.list': message('mappings.list', { kind: MappingKind.optional() }, z.array(Mapping), PAGES),
  'mappings.set': message(
    'mappings.set',
    { kind: MappingKind, platform: z.string().min(1), cw: z.string().min(1), cwId: z.number().int().optional() },
    Mapping,
    PAGES,
  ),
  'mappings.delete': message('mappings.delete', { kind: MappingKind, platform: z.string() }, ok, PAGES),
  'mappings.conflicts': message('mappings.conflicts', {}, z.array(MappingConflict), PAGES),
  /**
   * Settles a conflict by keeping one side; the other is set aside, not lost: the answer carries
   * it, and `mappings.reopenConflict` with it puts the conflict back as it was (the panel's undo).
   */
  'mappings.resolveConflict': message(
    'mappings.resolveConflict',
    { kind: MappingKind, platform: z.string().min(1), keep: MappingSource },
    z.object({ kept: Mapping, setAside: Mapping }),
    PAGES,
  ),
  'mappings.reopenConflict': message('mappings.reopenConflict', { kind: MappingKind, platform: z.string().min(1), setAside: Mapping }, ok, PAGES),

  // Settings and connection.
  'settings.get': message('settings.get', {}, PublicSettings, PAGES),
  'settings.set': message('settings.set', { patch: SettingsPatch }, PublicSettings, PAGES),
  /**
   * Asks for host access to the configured custom hosts and registers content scripts there.
   * Must be sent from a click handler: the browser requires a user gesture for the prompt, so
   * the page calls `permissions.request` itself first and this only registers the scripts.
   */
  'hosts.sync': message('hosts.sync', {}, z.object({ registered: z.array(z.string()), missing: z.array(z.string()) }), PAGES),
  'cw.test': message('cw.test', { draft: CwCredentialsDraft.optional() }, ConnectionResult, PAGES),
  'cw.pull': message(
    'cw.pull',
    {
      jobId: jobId.optional(),
      /** Companies by name to pull; absent: every company the captured lines name. */
      companies: z.array(z.string()).optional(),
    },
    CaptureSummary,
    PAGES,
  ),
  'health.check': message('health.check', {}, z.array(HealthCheck), PAGES),

  // Agreement Invoicing.
  /** Which agreements bill through the Thru Date, how they invoice and what blocks them. */
  'invoicing.readiness': message('invoicing.readiness', { thruDate: CalendarDate }, InvoicingReadiness, PAGES),

  // Data.
  'data.export': message('data.export', {}, z.object({ filename: z.string(), json: z.string() }), PAGES),
  'data.import': message(
    'data.import',
    // deleteUnreadable: the user confirmed that a replace may delete stored records that cannot be read.
    { json: z.string(), mode: z.enum(['merge', 'replace']).default('merge'), deleteUnreadable: z.boolean().optional() },
    z.object({ imported: z.record(z.string(), z.number().int()) }),
    PAGES,
  ),
  /** A dry run of data.import: what each store would gain, change and lose; nothing is written. */
  'data.importPreview': message(
    'data.importPreview',
    { json: z.string(), mode: z.enum(['merge', 'replace']).default('merge') },
    BackupPreview,
    PAGES,
  ),
  'data.clear': message('data.clear', { confirm: z.literal(true) }, ok, PAGES),

  // Dictionary.
  'dictionary.list': message('dictionary.list', {}, z.array(DictionaryEntry), EVERYONE),
  'dictionary.add': message('dictionary.add', { entry: NewDictionaryEntry }, DictionaryEntry, PAGES),
  'dictionary.remove': message('dictionary.remove', { id: z.string() }, ok, PAGES),

  // In-page help (content scripts).
  /** Whether help is on for the sender's own host (taken from the sender, not the payload). */
  'help.config': message(
    'help.config',
    { app: App },
    z.object({ tooltips: z.boolean(), badges: z.boolean() }),
    EVERYONE,
  ),
  'help.entities': message(
    'help.entities',
    { app: App, names: z.array(z.string().max(300)).max(2000), kind: MappingKind.optional() },
    z.array(EntityLookup),
    EVERYONE,
  ),
  'help.verdicts': message(
    'help.verdicts',
    { agreementId: z.number().int() },
    z.object({ runId: z.string(), verdicts: z.array(AdditionVerdict) }).nullable(),
    EVERYONE,
  ),
  /**
   * The page's loader asking for the in-page code (help, badges, capture): the background runs
   * it in the sender's own frame. Only the sender's tab and frame are used, never a payload.
   */
  'help.load': message('help.load', {}, ok, CONTENT),
  /** A click on a badge or tooltip: show this finding (or agreement) in the side panel. */
  'help.open': message(
    'help.open',
    { fingerprint: z.string().optional(), agreementId: z.number().int().optional() },
    ok,
    EVERYONE,
  ),
} as const;

export type Messages = typeof MESSAGES;
export type MessageType = keyof Messages;
export type RequestOf<T extends MessageType> = z.infer<Messages[T]['request']>;
/** What a caller passes: the request without its `type` (defaults may be omitted). */
export type PayloadOf<T extends MessageType> = Omit<z.input<Messages[T]['request']>, 'type'>;
export type ResponseOf<T extends MessageType> = z.infer<Messages[T]['response']>;
export type AnyRequest = { [T in MessageType]: RequestOf<T> }[MessageType];

export function isMessageType(value: unknown): value is MessageType {
  return typeof value === 'string' && Object.hasOwn(MESSAGES, value);
}

// ---------------------------------------------------------------------------------------------
// Background → content script requests (sent with tabs.sendMessage)
// ---------------------------------------------------------------------------------------------

export const CONTENT_MESSAGES = {
  'content.context': message('content.context', {}, PageContext.omit({ tabId: true, reachable: true }), []),
  'content.capture': message('content.capture', { jobId, config: ReconcileConfig.optional() }, ContentCaptureResult, []),
  'content.cancel': message('content.cancel', { jobId }, z.object({ cancelled: z.boolean() }), []),
} as const;
export type ContentMessages = typeof CONTENT_MESSAGES;
export type ContentMessageType = keyof ContentMessages;
export type ContentRequestOf<T extends ContentMessageType> = z.infer<ContentMessages[T]['request']>;
export type ContentResponseOf<T extends ContentMessageType> = z.infer<ContentMessages[T]['response']>;

// ---------------------------------------------------------------------------------------------
// Events: background → pages (and content scripts), fire-and-forget
// ---------------------------------------------------------------------------------------------

export const ProtocolEvent = z.discriminatedUnion('event', [
  z.object({ event: z.literal('job.progress'), progress: JobProgress }),
  z.object({ event: z.literal('page.changed'), context: PageContext }),
  /** Stored data changed; pages reload what they show of it. */
  z.object({ event: z.literal('data.changed'), stores: z.array(z.enum(['captures', 'runs', 'resolutions', 'mappings', 'dictionary', 'settings'])) }),
  /** Ask the side panel to show a finding or an agreement (from a badge click). */
  z.object({ event: z.literal('panel.focus'), fingerprint: z.string().optional(), agreementId: z.number().int().optional() }),
]);
export type ProtocolEvent = z.infer<typeof ProtocolEvent>;

export type EventEnvelope = { channel: typeof EVENT_CHANNEL; payload: ProtocolEvent };

// ---------------------------------------------------------------------------------------------
// Results
// ---------------------------------------------------------------------------------------------

export const ErrorCodeSchema = z.enum(ERROR_CODES as [ErrorCode, ...ErrorCode[]]);

export const ResultEnvelope = z.union([
  z.object({ ok: z.literal(true), value: z.unknown() }),
  z.object({ ok: z.literal(false), error: z.object({ code: ErrorCodeSchema, message: z.string() }) }),
]);
