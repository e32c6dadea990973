import { z } from 'zod';
import { CwBundle, Finding, PlatformLine, ReconcileConfig, Report, SkippedRow } from '../model';
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
// Shared shapes
// ---------------------------------------------------------------------------------------------

export const SenderRole = z.enum(['panel', 'options', 'content']);
export type SenderRole = z.infer<typeof SenderRole>;

export const App = z.enum(['platform', 'connectwise']);
export type App = z.infer<typeof App>;

/** Which screen a tab shows. */
export const Screen = z.enum([
  'platform.invoices',
  'platform.organizations',
  'platform.products',
  'platform.other',
  'connectwise.company',
  'connectwise.agreement',
  'connectwise.additions',
  'connectwise.other',
  'none',
]);
export type Screen = z.infer<typeof Screen>;

const monthKey = z.string().regex(/^\d{4}-\d{2}$/, 'a YYYY-MM month');
const jobId = z.string().min(1).max(100);

/** What the page in a tab offers, as its content script detected it. */
export const PageContext = z.object({
  tabId: z.number().int().nullable(),
  url: z.string(),
  app: App.nullable(),
  screen: Screen,
  title: z.string().optional(),
  /** True when this screen has a grid the content script can capture. */
  capturable: z.boolean(),
  /** Rows the grid says it holds in total, when it shows a count. */
  gridTotal: z.number().int().optional(),
  /** ConnectWise: the record the screen shows. */
  agreement: z.object({ id: z.number().int().optional(), name: z.string().optional() }).optional(),
  company: z.object({ id: z.number().int().optional(), name: z.string().optional() }).optional(),
  /** Platform invoices: the invoice month the grid is filtered to, when it says. */
  period: monthKey.optional(),
  /** False when the extension cannot reach the tab (no permission, a browser page). */
  reachable: z.boolean(),
});
export type PageContext = z.infer<typeof PageContext>;

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

export const CaptureKind = z.enum(['platform', 'connectwise', 'api']);
export type CaptureKind = z.infer<typeof CaptureKind>;

export const CaptureSummary = z.object({
  id: z.string(),
  kind: CaptureKind,
  createdAt: z.string(),
  url: z.string().optional(),
  /** Platform captures: the invoice months the lines fall in. */
  months: z.array(monthKey).default([]),
  agreementId: z.number().int().optional(),
  agreementName: z.string().optional(),
  companyName: z.string().optional(),
  rows: z.number().int().nonnegative(),
  skipped: z.number().int().nonnegative().default(0),
  /** Rows the grid said it held, when it said. */
  gridTotal: z.number().int().optional(),
  /** False when the capture was cancelled or stopped part-way. */
  complete: z.boolean(),
});
export type CaptureSummary = z.infer<typeof CaptureSummary>;

export const ResolutionStatus = z.enum(['open', 'resolved', 'ignored']);
export type ResolutionStatus = z.infer<typeof ResolutionStatus>;

/** A user's verdict on a finding, keyed by a fingerprint that is stable across runs. */
export const Resolution = z.object({
  fingerprint: z.string(),
  status: ResolutionStatus,
  note: z.string().max(4000).optional(),
  updatedAt: z.string(),
});
export type Resolution = z.infer<typeof Resolution>;

export const SeverityCounts = z.object({ error: z.number().int(), warn: z.number().int(), info: z.number().int() });

export const RunSummary = z.object({
  id: z.string(),
  createdAt: z.string(),
  months: z.array(monthKey),
  /** Where the ConnectWise side came from. */
  cwSource: z.enum(['api', 'captures', 'mixed']),
  captureIds: z.array(z.string()),
  counts: SeverityCounts,
  findings: z.number().int(),
  linesCompared: z.number().int(),
  cwComplete: z.boolean(),
});
export type RunSummary = z.infer<typeof RunSummary>;

