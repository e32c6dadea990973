import {
  CaptureSummary,
  summariseRun,
  type CwCredentialsDraft,
  type Finding,
  type MappingKind,
  type PageContext,
  type PlatformLine,
  type PublicSettings,
  type Report,
  type RunFinding,
  type RunNames,
  type RunSummary,
  type SkippedRow,
} from '../../model';
import { ProtocolError } from '../../protocol/messages';
import { readResult } from '../../protocol/errors';
import { contentAnswer, contentRequest } from '../../protocol/content';
import { mergeBundles, type CwSourceChoice } from '../bundles';
import { findingFingerprint } from '../../model/fingerprint';
import { createJobRegistry } from '../jobs';
import { createPageContexts, matchPatternToRegExp } from '../pages';
import type { AppPorts, CwCredentials, StoredCapture, StoredCaptureMeta, StoredRun } from '../ports';
import { createUndoLog } from '../undo';
import { runsToPurge } from '../retention';
import { CONNECTWISE_WEB_MATCHES, PLATFORM_MATCHES } from '../../shared/hosts';
import { resolveApiHost } from '../../connectwise/hosts';
import { cwSite } from '../cw-site';

/*
 * What every domain's handlers share: the ports, the job registry, the page contexts, the undo
 * log and the reads more than one domain makes (the working set, the latest run, names).
 */

/** Host patterns the extension ships with; custom ones come from settings. */
export const BUILTIN_HOSTS = { platform: PLATFORM_MATCHES, connectwise: CONNECTWISE_WEB_MATCHES };

export const monthOfDate = (iso: string) => iso.slice(0, 7);

/** Every kind of capture that holds ConnectWise data: pages and files, and API pulls. */
export const CW_CAPTURE_KINDS = ['connectwise', 'api'] as const;

export { cwSite };

export function runSummary(run: StoredRun): RunSummary {
  return summariseRun(run);
}

const SUMMARY_FIELDS = Object.keys(CaptureSummary.shape) as (keyof CaptureSummary)[];

/**
 * A stored capture as the protocol lists it: storage keeps the model's summary as it is, so this
 * only leaves behind what is not the summary's (storage's keys, whether it is current).
 */
export function captureSummary(meta: StoredCaptureMeta): CaptureSummary {
  const out: Partial<Record<keyof CaptureSummary, unknown>> = {};
  for (const field of SUMMARY_FIELDS) if (meta[field] !== undefined) out[field] = meta[field];
  return out as CaptureSummary;
}

/**
 * Names a line pairs between the Platform and ConnectWise (organization, offer, contract) become
 * captured mappings, whichever way the lines arrived: a page capture or files from the panel.
 */
export async function learnMappings(ports: AppPorts, lines: readonly PlatformLine[]): Promise<boolean> {
  const seen = new Map<string, { kind: MappingKind; platform: string; cw: string }>();
  const add = (kind: MappingKind, platform: string | undefined, cw: string | undefined) => {
    if (!platform?.trim() || !cw?.trim()) return;
    seen.set(`${kind}|${platform}|${cw}`, { kind, platform, cw });
  };
  for (const line of lines) {
    add('organization', line.organization, line.psaOrganizationName);
    add('offer', line.offer, line.psaProductName);
    add('contract', line.contractId, line.psaAgreementName);
  }
  if (seen.size) await ports.mappings.capture([...seen.values()]);
  return seen.size > 0;
}

export function unwrap(raw: unknown, what: string): unknown {
  const result = readResult(raw);
  if (!result) throw new ProtocolError('failed', `the page gave no valid answer to ${what}`);
  if (!result.ok) throw new ProtocolError(result.error.code, result.error.message);
  return result.value;
}

/** Whether two sites' API calls go to the same origin (an unusable site matches nothing). */
export function sameApiHost(a: string, b: string): boolean {
  try {
    return resolveApiHost(a).origin === resolveApiHost(b).origin;
  } catch {
    return false;
  }
}

/** In-page help is on for a page unless switched off overall or for its host. */
export function helpOn(settings: PublicSettings, url: string | undefined): boolean {
  if (!settings.inPage.enabled) return false;
  let host = '';
  try {
    host = url ? new URL(url).hostname.toLowerCase() : '';
  } catch {
    host = '';
  }
  return !settings.inPage.offHosts.some((h) => h.toLowerCase() === host);
}

export function lastDay(monthEnd: string): string {
  const [y, m] = monthEnd.slice(0, 7).split('-').map(Number) as [number, number];
  const day = new Date(Date.UTC(y, m, 0)).getUTCDate();
  return `${monthEnd.slice(0, 7)}-${String(day).padStart(2, '0')}`;
}

/**
 * How long a tab still loading is waited for (15 s): its loader runs once the page is idle, which
 * on a 5,000-row grid comes seconds after the address changed.
 */
const ASK_ATTEMPTS = 60;
const ASK_PAUSE_MS = 250;

export type StoreName = 'captures' | 'runs' | 'resolutions' | 'mappings' | 'dictionary' | 'settings';

