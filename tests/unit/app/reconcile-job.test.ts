import { describe, expect, it } from 'vitest';
import { engine } from '../../../core/app/cw';
import { createJobRegistry } from '../../../core/app/jobs';
import type { StoredRun } from '../../../core/app/ports';
import { runReconcileJob, type ReconcileJobDeps } from '../../../core/app/reconcile-job';
import type { JobProgress } from '../../../core/protocol/messages';
import { workedMonth } from '../worked-month';

const { config, lines, bundle, expected } = workedMonth();

/** The worked month behind a job registry, recording what was stored and every progress event. */
function setup(overrides: (jobs: ReturnType<typeof createJobRegistry>) => Partial<ReconcileJobDeps> = () => ({})) {
  const events: JobProgress[] = [];
  const stored: StoredRun[] = [];
  const jobs = createJobRegistry({ newId: () => 'job-1', onProgress: (p) => events.push(p) });
  const deps: ReconcileJobDeps = {
    workingSet: async () => ({ settings: { reconcile: config }, input: { lines, skipped: [], captures: [{ id: 'lines-1' }] }, bundle, used: [{ id: 'pull-1' }] }),
    engine: (input) => engine.reconcile(input),
    cwSource: () => 'api',
    async store(run) {
      const out = { ...run, id: `run-${stored.length + 1}`, createdAt: '2026-12-01T08:00:00.000Z' };
      stored.push(out);
      return out;
    },
    now: () => new Date('2026-12-01T08:00:00Z'),
    ...overrides(jobs),
  };
  const start = () => jobs.run('reconcile', 'job-1', (job) => runReconcileJob(job, deps));
  return { jobs, events, stored, start };
}

describe('the reconcile job', () => {
  it('reports its steps in order, as percentages, and stores the run once', async () => {
    const s = setup();
    const run = await s.start();
    expect(s.stored).toHaveLength(1);
    expect(run.report.findings).toHaveLength(expected.length);
    expect(run.captureIds).toEqual(['lines-1', 'pull-1']);
    expect(s.events.map((e) => [e.phase, e.done, e.total])).toEqual([
      ['reading', 0, 100],
      ['matching', 20, 100],
      ['saving', 85, 100],
      ['done', 100, 100],
    ]);
    expect(s.events[1]!.message).toBe(`Matching ${lines.length} lines with ${bundle.additions.length} Additions`);
    expect(s.events.every((e) => e.job === 'reconcile' && e.jobId === 'job-1')).toBe(true);
  });

  it('stores nothing when a cancel arrives while the engine holds the thread', async () => {
    let engineRan = false;
    const s = setup((jobs) => ({
      engine(input) {
        // A cancel message that arrives meanwhile waits in the task queue until the engine returns.
        setTimeout(() => jobs.cancel('job-1'), 0);
        engineRan = true;
        return engine.reconcile(input);
      },
    }));
    await expect(s.start()).rejects.toMatchObject({ code: 'cancelled', message: 'the reconcile was cancelled' });
    expect(engineRan).toBe(true);
    expect(s.stored).toEqual([]);
    expect(s.events.map((e) => e.phase)).toEqual(['reading', 'matching']);
    expect(s.jobs.isRunning('job-1')).toBe(false);
  });

  it('does not run the engine when cancelled while the captures are read', async () => {
    let engineRan = false;
    const s = setup((jobs) => ({
      async workingSet() {
        jobs.cancel('job-1');
        return { settings: { reconcile: config }, input: { lines, skipped: [], captures: [] }, bundle, used: [] };
      },
      engine(input) {
        engineRan = true;
        return engine.reconcile(input);
      },
    }));
    await expect(s.start()).rejects.toMatchObject({ code: 'cancelled' });
    expect(engineRan).toBe(false);
    expect(s.stored).toEqual([]);
  });
});
