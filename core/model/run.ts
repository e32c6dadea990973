import { z } from 'zod';
import { MonthKey } from './calendar';
import { Resolution } from './resolution';
import { Finding, type Report } from './report';

export const SeverityCounts = z.object({ error: z.number().int(), warn: z.number().int(), info: z.number().int() });
export type SeverityCounts = z.infer<typeof SeverityCounts>;

/** Where a run's ConnectWise side came from. */
export const CwSource = z.enum(['api', 'captures', 'mixed']);
export type CwSource = z.infer<typeof CwSource>;

/** A run as listed: what it covered and how many findings of each severity, without the findings. */
export const RunSummary = z.object({
  id: z.string(),
  createdAt: z.string(),
  months: z.array(MonthKey),
  cwSource: CwSource,
  captureIds: z.array(z.string()),
  counts: SeverityCounts,
  findings: z.number().int(),
  linesCompared: z.number().int(),
  cwComplete: z.boolean(),
});
export type RunSummary = z.infer<typeof RunSummary>;

/** The one way a run becomes its listing, wherever runs are listed (storage, the protocol). */
export function summariseRun(run: { id: string; createdAt: string; report: Report; captureIds: string[]; cwSource: CwSource }): RunSummary {
  const counts: SeverityCounts = { error: 0, warn: 0, info: 0 };
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

/** A finding as the panel shows it: the engine's finding, its fingerprint and its resolution. */
export const RunFinding = z.object({
  fingerprint: z.string(),
  finding: Finding,
  resolution: Resolution.optional(),
});
export type RunFinding = z.infer<typeof RunFinding>;

/** What changed between two runs' findings, matched by fingerprint (core/app/run-diff.ts). */
export interface FindingsDiff<T> {
  /** In the current run, not in the previous one. */
  added: T[];
  /** In the previous run, gone now (fixed, or no longer in the data). */
  gone: T[];
  /** In both runs. */
  kept: number;
}

/** What changed in a run's findings since an earlier run, in the words of FindingsDiff. */
export const RunDiff = z.object({
  runId: z.string(),
  baseRunId: z.string().nullable(),
  added: z.array(RunFinding),
  gone: z.array(RunFinding),
  kept: z.number().int(),
});
export type RunDiff = z.infer<typeof RunDiff>;

/** Display names for the ids a run uses, from the ConnectWise data the run read. */
export const RunNames = z.object({
  companies: z.record(z.string(), z.string()).default({}),
  agreements: z.record(z.string(), z.object({ name: z.string(), companyId: z.number().int().optional() })).default({}),
});
export type RunNames = z.infer<typeof RunNames>;

/**
 * The month's sign-off: who closed the review, when, and why; a signed-off run is frozen.
 * `resolutions` are the run's verdicts and notes as they stood when it was signed (resolutions are
 * kept per finding across runs, so a later run's verdict must not rewrite a closed month); a
 * sign-off stored before they were recorded has none.
 */
export const SignOff = z.object({
  by: z.string().min(1),
  at: z.string().min(1),
  note: z.string().optional(),
  resolutions: z.array(Resolution).optional(),
});
export type SignOff = z.infer<typeof SignOff>;
