import type { CwBundle, Finding, PlatformLine, Report, SkippedRow } from '../model';
import {
  ContentCaptureResult,
  ProtocolError,
  type CaptureSummary,
  type CwCredentialsDraft,
  type EntityLookup,
  type LinkBases,
  type MappingKind,
  type PageContext,
  type PublicSettings,
  type ResolutionStatus,
  type RunFinding,
  type RunNames,
  type RunSummary,
} from '../protocol/messages';
import type { Handlers } from '../protocol/router';
import { readResult } from '../protocol/errors';
import { mergeBundles, isApiCapture, type CwSourceChoice } from './bundles';
import { findingFingerprint } from '../model/fingerprint';
import { invoicingReadiness } from '../invoicing';
import { createJobRegistry, type RunningJob } from './jobs';
import { appOfUrl, createPageContexts, matchPatternToRegExp } from './pages';
import type { AppPorts, CwCredentials, StoredCapture, StoredCaptureMeta, StoredRun } from './ports';
import { verdictsForAgreement } from './verdicts';
import { createUndoLog } from './undo';
import { diffRuns } from './run-diff';
import { CONNECTWISE_WEB_MATCHES, PLATFORM_MATCHES } from '../shared/hosts';
import { resolveApiHost } from '../connectwise/hosts';

/** Host patterns the extension ships with; custom ones come from settings. */
export const BUILTIN_HOSTS = { platform: PLATFORM_MATCHES, connectwise: CONNECTWISE_WEB_MATCHES };

const monthOfDate = (iso: string) => iso.slice(0, 7);

export function cwSite(cw: PublicSettings['cw']): string {
  if (cw.region === 'custom') return cw.customHost.trim();
  if (cw.region === 'staging') return 'staging.connectwisedev.com';
  return `${cw.region}.myconnectwise.net`;
}

export function runSummary(run: StoredRun): RunSummary {
  const counts = { error: 0, warn: 0, info: 0 };
  for (const f of run.report.findings) counts[f.severity] += 1;
  return {
    id: run.id,
    createdAt: run.createdAt,
    months: run.report.coverage.invoiceMonths,
    cwSource: run.cwSource,
    captureIds: run.captureIds,
    counts,
    findings: run.report.findings.length,
    linesCompared: run.report.coverage.linesCompared,
    cwComplete: run.report.coverage.cwComplete,
  };
}

function captureSummary(meta: StoredCaptureMeta, live?: { gridTotal?: number; complete: boolean; skipped: number; bundle?: CwBundle }): CaptureSummary {
  const agreement = live?.bundle?.agreements[0];
  return {
    id: meta.id,
    kind: meta.kind === 'platform-lines' ? 'platform' : isApiCapture(meta) ? 'api' : 'connectwise',
    createdAt: meta.capturedAt,
    url: meta.source && meta.source !== 'api' ? meta.source : undefined,
    months: meta.months,
    agreementId: meta.kind === 'cw-bundle' && !isApiCapture(meta) ? meta.agreementIds[0] : undefined,
    agreementName: isApiCapture(meta) ? undefined : agreement?.name,
    companyName: isApiCapture(meta) ? undefined : agreement?.company.name,
    rows: meta.count,
    skipped: live?.skipped ?? 0,
    gridTotal: live?.gridTotal,
    complete: live?.complete ?? !meta.partial,
  };
}

function unwrap(raw: unknown, what: string): unknown {
  const result = readResult(raw);
  if (!result) throw new ProtocolError('failed', `the page gave no valid answer to ${what}`);
  if (!result.ok) throw new ProtocolError(result.error.code, result.error.message);
  return result.value;
}

