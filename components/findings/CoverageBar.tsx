import type { Coverage } from '../../core/model';
import { coverageVerdict } from './coverage';

/** Lines named in full up to this many per agreement; beyond, a count (the report lists them all). */
const SHOWN_LINES = 8;

/**
 * Always on screen with results: what was checked, and never "clean" on empty or partial input.
 * Agreements not read whole are named with the lines they left unverified and what to do.
 */
export function CoverageBar({ coverage, openFindings }: { coverage: Coverage; openFindings: number }) {
  const v = coverageVerdict(coverage, openFindings);
  return (
    <section class={`coverage coverage-${v.status}`} aria-label="Coverage" data-testid="coverage" data-status={v.status}>
      <p class="headline" role="status">{v.headline}</p>
      <ul>
        {v.details.map((d) => (
          <li key={d}>{d}</li>
        ))}
      </ul>
      {v.gaps.length > 0 && (
        <ul class="read-gaps" aria-label="Agreements not read whole" data-testid="read-gaps">
          {v.gaps.map((g) => (
            <li key={g.label} data-testid="read-gap" data-state={g.state}>
              <strong>{g.label}</strong>: {g.state === 'partial' ? 'read only in part' : 'not read'}
              {g.lineIds.length > 0 && (
                <span data-testid="unverified-lines">
                  {' '}
                  — {g.lineIds.length} line{g.lineIds.length === 1 ? '' : 's'} unverified ({g.lineIds.slice(0, SHOWN_LINES).join(', ')}
                  {g.lineIds.length > SHOWN_LINES ? `, +${g.lineIds.length - SHOWN_LINES} more` : ''})
                </span>
              )}
              <div class="fix">{g.fix}</div>
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}
