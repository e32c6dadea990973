import { describe, expect, it } from 'vitest';
import { Finding } from '../../../core/model';
import { agreement, kinds, MANAGED, oneTimeAddition, oneTimeLine, only, run, subAddition, subLine } from './world';

// Every finding kind of DESIGN §3.6: a case that raises it and a near miss that must not.

const subscription = () => [subLine('2026-10'), subLine('2026-11')];

describe('a consistent month', () => {
  it('gives no findings and says what it compared', () => {
    const lines = [...subscription(), oneTimeLine()];
    const report = run(lines, [subAddition(), oneTimeAddition()]);
    expect(report.findings).toEqual([]);
    expect(report.coverage).toMatchObject({ linesRead: 3, linesCompared: 2, linesSkipped: { coveredBySubscription: 1 }, additionsMatched: 2 });
    expect(report.matches).toHaveLength(2);
  });

  it('gives every finding a message and a fix that validate against the model', () => {
    const report = run([subLine('2026-11', { quantity: 3, revenue: 45 })], [subAddition({ description: 'x', invoiceDescription: 'y' })]);
    for (const f of report.findings) {
      expect(() => Finding.parse(f)).not.toThrow();
      expect(f.message.length).toBeGreaterThan(20);
      expect(f.fix.length).toBeGreaterThan(20);
    }
  });
});

describe('missing_addition', () => {
  it('raises it for a synced line with no Addition, naming the latest line and the ones it covers', () => {
    const [oct, nov] = subscription();
    const [f] = only(run([oct!, nov!], []), 'missing_addition');
    expect(f).toMatchObject({ severity: 'error', lineId: nov!.lineId, agreementId: 100, related: { lineIds: [oct!.lineId] } });
  });
  it('near miss: an Addition with another Effective Date is a date mismatch, not missing', () => {
    const report = run(subscription(), [subAddition({ effectiveDate: '2026-11-05T00:00:00Z' })]);
    expect(kinds(report)).toEqual(['effective_date_mismatch']);
  });
});

describe('wrong_agreement', () => {
  it('raises it when the Addition sits on another agreement with the same product, date and quantity', () => {
    const [f, ...rest] = run(subscription(), [subAddition({ agreementId: 101 })]).findings;
    expect(rest).toEqual([]);
    expect(f).toMatchObject({ kind: 'wrong_agreement', additionId: 500, agreementId: 101, expected: 100, actual: 101 });
  });
  it('near miss: another quantity on the other agreement is not this line’s Addition', () => {
    expect(kinds(run(subscription(), [subAddition({ agreementId: 101, quantity: 4 })]))).toEqual(['missing_addition']);
  });
  it('near miss: the same product for another subscription is not this line’s Addition', () => {
    const other = subAddition({ agreementId: 101, invoiceDescription: 'Visio Plan 2 (Acme #2) - Cycle Fee' });
    expect(kinds(run(subscription(), [other]))).toEqual(['missing_addition']);
  });
});

describe('effective_date_mismatch', () => {
  it('raises it with both dates', () => {
    const [f] = run(subscription(), [subAddition({ effectiveDate: '2026-11-04T00:00:00Z' })]).findings;
    expect(f).toMatchObject({ kind: 'effective_date_mismatch', field: 'effectiveDate', expected: '2026-11-01', actual: '2026-11-04' });
  });
  it('near miss: a time of day on the Effective Date is ignored', () => {
    expect(run(subscription(), [subAddition({ effectiveDate: '2026-11-01T09:30:00Z' })]).findings).toEqual([]);
  });
  it('near miss: a badged Charge Start Date is the expected date as displayed', () => {
    const nov = subLine('2026-11', { chargeType: 'Purchase Fee', chargeStartDate: '2026-11-14', chargeStartDateBadge: 'System Updated' });
    const addition = subAddition({ effectiveDate: '2026-11-14T00:00:00Z', description: 'Purchase Fee', invoiceDescription: 'Visio Plan 2 (Acme #1) - Purchase Fee' });
    expect(run([nov], [addition]).findings).toEqual([]);
  });
});