/** Creates the background's handler table over its ports; entrypoints/background.ts routes to it. */
export function createBackgroundService(ports: AppPorts) {
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
  const changed = (...stores: ('captures' | 'runs' | 'resolutions' | 'mappings' | 'dictionary' | 'settings')[]) =>
    ports.broadcast({ event: 'data.changed', stores });

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

  async function pageContext(tabId: number | undefined): Promise<PageContext> {
    const id = tabId ?? (await ports.tabs.activeTabId());
    if (id === null || id === undefined) return { tabId: null, url: '', app: null, screen: 'none', capturable: false, reachable: false };
    return pages.get(id, await ports.tabs.url(id));
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

  async function learnMappings(lines: readonly PlatformLine[]): Promise<void> {
    const seen = new Map<string, { kind: MappingKind; platformName: string; cwName: string }>();
    const add = (kind: MappingKind, platformName: string | undefined, cwName: string | undefined) => {
      if (!platformName?.trim() || !cwName?.trim()) return;
      seen.set(`${kind}|${platformName}|${cwName}`, { kind, platformName, cwName });
    };
    for (const line of lines) {
      add('organization', line.organization, line.psaOrganizationName);
      add('offer', line.offer, line.psaProductName);
      add('contract', line.contractId, line.psaAgreementName);
    }
    if (seen.size) await ports.mappings.capture([...seen.values()]);
  }

  async function capture(tabId: number, job: RunningJob): Promise<CaptureSummary> {
    const onAbort = () => void ports.tabs.send(tabId, { type: 'content.cancel', jobId: job.id }).catch(() => undefined);
    job.signal.addEventListener('abort', onAbort, { once: true });
    let raw: unknown;
    try {
      const { reconcile: config } = await ports.settings.get();
      raw = await ports.tabs.send(tabId, { type: 'content.capture', jobId: job.id, config });
    } catch (error) {
      throw new ProtocolError(
        'unavailable',
        `This page cannot be captured (${error instanceof Error ? error.message : String(error)}). Reload the tab and try again.`,
      );
    } finally {
      job.signal.removeEventListener('abort', onAbort);
    }
    job.throwIfCancelled();
    const result = ContentCaptureResult.parse(unwrap(raw, 'the capture'));
    job.progress('saving', 0);
    if (result.app === 'platform') {
      if (result.lines.length === 0) throw new ProtocolError('not_found', 'No invoice lines were found on this page.');
      const partial = !result.complete || (result.gridTotal !== undefined && result.lines.length < result.gridTotal);
      const meta = await ports.captures.addLines({ lines: result.lines, skippedRows: result.skipped, source: result.url, partial });
      await learnMappings(result.lines);
      changed('captures', 'mappings');
      return captureSummary(meta, { gridTotal: result.gridTotal, complete: result.complete, skipped: result.skipped.length });
    }
    const meta = await ports.captures.addBundle({ bundle: result.bundle, source: result.url, partial: !result.complete || result.bundle.complete === false });
    changed('captures');
    return captureSummary(meta, { gridTotal: result.gridTotal, complete: result.complete, skipped: result.skipped.length, bundle: result.bundle });
  }

  async function linesFor(months: readonly string[] | undefined): Promise<{ lines: PlatformLine[]; skipped: SkippedRow[]; captures: StoredCapture[]; months: string[] }> {
    const all = await ports.captures.current({ kind: 'platform-lines' });
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
    const captures = await ports.captures.current({ kind: 'cw-bundle' });
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

  const handlers: Handlers = {
    'page.context': ({ tabId }) => pageContext(tabId),
    'page.report': ({ context }, sender) => {
      if (sender.tabId === undefined) throw new ProtocolError('forbidden', 'page.report needs a tab');
      // Only the top frame speaks for the tab; frames inside it describe nothing the panel shows.
      if (sender.frameId !== undefined && sender.frameId !== 0) return { ok: true as const };
      ports.broadcast({ event: 'page.changed', context: pages.report(sender.tabId, context) });
      return { ok: true as const };
    },

    'panel.start': async ({ tabId }) => {
      const settings = await refreshHosts();
      const [page, metas, run, privateKey] = await Promise.all([pageContext(tabId), ports.captures.list(), latestRun(), ports.settings.privateKey()]);
      const current = metas.filter((m) => m.current !== false);
      const months = [...new Set(current.filter((m) => m.kind === 'platform-lines').flatMap((m) => m.months))].sort();
      const apiReady = !!(privateKey && settings.cw.companyId && settings.cw.publicKey && settings.cw.clientId);
      const platformCapture = current.find((m) => m.kind === 'platform-lines' && m.source?.startsWith('http'));
      const links: LinkBases = { cwCompanyId: settings.cw.companyId || undefined };
      try {
        const site = cwSite(settings.cw);
        if (site) links.cwWebOrigin = new URL(/^https?:/.test(site) ? site : `https://${site}`).origin;
      } catch {
        // An unusable custom host: the panel shows findings without ConnectWise links.
      }
      if (platformCapture?.source) links.platformOrigin = new URL(platformCapture.source).origin;
      return {
        page,
        month: months.at(-1) ?? null,
        captures: current.map((m) => captureSummary(m)),
        cwSource: apiReady ? 'api' : current.some((m) => m.kind === 'cw-bundle') ? 'captures' : 'none',
        lastRun: run ? runSummary(run) : null,
        links,
      };
    },

    'capture.start': async ({ tabId, jobId }) => {
      const id = await targetTab(tabId);
      return jobs.run('capture', jobId, (job) => capture(id, job));
    },
    'capture.progress': ({ progress }) => {
      // Relayed only for jobs this background started, so a page cannot invent progress.
      if (jobs.isRunning(progress.jobId)) ports.broadcast({ event: 'job.progress', progress: { ...progress, job: 'capture' } });
      return { ok: true as const };
    },
    'captures.list': async ({ month }) => (await ports.captures.list(month ? { month } : undefined)).map((m) => captureSummary(m)),
    'captures.delete': async ({ id }) => {
      await ports.captures.remove(id);
      changed('captures');
      return { ok: true as const };
    },
    'job.cancel': ({ jobId }) => ({ cancelled: jobs.cancel(jobId) }),

    'reconcile.start': ({ jobId, months, cwSource }) =>
      jobs.run('reconcile', jobId, async (job) => {
        job.progress('loading', 0);
        const { settings, input, bundle, used } = await workingSet(months, cwSource);
        job.throwIfCancelled();
        job.progress('matching', 0, input.lines.length);
        const now = ports.now();
        const report = ports.engine.reconcile({ lines: input.lines, bundle, config: settings.reconcile, skippedRows: input.skipped, now });
        job.throwIfCancelled();
        job.progress('saving', input.lines.length, input.lines.length);
        const sources = new Set(used.map((c) => (isApiCapture(c) ? 'api' : 'captures')));
        const run = await ports.runs.add({
          report,
          captureIds: [...input.captures, ...used].map((c) => c.id),
          cwSource: sources.size > 1 ? 'mixed' : sources.has('api') ? 'api' : 'captures',
          config: settings.reconcile,
        });
        changed('runs');
        return runSummary(run);
      }),
    'runs.list': async ({ limit }) => (await ports.runs.list(limit)).map(runSummary),
    'runs.get': async ({ runId }) => {
      const run = runId ? await ports.runs.get(runId) : await latestRun();
      if (!run) return null;
      return {
        run: runSummary(run),
        report: run.report,
        findings: await runFindings(run.report),
        names: await names(),
        ...(run.signOff ? { signOff: run.signOff } : {}),
      };
    },
    'runs.signOff': async ({ runId, by, note }) => {
      if (!ports.runs.signOff) throw new ProtocolError('failed', 'Signing off is not available here.');
      const run = await ports.runs.get(runId);
      if (!run) throw new ProtocolError('not_found', `run ${runId} does not exist`);
      const signed = await ports.runs.signOff(runId, by, note);
      changed('runs');
      return signed.signOff!;
    },
    'runs.diff': async ({ runId, baseRunId }) => {
      const run = await ports.runs.get(runId);
      if (!run) throw new ProtocolError('not_found', `run ${runId} does not exist`);
      let base: StoredRun | undefined;
      if (baseRunId) base = await ports.runs.get(baseRunId);
      else {
        const older = (await ports.runs.list()).filter((r) => r.createdAt < run.createdAt || (r.createdAt === run.createdAt && r.id < run.id));
        base = older[0];
      }
      const current = await runFindings(run.report);
      const previous = base ? await runFindings(base.report) : [];
      const diff = diffRuns(previous, current, (f) => f.fingerprint);
      return { runId: run.id, baseRunId: base?.id ?? null, added: diff.added, removed: diff.gone, unchanged: diff.kept };
    },
    'runs.delete': async ({ runId }) => {
      await ports.runs.remove(runId);
      changed('runs');
      return { ok: true as const };
    },
    'runs.export': async ({ runId, format }) => {
      const run = await ports.runs.get(runId);
      if (!run) throw new ProtocolError('not_found', `run ${runId} does not exist`);
      const stamp = run.createdAt.slice(0, 10);
      const mime = format === 'csv' ? 'text/csv' : format === 'json' ? 'application/json' : 'text/plain';
      return { filename: `cw-reconciler-${stamp}-${run.id}.${format === 'text' ? 'txt' : format}`, mime, text: ports.engine.render(run.report, format) };
    },

    'resolution.set': async ({ fingerprint, runId, status, note, undoable }) => {
      const run = runId ? await ports.runs.get(runId) : await latestRun();
      frozen(run);
      const finding = run?.report.findings.find((f) => findingFingerprint(f) === fingerprint);
      if (!finding) throw new ProtocolError('not_found', 'That finding is not in the run any more; reconcile again.');
      const before = await ports.resolutions.get(finding);
      const next = {
        status: status ?? before?.status ?? 'open',
        note: note === undefined ? before?.note : note.trim() || undefined,
      };
      if (undoable !== false) {
        await undo.push({
          label: next.status === 'open' ? 'Reopened' : next.status === 'resolved' ? 'Marked resolved' : 'Ignored',
          at: ports.now().toISOString(),
          changes: [{ fingerprint, finding, before: before ? { status: before.status, note: before.note } : null }],
        });
      }
      const stored = await ports.resolutions.put(finding, next);
      changed('resolutions');
      return stored;
    },
    'resolution.undo': async ({ fingerprint }) => {
      const entry = await undo.popFinding(fingerprint);
      if (!entry) throw new ProtocolError('not_found', 'There is nothing to undo for this finding.');
      const restored = await ports.resolutions.put(entry.finding, entry.before ?? { status: 'open' });
      changed('resolutions');
      return restored;
    },
    'resolutions.apply': async ({ runId, label, changes }) => {
      const run = runId ? await ports.runs.get(runId) : await latestRun();
      if (!run) throw new ProtocolError('not_found', 'That run is no longer stored; reconcile again.');
      frozen(run);
      const byFp = new Map(run.report.findings.map((f) => [findingFingerprint(f), f]));
      const stored = new Map((await ports.resolutions.list()).map((r) => [r.fingerprint, r]));
      const step: { fingerprint: string; finding: Finding; before: { status: ResolutionStatus; note?: string } | null }[] = [];
      const writes: { finding: Finding; state: { status: ResolutionStatus; note?: string } }[] = [];
      for (const c of changes) {
        const finding = byFp.get(c.fingerprint);
        if (!finding) continue;
        const before = stored.get(c.fingerprint);
        step.push({ fingerprint: c.fingerprint, finding, before: before ? { status: before.status, note: before.note } : null });
        writes.push({ finding, state: { status: c.status, note: c.note?.trim() || undefined } });
      }
      if (step.length === 0) throw new ProtocolError('not_found', 'None of those findings is in the run any more; reconcile again.');
      await undo.push({ label, at: ports.now().toISOString(), changes: step });
      for (const w of writes) await ports.resolutions.put(w.finding, w.state);
      changed('resolutions');
      return { changed: writes.length };
    },
    'resolutions.undo': async () => {
      const step = await undo.pop();
      if (!step) return null;
      const restored: { fingerprint: string; status: ResolutionStatus; note?: string }[] = [];
      for (const c of step.changes) {
        const state = c.before ?? { status: 'open' as const };
        await ports.resolutions.put(c.finding, state);
        restored.push({ fingerprint: c.fingerprint, status: state.status, ...(state.note ? { note: state.note } : {}) });
      }
      changed('resolutions');
      return { label: step.label, restored };
    },
    'resolutions.undoable': async () => ({ label: (await undo.peek())?.label ?? null }),
    'resolutions.list': () => ports.resolutions.list(),

    'mappings.list': ({ kind }) => ports.mappings.list(kind),
    'mappings.set': async (input) => {
      const mapping = await ports.mappings.set({ kind: input.kind, platform: input.platform, cw: input.cw, cwId: input.cwId });
      changed('mappings');
      return mapping;
    },
    'mappings.delete': async ({ kind, platform }) => {
      await ports.mappings.remove(kind, platform);
      changed('mappings');
      return { ok: true as const };
    },
    'mappings.conflicts': () => ports.mappings.conflicts(),

    'settings.get': () => ports.settings.get(),
    'settings.set': async ({ patch }) => {
      const settings = await ports.settings.patch(patch);
      await refreshHosts();
      if (patch.hosts) await ports.hosts.sync(settings.hosts).catch((e: unknown) => ports.log(`registering content scripts failed: ${String(e)}`));
      changed('settings');
      return settings;
    },
    'hosts.sync': async () => {
      const settings = await refreshHosts();
      return ports.hosts.sync(settings.hosts);
    },
    'cw.test': async ({ draft }) => {
      const creds = await credentials(draft);
      const keyHome = creds ? null : await draftNeedsOwnKey(draft);
      if (keyHome) {
        return {
          ok: false,
          message: `The saved private key belongs to ${keyHome} and is not sent to another site: enter the private key for ${cwSite({ ...(await ports.settings.get()).cw, ...draft } as PublicSettings['cw'])} to test it.`,
          missingPermissions: [],
          checks: [],
        };
      }
      if (!creds) {
        return {
          ok: false,
          message: 'Fill in the site, company ID, public key, private key and client ID first.',
          missingPermissions: [],
          checks: [],
        };
      }
      return ports.cw.test(creds);
    },
    'cw.pull': ({ jobId, companies }) =>
      jobs.run('pull', jobId, async (job) => {
        const creds = await credentials();
        if (!creds) throw new ProtocolError('invalid', 'Set up the ConnectWise connection in the options first.');
        const current = await ports.captures.current({ kind: 'platform-lines' }).catch(() => [] as StoredCapture[]);
        const lines = current.flatMap((c) => c.lines ?? []);
        const fromLines = [...new Set(lines.map((l) => l.psaOrganizationName).filter((n): n is string => !!n?.trim()))];
        const products = [...new Set(lines.map((l) => l.psaProductName).filter((n): n is string => !!n?.trim()))];
        const dates = lines.map((l) => l.invoiceDate).sort();
        const window = dates.length ? { from: `${dates[0]!.slice(0, 7)}-01`, to: `${dates.at(-1)!.slice(0, 7)}-31` } : undefined;
        const wanted = companies ?? (fromLines.length ? fromLines : undefined);
        const bundle = await ports.cw.pull(creds, {
          companies: wanted,
          products: products.length ? products : undefined,
          window: window ? { from: window.from, to: lastDay(window.to) } : undefined,
          signal: job.signal,
          onProgress: (done, total, stage) => job.progress(stage, done, total),
          now: ports.now(),
        });
        job.throwIfCancelled();
        const months = [...new Set(dates.map(monthOfDate))];
        const meta = await ports.captures.addBundle({ bundle, source: 'api', scope: 'api', months, partial: bundle.complete === false });
        changed('captures');
        return captureSummary(meta, { complete: bundle.complete !== false, skipped: 0 });
      }),
    'health.check': async () => {
      const settings = await ports.settings.get();
      const [creds, input, merged] = await Promise.all([
        credentials(),
        linesFor(undefined).catch(() => ({ lines: [] as PlatformLine[] })),
        cwBundle('auto'),
      ]);
      return ports.cw.health({ credentials: creds, bundle: merged.used.length ? merged.bundle : null, lines: input.lines, config: settings.reconcile });
    },

    'invoicing.readiness': async ({ thruDate }) => {
      const { settings, input, bundle } = await workingSet(undefined, 'auto');
      const readiness = invoicingReadiness({ lines: input.lines, bundle, config: settings.reconcile, thruDate });
      return { ...readiness, steps: [...readiness.steps] };
    },

    'data.export': async () => ({ filename: `cw-reconciler-backup-${ports.now().toISOString().slice(0, 10)}.json`, json: await ports.backup.exportJson() }),
    'data.import': async ({ json, mode, deleteUnreadable }) => {
      const imported = await ports.backup.importJson(json, mode, deleteUnreadable);
      changed('captures', 'runs', 'resolutions', 'mappings', 'dictionary');
      return { imported };
    },
    'data.importPreview': ({ json, mode }) => ports.backup.previewJson(json, mode),
    'data.clear': async () => {
      await ports.backup.clear();
      changed('captures', 'runs', 'resolutions', 'mappings', 'dictionary');
      return { ok: true as const };
    },

    'dictionary.list': () => ports.dictionary.list(),
    'dictionary.add': async ({ entry }) => {
      const added = await ports.dictionary.add(entry);
      changed('dictionary');
      return added;
    },
    'dictionary.remove': async ({ id }) => {
      await ports.dictionary.remove(id);
      changed('dictionary');
      return { ok: true as const };
    },

    'help.config': async (_request, sender) => {
      const settings = await ports.settings.get();
      const on = helpOn(settings, sender.url);
      return { tooltips: on, badges: on };
    },
    'help.entities': async ({ app, names: asked, kind }) => {
      const kinds: MappingKind[] = kind ? [kind] : ['organization', 'offer'];
      const out: EntityLookup[] = [];
      if (app === 'connectwise') {
        for (const name of asked) {
          for (const k of kinds) {
            const found = await ports.mappings.findByCw(k, name);
            if (found.length || kind) out.push({ name, side: 'cw', kind: k, mappedTo: found.map((m) => m.platform) });
          }
        }
      } else {
        const all = await ports.mappings.list();
        for (const name of asked) {
          const key = name.trim().toLowerCase();
          for (const k of kinds) {
            const found = all.filter((m) => m.kind === k && m.platform.trim().toLowerCase() === key);
            if (found.length || kind) out.push({ name, side: 'platform', kind: k, mappedTo: found.map((m) => m.cw) });
          }
        }
      }
      return out;
    },
    'help.verdicts': async ({ agreementId }, sender) => {
      const settings = await ports.settings.get();
      if (sender.role === 'content' && !helpOn(settings, sender.url)) return null;
      const run = await latestRun();
      if (!run) return null;
      // The run's own ConnectWise captures, so the descriptors are what the run judged.
      const used = (await ports.captures.current({ kind: 'cw-bundle' })).filter((c) => run.captureIds.includes(c.id));
      const additions = used.length ? mergeBundles(used, 'auto').bundle.additions : [];
      return { runId: run.id, verdicts: verdictsForAgreement(run.report, agreementId, additions) };
    },
    'help.open': async ({ fingerprint, agreementId }, sender) => {
      await ports.panel.open(sender.tabId).catch((e: unknown) => ports.log(`opening the side panel failed: ${String(e)}`));
      ports.broadcast({ event: 'panel.focus', fingerprint, agreementId });
      return { ok: true as const };
    },
  };

  return {
    handlers,
    jobs,
    /** Call on start and whenever host settings change. */
    refreshHosts,
    /** The active tab changed or navigated: tell open panels what it shows now. */
    async tabChanged(tabId: number) {
      ports.broadcast({ event: 'page.changed', context: pages.get(tabId, await ports.tabs.url(tabId)) });
    },
    tabClosed(tabId: number) {
      pages.forget(tabId);
    },
    appOf: (url: string) => appOfUrl(url, compiled()),
  };
}

/** Whether two sites' API calls go to the same origin (an unusable site matches nothing). */
function sameApiHost(a: string, b: string): boolean {
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

function lastDay(monthEnd: string): string {
  const [y, m] = monthEnd.slice(0, 7).split('-').map(Number) as [number, number];
  const day = new Date(Date.UTC(y, m, 0)).getUTCDate();
  return `${monthEnd.slice(0, 7)}-${String(day).padStart(2, '0')}`;
}

export type BackgroundService = ReturnType<typeof createBackgroundService>;
