import { describe, expect, it } from 'vitest';
import { reconcile } from '../../../core/reconcile';
import { chargeTypes } from '../../../core/rules/chargeTypes';
import { resolveConfig } from '../../../core/rules/config';
import { currencyDecimals, roundMoney } from '../../../core/rules/currency';
import { expectedCancelledDate, unitPriceMatches } from '../../../core/rules/expected';
import { ACME, agreement, kinds, MANAGED, oneTimeAddition, oneTimeLine, only, run, subAddition, subLine } from './world';

// DESIGN §3.2–§3.5, rule by rule.

describe('charge types (§3.2)', () => {
  const types = chargeTypes(resolveConfig({ chargeTypeNames: { CycleFee: 'Monthly subscription' } }));

  it('compares names case-, space- and hyphen-insensitively', () => {
    for (const label of ['Cycle Fee', 'CycleFee', 'cycle-fee', 'CYCLE  FEE']) expect(types.baseOf(label)).toBe('CycleFee');
    expect(types.baseOf('One-Time Fee')).toBe('OneTimeFee');
  });
  it('knows custom charge-type names and still the base names', () => {
    expect(types.baseOf('monthly Subscription')).toBe('CycleFee');
    expect(types.labelOf('CycleFee')).toBe('Monthly subscription');
    expect(types.labelOf('Correction')).toBe('Correction');
  });
  it('classes Purchase and Cycle Fees as recurring, the rest one-time, unless configured', () => {
    expect(types.isRecurring('PurchaseFee')).toBe(true);
    expect(types.isRecurring('ItemFee')).toBe(false);
    expect(types.isRecurring(undefined)).toBe(false);
    expect(chargeTypes(resolveConfig({ recurringChargeTypes: ['ItemFee'] })).isRecurring('ItemFee')).toBe(true);
  });
  it('warns about an unknown label and treats its line as one-time', () => {
    const line = oneTimeLine({ chargeType: 'Cancellation fee' });
    const addition = oneTimeAddition({ description: 'Cancellation fee', invoiceDescription: 'Power BI Pro - Cancellation fee' });
    const report = run([line], [addition]);
    expect(report.findings).toEqual([]);
    expect(report.coverage.warnings.join(' ')).toMatch(/"Cancellation fee" matches no charge type/);
  });
  it('expects a renamed recurring type’s custom label on the Addition', () => {
    const nov = subLine('2026-11', { chargeType: 'Monthly subscription', chargeTypeBadge: 'System Updated' });
    const config = { chargeTypeNames: { CycleFee: 'Monthly subscription' } };
    expect(run([nov], [subAddition({ description: 'Monthly subscription', invoiceDescription: 'Visio Plan 2 (Acme #1) - Monthly subscription' })], { config }).findings).toEqual([]);
    expect(kinds(run([nov], [subAddition()], { config }))).toEqual(['description_mismatch']);
  });
  it('syncs a User Correction under the Correction label (custom when renamed)', () => {
    const line = oneTimeLine({ chargeType: 'User Correction', chargeEndDate: '2026-11-20', quantity: 1, revenue: -5 });
    const addition = oneTimeAddition({ quantity: 1, unitPrice: -5, cancelledDate: '2026-11-20', description: 'Credit', invoiceDescription: 'Power BI Pro - Credit' });
    expect(run([line], [addition], { config: { chargeTypeNames: { Correction: 'Credit' } } }).findings).toEqual([]);
    expect(kinds(run([line], [addition]))).toEqual(['description_mismatch']);
  });
});

