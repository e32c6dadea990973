import type { Finding, FindingsDiff } from '../model';
import { findingFingerprint } from '../model/fingerprint';

/**
 * What changed between two runs, matched by fingerprint (the key resolutions use). The one
 * definition the panel and the background's `runs.diff` share; `fp` lets a caller that already
 * holds fingerprints pass them instead of computing them again.
 */
export function diffRuns<T = Finding>(
  previous: readonly T[],
  current: readonly T[],
  fp: (x: T) => string = (x) => findingFingerprint(x as unknown as Finding),
): FindingsDiff<T> {
  const prev = new Map(previous.map((f) => [fp(f), f]));
  const cur = new Set<string>();
  const added: T[] = [];
  for (const f of current) {
    const key = fp(f);
    if (cur.has(key)) continue;
    cur.add(key);
    if (!prev.has(key)) added.push(f);
  }
  const gone = [...prev].filter(([key]) => !cur.has(key)).map(([, f]) => f);
  return { added, gone, kept: cur.size - added.length };
}
