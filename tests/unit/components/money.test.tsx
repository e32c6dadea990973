// @vitest-environment happy-dom
import { afterEach, describe, expect, it } from 'vitest';
import type { MoneyRow } from '../../../core/money/view';
import { MoneyPanel } from '../../../components/panel/MoneyPanel';
import { formatMoney, moneyOf, sortMoneyRows } from '../../../components/panel/money';
import { generateScenario } from '../../generator';
import { reconcile } from '../../../core/reconcile';
import { seriousViolations } from './axe';
import { makeRun } from './fixtures';
import { click, mount, q, qa } from './render';

let cleanup: (() => void) | undefined;
afterEach(() => {
  cleanup?.();
  cleanup = undefined;
});

function row(p: Partial<MoneyRow>): MoneyRow {
  return { month: '2026-11', companyId: 1, agreementId: 1, currency: 'EUR', platform: 0, connectwise: 0, difference: 0, explained: 0, residual: 0, findings: [], ...p };
}

describe('money view helpers', () => {
  it('sorts the largest gap first, whatever its sign, then by name', () => {
    const rows = [row({ companyId: 1, difference: 5 }), row({ companyId: 2, difference: -40 }), row({ companyId: 3, difference: 12 })];
    const names: Record<number, string> = { 1: 'Beta', 2: 'Alpha', 3: 'Gamma' };
    expect(sortMoneyRows(rows, 'gap', (id) => names[id]!).map((r) => r.difference)).toEqual([-40, 12, 5]);
    expect(sortMoneyRows(rows, 'company', (id) => names[id]!).map((r) => r.companyId)).toEqual([2, 1, 3]);
  });
  it('formats in the row’s own currency', () => {
    expect(formatMoney(1234.5, 'EUR')).toContain('EUR');
    expect(formatMoney(1234.5, 'EUR')).toContain('1,234.50');
    expect(formatMoney(3, 'XX1')).toBe('3.00 XX1');
  });
  it('finds no money section in a report without one', () => {
    expect(moneyOf(makeRun(3))).toBeNull();
  });
});

describe('money view', () => {
  it('shows totals per currency and rows largest gap first, from a real run', async () => {
    const s = generateScenario({ seed: 5, faults: 'all' });
    const report = reconcile({ lines: s.lines, bundle: s.bundle, config: s.config, now: new Date('2026-12-01T00:00:00Z') });
    const money = moneyOf({ report });
    expect(money).not.toBeNull();
    const view = mount(<MoneyPanel run={{ id: 'r', createdAt: 'x', report }} />);
    cleanup = view.unmount;
    const root = view.container;
    const currencies = [...root.querySelectorAll('[data-testid="money-totals"] tbody tr')].map((r) => r.getAttribute('data-currency'));
    expect(currencies).toEqual(Object.keys(money!.totals).sort());
    const gaps = qa(root, 'money-row').map((r) => Math.abs(Number(r.getAttribute('data-gap'))));
    expect(gaps).toHaveLength(money!.rows.length);
    expect(gaps).toEqual([...gaps].sort((a, b) => b - a));
    await click(q(root, 'money-sort-month'));
    expect(q(root, 'money-sort-month')?.getAttribute('aria-pressed')).toBe('true');
    expect(await seriousViolations(root)).toEqual([]);
  });

  it('says what to do when the run has no money section', () => {
    const view = mount(<MoneyPanel run={makeRun(2)} />);
    cleanup = view.unmount;
    expect(q(view.container, 'money-empty')?.textContent).toContain('Reconcile again');
  });
});

describe('amounts in tables', () => {
  it('drop the code but keep sign, grouping and the currency’s decimals', async () => {
    const { formatAmount } = await import('../../../components/panel/money');
    expect(formatAmount(-23989.35, 'SEK')).toBe('-23,989.35');
    expect(formatAmount(1704333, 'JPY')).toBe('1,704,333');
  });
});
