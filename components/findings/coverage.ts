import { coverageComplete, type Coverage } from '../../core/model';

/** `notSynced` → `not synced`: the engine's reason keys, said as words. */
function reasonWords(reason: string): string {
  return reason.replace(/([a-z])([A-Z])/g, '$1 $2').replace(/[_-]+/g, ' ').toLowerCase();
}

export type CoverageStatus = 'empty' | 'partial' | 'issues' | 'clean';

export interface ReadGapView {
  /** `Agreement "Managed Services" (#3018) of Kestrel Inc` */
  label: string;
  state: 'partial' | 'unread';
  /** The lines it left unverified. */
  lineIds: string[];
  fix: string;
}

export interface CoverageVerdict {
  status: CoverageStatus;
  headline: string;
  details: string[];
  /** DESIGN §3.5: agreements not read whole, with the lines they left unverified and what to do. */
  gaps: ReadGapView[];
}

/** The coverage's unread and partly read agreements, each with its unverified lines. */
export function readGaps(c: Coverage): ReadGapView[] {
  const keyOf = (x: { agreementId?: number; companyId?: number; company?: string; agreement?: string }) =>
    x.agreementId !== undefined ? `#${x.agreementId}` : `${x.companyId ?? x.company ?? ''}|${x.agreement ?? ''}`;
  const lines = new Map<string, string[]>();
  for (const u of c.unverified ?? []) lines.set(keyOf(u), [...(lines.get(keyOf(u)) ?? []), u.lineId]);
  return (c.agreementsNotRead ?? []).map((g) => ({
    label:
      g.agreementId !== undefined
        ? `Agreement "${g.agreement ?? ''}" (#${g.agreementId})${g.company ? ` of ${g.company}` : ''}`
        : `${g.agreement ? `Agreement "${g.agreement}"` : 'The agreements'} of ${g.company ?? 'an unknown company'} (not in the data)`,
    state: g.state,
    lineIds: lines.get(keyOf(g)) ?? [],
    fix: g.fix,
  }));
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
  const unverified = c.unverified?.length ?? 0;
  if (unverified) details.push(`${unverified} line${unverified === 1 ? '' : 's'} unverified: an agreement that could hold ${unverified === 1 ? 'its' : 'their'} Addition was not read`);
  for (const w of c.warnings) details.push(w);
  const gaps = readGaps(c);

  if (c.linesRead === 0 || c.linesCompared === 0) {
    return {
      status: 'empty',
      headline:
        c.linesRead === 0
          ? 'Nothing checked: no invoice lines were loaded. Capture the month on the Platform first.'
          : 'Nothing compared: none of the loaded lines is synced to ConnectWise.',
      details,
      gaps,
    };
  }
  if (!coverageComplete(c)) {
    return {
      status: 'partial',
      headline: `Partial check: ${openFindings} open finding${openFindings === 1 ? '' : 's'}, and some data was not read${unverified ? ` (${unverified} line${unverified === 1 ? '' : 's'} unverified)` : ''}.`,
      details,
      gaps,
    };
  }
  if (openFindings > 0) {
    return { status: 'issues', headline: `${openFindings} open finding${openFindings === 1 ? '' : 's'}.`, details, gaps };
  }
  return { status: 'clean', headline: `All ${c.linesCompared} compared lines agree with ConnectWise.`, details, gaps };
}
