import type { Coverage } from '../../core/model';
import { coverageVerdict } from './coverage';

/** Always on screen with results: what was checked, and never "clean" on empty or partial input. */
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
    </section>
  );
}
