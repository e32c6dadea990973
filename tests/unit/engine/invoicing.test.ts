import { describe, expect, it } from 'vitest';
import { invoicingReadiness } from '../../../core/invoicing';
import { renderReadiness } from '../../../core/invoicing/render';
import type { CwAddition, CwAgreement } from '../../../core/model';
import { fromMinor, toMinor, totalsByCurrency } from '../../../core/money';
import { ACME, agreement, MANAGED, oneTimeAddition, subAddition, subLine } from './world';

// Agreement Invoicing readiness and the money arithmetic under it.

const readiness = (agreements: CwAgreement[], additions: CwAddition[], lines = [subLine('2026-11')], extra = {}) =>
  invoicingReadiness({
    lines,
    bundle: { companies: [ACME], agreements, additions, ...extra },
    config: { defaultAgreementType: 'Microsoft 365 Monthly' },
    thruDate: '2026-11-30',
  });

describe('money arithmetic', () => {
  it('rounds to the currency’s minor unit, half away from zero, negatives included', () => {
    expect(toMinor(1.005, 'EUR')).toBe(101);
    expect(toMinor(-1.005, 'EUR')).toBe(-101);
    expect(toMinor(2.5, 'JPY')).toBe(3);
    expect(toMinor(1.0005, 'KWD')).toBe(1001);
    expect(fromMinor(-12345, 'EUR')).toBe(-123.45);
    expect(fromMinor(12345, 'JPY')).toBe(12345);
  });
  it('totals per currency, never across currencies, exact to the cent', () => {
    const rows = [
      { c: 'EUR', v: 0.1 },
      { c: 'EUR', v: 0.2 },
      { c: 'JPY', v: 100 },
      { c: 'EUR', v: -0.05 },
    ];
    expect(totalsByCurrency(rows, (r) => r.c, (r) => toMinor(r.v, r.c))).toEqual({ EUR: 0.25, JPY: 100 });
  });
});

describe('invoicingReadiness', () => {
  it('lists an agreement with billable Additions as ready, to invoice manually, with its amount', () => {
    const r = readiness([agreement(), MANAGED], [subAddition(), oneTimeAddition({ quantity: 2, unitPrice: -30.005 })]);
    expect(r.agreements).toHaveLength(1);
    expect(r.agreements[0]).toMatchObject({ agreementId: 100, ready: true, invoicing: 'manual', additionsToBill: 2, amount: 89.99, blockers: [] });
    expect(r.totals).toEqual({ EUR: 89.99 });
    expect(renderReadiness(r, 'text')).toMatch(/Agreement Invoicing steps[\s\S]*Finance → Invoicing/);
  });
  it('subtracts included quantity', () => {
    const r = readiness([agreement(), MANAGED], [subAddition({ quantity: 10, lessIncluded: 4 })]);
    expect(r.agreements[0]!.amount).toBe(90);
  });
  it('invoices automatically when the agreement or its type says so', () => {
    expect(readiness([agreement({ autoInvoiceFlag: true })], [subAddition()]).agreements[0]!.invoicing).toBe('automatic');
    const byType = readiness([agreement()], [subAddition()], undefined, { agreementTypes: [{ id: 1, name: 'Microsoft 365 Monthly', autoInvoiceFlag: true }] });
    expect(byType.agreements[0]!.invoicing).toBe('automatic');
    expect(readiness([agreement({ autoInvoiceFlag: false })], [subAddition()], undefined, { agreementTypes: [{ id: 1, name: 'x', autoInvoiceFlag: true }] }).agreements[0]!.invoicing).toBe('manual');
  });
  it('names each blocker', () => {
    const codes = (a: CwAgreement, additions = [subAddition()]) => readiness([a], additions).agreements[0]!.blockers.map((b) => b.code);
    expect(codes(agreement({ agreementStatus: 'Cancelled' }))).toEqual(['not_active']);
    expect(codes(agreement({ billProducts: 'DoNotBill' }))).toEqual(['not_billable']);
    expect(codes(agreement({ currency: { currencyCode: 'USD' } }))).toEqual(['currency_differs']);
    expect(codes(agreement(), [])).toEqual(['no_billable_additions']);
    expect(codes(agreement(), [subAddition({ billCustomer: 'DoNotBill' })])).toEqual(['no_billable_additions']);
    expect(codes(agreement(), [subAddition({ cancelledDate: '2026-10-31' })])).toEqual(['no_billable_additions']);
    expect(codes(agreement(), [subAddition({ effectiveDate: '2026-12-01' })])).toEqual(['no_billable_additions']);
  });
  it('leaves blocked agreements out of the totals', () => {
    const r = readiness([agreement({ agreementStatus: 'Inactive' }), MANAGED], [subAddition(), subAddition({ id: 501, agreementId: 101 })]);
    expect(r.agreements.map((a) => [a.agreementId, a.ready])).toEqual([
      [100, false],
      [101, true],
    ]);
    expect(r.totals).toEqual({ EUR: 150 });
  });
  it('renders csv with one row per agreement', () => {
    const csv = renderReadiness(readiness([agreement(), MANAGED], [subAddition(), subAddition({ id: 501, agreementId: 101 })]), 'csv');
    expect(csv.trim().split('\r\n')).toHaveLength(3);
  });
});