describe('Cancelled Date (§3.3)', () => {
  const config = resolveConfig();
  const line = (over = {}) => oneTimeLine({ chargeStartDate: '2026-11-10', chargeEndDate: '2026-12-05', ...over });

  it('takes a badged Charge End Date as displayed, whatever the type', () => {
    expect(expectedCancelledDate(line({ chargeEndDateBadge: 'User Updated' }), 'ItemFee', false, config)).toBe('2026-12-05');
    expect(expectedCancelledDate(subLine('2026-11', { chargeEndDateBadge: 'System Updated' }), 'CycleFee', true, config)).toBe('2026-11-30');
  });
  it('defaults: recurring empty, User Correction its Charge End Date, other one-time the end of the start month', () => {
    expect(expectedCancelledDate(line(), 'CycleFee', true, config)).toBeNull();
    expect(expectedCancelledDate(line(), 'UserCorrection', false, config)).toBe('2026-12-05');
    for (const base of ['Correction', 'UsageFee', 'ItemFee', 'OneTimeFee'] as const) {
      expect(expectedCancelledDate(line(), base, false, config)).toBe('2026-11-30');
    }
    expect(expectedCancelledDate(line({ chargeStartDate: '2028-02-03' }), undefined, false, config)).toBe('2028-02-29');
  });
  it('follows cancelledDateDefaults per base type, then "*"', () => {
    const custom = resolveConfig({ cancelledDateDefaults: { ItemFee: 'none', '*': 'chargeEnd' } });
    expect(expectedCancelledDate(line(), 'ItemFee', false, custom)).toBeNull();
    expect(expectedCancelledDate(line(), 'UsageFee', false, custom)).toBe('2026-12-05');
  });
});

describe('Unit Price (§3.3)', () => {
  const expected = (revenue: number, quantity: number) => ({ unitPrice: revenue / quantity, revenueTotal: revenue, quantity });

  it('accepts half a minor unit either way', () => {
    expect(unitPriceMatches(33.33, expected(100, 3), 'EUR')).toBe(true);
    expect(unitPriceMatches(33.335, expected(100, 3), 'EUR')).toBe(true);
    expect(unitPriceMatches(33.34, expected(100, 3), 'EUR')).toBe(false);
  });
  it('accepts a price whose total is within one minor unit of the revenue', () => {
    // Half a seat: 20.01 is a cent off per unit, but half a cent off in total.
    expect(unitPriceMatches(20.01, expected(10, 0.5), 'EUR')).toBe(true);
    expect(unitPriceMatches(20.03, expected(10, 0.5), 'EUR')).toBe(false);
  });
  it('uses the currency’s minor unit: yen and won have none', () => {
    expect(currencyDecimals('JPY')).toBe(0);
    expect(currencyDecimals('krw')).toBe(0);
    expect(currencyDecimals('KWD')).toBe(3);
    expect(currencyDecimals('EUR')).toBe(2);
    expect(currencyDecimals(undefined)).toBe(2);
    expect(unitPriceMatches(333, expected(1000, 3), 'JPY')).toBe(true);
    expect(unitPriceMatches(334, expected(1000, 3), 'JPY')).toBe(false);
    expect(unitPriceMatches(333.4, expected(1000, 3), 'EUR')).toBe(false);
    expect(roundMoney(1.005, 'EUR')).toBe(1.01);
    expect(roundMoney(-2.5, 'JPY')).toBe(-3);
  });
  it('reads Revenue as the unit price with revenue: "unit"', () => {
    const line = subLine('2026-11', { revenue: 15 });
    expect(run([line], [subAddition()], { config: { revenue: 'unit' } }).findings).toEqual([]);
    expect(kinds(run([line], [subAddition()]))).toEqual(['unit_price_mismatch']);
  });
  it('compares yen lines on a yen agreement without decimals', () => {
    const line = oneTimeLine({ currency: 'JPY', quantity: 3, revenue: 1000 });
    const yen = [agreement({ currency: { currencyCode: 'JPY' } }), MANAGED];
    expect(run([line], [oneTimeAddition({ quantity: 3, unitPrice: 333 })], { agreements: yen }).findings).toEqual([]);
  });
});