/** A finding as the panel shows it: the engine's finding, its fingerprint and its resolution. */
export const RunFinding = z.object({
  fingerprint: z.string(),
  finding: Finding,
  resolution: Resolution.optional(),
});
export type RunFinding = z.infer<typeof RunFinding>;

export const RunDiff = z.object({
  runId: z.string(),
  baseRunId: z.string().nullable(),
  added: z.array(RunFinding),
  removed: z.array(RunFinding),
  unchanged: z.number().int(),
});
export type RunDiff = z.infer<typeof RunDiff>;

/** Display names for the ids a report uses, from the ConnectWise data the run read. */
export const RunNames = z.object({
  companies: z.record(z.string(), z.string()).default({}),
  agreements: z.record(z.string(), z.object({ name: z.string(), companyId: z.number().int().optional() })).default({}),
});
export type RunNames = z.infer<typeof RunNames>;

/** Where deep links point: `openrecord.rails` on the ConnectWise web host, the Platform portal. */
export const LinkBases = z.object({
  cwWebOrigin: z.string().optional(),
  cwCompanyId: z.string().optional(),
  platformOrigin: z.string().optional(),
});
export type LinkBases = z.infer<typeof LinkBases>;

export const MappingKind = z.enum(['organization', 'offer', 'contract']);
export type MappingKind = z.infer<typeof MappingKind>;

/** Platform name → ConnectWise name (organization → company, offer → product, contract → agreement). */
export const Mapping = z.object({
  kind: MappingKind,
  platform: z.string().min(1),
  cw: z.string().min(1),
  cwId: z.number().int().optional(),
  source: z.enum(['captured', 'user']),
  createdAt: z.string(),
  updatedAt: z.string(),
});
export type Mapping = z.infer<typeof Mapping>;

/** One Platform name seen mapped to more than one ConnectWise name (or the reverse). */
export const MappingConflict = z.object({
  kind: MappingKind,
  side: z.enum(['platform', 'cw']),
  name: z.string(),
  candidates: z.array(z.object({ name: z.string(), source: z.enum(['captured', 'user']), count: z.number().int() })),
});
export type MappingConflict = z.infer<typeof MappingConflict>;

export const CW_REGIONS = ['na', 'eu', 'au', 'aus', 'za', 'staging', 'custom'] as const;

/** ConnectWise connection as the pages may see it: never the private key itself. */
export const PublicCwSettings = z.object({
  region: z.enum(CW_REGIONS),
  /** Web host for a custom / on-premise site (`cw.example.com`); empty for cloud regions. */
  customHost: z.string().default(''),
  companyId: z.string().default(''),
  publicKey: z.string().default(''),
  clientId: z.string().default(''),
  hasPrivateKey: z.boolean(),
});
export type PublicCwSettings = z.infer<typeof PublicCwSettings>;

export const HostSettings = z.object({
  /** Extra Platform hosts (custom seller domains), as match patterns. */
  platform: z.array(z.string()).default([]),
  /** Extra ConnectWise hosts (on-premise), as match patterns. */
  connectwise: z.array(z.string()).default([]),
});

/** In-page help: one switch overall, and hosts where the user turned it off (tooltips and badges). */
export const InPageSettings = z.object({
  enabled: z.boolean(),
  offHosts: z.array(z.string()).default([]),
});

export const PublicSettings = z.object({
  cw: PublicCwSettings,
  reconcile: ReconcileConfig,
  hosts: HostSettings,
  inPage: InPageSettings,
});
export type PublicSettings = z.infer<typeof PublicSettings>;

/**
 * A settings change. `cw.privateKey` is write-only: a string sets it, null clears it, absent
 * leaves it. It is never read back through this protocol.
 */
