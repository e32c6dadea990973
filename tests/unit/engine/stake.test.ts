import { describe, expect, it } from 'vitest';
import type { CwAddition, Finding, PlatformLine } from '../../../core/model';
import { stakeOf, sumStakes } from '../../../core/money/stake';
import { renderReport } from '../../../core/report';
import { workedMonth } from '../worked-month';

const line = (over: Partial<PlatformLine>): PlatformLine => ({
  lineId: 'L1',
  invoiceDate: '2026-11-01',
  organization: 'Acme',
  chargeType: 'Monthly Fee',
  chargeStartDate: '2026-11-01',
  quantity: 4,
  revenue: 40,
  currency: 'EUR',
  excluded: false,
  ...over,
});
const addition = (over: Partial<CwAddition>): CwAddition =>
  ({ id: 7, agreementId: 3, product: { identifier: 'P' }, quantity: 5, unitPrice: 10, lessIncluded: 0, ...over }) as CwAddition;
const finding = (over: Partial<Finding>): Finding => ({ kind: 'missing_addition', severity: 'error', message: 'm', fix: 'f', ...over });

describe('amount at stake per kind', () => {
  it('a missing Addition puts its lines\u2019 revenue at stake, in their currency', () => {
    const lines = [line({ revenue: 40 }), line({ lineId: 'L0', revenue: 12.5 })];
    expect(stakeOf(finding({ lineId: 'L1' }), { lines })).toEqual({ amount: 52.5, currency: 'EUR' });
  });
  it('a quantity mismatch puts the difference at the line\u2019s unit price at stake', () => {
    const f = finding({ kind: 'quantity_mismatch', field: 'quantity', expected: 4, actual: 6 });
    expect(stakeOf(f, { lines: [line({ quantity: 4, revenue: 40 })] })).toEqual({ amount: 20, currency: 'EUR' });
  });
  it('a unit price mismatch puts the difference times the quantity at stake', () => {
    const f = finding({ kind: 'unit_price_mismatch', field: 'unitPrice', expected: 10, actual: 9.25 });
    expect(stakeOf(f, { lines: [line({ quantity: 4 })] })).toEqual({ amount: 3, currency: 'EUR' });
  });
  it('a duplicate puts the duplicate Addition\u2019s own amount at stake, a credit line its size', () => {
    const dup = finding({ kind: 'duplicate_addition', additionId: 7 });
    expect(stakeOf(dup, { lines: [line({ revenue: 999 })], addition: addition({ quantity: 5, lessIncluded: 1, unitPrice: 10 }) })).toEqual({ amount: 40, currency: 'EUR' });
    expect(stakeOf(finding({}), { lines: [line({ revenue: -380.29, currency: 'gbp' })] })).toEqual({ amount: 380.29, currency: 'GBP' });
  });
  it('an Addition not billed puts its amount at stake; Less Included puts what it leaves out', () => {
    expect(stakeOf(finding({ kind: 'addition_not_billed' }), { lines: [line({})], addition: addition({}) }).amount).toBe(50);
    expect(stakeOf(finding({ kind: 'less_included', severity: 'warn' }), { lines: [line({})], addition: addition({ lessIncluded: 2 }) }).amount).toBe(20);
  });
  it('informational findings and descriptions put nothing at stake; with no line the agreement names the currency', () => {
    expect(stakeOf(finding({ kind: 'orphan_addition', severity: 'info' }), { lines: [], addition: addition({}), agreementCurrency: 'sek' })).toEqual({ amount: 0, currency: 'SEK' });
    expect(stakeOf(finding({ kind: 'description_mismatch', severity: 'warn' }), { lines: [line({})] }).amount).toBe(0);
  });
  it('sums per currency, never across, to the cent', () => {
    expect(sumStakes([{ amount: 0.1, currency: 'EUR' }, { amount: 0.2, currency: 'EUR' }, { amount: 5, currency: 'SEK' }])).toEqual({ EUR: 0.3, SEK: 5 });
  });
});

describe('amount at stake in the worked month', () => {
  const { lines, bundle, report } = workedMonth();
  const byId = new Map(lines.map((l) => [l.lineId, l]));

  it('every finding carries an amount and a currency; info findings carry 0', () => {
    expect(report.findings.length).toBeGreaterThan(0);
    for (const f of report.findings) {
      expect(typeof f.atStake, f.kind).toBe('number');
      expect(f.atStake!, f.kind).toBeGreaterThanOrEqual(0);
      if (f.severity === 'info') expect(f.atStake, f.kind).toBe(0);
    }
  });

  it('a missing Addition carries its line\u2019s revenue; a duplicate its own Addition\u2019s amount', () => {
    const missing = report.findings.filter((f) => f.kind === 'missing_addition');
    expect(missing.length).toBeGreaterThan(0);
    for (const f of missing) {
      const ids = [f.lineId!, ...(f.related?.lineIds ?? [])];
      const revenue = ids.reduce((s, id) => s + byId.get(id)!.revenue, 0);
      expect(f.atStake).toBeCloseTo(Math.abs(revenue), 2);
      expect(f.currency).toBe(byId.get(f.lineId!)!.currency);
    }
    const dups = report.findings.filter((f) => f.kind === 'duplicate_addition');
    expect(dups.length).toBeGreaterThan(0);
    for (const f of dups) {
      const a = bundle.additions.find((x) => x.id === f.additionId)!;
      expect(f.atStake).toBeCloseTo(Math.abs((a.quantity - (a.lessIncluded ?? 0)) * (a.unitPrice ?? 0)), 2);
    }
  });

  it('the JSON and CSV reports carry it', () => {
    const json = JSON.parse(renderReport(report, 'json')) as { findings: Finding[] };
    expect(json.findings.map((f) => f.atStake)).toEqual(report.findings.map((f) => f.atStake));
    const csv = renderReport(report, 'csv').split('\r\n');
    const header = csv[0]!.split(',');
    expect(header).toContain('atStake');
    expect(header).toContain('currency');
  });
});