describe('company and agreement (§3.3)', () => {
  it('finds the company by identifier when no name matches, case-insensitively', () => {
    expect(run([subLine('2026-11', { psaOrganizationName: 'acme10' })], [subAddition()]).findings).toEqual([]);
    expect(run([subLine('2026-11', { psaOrganizationName: 'ACME as' })], [subAddition()]).findings).toEqual([]);
  });
  it('uses the agreement named by PSA Agreement Name', () => {
    const line = subLine('2026-11', { psaAgreementName: 'Managed Services' });
    expect(run([line], [subAddition({ agreementId: 101 })]).findings).toEqual([]);
  });
  it('without a name, takes the default type by agreement type, the latest started by the invoice date', () => {
    const older = agreement({ id: 110, name: 'M365 (2024)', startDate: '2024-01-01T00:00:00Z' });
    const current = agreement({ id: 111, name: 'M365 (2026)', startDate: '2026-06-01T00:00:00Z' });
    const future = agreement({ id: 112, name: 'M365 (2027)', startDate: '2027-01-01T00:00:00Z' });
    const report = run([subLine('2026-11')], [subAddition({ agreementId: 111 })], { agreements: [future, older, current, MANAGED] });
    expect(report.findings).toEqual([]);
    expect(report.matches).toMatchObject([{ agreementId: 111 }]);
  });
  it('without a configured default type, uses the agreement type flagged default', () => {
    const report = run([subLine('2026-11')], [subAddition()], { config: { defaultAgreementType: undefined }, bundle: { agreementTypes: [{ id: 1, name: 'Microsoft 365 Monthly', defaultFlag: true }] } });
    expect(report.findings).toEqual([]);
  });
  it('a company missing from ConnectWise (company list complete): company_not_found, naming its Addition when found elsewhere', () => {
    const line = subLine('2026-11', { psaOrganizationName: 'Nobody Ltd' });
    expect(run([line], []).findings).toMatchObject([{ kind: 'company_not_found', severity: 'error', lineId: line.lineId }]);
    expect(run([line], [subAddition()]).findings).toMatchObject([{ kind: 'company_not_found', additionId: 500 }]);
  });
});

describe('subscriptions (§3.3)', () => {
  it('expects the latest synced line; a Purchase Fee and a Cycle Fee of one day: the Cycle Fee', () => {
    const purchase = subLine('2026-11', { lineId: 'P', chargeType: 'Purchase Fee' });
    const cycle = subLine('2026-11', { lineId: 'C' });
    const report = run([cycle, purchase], [subAddition()]);
    expect(report.findings).toEqual([]);
    expect(report.matches).toEqual([{ lineId: 'C', additionId: 500, agreementId: 100, lineIds: ['C', 'P'] }]);
  });
  it('ignores a later line that is not synced', () => {
    const oct = subLine('2026-10', { lineId: 'OCT' });
    const nov = subLine('2026-11', { lineId: 'NOV', status: 'Not Synced', quantity: 99 });
    const report = run([oct, nov], [subAddition({ effectiveDate: '2026-10-01' })]);
    expect(report.findings).toEqual([]);
    expect(report.matches?.[0]?.lineId).toBe('OCT');
  });
  it('recurringEffectiveDate "earliest" expects the first synced line’s Charge Start Date', () => {
    const lines = [subLine('2026-10'), subLine('2026-11')];
    const addition = subAddition({ effectiveDate: '2026-10-01' });
    expect(run(lines, [addition], { config: { recurringEffectiveDate: 'earliest' } }).findings).toEqual([]);
    expect(kinds(run(lines, [addition]))).toEqual(['effective_date_mismatch']);
  });
  it('without a Subscription column, groups by organization, offer and contract', () => {
    const lines = [subLine('2026-10', { subscription: undefined }), subLine('2026-11', { subscription: undefined })];
    const report = run(lines, [subAddition({ invoiceDescription: 'Visio Plan 2 - Cycle Fee' })]);
    expect(report.findings).toEqual([]);
    expect(report.coverage.linesSkipped).toEqual({ coveredBySubscription: 1 });
  });
  it('tells apart subscriptions sharing a product by the invoice description', () => {
    const one = subLine('2026-11', { lineId: 'ONE', quantity: 10 });
    const two = subLine('2026-11', { lineId: 'TWO', subscription: 'Visio Plan 2 (Acme #2)', quantity: 4, revenue: 60 });
    // Each Addition carries the other's quantity: matching must follow the names, not the numbers.
    const a1 = subAddition({ id: 501, quantity: 4 });
    const a2 = subAddition({ id: 502, quantity: 10, invoiceDescription: 'Visio Plan 2 (Acme #2) - Cycle Fee' });
    const report = run([one, two], [a2, a1]);
    expect(report.matches).toEqual([
      { lineId: 'ONE', additionId: 501, agreementId: 100 },
      { lineId: 'TWO', additionId: 502, agreementId: 100 },
    ]);
    expect(only(report, 'quantity_mismatch').map((f) => f.lineId)).toEqual(['ONE', 'TWO']);
  });
  it('does not find "#1" inside "#10"', () => {
    const one = subLine('2026-11', { lineId: 'ONE', quantity: 10 });
    const ten = subLine('2026-11', { lineId: 'TEN', subscription: 'Visio Plan 2 (Acme #10)', quantity: 4, revenue: 60 });
    const a1 = subAddition({ id: 501, quantity: 4 });
    const a10 = subAddition({ id: 502, quantity: 10, invoiceDescription: 'Visio Plan 2 (Acme #10) - Cycle Fee' });
    const report = run([one, ten], [a10, a1]);
    expect(report.matches?.map((m) => [m.lineId, m.additionId])).toEqual([
      ['ONE', 501],
      ['TEN', 502],
    ]);
  });
});

