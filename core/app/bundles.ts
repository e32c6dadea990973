import type { CwBundle } from '../model';
import { mergeSources } from '../sources';
import type { StoredCapture } from './ports';

export type CwSourceChoice = 'auto' | 'api' | 'captures';

export function isApiCapture(capture: { source?: string }): boolean {
  return capture.source === 'api';
}

/**
 * One working set from the stored ConnectWise captures (API pulls and captured Additions pages),
 * merged by the same rule as the CLI's files (core/sources): the bundle carries each agreement's
 * read state, so an agreement no capture read whole is never judged missing or orphaned, and a
 * captured page is a complete read of its own agreement only.
 */
export function mergeBundles(captures: readonly StoredCapture[], choice: CwSourceChoice): { bundle: CwBundle; used: StoredCapture[] } {
  const used = captures
    .filter((c) => c.bundle && (choice === 'auto' || (choice === 'api') === isApiCapture(c)))
    .sort((a, b) => a.capturedAt.localeCompare(b.capturedAt) || a.id.localeCompare(b.id));
  const { bundle } = mergeSources(
    used.map((c) => ({ kind: isApiCapture(c) ? ('api' as const) : ('page' as const), bundle: c.bundle!, at: c.capturedAt, label: c.source && c.source !== 'api' ? c.source : `capture ${c.id}` })),
  );
  return { bundle, used };
}
