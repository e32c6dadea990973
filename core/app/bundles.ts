import type { CwBundle } from '../model';
import { mergeSources } from '../sources';
import type { StoredCapture } from './ports';

export type CwSourceChoice = 'auto' | 'api' | 'captures';

export function isApiCapture(capture: { source?: string }): boolean {
  return capture.source === 'api';
}

/**
 * A capture read from files the user handed in records where it came from as
 * `file:<what>:<names>`: `bundle` (a bundle file, which lists companies and agreements), `page`
 * (a saved Additions page, one agreement) or `lines` (Platform exports). What it was decides how
 * it merges, so it is kept with the capture rather than guessed from the data later.
 */
export type FileSourceKind = 'bundle' | 'page' | 'lines';

export function fileSource(kind: FileSourceKind, name: string): string {
  return `file:${kind}:${name}`;
}

export function fileOfSource(source: string | undefined): { kind: FileSourceKind; name: string } | null {
  const m = source ? /^file:(bundle|page|lines):([^]*)$/.exec(source) : null;
  return m ? { kind: m[1] as FileSourceKind, name: m[2]! } : null;
}

function sourceKind(capture: { source?: string }): 'api' | 'file' | 'page' {
  if (isApiCapture(capture)) return 'api';
  return fileOfSource(capture.source)?.kind === 'bundle' ? 'file' : 'page';
}

/**
 * One working set from the stored ConnectWise captures (API pulls, captured Additions pages and files),
 * merged by the same rule as the CLI's files (core/sources): the bundle carries each agreement's
 * read state, so an agreement no capture read whole is never judged missing or orphaned, and a
 * captured page is a complete read of its own agreement only.
 */
export function mergeBundles(captures: readonly StoredCapture[], choice: CwSourceChoice): { bundle: CwBundle; used: StoredCapture[] } {
  const used = captures
    .filter((c) => c.bundle && (choice === 'auto' || (choice === 'api') === isApiCapture(c)))
    .sort((a, b) => a.capturedAt.localeCompare(b.capturedAt) || a.id.localeCompare(b.id));
  const { bundle } = mergeSources(
    used.map((c) => ({
      kind: sourceKind(c),
      bundle: c.bundle!,
      at: c.capturedAt,
      label: fileOfSource(c.source)?.name ?? (c.source && c.source !== 'api' ? c.source : `capture ${c.id}`),
    })),
  );
  return { bundle, used };
}