describe('lines compared (§3.4)', () => {
  it('without a status column every line counts as synced', () => {
    const report = run([subLine('2026-11', { status: undefined })], []);
    expect(kinds(report)).toEqual(['missing_addition']);
  });
  it('counts every line read under compared or a skip reason', () => {
    const lines = [subLine('2026-10'), subLine('2026-11'), oneTimeLine({ status: 'Not Synced' }), oneTimeLine({ excluded: true }), oneTimeLine({ status: 'Response Error' })];
    const { coverage } = run(lines, [subAddition()]);
    expect(coverage.linesRead).toBe(5);
    expect(coverage.linesCompared + Object.values(coverage.linesSkipped).reduce((a, b) => a + b, 0)).toBe(5);
  });
  it('lists skipped rows and counts them as invalid', () => {
    const skipped = [{ file: 'lines.csv', row: 4, column: 'Quantity', value: 'x', message: 'not a number' }];
    const report = run([], [], {});
    expect(report.coverage.warnings[0]).toMatch(/No Platform invoice lines/);
    const withSkipped = runWithSkipped(skipped);
    expect(withSkipped.coverage).toMatchObject({ linesRead: 2, linesSkipped: { invalid: 1 }, skippedRows: skipped });
  });
});

function runWithSkipped(skippedRows: { file: string; row: number; column: string; value: string; message: string }[]) {
  return reconcile({
    lines: [subLine('2026-11')],
    bundle: { companies: [ACME], agreements: [agreement()], additions: [subAddition()] },
    config: { defaultAgreementType: 'Microsoft 365 Monthly' },
    skippedRows,
    now: new Date('2026-12-01T00:00:00Z'),
  });
}

describe('scope of CW data (§3.5)', () => {
  it('spans the loaded invoice months', () => {
    expect(run([subLine('2026-10'), subLine('2026-11')], []).window).toEqual({ from: '2026-10-01', to: '2026-11-30' });
    expect(run([], []).window).toEqual({ from: null, to: null });
  });
  it('never matches or reports an Addition starting after the window', () => {
    const late = subAddition({ id: 501, effectiveDate: '2026-12-01' });
    const report = run([subLine('2026-11')], [late]);
    expect(kinds(report)).toEqual(['missing_addition']);
    expect(report.coverage.additionsInScope).toBe(0);
  });
  it('an open subscription whose only Addition was cancelled before the window: clear its Cancelled Date, not missing', () => {
    const late = subAddition({ id: 501, effectiveDate: '2026-12-01' });
    const early = subAddition({ id: 502, effectiveDate: '2026-01-01', cancelledDate: '2026-09-30' });
    const report = run([subLine('2026-11')], [late, early]);
    expect(report.findings).toMatchObject([{ kind: 'cancelled_date_mismatch', additionId: 502, expected: null, actual: '2026-09-30' }]);
    expect(report.findings[0]!.fix).toMatch(/clear the Cancelled Date/);
    expect(report.coverage.additionsInScope).toBe(0);
  });
  it('near miss: a one-time line is never paired with an Addition cancelled before the window', () => {
    const early = oneTimeAddition({ id: 503, effectiveDate: '2026-09-10', cancelledDate: '2026-09-30' });
    expect(kinds(run([oneTimeLine()], [early]))).toEqual(['missing_addition']);
  });
  it('keeps an Addition cancelled on the window’s first day', () => {
    const edge = subAddition({ effectiveDate: '2026-01-01', cancelledDate: '2026-10-01' });
    expect(run([subLine('2026-10'), oneTimeLine()], [edge, oneTimeAddition()]).coverage.additionsInScope).toBe(2);
  });
});

