import type { CwBundle, PlatformLine, ReconcileConfig, Report, SkippedRow } from '../model';
import type { RunningJob } from './jobs';
import type { StoredRun } from './ports';

/**
 * A reconcile as a background job: read the working set, run the engine, store the run, with
 * progress between the steps and a chance for a cancel to land before anything is stored.
 *
 * The engine itself is one synchronous call (the CLI runs the very same one), so a cancel sent
 * while it runs is queued behind it; `breathe` hands the event loop back after each step, which
 * lets that queued cancel be handled before the run is saved. A cancelled run saves nothing.
 */

/** Percent reached when each step starts; the engine's share is the largest. */
export const RECONCILE_STEPS = {
  reading: 0,
  matching: 20,
  saving: 85,
  done: 100,
} as const;

export type ReconcileStep = keyof typeof RECONCILE_STEPS;

export interface ReconcileWorkingSet<U extends { id: string } = { id: string }> {
  settings: { reconcile: ReconcileConfig };
  input: { lines: PlatformLine[]; skipped: SkippedRow[]; captures: { id: string }[] };
  bundle: CwBundle;
  used: U[];
}

export interface ReconcileJobDeps<U extends { id: string } = { id: string }> {
  /** The captured lines, the merged ConnectWise data and the settings the run reads. */
  workingSet(): Promise<ReconcileWorkingSet<U>>;
  engine(input: { lines: PlatformLine[]; bundle: CwBundle; config: ReconcileConfig; skippedRows: SkippedRow[]; now: Date }): Report;
  /** Where the ConnectWise data came from, for the stored run. */
  cwSource(used: U[]): StoredRun['cwSource'];
  /** Stores the finished run (one write: findings, coverage and summary together). */
  store(run: Omit<StoredRun, 'id' | 'createdAt'>): Promise<StoredRun>;
  now(): Date;
  /** Yields to the event loop so messages queued meanwhile (a cancel) are handled. */
  breathe?(): Promise<void>;
}

const breatheByDefault = () => new Promise<void>((resolve) => setTimeout(resolve, 0));

const count = (n: number) => n.toLocaleString('en-US');

export async function runReconcileJob<U extends { id: string }>(job: RunningJob, deps: ReconcileJobDeps<U>): Promise<StoredRun> {
  const breathe = deps.breathe ?? breatheByDefault;
  const step = (name: ReconcileStep, message: string) => job.progress(name, RECONCILE_STEPS[name], 100, message);
  // Between steps: let a queued cancel in, then stop if it came.
  const checkpoint = async () => {
    await breathe();
    job.throwIfCancelled();
  };

  step('reading', 'Reading the captured lines and the ConnectWise data');
  const { settings, input, bundle, used } = await deps.workingSet();
  await checkpoint();

  step('matching', `Matching ${count(input.lines.length)} lines with ${count(bundle.additions.length)} Additions`);
  // The progress event above goes out before the engine holds the thread.
  await checkpoint();
  const report = deps.engine({ lines: input.lines, bundle, config: settings.reconcile, skippedRows: input.skipped, now: deps.now() });
  await checkpoint();

  step('saving', `Saving ${count(report.findings.length)} findings`);
  const run = await deps.store({
    report,
    captureIds: [...input.captures, ...used].map((c) => c.id),
    cwSource: deps.cwSource(used),
    config: settings.reconcile,
  });
  step('done', `${count(report.findings.length)} findings`);
  return run;
}