export const SettingsPatch = z.object({
  // Spelled out rather than derived: the read schema's defaults would fill absent fields with ''
  // and a patch of one field would blank the others.
  cw: z
    .object({
      region: z.enum(CW_REGIONS).optional(),
      customHost: z.string().optional(),
      companyId: z.string().optional(),
      publicKey: z.string().optional(),
      clientId: z.string().optional(),
      privateKey: z.string().nullable().optional(),
    })
    .optional(),
  reconcile: ReconcileConfig.optional(),
  hosts: z.object({ platform: z.array(z.string()).optional(), connectwise: z.array(z.string()).optional() }).optional(),
  inPage: z.object({ enabled: z.boolean().optional(), offHosts: z.array(z.string()).optional() }).optional(),
});
export type SettingsPatch = z.infer<typeof SettingsPatch>;

/** Connection credentials to try without saving them (the options page's *Test connection*). */
export const CwCredentialsDraft = z.object({
  region: z.enum(CW_REGIONS).optional(),
  customHost: z.string().optional(),
  companyId: z.string().optional(),
  publicKey: z.string().optional(),
  /** Absent: use the stored key. */
  privateKey: z.string().optional(),
  clientId: z.string().optional(),
});
export type CwCredentialsDraft = z.infer<typeof CwCredentialsDraft>;

export const CheckStatus = z.enum(['pass', 'warn', 'fail', 'skip']);
export const HealthCheck = z.object({
  id: z.string(),
  label: z.string(),
  status: CheckStatus,
  message: z.string(),
  fix: z.string().optional(),
});
export type HealthCheck = z.infer<typeof HealthCheck>;

export const ConnectionResult = z.object({
  ok: z.boolean(),
  /** One sentence, green or red in the options page. */
  message: z.string(),
  /** API permission names the Security Role lacks (guide section 10), when a 403 said so. */
  missingPermissions: z.array(z.string()).default([]),
  checks: z.array(HealthCheck).default([]),
});
export type ConnectionResult = z.infer<typeof ConnectionResult>;

export const DictionaryEntry = z.object({
  id: z.string(),
  platform: z.string().min(1),
  connectwise: z.string().min(1),
  kind: z.enum(['entity', 'field']),
  explanation: z.string(),
  section: z.string().optional(),
  source: z.enum(['builtin', 'user']),
});
export type DictionaryEntry = z.infer<typeof DictionaryEntry>;

export const NewDictionaryEntry = DictionaryEntry.omit({ id: true, source: true }).extend({
  explanation: z.string().max(500),
});

/** Per-row verdict on a ConnectWise Additions grid. */
export const AdditionVerdict = z.object({
  additionId: z.number().int(),
  verdict: z.enum(['matched', 'mismatch', 'orphan', 'duplicate']),
  /** Fields that differ, for `mismatch`. */
  fields: z.array(z.string()).default([]),
  lineId: z.string().optional(),
  fingerprints: z.array(z.string()).default([]),
  /*
   * What the Addition looked like in the run, so a grid row that shows no record id can still be
   * told apart by its cells (product, dates, quantity, price).
   */
  productIdentifier: z.string().optional(),
  /** `YYYY-MM-DD`. */
  effectiveDate: z.string().optional(),
  /** `YYYY-MM-DD`, or null when not cancelled. */
  cancelledDate: z.string().nullable().optional(),
  quantity: z.number().optional(),
  unitPrice: z.number().optional(),
});
export type AdditionVerdict = z.infer<typeof AdditionVerdict>;

export const EntityLookup = z.object({
  name: z.string(),
  /** Which side the name was seen on. */
  side: z.enum(['platform', 'cw']),
  kind: MappingKind,
  /** The names on the other side it maps to; empty when unmapped. */
  mappedTo: z.array(z.string()),
});
export type EntityLookup = z.infer<typeof EntityLookup>;

/** A calendar date, `YYYY-MM-DD`, that exists (no 2026-02-30). */
const isoDate = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}$/, 'a YYYY-MM-DD date')
  .refine((s) => {
    const d = new Date(`${s}T00:00:00Z`);
    return !Number.isNaN(d.getTime()) && d.toISOString().slice(0, 10) === s;
  }, 'a date that exists');