describe('partial ConnectWise data', () => {
  it('complete: false reports nothing missing or orphaned and says so', () => {
    const orphan = subAddition({ id: 900, product: { identifier: 'MAIL-SEC' } });
    const report = run([subLine('2026-11'), oneTimeLine()], [orphan], { bundle: { complete: false } });
    expect(report.findings).toEqual([]);
    expect(report.coverage.cwComplete).toBe(false);
    expect(report.coverage.warnings.join(' ')).toMatch(/partial/);
  });
  it('incompleteAgreementIds: a line without an Addition is unverified, naming the agreement cut short; orphans only on read ones', () => {
    const beta = { id: 20, identifier: 'BETA20', name: 'Beta AB' };
    const betaAgreement = agreement({ id: 200, company: { id: beta.id, name: beta.name } });
    const acmeLine = subLine('2026-11', { psaAgreementName: 'Managed Services' });
    const betaLine = oneTimeLine({ psaOrganizationName: 'Beta AB' });
    const betaOrphan = oneTimeAddition({ id: 901, agreementId: 200, product: { identifier: 'MAIL-SEC' } });
    const acmeOrphan = oneTimeAddition({ id: 902, agreementId: 100, product: { identifier: 'MAIL-SEC' } });
    const report = run([acmeLine, betaLine], [betaOrphan, acmeOrphan], {
      companies: [ACME, beta],
      agreements: [agreement(), MANAGED, betaAgreement],
      bundle: { complete: false, incompleteAgreementIds: [100] },
    });
    // Acme's line expects #101, but a wrong_agreement could sit on #100, which was cut short; and
    // the matcher finds a misplaced Addition on any agreement, so Beta's line waits for #100 too.
    expect(report.findings.map((f) => [f.kind, f.additionId])).toEqual([['orphan_addition', 901]]);
    expect(report.coverage.unverified).toMatchObject([
      { lineId: betaLine.lineId, agreementId: 100, state: 'partial' },
      { lineId: acmeLine.lineId, agreementId: 100, state: 'partial' },
    ].sort((a, b) => (a.lineId < b.lineId ? -1 : 1)));
    expect(report.coverage.agreementsNotRead).toMatchObject([{ agreementId: 100, state: 'partial', lines: 2 }]);
    expect(report.coverage.cwComplete).toBe(false);
  });
  it('still reports field differences on what was read', () => {
    expect(kinds(run([subLine('2026-11')], [subAddition({ quantity: 1 })], { bundle: { complete: false } }))).toEqual(['quantity_mismatch']);
  });
});

describe('line reference field (§3.6, §3.7)', () => {
  it('matches by the Addition custom field before anything else', () => {
    const line = oneTimeLine({ lineId: 'REF-1' });
    const addition = oneTimeAddition({ effectiveDate: '2026-11-20', quantity: 7, unitPrice: 31, customFields: [{ id: 1, caption: 'Platform Line', value: 'REF-1' }] });
    const report = run([line], [addition], { config: { lineRefField: 'platform line' } });
    expect(report.matches).toEqual([{ lineId: 'REF-1', additionId: 600, agreementId: 100 }]);
    expect(kinds(report)).toEqual(['effective_date_mismatch', 'quantity_mismatch', 'unit_price_mismatch']);
    // Without the field the two are too different to be the same Addition.
    expect(kinds(run([line], [addition]))).toEqual(['missing_addition', 'orphan_addition']);
  });
  it('a referenced Addition on another agreement is a wrong agreement', () => {
    const line = oneTimeLine({ lineId: 'REF-2' });
    const addition = oneTimeAddition({ agreementId: 101, quantity: 9, customFields: [{ caption: 'Platform Line', value: 'REF-2' }] });
    expect(run([line], [addition], { config: { lineRefField: 'Platform Line' } }).findings).toMatchObject([{ kind: 'wrong_agreement', additionId: 600 }]);
  });
});