describe('cancelled_date_mismatch', () => {
  it('raises it when a recurring Addition carries a Cancelled Date', () => {
    const [f] = run(subscription(), [subAddition({ cancelledDate: '2026-11-30T00:00:00Z' })]).findings;
    expect(f).toMatchObject({ kind: 'cancelled_date_mismatch', expected: null, actual: '2026-11-30' });
  });
  it('raises it for an ended subscription left open', () => {
    const ended = subLine('2026-10', { subscription: 'Visio Plan 2 (Acme #2)' });
    const open = subAddition({ id: 501, effectiveDate: '2026-10-01T00:00:00Z', invoiceDescription: 'Visio Plan 2 (Acme #2) - Cycle Fee' });
    const report = run([...subscription(), ended], [subAddition(), open]);
    expect(report.findings).toHaveLength(1);
    expect(report.findings[0]).toMatchObject({ kind: 'cancelled_date_mismatch', lineId: ended.lineId, expected: '2026-10-31', actual: null });
  });
  it('near miss: a one-time Addition cancelled on the last day of its start month', () => {
    expect(run([oneTimeLine()], [oneTimeAddition()]).findings).toEqual([]);
  });
});

describe('quantity_mismatch', () => {
  it('raises it', () => {
    expect(run(subscription(), [subAddition({ quantity: 12 })]).findings[0]).toMatchObject({ kind: 'quantity_mismatch', expected: 10, actual: 12 });
  });
  it('near miss: the same quantity written as a decimal', () => {
    expect(run(subscription(), [subAddition({ quantity: 10.0 })]).findings).toEqual([]);
  });
});

describe('unit_price_mismatch', () => {
  it('raises it beyond half a minor unit', () => {
    expect(run(subscription(), [subAddition({ unitPrice: 15.01 })]).findings[0]).toMatchObject({ kind: 'unit_price_mismatch', expected: 15, actual: 15.01 });
  });
  it('near miss: within half a minor unit', () => {
    expect(run(subscription(), [subAddition({ unitPrice: 15.004 })]).findings).toEqual([]);
  });
  it('raises it when the Addition has no Unit Price', () => {
    expect(kinds(run(subscription(), [subAddition({ unitPrice: null })]))).toEqual(['unit_price_mismatch']);
  });
});

describe('description_mismatch', () => {
  it('raises it as a warning when neither description carries the label', () => {
    const [f] = run(subscription(), [subAddition({ description: 'Misc charge', invoiceDescription: 'Visio Plan 2 (Acme #1) - Misc charge' })]).findings;
    expect(f).toMatchObject({ kind: 'description_mismatch', severity: 'warn', expected: 'Cycle Fee', actual: 'Misc charge' });
  });
  it('near miss: the label inside the Product Invoice Description, spelled without spaces', () => {
    const addition = subAddition({ description: 'Misc', invoiceDescription: 'Visio Plan 2 (Acme #1) - CycleFee' });
    expect(run(subscription(), [addition]).findings).toEqual([]);
  });
});

describe('currency_mismatch', () => {
  it('raises it for each compared line of an agreement in another currency', () => {
    const report = run([...subscription(), oneTimeLine()], [subAddition(), oneTimeAddition()], { agreements: [agreement({ currency: { currencyCode: 'GBP' } }), MANAGED] });
    expect(only(report, 'currency_mismatch').map((f) => [f.expected, f.actual])).toEqual([
      ['EUR', 'GBP'],
      ['EUR', 'GBP'],
    ]);
  });
  it('near miss: the currency identifier, in another case', () => {
    const report = run(subscription(), [subAddition()], { agreements: [agreement({ currency: { currencyIdentifier: 'eur' } }), MANAGED] });
    expect(report.findings).toEqual([]);
  });
});

