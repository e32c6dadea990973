import type { Finding, Report } from '../../core/model';
import { findingFingerprint } from './fingerprint';

export interface RunDiff {
  /** In the current run, not in the previous one. */
  added: Finding[];
  /** In the previous run, gone now (fixed, or no longer in the data). */
  gone: Finding[];
  /** In both runs. */
  kept: number;
}

/** What changed between two runs, matched by fingerprint (the same key resolutions use). */
export function diffRuns(previous: Pick<Report, 'findings'>, current: Pick<Report, 'findings'>): RunDiff {
  const prev = new Map(previous.findings.map((f) => [findingFingerprint(f), f]));
  const cur = new Set<string>();
  const added: Finding[] = [];
  for (const f of current.findings) {
    const fp = findingFingerprint(f);
    cur.add(fp);
    if (!prev.has(fp)) added.push(f);
  }
  const gone = [...prev].filter(([fp]) => !cur.has(fp)).map(([, f]) => f);
  return { added, gone, kept: cur.size - added.length };
}