export function createServiceContext(ports: AppPorts) {
  const jobs = createJobRegistry({
    newId: ports.newId,
    onProgress: (progress) => ports.broadcast({ event: 'job.progress', progress }),
  });
  let hostPatterns = { platform: BUILTIN_HOSTS.platform, connectwise: BUILTIN_HOSTS.connectwise };
  const compiled = () => ({
    platform: hostPatterns.platform.map(matchPatternToRegExp).filter((r): r is RegExp => r !== null),
    connectwise: hostPatterns.connectwise.map(matchPatternToRegExp).filter((r): r is RegExp => r !== null),
  });
  const pages = createPageContexts(compiled);
  // One undo log for every resolution change, kept through its port so it outlives a restart.
  const undo = createUndoLog(ports.undo);
  const changed = (...stores: StoreName[]) => ports.broadcast({ event: 'data.changed', stores });

  async function refreshHosts(): Promise<PublicSettings> {
    const settings = await ports.settings.get();
    hostPatterns = {
      platform: [...BUILTIN_HOSTS.platform, ...settings.hosts.platform],
      connectwise: [...BUILTIN_HOSTS.connectwise, ...settings.hosts.connectwise],
    };
    return settings;
  }

  async function targetTab(tabId: number | undefined): Promise<number> {
    const id = tabId ?? (await ports.tabs.activeTabId());
    if (id === null || id === undefined) throw new ProtocolError('not_found', 'No browser tab is active. Open the Platform invoices page or a ConnectWise agreement first.');
    return id;
  }

  /**
   * The page's own answer to what it shows, or null when no loader listens in the tab (yet).
   * Loaders stay silent at load, so that a page nobody looks at pays nothing for being named
   * (components/inpage/loader.ts): what a tab shows is asked for when the panel wants it.
   */
  async function askTab(id: number): Promise<PageContext | null> {
    let raw: unknown;
    try {
      raw = await ports.tabs.send(id, contentRequest('content.context', {}));
    } catch {
      return null;
    }
    try {
      return pages.report(id, contentAnswer('content.context', raw));
    } catch (error) {
      // The loader answered, and could not tell: the address alone describes the page.
      ports.log(`tab ${id} could not say what it shows: ${error instanceof Error ? error.message : String(error)}`);
      return null;
    }
  }

  /**
   * A tab still loading has no loader to answer yet: it is asked again for a few seconds while
   * it stays at the same address, and once it answers, open panels are told.
   */
  const asking = new Set<number>();
  function keepAsking(id: number, url: string | null): void {
    if (asking.has(id)) return;
    asking.add(id);
    const sleep = ports.sleep ?? ((ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms)));
    const run = async () => {
      for (let attempt = 0; attempt < ASK_ATTEMPTS; attempt++) {
        await sleep(ASK_PAUSE_MS);
        if ((await ports.tabs.url(id)) !== url) return;
        const answer = await askTab(id);
        if (answer) return ports.broadcast({ event: 'page.changed', context: answer });
      }
    };
    void run().finally(() => asking.delete(id));
  }

  async function pageContext(tabId: number | undefined): Promise<PageContext> {
    const id = tabId ?? (await ports.tabs.activeTabId());
    if (id === null || id === undefined) return { tabId: null, url: '', app: null, screen: 'none', capturable: false, reachable: false };
    const url = await ports.tabs.url(id);
    const known = pages.get(id, url);
    if (known.reachable || known.app === null) return known;
    const answer = await askTab(id);
    if (answer) return answer;
    keepAsking(id, url);
    return known;
  }

  async function credentials(draft?: CwCredentialsDraft): Promise<CwCredentials | null> {
    const stored = await ports.settings.get();
    const cw = { ...stored.cw, ...Object.fromEntries(Object.entries(draft ?? {}).filter(([, v]) => v !== undefined)) } as PublicSettings['cw'];
    const site = cwSite(cw);
    const savedSite = cwSite(stored.cw);
    const typed = draft?.privateKey?.trim() ? draft.privateKey : undefined;
    // The saved key belongs to the saved site: a draft naming another host must bring its own key.
    const privateKey = typed ?? (sameApiHost(site, savedSite) ? await ports.settings.privateKey() : undefined);
    if (!site || !cw.companyId || !cw.publicKey || !privateKey || !cw.clientId) return null;
    return { site, companyId: cw.companyId, publicKey: cw.publicKey, privateKey, clientId: cw.clientId, keySite: typed ? site : savedSite };
  }

  /** A draft whose host differs from the saved one, with no key typed: the saved key stays home. */
  async function draftNeedsOwnKey(draft: CwCredentialsDraft | undefined): Promise<string | null> {
    if (!draft || draft.privateKey?.trim()) return null;
    const stored = await ports.settings.get();
    if (!stored.cw.hasPrivateKey) return null;
    const cw = { ...stored.cw, ...Object.fromEntries(Object.entries(draft).filter(([, v]) => v !== undefined)) } as PublicSettings['cw'];
    const site = cwSite(cw);
    const savedSite = cwSite(stored.cw);
    return site && !sameApiHost(site, savedSite) ? savedSite : null;
  }

  async function linesFor(months: readonly string[] | undefined): Promise<{ lines: PlatformLine[]; skipped: SkippedRow[]; captures: StoredCapture[]; months: string[] }> {
    const all = await ports.captures.current({ kind: 'platform' });
    const known = [...new Set(all.flatMap((c) => c.months))].sort();
    // By default every captured month, as the CLI reads a whole file: ended subscriptions are
    // only seen against the months before the latest one.
    const wanted = months?.length ? [...months].sort() : known;
    if (wanted.length === 0) throw new ProtocolError('not_found', 'Capture the invoice lines on the Platform first (Mapping → Invoices).');
    const used = all.filter((c) => c.months.some((m) => wanted.includes(m)));
    const byId = new Map<string, PlatformLine>();
    for (const c of used) for (const line of c.lines ?? []) if (wanted.includes(monthOfDate(line.invoiceDate))) byId.set(line.lineId, line);
    const skipped = used.flatMap((c) => c.skippedRows ?? []);
    return { lines: [...byId.values()], skipped, captures: used, months: wanted };
  }

  async function cwBundle(choice: CwSourceChoice) {
    const captures = await ports.captures.current({ kind: CW_CAPTURE_KINDS });
    return mergeBundles(captures, choice);
  }

  /**
   * The current Platform capture, the merged ConnectWise data and the settings: what a reconcile
   * reads, and what the Agreement Invoicing readiness reads too, so both see the same month.
   */
  async function workingSet(months: readonly string[] | undefined, choice: CwSourceChoice) {
    const settings = await ports.settings.get();
    const input = await linesFor(months);
    const { bundle, used } = await cwBundle(choice);
    if (used.length === 0) {
      throw new ProtocolError('not_found', 'There is no ConnectWise data yet: capture an agreement\'s Additions or pull through the API first.');
    }
    return { settings, input, bundle, used };
  }

  /** A signed-off month is closed: its verdicts and notes stay as they were signed. */
  function frozen(run: StoredRun | undefined): void {
    if (run?.signOff) throw new ProtocolError('invalid', `This month was signed off by ${run.signOff.by} on ${run.signOff.at.slice(0, 10)}; its findings can no longer be changed.`);
  }

  async function latestRun(): Promise<StoredRun | undefined> {
    return (await ports.runs.list(1))[0];
  }

  async function runFindings(report: Report): Promise<RunFinding[]> {
    const resolutions = new Map((await ports.resolutions.list()).map((r) => [r.fingerprint, r]));
    return report.findings.map((finding: Finding) => {
      const fingerprint = findingFingerprint(finding);
      const resolution = resolutions.get(fingerprint);
      return resolution ? { fingerprint, finding, resolution } : { fingerprint, finding };
    });
  }

  async function names(): Promise<RunNames> {
    const { bundle } = await cwBundle('auto');
    const out: RunNames = { companies: {}, agreements: {} };
    for (const c of bundle.companies) out.companies[String(c.id)] = c.name;
    for (const a of bundle.agreements) {
      out.agreements[String(a.id)] = { name: a.name, companyId: a.company.id };
      if (a.company.name && !out.companies[String(a.company.id)]) out.companies[String(a.company.id)] = a.company.name;
    }
    return out;
  }

  /**
   * Applies the retention rule (core/app/retention.ts): old runs it no longer keeps are deleted,
   * and deleted captures past their undo window are erased. Run on start-up and after each
   * stored run; a failure is logged, never shown as the failure of what triggered it.
   */
  async function housekeep(): Promise<{ runs: number; captures: number }> {
    try {
      const runs = await ports.runs.list();
      const doomed = runsToPurge(runs.map((r) => ({ id: r.id, createdAt: r.createdAt, months: r.report.coverage.invoiceMonths, signedOff: !!r.signOff })));
      for (const id of doomed) await ports.runs.remove(id);
      const captures = (await ports.captures.purgeDeleted?.()) ?? 0;
      if (doomed.length) changed('runs');
      return { runs: doomed.length, captures };
    } catch (error) {
      ports.log(`clearing out old runs and deleted captures failed: ${error instanceof Error ? error.message : String(error)}`);
      return { runs: 0, captures: 0 };
    }
  }

  /** Stores a finished run, then lets the retention rule clear out what it no longer keeps. */
  async function storeRun(run: Omit<StoredRun, 'id' | 'createdAt'>): Promise<StoredRun> {
    const stored = await ports.runs.add(run);
    await housekeep();
    return stored;
  }

  return {
    ports,
    jobs,
    housekeep,
    storeRun,
    pages,
    undo,
    compiled,
    changed,
    refreshHosts,
    targetTab,
    pageContext,
    credentials,
    draftNeedsOwnKey,
    linesFor,
    cwBundle,
    workingSet,
    frozen,
    latestRun,
    runFindings,
    names,
  };
}

export type ServiceContext = ReturnType<typeof createServiceContext>;