describe('predictions for lines not synced', () => {
  const notSynced = (over = {}) => oneTimeLine({ status: 'Not Synced', ...over });

  it('unmapped_organization: no PSA Organization Name', () => {
    expect(kinds(run([notSynced({ psaOrganizationName: undefined })], []))).toEqual(['unmapped_organization']);
  });
  it('unmapped_product: no PSA Product Name', () => {
    expect(kinds(run([notSynced({ psaProductName: undefined })], []))).toEqual(['unmapped_product']);
  });
  it('near miss: a fully mapped Not Synced line predicts nothing and is not compared', () => {
    const report = run([notSynced()], []);
    expect(report.findings).toEqual([]);
    expect(report.coverage).toMatchObject({ linesCompared: 0, linesSkipped: { notSynced: 1 } });
  });
  it('near miss: an excluded line gives no findings at all', () => {
    const report = run([notSynced({ psaOrganizationName: undefined, psaProductName: undefined, excluded: true })], []);
    expect(report.findings).toEqual([]);
    expect(report.coverage.linesSkipped).toEqual({ excluded: 1 });
  });

  it('agreement_required: several Platform organizations share the company and no agreement is named', () => {
    const other = subLine('2026-11', { organization: 'Acme Retail' });
    const report = run([subLine('2026-11'), other, notSynced({ organization: 'Acme Retail' })], [subAddition()]);
    expect(kinds(report)).toContain('agreement_required');
  });
  it('near miss: one organization per company may leave the agreement to the default', () => {
    expect(run([subLine('2026-11'), notSynced()], [subAddition()]).findings).toEqual([]);
  });

  it('agreement_not_found: the named agreement is not one of the company’s', () => {
    const [f] = run([notSynced({ psaAgreementName: 'Legacy Agreement 7' })], []).findings;
    expect(f).toMatchObject({ kind: 'agreement_not_found', expected: 'Legacy Agreement 7' });
  });
  it('near miss: the agreement named with other case and spacing', () => {
    expect(run([notSynced({ psaAgreementName: ' microsoft 365  MONTHLY ' })], []).findings).toEqual([]);
  });

  it('sync_failed: Error and Response Error', () => {
    const report = run([oneTimeLine({ status: 'Error' }), oneTimeLine({ status: 'Response Error' })], []);
    expect(kinds(report)).toEqual(['sync_failed', 'sync_failed']);
    expect(report.coverage.linesSkipped).toEqual({ syncFailed: 2 });
  });
  it('near miss: an excluded failed line', () => {
    expect(run([oneTimeLine({ status: 'Error', excluded: true })], []).findings).toEqual([]);
  });
});

describe('correction_spans_periods', () => {
  const spanning = (over = {}) =>
    oneTimeLine({ chargeType: 'User Correction', chargeStartDate: '2026-11-20', chargeEndDate: '2026-12-06', quantity: 1, revenue: -10, ...over });

  it('raises it for a one-time line whose expected dates fall in two months, synced or not', () => {
    const synced = spanning();
    const addition = oneTimeAddition({ quantity: 1, unitPrice: -10, effectiveDate: '2026-11-20', cancelledDate: '2026-12-06', description: 'Correction', invoiceDescription: 'Power BI Pro - Correction' });
    expect(kinds(run([synced], [addition]))).toEqual(['correction_spans_periods']);
    expect(kinds(run([spanning({ status: 'Not Synced' })], []))).toEqual(['correction_spans_periods']);
  });
  it('near miss: a Correction without a badge is cancelled in its start month', () => {
    const line = spanning({ chargeType: 'Correction' });
    const addition = oneTimeAddition({ quantity: 1, unitPrice: -10, effectiveDate: '2026-11-20', description: 'Correction', invoiceDescription: 'Power BI Pro - Correction' });
    expect(run([line], [addition]).findings).toEqual([]);
  });
  it('near miss: excluded', () => {
    expect(run([spanning({ excluded: true })], []).findings).toEqual([]);
  });
});

