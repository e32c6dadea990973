import { ProtocolError } from '../../protocol/messages';
import type { Handlers } from '../../protocol/router';
import { isApiCapture } from '../bundles';
import type { RunFinding } from '../../model';
import type { StoredRun } from '../ports';
import { diffRuns } from '../run-diff';
import { findingKeys, renderRunExport, runExportFilename, RUN_EXPORT_MIME } from '../../report/run-export';
import { runReconcileJob } from '../reconcile-job';
import { matchesOf, sortItems, toItems, type FindingItem } from '../finding-order';
import { runSummary, type ServiceContext } from './context';

/**
 * A run's findings with their verdicts: a signed-off run's as they were signed (resolutions are
 * kept per finding across runs, so a verdict given in a newer run must not rewrite a closed month);
 * any other run's as they stand. A sign-off stored before verdicts were kept with it shows today's.
 */
export async function findingsAsShown(ctx: ServiceContext, run: StoredRun): Promise<RunFinding[]> {
  const findings = await ctx.runFindings(run.report);
  const signed = run.signOff?.resolutions;
  if (!signed) return findings;
  const byFp = new Map(signed.map((r) => [r.fingerprint, r]));
  return findings.map(({ fingerprint, finding }) => {
    const resolution = byFp.get(fingerprint);
    return resolution ? { fingerprint, finding, resolution } : { fingerprint, finding };
  });
}

