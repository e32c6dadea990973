import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { toMinor } from '../../../core/money';
import type { MoneyView } from '../../../core/money/view';
import type { Report } from '../../../core/model';
import { reconcile } from '../../../core/reconcile';
import { renderReport } from '../../../core/report';
import { generateScenario } from '../../generator';
import { agreement, MANAGED, oneTimeAddition, oneTimeLine, run, subAddition, subLine } from './world';

// The money view: Platform revenue vs what ConnectWise bills, per month and agreement.

const money = (r: Report) => (r as { money?: MoneyView }).money!;
const row = (r: Report, month: string, agreementId = 100) => money(r).rows.find((x) => x.month === month && x.agreementId === agreementId);

describe('money view', () => {
  it('a consistent month has no gap; earlier subscription months count as billed', () => {
    const r = run([subLine('2026-10'), subLine('2026-11'), oneTimeLine()], [subAddition(), oneTimeAddition()]);
    expect(money(r).rows.map((x) => [x.month, x.platform, x.connectwise, x.difference])).toEqual([
      ['2026-10', 150, 150, 0],
      ['2026-11', 210, 210, 0],
    ]);
    expect(money(r).totals).toEqual({ EUR: { platform: 360, connectwise: 360, difference: 0, explained: 0, residual: 0 } });
  });
  it('explains a quantity gap by the finding’s value', () => {
    const r = run([subLine('2026-11')], [subAddition({ quantity: 12 })]);
    expect(row(r, '2026-11')).toMatchObject({ platform: 150, connectwise: 180, difference: -30, explained: -30, residual: 0, findings: [{ kind: 'quantity_mismatch', amount: -30 }] });
  });
  it('bills quantity less included; the less_included finding explains the units it holds back', () => {
    const r = run([subLine('2026-11')], [subAddition({ quantity: 12, lessIncluded: 1 })]);
    expect(row(r, '2026-11')).toMatchObject({ connectwise: 165, difference: -15, explained: -15, residual: 0 });
    expect(row(r, '2026-11')!.findings.map((f) => [f.kind, f.amount])).toEqual([
      ['quantity_mismatch', -30],
      ['less_included', 15],
    ]);
  });
  it('explains missing, duplicate and orphan Additions, negative corrections included', () => {
    const correction = oneTimeLine({ chargeType: 'Correction', quantity: 1, revenue: -20 });
    const corrected = oneTimeAddition({ quantity: 1, unitPrice: -20, description: 'Correction' });
    const orphan = subAddition({ id: 900, product: { identifier: 'MAIL-SEC' }, quantity: 3, unitPrice: 2.005, invoiceDescription: 'Mail - Cycle Fee' });
    const r = run([subLine('2026-11'), correction], [corrected, { ...corrected, id: 601 }, orphan]);
    const nov = row(r, '2026-11')!;
    expect(nov.findings.map((f) => [f.kind, f.amount])).toEqual([
      ['missing_addition', 150],
      ['duplicate_addition', 20],
      ['orphan_addition', -6.02],
    ]);
    expect(nov.residual).toBe(0);
  });
  it('bills one-time Additions in the month they start, without prorating', () => {
    const r = run([oneTimeLine({ chargeStartDate: '2026-11-29', chargeEndDate: '2026-11-30' })], [oneTimeAddition({ effectiveDate: '2026-11-29' })]);
    expect(row(r, '2026-11')).toMatchObject({ platform: 60, connectwise: 60 });
  });
  it('rounds per currency: yen without decimals', () => {
    const line = oneTimeLine({ currency: 'JPY', quantity: 3, revenue: 1000 });
    const r = run([line], [oneTimeAddition({ quantity: 3, unitPrice: 333.4 })], { agreements: [agreement({ currency: { currencyCode: 'JPY' } }), MANAGED] });
    expect(row(r, '2026-11')).toMatchObject({ currency: 'JPY', platform: 1000, connectwise: 1000, difference: 0 });
  });
  it('a not-billable agreement bills nothing, and the finding says how much', () => {
    const r = run([subLine('2026-11')], [subAddition()], { agreements: [agreement({ billProducts: 'DoNotBill' }), MANAGED] });
    expect(row(r, '2026-11')).toMatchObject({ connectwise: 0, difference: 150, explained: 150, findings: [{ kind: 'agreement_not_billable', amount: 150 }] });
  });

  it('explained + residual = difference to the cent for every company, in every generated month', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 2 ** 31 - 1 }), fc.constantFrom<'all' | 'none'>('all', 'none'), (seed, faults) => {
        const s = generateScenario({ seed, faults, organizations: 6 });
        const r = reconcile({ lines: s.lines, bundle: s.bundle, config: s.config, now: new Date(0) });
        const byCompany = new Map<string, [number, number, number]>();
        for (const x of money(r).rows) {
          const key = `${x.companyId} ${x.currency}`;
          const [d, e, res] = byCompany.get(key) ?? [0, 0, 0];
          byCompany.set(key, [d + toMinor(x.difference, x.currency), e + toMinor(x.explained, x.currency), res + toMinor(x.residual, x.currency)]);
          expect(x.findings.reduce((sum, f) => sum + toMinor(f.amount, x.currency), 0)).toBe(toMinor(x.explained, x.currency));
        }
        for (const [d, e, res] of byCompany.values()) expect(e + res).toBe(d);
        // Planted gaps are explained in full: only currency mismatches leave a residual.
        const currencyRows = new Set(r.findings.filter((f) => f.kind === 'currency_mismatch').map((f) => f.agreementId));
        expect(money(r).rows.filter((x) => x.residual !== 0 && !currencyRows.has(x.agreementId))).toEqual([]);
        if (faults === 'none') expect(money(r).rows.every((x) => x.difference === 0)).toBe(true);
      }),
      { numRuns: 40 },
    );
  });

  it('appears in the json and text reports', () => {
    const r = run([subLine('2026-11')], [subAddition({ quantity: 11 })]);
    expect(JSON.parse(renderReport(r, 'json')).money.rows).toHaveLength(1);
    expect(renderReport(r, 'text')).toMatch(/Money[\s\S]*EUR: Platform 150, ConnectWise 165, difference -15 = explained -15 \+ residual 0[\s\S]*-15 quantity_mismatch/);
  });
});
