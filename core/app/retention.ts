/*
 * How long stored runs are kept. A run holds a whole report, so runs are not kept forever; the
 * rule keeps what a user can still need:
 *
 * - every signed-off run: it is the month's evidence, frozen as signed;
 * - the newest `runsPerMonth` runs of each invoice month: the one the panel shows and those a
 *   "what changed since the last run" compares against;
 * - the newest `newestRuns` runs overall, whatever months they cover, and always the very newest
 *   (the run the panel opens on).
 *
 * Resolutions (statuses and notes) are stored per finding fingerprint, not per run, so purging a
 * run never loses a note: a later run with the same finding shows it again. Deleted captures are
 * erased only once their undo window has passed (the window is the captures store's own).
 */

export const RETENTION = { runsPerMonth: 3, newestRuns: 10 } as const;

export interface RetainedRun {
  id: string;
  createdAt: string;
  /** The invoice months the run reconciled. */
  months: readonly string[];
  signedOff: boolean;
}

/** The ids of the runs the rule no longer keeps, in any order. */
export function runsToPurge(runs: readonly RetainedRun[], rule: { runsPerMonth: number; newestRuns: number } = RETENTION): string[] {
  const newestFirst = [...runs].sort((a, b) => b.createdAt.localeCompare(a.createdAt) || b.id.localeCompare(a.id));
  const perMonth = new Map<string, number>();
  const purge: string[] = [];
  newestFirst.forEach((run, index) => {
    // A run without months (nothing captured matched) still counts under one shared slot.
    const months = run.months.length ? run.months : [''];
    let keep = run.signedOff || index === 0 || index < rule.newestRuns;
    for (const month of months) {
      const seen = perMonth.get(month) ?? 0;
      perMonth.set(month, seen + 1);
      if (seen < rule.runsPerMonth) keep = true;
    }
    if (!keep) purge.push(run.id);
  });
  return purge;
}