/** Reconciling into a stored run, and reading, signing off, comparing, exporting and deleting runs. */
export function runHandlers(ctx: ServiceContext): Handlers {
  const { ports, jobs, changed } = ctx;

  /**
   * The run last paged out, its findings already in the panel's order: a page after the first
   * is a slice of it, not a fresh read of a run that may hold tens of thousands of findings.
   * The first page of a run always reads it afresh (names and sign-off may have changed).
   */
  type Paged = { run: StoredRun; names: Awaited<ReturnType<typeof ctx.names>>; order: FindingItem[]; index?: Map<string, number> };
  // Two runs: the panel reads the previous run whole (for its comparison) while it pages the
  // current one, and one slot would read and sort the whole run again for every page of either.
  let paging: Paged[] = [];
  /**
   * The run a reconcile here has just stored, as it was stored: the panel asks for its first page
   * next, and reading back and checking a run of tens of thousands of findings it holds already
   * would only delay the list. Taken once; any other first page reads the run afresh.
   */
  let justStored: StoredRun | null = null;
  /** The run in list order; `reuse` takes a kept copy (every page but the first, and pages found by key). */
  async function pagedRun(runId: string | undefined, reuse: boolean) {
    const kept = paging.find((p) => runId === undefined || p.run.id === runId);
    if (reuse && kept) return kept;
    const fresh = runId !== undefined && justStored?.id === runId ? justStored : null;
    justStored = null;
    const run = fresh ?? (runId ? await ports.runs.get(runId) : await ctx.latestRun());
    if (!run) return null;
    const names = await ctx.names();
    const p: Paged = { run, names, order: sortItems(toItems({ report: run.report, names })) };
    paging = [p, ...paging.filter((q) => q.run.id !== run.id)].slice(0, 2);
    return p;
  }
  /** Where a finding stands in the paged order (indexed on the first ask, then kept with the order). */
  function indexOf(p: Paged, key: string): number {
    p.index ??= new Map(p.order.map((i, n) => [i.key, n]));
    return p.index.get(key) ?? -1;
  }

  return {
    'reconcile.start': ({ jobId, months, cwSource }) =>
      jobs.run('reconcile', jobId, async (job) => {
        const run = await runReconcileJob(job, {
          workingSet: () => ctx.workingSet(months, cwSource),
          engine: (input) => ports.engine.reconcile(input),
          cwSource: (used) => {
            const sources = new Set(used.map((c) => (isApiCapture(c) ? 'api' : 'captures')));
            return sources.size > 1 ? 'mixed' : sources.has('api') ? 'api' : 'captures';
          },
          // Stored through the context, so the retention rule runs after every stored run.
          store: (finished) => ctx.storeRun(finished),
          now: ports.now,
        });
        justStored = run;
        changed('runs');
        return runSummary(run);
      }),
    'runs.list': async ({ limit }) => (await ports.runs.list(limit)).map(runSummary),
    'runs.get': async ({ runId }) => {
      const run = runId ? await ports.runs.get(runId) : await ctx.latestRun();
      if (!run) return null;
      return {
        run: runSummary(run),
        report: run.report,
        findings: await findingsAsShown(ctx, run),
        names: await ctx.names(),
        ...(run.signOff ? { signOff: run.signOff } : {}),
      };
    },
    'runs.page': async ({ runId, offset: from, limit, key }) => {
      // A page asked for by a finding's key may lie anywhere: the run is read afresh only when
      // the panel has none of it yet.
      const p = await pagedRun(runId, key !== undefined || from > 0);
      if (!p) return null;
      const { run, names, order } = p;
      let offset = from;
      if (key !== undefined) {
        const at = indexOf(p, key);
        if (at >= from) offset = from + Math.floor((at - from) / limit) * limit;
        else if (at < 0) offset = order.length;
      }
      // The head goes once, and without the money view: a message's cost in the panel grows with
      // all it carries, and the money view (megabytes in a large month) is read when it is opened.
      const { findings: _findings, matches: _matches, money, ...rest } = run.report;
      const head = offset === 0 && key === undefined ? { report: { ...rest, findings: [] }, names, hasMoney: money !== undefined } : {};
      return {
        run: runSummary(run),
        ...head,
        ...(run.signOff ? { signOff: run.signOff } : {}),
        total: order.length,
        offset,
        findings: order.slice(offset, offset + limit).map((i) => ({ fingerprint: i.fp, key: i.key, finding: i.finding })),
      };
    },
    'runs.money': async ({ runId }) => {
      const run = paging.find((p) => p.run.id === runId)?.run ?? (await ports.runs.get(runId));
      return run ? { money: run.report.money } : null;
    },
    'runs.signOff': async ({ runId, by, note }) => {
      if (!ports.runs.signOff) throw new ProtocolError('failed', 'Signing off is not available here.');
      const run = await ports.runs.get(runId);
      if (!run) throw new ProtocolError('not_found', `run ${runId} does not exist`);
      // The verdicts as they stand now become the run's own: the frozen state it shows from here on.
      const resolutions = run.signOff ? undefined : (await ctx.runFindings(run.report)).flatMap((f) => (f.resolution ? [f.resolution] : []));
      justStored = null;
      paging = paging.filter((p) => p.run.id !== runId);
      const signed = await ports.runs.signOff(runId, by, note, resolutions);
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
      const current = await ctx.runFindings(run.report);
      const previous = base ? await ctx.runFindings(base.report) : [];
      const diff = diffRuns(previous, current, (f) => f.fingerprint);
      return { runId: run.id, baseRunId: base?.id ?? null, ...diff };
    },
    'runs.delete': async ({ runId }) => {
      justStored = null;
      paging = paging.filter((p) => p.run.id !== runId);
      await ports.runs.remove(runId);
      changed('runs');
      return { ok: true as const };
    },
    'runs.export': async ({ runId, format, keys }) => {
      const run = await ports.runs.get(runId);
      if (!run) throw new ProtocolError('not_found', `run ${runId} does not exist`);
      // The same export the panel writes: the report with the user's verdicts and notes (a
      // signed-off run's as signed).
      const [shown, names] = await Promise.all([findingsAsShown(ctx, run), ctx.names()]);
      const resolutions = new Map(shown.flatMap((f) => (f.resolution ? [[f.fingerprint, f.resolution] as const] : [])));
      let report = run.report;
      const only = keys ? new Set(keys) : undefined;
      if (only && report.matches) {
        // What the filters show, with the matches behind those findings (not the whole run's).
        const runKeys = findingKeys(shown.map((f) => f.fingerprint));
        const picked = shown.flatMap((f, i) => (only.has(runKeys[i]!) ? [f.finding] : []));
        report = { ...report, matches: matchesOf(picked, report.matches) };
      }
      const text = renderRunExport({ report, names, resolutions, ...(only ? { only } : {}) }, format);
      return { filename: runExportFilename(run, format), mime: RUN_EXPORT_MIME[format], text };
    },
  };
}
