// @vitest-environment happy-dom
/**
 * The panel's money rows name the finding that explains each gap in its own words, and for a
 * line's Addition sitting elsewhere, which Addition it is.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { MoneyPanel } from '../../../components/panel/MoneyPanel';
import { contributionSubject } from '../../../components/panel/money';
import { oneTimeAddition, oneTimeLine, run } from '../engine/world';
import { mount, qa } from './render';

let cleanup: (() => void) | undefined;
afterEach(() => {
  cleanup?.();
  cleanup = undefined;
});

describe('money rows of lines whose company or agreement ConnectWise lacks', () => {
  it.each([
    ['agreement', { psaAgreementName: 'No Such Agreement' }, 'Agreement not found'],
    ['company', { psaOrganizationName: 'Nobody AS' }, 'Company not found'],
  ] as const)('a line naming an unknown %s: the row says so, with the line and the Addition', (_what, over, label) => {
    const report = run([oneTimeLine({ lineId: 'L1', ...over })], [oneTimeAddition({ id: 500 })]);
    const view = mount(<MoneyPanel run={{ id: 'r', createdAt: 'x', report }} />);
    cleanup = view.unmount;
    const text = qa(view.container, 'money-row').map((r) => r.textContent ?? '').join('\n');
    expect(text).toContain(`${label} (line L1, Addition 500)`);
    expect(text).not.toContain('On the wrong Agreement');
    expect(text).not.toMatch(/missing/i);
  });

  it('names what each contribution is about', () => {
    expect(contributionSubject({ lineId: 'L1', additionId: 5 })).toBe('(line L1, Addition 5)');
    expect(contributionSubject({ lineId: 'L1' })).toBe('(line L1)');
    expect(contributionSubject({ additionId: 5 })).toBe('(Addition 5)');
    expect(contributionSubject({})).toBe('');
  });
});
