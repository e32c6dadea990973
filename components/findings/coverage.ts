import { coverageComplete, type Coverage } from '../../core/model';

/** `notSynced` → `not synced`: the engine's reason keys, said as words. */
function reasonWords(reason: string): string {
  return reason.replace(/([a-z])([A-Z])/g, '$1 $2').replace(/[_-]+/g, ' ').toLowerCase();
}

export type CoverageStatus = 'empty' | 'partial' | 'issues' | 'clean';

export interface CoverageVerdict {
  status: CoverageStatus;
  headline: string;
  details: string[];
}

/**
 * The one-line verdict above the results. "Clean" needs compared lines, a complete ConnectWise
 * read, no skipped rows and no open findings: empty or partial input is never called clean.
 */
export function coverageVerdict(c: Coverage, openFindings: number): CoverageVerdict {
  const skipped = Object.entries(c.linesSkipped)
    .filter(([, n]) => n > 0)
    .map(([reason, n]) => `${n} ${reasonWords(reason)}`);
  const details = [
    `${c.linesCompared} of ${c.linesRead} invoice lines compared`,
    `${c.additionsMatched} of ${c.additionsInScope} Additions in scope matched (${c.additionsRead} read)`,
  ];
  if (skipped.length) details.push(`Lines skipped: ${skipped.join(', ')}`);
  if (c.skippedRows.length) details.push(`${c.skippedRows.length} unreadable rows left out`);
  if (!c.cwComplete) details.push('ConnectWise data was read only in part');
  for (const w of c.warnings) details.push(w);

  if (c.linesRead === 0 || c.linesCompared === 0) {
    return {
      status: 'empty',
      headline:
        c.linesRead === 0
          ? 'Nothing checked: no invoice lines were loaded. Capture the month on the Platform first.'
          : 'Nothing compared: none of the loaded lines is synced to ConnectWise.',
      details,
    };
  }
  if (!coverageComplete(c)) {
    return {
      status: 'partial',
      headline: `Partial check: ${openFindings} open finding${openFindings === 1 ? '' : 's'}, and some data was not read.`,
      details,
    };
  }
  if (openFindings > 0) {
    return { status: 'issues', headline: `${openFindings} open finding${openFindings === 1 ? '' : 's'}.`, details };
  }
  return { status: 'clean', headline: `All ${c.linesCompared} compared lines agree with ConnectWise.`, details };
}