describe('duplicate_addition', () => {
  it('keeps the lowest id matched and reports the other', () => {
    const report = run(subscription(), [subAddition({ id: 507 }), subAddition({ id: 503 })]);
    expect(report.findings).toHaveLength(1);
    expect(report.findings[0]).toMatchObject({ kind: 'duplicate_addition', additionId: 507, related: { additionIds: [503] } });
    expect(report.matches?.[0]?.additionId).toBe(503);
  });
  it('keeps the better match even when it has the higher id', () => {
    const report = run(subscription(), [subAddition({ id: 503, quantity: 11 }), subAddition({ id: 507 })]);
    expect(report.findings).toMatchObject([{ kind: 'duplicate_addition', additionId: 503 }]);
  });
  it('near miss: a second Addition of the product with another date and quantity is an orphan', () => {
    const other = subAddition({ id: 509, quantity: 3, effectiveDate: '2026-10-15T00:00:00Z', invoiceDescription: 'Visio Plan 2 - One Time Fee' });
    expect(kinds(run(subscription(), [subAddition(), other]))).toEqual(['orphan_addition']);
  });
});

describe('orphan_addition', () => {
  const mail = (over = {}) => subAddition({ id: 800, product: { identifier: 'MAIL-SEC' }, invoiceDescription: 'Mail security - Cycle Fee', ...over });
  it('raises it as info for an unmatched in-scope Addition on an expected agreement', () => {
    expect(run(subscription(), [subAddition(), mail()]).findings).toMatchObject([{ kind: 'orphan_addition', severity: 'info', additionId: 800 }]);
  });
  it('near miss: on an agreement no compared line expects', () => {
    expect(run(subscription(), [subAddition(), mail({ agreementId: 101 })]).findings).toEqual([]);
  });
  it('near miss: out of the window', () => {
    const old = mail({ effectiveDate: '2026-08-01T00:00:00Z', cancelledDate: '2026-09-30T00:00:00Z' });
    const report = run(subscription(), [subAddition(), old]);
    expect(report.findings).toEqual([]);
    expect(report.coverage).toMatchObject({ additionsRead: 2, additionsInScope: 1 });
  });
});

describe('agreement_not_active and agreement_not_billable', () => {
  it('raise one finding per expected agreement', () => {
    const bad = agreement({ agreementStatus: 'Cancelled', billProducts: 'DoNotBill' });
    const report = run([...subscription(), oneTimeLine()], [subAddition(), oneTimeAddition()], { agreements: [bad, MANAGED] });
    expect(report.findings.map((f) => [f.kind, f.agreementId])).toEqual([
      ['agreement_not_active', 100],
      ['agreement_not_billable', 100],
    ]);
  });
  it('an inactive agreement only not-synced lines point at is a prediction: warnings, not errors', () => {
    const bad = agreement({ agreementStatus: 'Cancelled', billProducts: 'DoNotBill' });
    const report = run([oneTimeLine({ status: 'Not Synced' })], [], { agreements: [bad, MANAGED] });
    expect(report.findings.map((f) => `${f.kind} ${f.severity}`)).toEqual(['agreement_not_active warn', 'agreement_not_billable warn']);
  });
});

describe('month_incomplete', () => {
  const octOnly = () => subLine('2026-10', { organization: 'Beta', psaOrganizationName: 'Beta Oy' });
  const beta = { id: 20, name: 'Beta Oy' };
  const betaAgreement = agreement({ id: 200, company: beta });
  const betaAddition = subAddition({ id: 520, agreementId: 200, effectiveDate: '2026-10-01T00:00:00Z' });

  it('raises it for an organization with synced lines before the last month and none in it; its subscriptions stay open', () => {
    const report = run([...subscription(), octOnly()], [subAddition(), betaAddition], {
      companies: [{ id: 10, name: 'Acme AS' }, beta],
      agreements: [agreement(), betaAgreement],
    });
    expect(report.findings).toMatchObject([{ kind: 'month_incomplete', organization: 'Beta', severity: 'info', companyId: 20 }]);
  });
  it('near miss: the same organization with a line in the last month judges the subscription ended', () => {
    const nov = oneTimeLine({ organization: 'Beta', psaOrganizationName: 'Beta Oy', status: 'Not Synced' });
    const report = run([...subscription(), octOnly(), nov], [subAddition(), betaAddition], {
      companies: [{ id: 10, name: 'Acme AS' }, beta],
      agreements: [agreement(), betaAgreement],
    });
    expect(kinds(report)).toEqual(['cancelled_date_mismatch']);
  });
});
