// @vitest-environment happy-dom
/**
 * The panel shows DESIGN §3.5's read state: a run over the worked month whose pull failed on
 * agreement 3018 names 3018 in the coverage bar with the lines it left unverified and what to do,
 * and the money view says its amounts leave that agreement out.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { CoverageBar } from '../../../components/findings/CoverageBar';
import { coverageVerdict } from '../../../components/findings/coverage';
import { MoneyPanel } from '../../../components/panel/MoneyPanel';
import { reconcile } from '../../../core/reconcile';
import { mergeSources } from '../../../core/sources';
import { seriousViolations } from './axe';
import { mount, q, qa } from './render';
import { workedMonth } from '../worked-month';

const { config, lines, bundle: full } = workedMonth();
const pulled = { ...full, additions: full.additions.filter((a) => a.agreementId !== 3018), complete: false, incompleteAgreementIds: [3018] };
const report = reconcile({ lines, bundle: mergeSources([{ kind: 'api', bundle: pulled }]).bundle, config, now: new Date('2026-12-01T00:00:00Z') });

let cleanup: (() => void) | undefined;
afterEach(() => {
  cleanup?.();
  cleanup = undefined;
});

describe('read state in the panel', () => {
  it('the coverage bar names the agreement read in part, its unverified lines and the fix, and is never clean', async () => {
    expect(coverageVerdict(report.coverage, 0).status).toBe('partial');
    const view = mount(<CoverageBar coverage={report.coverage} openFindings={report.findings.length} />);
    cleanup = view.unmount;
    const gaps = qa(view.container, 'read-gap');
    expect(gaps).toHaveLength(1);
    expect(gaps[0]!.getAttribute('data-state')).toBe('partial');
    expect(gaps[0]!.textContent).toMatch(/Managed Services" \(#3018\) of Kestrel Inc: read only in part/);
    expect(gaps[0]!.textContent).toContain('L00044');
    expect(gaps[0]!.textContent).toMatch(/capture its Additions tab.*pull again/);
    expect(q(view.container, 'coverage')?.querySelector('.headline')?.textContent).toMatch(/unverified/);
    expect(await seriousViolations(view.container)).toEqual([]);
  });

  it('the money view says which agreements its amounts leave out, and how much is unverified', () => {
    const view = mount(<MoneyPanel run={{ id: 'r', createdAt: 'x', report }} />);
    cleanup = view.unmount;
    const notice = q(view.container, 'money-unread');
    expect(notice?.textContent).toMatch(/Managed Services \(#3018\): read only in part/);
    expect(notice?.textContent).toMatch(/\d+ lines? (is|are) unverified/);
    expect(qa(view.container, 'money-row-unverified').length).toBeGreaterThan(0);
  });

  it('a complete run shows no read gaps', () => {
    const whole = reconcile({ lines, bundle: full, config, now: new Date('2026-12-01T00:00:00Z') });
    const view = mount(<CoverageBar coverage={whole.coverage} openFindings={whole.findings.length} />);
    cleanup = view.unmount;
    expect(qa(view.container, 'read-gap')).toEqual([]);
    expect(mount(<MoneyPanel run={{ id: 'r', createdAt: 'x', report: whole }} />).container.querySelector('[data-testid="money-unread"]')).toBeNull();
  });
});
