import type { CaptureSummary, CwBundle } from '../model';
import { mergeSources } from '../sources';
import type { StoredCapture } from './ports';

export type CwSourceChoice = 'auto' | 'api' | 'captures';

export function isApiCapture(capture: Pick<CaptureSummary, 'kind'>): boolean {
  return capture.kind === 'api';
}

/**
 * How a capture merges: an API pull and a bundle file list companies and agreements; a captured
 * page and a saved Additions page are a read of their one agreement. What a file was is kept with
 * the capture (`fileKind`) rather than guessed from the data later.
 */
/**
 * What a capture of an Additions page is listed by: the page shows one agreement, so the names
 * are that agreement's and its company's. A captured page and a saved one are named alike.
 */
export function pageNames(bundle: CwBundle): Pick<CaptureSummary, 'agreementName' | 'companyName'> {
  const agreement = bundle.agreements[0];
  return { agreementName: agreement?.name, companyName: agreement?.company.name };
}

function sourceKind(capture: Pick<CaptureSummary, 'kind' | 'fileKind'>): 'api' | 'file' | 'page' {
  if (isApiCapture(capture)) return 'api';
  return capture.fileKind === 'bundle' ? 'file' : 'page';
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
    .sort((a, b) => a.createdAt.localeCompare(b.createdAt) || a.id.localeCompare(b.id));
  const { bundle } = mergeSources(
    used.map((c) => ({
      kind: sourceKind(c),
      bundle: c.bundle!,
      at: c.createdAt,
      label: c.file ?? c.url ?? `capture ${c.id}`,
    })),
  );
  return { bundle, used };
}
