import { ProtocolError } from '../../protocol/messages';
import type { Handlers } from '../../protocol/router';
import { isApiCapture } from '../bundles';
import type { StoredRun } from '../ports';
import { diffRuns } from '../run-diff';
import { renderRunExport, runExportFilename, RUN_EXPORT_MIME } from '../../report/run-export';
import { runReconcileJob } from '../reconcile-job';
import { runSummary, type ServiceContext } from './context';

/** Reconciling into a stored run, and reading, signing off, comparing, exporting and deleting runs. */
export function runHandlers(ctx: ServiceContext): Handlers {
  const { ports, jobs, changed } = ctx;
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
        findings: await ctx.runFindings(run.report),
        names: await ctx.names(),
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
      const current = await ctx.runFindings(run.report);
      const previous = base ? await ctx.runFindings(base.report) : [];
      const diff = diffRuns(previous, current, (f) => f.fingerprint);
      return { runId: run.id, baseRunId: base?.id ?? null, ...diff };
    },
    'runs.delete': async ({ runId }) => {
      await ports.runs.remove(runId);
      changed('runs');
      return { ok: true as const };
    },
    'runs.export': async ({ runId, format }) => {
      const run = await ports.runs.get(runId);
      if (!run) throw new ProtocolError('not_found', `run ${runId} does not exist`);
      // The same export the panel writes: the report with the user's verdicts and notes.
      const [resolutions, names] = await Promise.all([ports.resolutions.list(), ctx.names()]);
      const text = renderRunExport({ report: run.report, names, resolutions: new Map(resolutions.map((r) => [r.fingerprint, r])) }, format);
      return { filename: runExportFilename(run, format), mime: RUN_EXPORT_MIME[format], text };
    },
  };
}