/** One agreement in the Agreement Invoicing readiness list (core/invoicing). */
export const InvoicingRow = z.object({
  agreementId: z.number().int(),
  agreementName: z.string(),
  companyId: z.number().int(),
  companyName: z.string().optional(),
  currency: z.string().nullable(),
  additionsToBill: z.number().int().nonnegative(),
  amount: z.number(),
  invoicing: z.enum(['automatic', 'manual']),
  blockers: z.array(
    z.object({ code: z.enum(['not_active', 'not_billable', 'currency_differs', 'no_billable_additions']), message: z.string() }),
  ),
  ready: z.boolean(),
  lineIds: z.array(z.string()),
});
export type InvoicingRow = z.infer<typeof InvoicingRow>;

export const InvoicingReadiness = z.object({
  thruDate: isoDate,
  agreements: z.array(InvoicingRow),
  /** Ready rows' amounts per currency; never added across currencies. */
  totals: z.record(z.string(), z.number()),
  /** The setup guide's Agreement Invoicing steps, in order. */
  steps: z.array(z.string()),
});
export type InvoicingReadiness = z.infer<typeof InvoicingReadiness>;

/** What importing a backup would change in each store, worked out without changing anything. */
const RecordProblem = z.object({ store: z.string(), key: z.string(), message: z.string() });

export const BackupPreview = z.object({
  mode: z.enum(['merge', 'replace']),
  exportedAt: z.string(),
  stores: z.record(
    z.string(),
    z.object({
      added: z.number().int().nonnegative(),
      updated: z.number().int().nonnegative(),
      unchanged: z.number().int().nonnegative(),
      removed: z.number().int().nonnegative(),
    }),
  ),
  /** Whether the file carries settings (restored along with the data). */
  settings: z.boolean(),
  /** Every change the file makes to the ConnectWise connection; keyDropped: the saved private key goes. */
  connection: z
    .object({
      changes: z.array(z.object({ field: z.string(), from: z.string().nullable(), to: z.string().nullable() })),
      keyDropped: z.boolean(),
    })
    .optional(),
  /** Records the file says were damaged at export, so it does not hold them. */
  damagedInFile: z.array(RecordProblem).optional(),
  /** Stored records that cannot be read. */
  unreadable: z.array(RecordProblem).optional(),
  /** The import would delete unreadable records: it must be confirmed. */
  needsConfirmation: z.boolean().optional(),
  /** Imported mappings not applied (id not matching its fields, or the user's own mapping kept). */
  conflicts: z.array(RecordProblem).optional(),
});
export type BackupPreview = z.infer<typeof BackupPreview>;

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
        signOff: z.object({ by: z.string(), at: z.string(), note: z.string().optional() }).optional(),
      })
      .nullable(),
    PAGES,
  ),
  /** Signs the month off on a run: who, when (the background's clock), a note; the run is then frozen. */
  'runs.signOff': message(
    'runs.signOff',
    { runId: z.string(), by: z.string().trim().min(1).max(200), note: z.string().max(4000).optional() },
    z.object({ by: z.string(), at: z.string(), note: z.string().optional() }),
    PAGES,
  ),
  'runs.diff': message('runs.diff', { runId: z.string(), baseRunId: z.string().optional() }, RunDiff, PAGES),
  'runs.delete': message('runs.delete', { runId: z.string() }, ok, PAGES),
  /** The report of a run rendered for export; the panel saves it as a file. */
  'runs.export': message(
    'runs.export',
    { runId: z.string(), format: z.enum(['csv', 'json', 'text']) },
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
      /** An empty note removes the note. */
      note: z.string().max(4000).optional(),
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
        .array(z.object({ fingerprint: z.string(), status: ResolutionStatus, note: z.string().max(4000).optional() }))
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
  'invoicing.readiness': message('invoicing.readiness', { thruDate: isoDate }, InvoicingReadiness, PAGES),

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
