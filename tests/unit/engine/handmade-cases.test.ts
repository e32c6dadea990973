/**
 * Hand-made cases of the kind real partners produce and a scenario generator does not: each test
 * is one situation from the field, on the tiny Acme month of `world.ts`, and says what DESIGN
 * §3.3–§3.6 makes of it.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { readConfigFile } from '../../../bin/config';
import { verdictsForAgreement } from '../../../core/app/verdicts';
import { parseLinesCsv } from '../../../core/ingest';
import { ReconcileConfig, type CwAddition, type Finding, type Report } from '../../../core/model';
import { renderText } from '../../../core/report/text';
import { coverageVerdict } from '../../../components/findings/coverage';
import { ACME, MANAGED, agreement, kinds, oneTimeAddition, oneTimeLine, run, subAddition, subLine } from './world';

const keys = (report: Report) => report.findings.map((f) => `${f.kind} ${f.lineId ?? f.additionId ?? f.agreementId ?? f.organization}`);
const ref = (lineId: string) => [{ id: 7, caption: 'Platform Line', type: 'Text', value: lineId }];
const money = (report: Report) => (report as unknown as { money: { rows: { residual: number; findings: { kind: string }[] }[] } }).money;

describe('matching (DESIGN §3.6)', () => {
  it('1. two identical Additions carrying the same line reference: the second is a duplicate, not an orphan', () => {
    const line = oneTimeLine({ lineId: 'L2' });
    const a = oneTimeAddition({ id: 50003, customFields: ref('L2') });
    const b = oneTimeAddition({ id: 50004, customFields: ref('L2') });
    const report = run([line], [b, a], { config: { lineRefField: 'Platform Line' } });
    expect(keys(report)).toEqual(['duplicate_addition 50004']);
    expect(report.findings[0]!.severity).toBe('error');
    expect(report.matches).toMatchObject([{ lineId: 'L2', additionId: 50003 }]);
  });

  it('2. a duplicate is decided only after every line had its chance: L2 takes 50002 with a quantity finding', () => {
    const l1 = oneTimeLine({ lineId: 'L1', quantity: 1, revenue: 10 });
    const l2 = oneTimeLine({ lineId: 'L2', quantity: 2, revenue: 40 });
    const a1 = oneTimeAddition({ id: 50001, quantity: 1, unitPrice: 10 });
    const a2 = oneTimeAddition({ id: 50002, quantity: 1, unitPrice: 20 });
    const report = run([l1, l2], [a2, a1]);
    expect(keys(report)).toEqual(['quantity_mismatch L2']);
    expect(report.findings[0]).toMatchObject({ additionId: 50002, expected: 2, actual: 1 });
    expect(report.matches?.map((m) => `${m.lineId}=${m.additionId}`)).toEqual(['L1=50001', 'L2=50002']);
  });

  it.each([64, 65, 80, 300])('3. %i one-time lines of one product with distinct prices, each Addition off in quantity only: one quantity finding each', (n) => {
    const lines = [];
    const additions: CwAddition[] = [];
    for (let i = 0; i < n; i++) {
      const unit = 10 + i * 1.5;
      lines.push(oneTimeLine({ lineId: `L${String(i).padStart(4, '0')}`, quantity: 1, revenue: unit }));
      additions.push(oneTimeAddition({ id: 70000 + ((i * 7919) % n), quantity: 11, unitPrice: unit }));
    }
    const report = run(lines, additions);
    expect(report.findings.every((f) => f.kind === 'quantity_mismatch')).toBe(true);
    expect(report.findings).toHaveLength(n);
    for (const m of report.matches ?? []) {
      const i = Number(m.lineId.slice(1));
      expect(m.additionId).toBe(70000 + ((i * 7919) % n));
    }
  });

  it('3. near miss: the same group with every Addition right gives no finding at all', () => {
    const lines = [];
    const additions: CwAddition[] = [];
    for (let i = 0; i < 100; i++) {
      lines.push(oneTimeLine({ lineId: `L${i}`, quantity: 1, revenue: 10 + i }));
      additions.push(oneTimeAddition({ id: 80000 + i, quantity: 1, unitPrice: 10 + i }));
    }
    expect(run(lines, additions.reverse()).findings).toEqual([]);
  });
});

describe('renderings never call partial input clean', () => {
  it('4. a skipped row: the text report says the result is not clean, and the money block finds no "No gaps"', () => {
    const skippedRows = [{ file: 'lines.csv', row: 3, column: 'Quantity', value: 'x', message: 'not a number' }];
    const report = run([oneTimeLine()], [oneTimeAddition()]);
    const partial = { ...report, coverage: { ...report.coverage, skippedRows, linesSkipped: { ...report.coverage.linesSkipped, invalid: 1 } } };
    const text = renderText(partial);
    expect(text).not.toMatch(/None: ConnectWise holds what the Platform says/);
    expect(text).not.toMatch(/No gaps/);
    expect(text).toMatch(/not a clean result/);
    // Near miss: the same report without the skipped row is clean.
    expect(renderText(report)).toMatch(/None: ConnectWise holds what the Platform says/);
  });

  it('4. the panel verdict: rows skipped as unreadable make a run partial, never clean', () => {
    const report = run([oneTimeLine()], [oneTimeAddition()]);
    expect(coverageVerdict(report.coverage, 0).status).toBe('clean');
    const skipped = { ...report.coverage, linesRead: 2, linesSkipped: { ...report.coverage.linesSkipped, invalid: 1 } };
    expect(coverageVerdict(skipped, 0).status).toBe('partial');
  });

  it('4. nothing compared (no line synced): neither "None: ConnectWise holds" nor "No gaps"', () => {
    const text = renderText(run([oneTimeLine({ status: 'Not Synced' })], []));
    expect(text).not.toMatch(/None: ConnectWise holds|No gaps/);
  });
});

describe('currency (DESIGN §3.3)', () => {
  it('5. an empty currencyCode falls through to currencyIdentifier', () => {
    const usd = agreement({ currency: { currencyCode: '', currencyIdentifier: 'USD' } });
    const line = oneTimeLine();
    const report = run([line], [oneTimeAddition()], { agreements: [usd, MANAGED] });
    expect(report.findings).toMatchObject([{ kind: 'currency_mismatch', lineId: line.lineId, expected: 'EUR', actual: 'USD' }]);
  });
});

describe('config keys by charge type (DESIGN §4.3)', () => {
  const usage = () => oneTimeLine({ chargeType: 'Usage Fee' });
  const usageAddition = () => oneTimeAddition({ description: 'Usage Fee', invoiceDescription: 'Power BI Pro - Usage Fee', cancelledDate: null });

  it('6. cancelledDateDefaults accepts the label spelling ("Usage Fee") as chargeTypeNames does', () => {
    expect(kinds(run([usage()], [usageAddition()], { config: { cancelledDateDefaults: { 'Usage Fee': 'none' } } }))).toEqual([]);
    expect(kinds(run([usage()], [usageAddition()], { config: { cancelledDateDefaults: { 'usage-fee': 'none' } } }))).toEqual([]);
    // Near miss: without the setting the default (end of the start month) applies.
    expect(kinds(run([usage()], [usageAddition()]))).toEqual(['cancelled_date_mismatch']);
  });

  it('6. every charge-type map reads the same spellings and names a key it cannot read', () => {
    const parsed = ReconcileConfig.parse({ chargeTypeNames: { 'cycle fee': 'Monthly' }, recurringChargeTypes: ['Item Fee'], cancelledDateDefaults: { UsageFee: 'none', '*': 'chargeEnd' } });
    expect(parsed).toMatchObject({ chargeTypeNames: { CycleFee: 'Monthly' }, recurringChargeTypes: ['ItemFee'], cancelledDateDefaults: { UsageFee: 'none', '*': 'chargeEnd' } });
    for (const bad of [{ cancelledDateDefaults: { 'Usage Feex': 'none' } }, { chargeTypeNames: { Subscription: 'x' } }, { recurringChargeTypes: ['Monthly'] }]) {
      const result = ReconcileConfig.safeParse(bad);
      expect(result.success).toBe(false);
      expect(result.error!.issues[0]!.message).toMatch(/is not a charge type/);
    }
  });

  it('6. the CLI config reader rejects an unknown key naming the file and the key', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'cfg-'));
    const file = join(dir, 'config.json');
    writeFileSync(file, JSON.stringify({ cancelledDateDefaults: { 'Usage Feex': 'none' } }));
    await expect(readConfigFile(file)).rejects.toMatchObject({ message: expect.stringMatching(/Usage Feex/) });
    writeFileSync(file, JSON.stringify({ cancelledDateDefaults: { 'Usage Fee': 'none' } }));
    await expect(readConfigFile(file)).resolves.toEqual({ cancelledDateDefaults: { UsageFee: 'none' } });
  });
});

describe('money the admin loses (DESIGN §3.6)', () => {
  it('7. an Addition set to Do Not Bill: addition_not_billed, and the money view explains the gap', () => {
    const report = run([oneTimeLine()], [oneTimeAddition({ billCustomer: 'DoNotBill' })]);
    expect(report.findings).toMatchObject([{ kind: 'addition_not_billed', severity: 'error', additionId: 600, field: 'billCustomer', actual: 'DoNotBill' }]);
    expect(report.findings[0]!.message).toMatch(/Bill Customer/);
    expect(money(report).rows.every((r) => r.residual === 0)).toBe(true);
    expect(money(report).rows[0]!.findings.map((f) => f.kind)).toEqual(['addition_not_billed']);
    // Near miss: No Charge is the same; Billable is fine; a zero-revenue line bills nothing anyway.
    expect(kinds(run([oneTimeLine()], [oneTimeAddition({ billCustomer: 'NoCharge' })]))).toEqual(['addition_not_billed']);
    expect(kinds(run([oneTimeLine({ revenue: 0 })], [oneTimeAddition({ billCustomer: 'DoNotBill', unitPrice: 0 })]))).toEqual([]);
  });

  it('7. Less Included equal to the quantity: less_included (warn), explained in the money view', () => {
    const report = run([oneTimeLine()], [oneTimeAddition({ lessIncluded: 2 })]);
    expect(report.findings).toMatchObject([{ kind: 'less_included', severity: 'warn', actual: 2 }]);
    expect(report.findings[0]!.message).toMatch(/Less Included/);
    expect(money(report).rows.every((r) => r.residual === 0)).toBe(true);
  });

  it('7. an agreement whose end date is before the lines: agreement_ended (error), and nothing said clean', () => {
    const ended = agreement({ endDate: '2026-10-31T00:00:00Z', noEndingDateFlag: false });
    const report = run([oneTimeLine()], [oneTimeAddition()], { agreements: [ended, MANAGED] });
    expect(report.findings).toMatchObject([{ kind: 'agreement_ended', severity: 'error', agreementId: 100, actual: '2026-10-31' }]);
    expect(renderText(report)).not.toMatch(/None: ConnectWise holds/);
    expect(money(report).rows.every((r) => r.residual === 0)).toBe(true);
    // Near miss: an end date after the line, or No End Date, is fine.
    expect(kinds(run([oneTimeLine()], [oneTimeAddition()], { agreements: [agreement({ endDate: '2026-12-31T00:00:00Z' }), MANAGED] }))).toEqual([]);
  });
});

describe('contract gaps settled in DESIGN §3.3–§3.6', () => {
  it('8. an Error line also gets the predictive checks (here its agreement currency)', () => {
    const line = oneTimeLine({ status: 'Error', currency: 'USD' });
    const report = run([line], []);
    expect(report.findings.map((f) => `${f.kind} ${f.severity}`).sort()).toEqual(['currency_mismatch warn', 'sync_failed warn']);
  });

  it('8. without Subscription, Offer and Contract columns, the PSA Product Name tells subscriptions apart', () => {
    const bare = { subscription: undefined, offer: undefined, contractId: undefined };
    const visio = subLine('2026-11', bare);
    const pbi = subLine('2026-11', { ...bare, psaProductName: 'PBI-PRO', quantity: 2, revenue: 28 });
    const pbiAddition = subAddition({ id: 501, product: { identifier: 'PBI-PRO' }, quantity: 2, unitPrice: 14, invoiceDescription: 'Power BI Pro - Cycle Fee' });
    const report = run([visio, pbi], [subAddition(), pbiAddition]);
    expect(report.findings).toEqual([]);
    expect(report.coverage.linesCompared).toBe(2);
  });

  describe('month_incomplete organizations', () => {
    const beta = { id: 20, name: 'Beta Oy' };
    const betaAgreement = agreement({ id: 200, company: beta });
    const octOnly = () => subLine('2026-10', { organization: 'Beta', psaOrganizationName: 'Beta Oy' });
    const betaAddition = (cancelledDate: string | null) => subAddition({ id: 520, agreementId: 200, effectiveDate: '2026-10-01T00:00:00Z', cancelledDate });
    const go = (cancelled: string | null) =>
      run([subLine('2026-11'), octOnly()], [subAddition(), betaAddition(cancelled)], { companies: [ACME, beta], agreements: [agreement(), betaAgreement] });

    it("8. the Platform's own cancellation (end of the latest invoice month) is right, as is empty", () => {
      expect(kinds(go('2026-10-31T00:00:00Z'))).toEqual(['month_incomplete']);
      expect(kinds(go(null))).toEqual(['month_incomplete']);
    });
    it('8. any other date names both right values, and the fix never says to clear it', () => {
      const f = go('2026-10-15T00:00:00Z').findings.find((x) => x.kind === 'cancelled_date_mismatch')!;
      expect(f).toMatchObject({ expected: 'empty or 2026-10-31', actual: '2026-10-15' });
      expect(f.fix).not.toMatch(/clear/i);
    });
  });

  it('8. a subscription that ended and restarted: its earlier Addition is history, neither duplicate nor orphan', () => {
    const oct = subLine('2026-10', { lineId: 'S-OCT' });
    const restart = subLine('2026-11', { lineId: 'S-NOV', chargeType: 'Purchase Fee', chargeStartDate: '2026-11-15' });
    const earlier = subAddition({ id: 510, effectiveDate: '2026-10-01T00:00:00Z', cancelledDate: '2026-10-31T00:00:00Z' });
    const current = subAddition({ id: 511, effectiveDate: '2026-11-15T00:00:00Z', description: 'Purchase Fee', invoiceDescription: 'Visio Plan 2 (Acme #1) - Purchase Fee' });
    const report = run([oct, restart], [earlier, current]);
    expect(report.findings).toEqual([]);
    expect(report.matches).toMatchObject([{ lineId: 'S-NOV', additionId: 511 }]);
    // Near miss: the same earlier Addition still open would double the subscription.
    expect(keys(run([oct, restart], [subAddition({ id: 510, effectiveDate: '2026-10-01T00:00:00Z' }), current]))).toEqual(['duplicate_addition 510']);
  });

  it('8. an open subscription whose only Addition was cancelled before the window: cancelled_date_mismatch, clear it', () => {
    const report = run([subLine('2026-11')], [subAddition({ effectiveDate: '2026-03-01T00:00:00Z', cancelledDate: '2026-08-31T00:00:00Z' })]);
    expect(report.findings).toMatchObject([{ kind: 'cancelled_date_mismatch', expected: null, actual: '2026-08-31', additionId: 500 }]);
    expect(report.findings[0]!.fix).toMatch(/clear the Cancelled Date/);
  });

  it('8. a synced line whose PSA Agreement Name matches nothing: agreement_not_found (error), not wrong_agreement', () => {
    const line = oneTimeLine({ psaAgreementName: 'Cloud Services 2025' });
    const report = run([line], [oneTimeAddition({ agreementId: 101 })]);
    expect(report.findings).toMatchObject([{ kind: 'agreement_not_found', severity: 'error', lineId: line.lineId, additionId: 600, agreementId: 101 }]);
    expect(kinds(run([line], []))).toEqual(['agreement_not_found']);
  });

  it('8. not-synced lines get currency, active, billable and ended checks as warnings', () => {
    const bad = agreement({ currency: { currencyCode: 'NOK' }, agreementStatus: 'Cancelled', billProducts: 'DoNotBill', endDate: '2026-09-30T00:00:00Z' });
    const report = run([oneTimeLine({ status: 'Not Synced' })], [], { agreements: [bad, MANAGED] });
    expect(report.findings.map((f) => `${f.kind} ${f.severity}`).sort()).toEqual([
      'agreement_ended warn',
      'agreement_not_active warn',
      'agreement_not_billable warn',
      'currency_mismatch warn',
    ]);
  });

  it('8. company_not_found: a warning for a not-synced line, an error for a synced one', () => {
    const lost = { psaOrganizationName: 'Nobody Ltd' };
    expect(run([oneTimeLine({ ...lost, status: 'Not Synced' })], []).findings).toMatchObject([{ kind: 'company_not_found', severity: 'warn' }]);
    expect(run([oneTimeLine(lost)], []).findings).toMatchObject([{ kind: 'company_not_found', severity: 'error' }]);
  });

  it('8. product_mismatch: paired by the line reference, the Addition carries another Product ID', () => {
    const line = oneTimeLine({ lineId: 'L9' });
    const addition = oneTimeAddition({ product: { identifier: 'INTUNE' }, customFields: ref('L9') });
    const report = run([line], [addition], { config: { lineRefField: 'Platform Line' } });
    expect(report.findings).toMatchObject([{ kind: 'product_mismatch', severity: 'error', additionId: 600, expected: 'PBI-PRO', actual: 'INTUNE' }]);
  });
});

describe('numbers and words', () => {
  it('9. reads CHF 1’234.50 (Swiss thousands mark) and +5.00', () => {
    const csv = [
      'Line ID,Invoice Date,Organization,Charge Type,Charge Start Date,Quantity,Revenue,Currency',
      'A,2026-11-01,Acme,Item Fee,2026-11-10,1,CHF 1’234.50,CHF',
      'B,2026-11-01,Acme,Item Fee,2026-11-10,+5.00,+5.00,CHF',
    ].join('\n');
    const { lines } = parseLinesCsv(csv, { file: 'lines.csv' });
    expect(lines.map((l) => [l.revenue, l.quantity])).toEqual([
      [1234.5, 1],
      [5, 5],
    ]);
  });

  it('9. a missing Addition with no agreement does not read "no Agreement … holds no Addition"', () => {
    const report = run([oneTimeLine()], [], { agreements: [MANAGED] });
    const f: Finding = report.findings.find((x) => x.kind === 'missing_addition')!;
    expect(f.message).not.toMatch(/no Agreement .* holds no Addition/);
    expect(f.message).toMatch(/ConnectWise holds no Addition for it/);
  });
});

describe('badges on the Additions grid', () => {
  it('an Addition on the wrong agreement gets a badge on that agreement’s grid, naming the field and the line', () => {
    const line = oneTimeLine();
    const report = run([line], [oneTimeAddition({ agreementId: 101 })]);
    expect(kinds(report)).toEqual(['wrong_agreement']);
    expect(verdictsForAgreement(report, 101)).toMatchObject([{ additionId: 600, verdict: 'mismatch', fields: ['agreement'], lineId: line.lineId }]);
    expect(verdictsForAgreement(report, 100)).toEqual([]);
  });

  it('a Do Not Bill Addition is badged as differing in Bill Customer', () => {
    const report = run([oneTimeLine()], [oneTimeAddition({ billCustomer: 'DoNotBill' })]);
    expect(verdictsForAgreement(report, 100)).toMatchObject([{ additionId: 600, verdict: 'mismatch', fields: ['billCustomer'] }]);
  });
});
