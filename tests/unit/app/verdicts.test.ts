import { describe, expect, it } from 'vitest';
import { verdictsForAgreement } from '../../../core/app/verdicts';
import { REPORT_SCHEMA, type Finding, type Report } from '../../../core/model';

const f = (x: Partial<Finding> & Pick<Finding, 'kind'>): Finding => ({ severity: 'error', message: 'm', fix: 'f', ...x });

function report(findings: Finding[]): Report {
  return {
    schema: REPORT_SCHEMA,
    generatedAt: '2026-12-01T00:00:00Z',
    window: { from: '2026-11-01', to: '2026-11-30' },
    coverage: { linesRead: 3, linesCompared: 3, linesSkipped: {}, additionsRead: 5, additionsInScope: 5, additionsMatched: 3, cwComplete: true, invoiceMonths: ['2026-11'], skippedRows: [], warnings: [] },
    findings,
    matches: [
      { lineId: 'L1', additionId: 11, agreementId: 100 },
      { lineId: 'L2', additionId: 12, agreementId: 100, lineIds: ['L0'] },
      { lineId: 'L3', additionId: 31, agreementId: 300 },
    ],
  };
}

describe('verdictsForAgreement', () => {
  it('gives each judged Addition of the agreement one verdict, the gravest it earned', () => {
    const r = report([
      f({ kind: 'quantity_mismatch', lineId: 'L2', field: 'quantity' }),
      f({ kind: 'effective_date_mismatch', lineId: 'L2' }),
      f({ kind: 'orphan_addition', additionId: 13, agreementId: 100, severity: 'info' }),
      f({ kind: 'duplicate_addition', additionId: 14, agreementId: 100 }),
      f({ kind: 'quantity_mismatch', lineId: 'L3' }),
    ]);
    const v = verdictsForAgreement(r, 100);
    expect(v.map((x) => [x.additionId, x.verdict])).toEqual([
      [11, 'matched'],
      [12, 'mismatch'],
      [13, 'orphan'],
      [14, 'duplicate'],
    ]);
    expect(v[1]!.fields).toEqual(['quantity', 'effectiveDate']);
    expect(v[1]!.fingerprints).toHaveLength(2);
    expect(verdictsForAgreement(r, 999)).toEqual([]);
  });
});

describe('verdict descriptors', () => {
  it('describe each judged Addition by what its grid row shows, when the run’s Additions are given', () => {
    const r = report([f({ kind: 'orphan_addition', additionId: 13, agreementId: 100, severity: 'info' })]);
    const additions = [
      { id: 11, agreementId: 100, product: { identifier: 'M365-BP' }, quantity: 3, unitPrice: 10.5, effectiveDate: '2026-11-01T00:00:00Z', cancelledDate: null },
      { id: 13, agreementId: 100, product: { identifier: 'EXO-P1' }, quantity: 1, effectiveDate: '2026-10-15T00:00:00Z', cancelledDate: '2026-11-30T00:00:00Z' },
    ];
    const v = verdictsForAgreement(r, 100, additions);
    expect(v.find((x) => x.additionId === 11)).toMatchObject({ productIdentifier: 'M365-BP', effectiveDate: '2026-11-01', cancelledDate: null, quantity: 3, unitPrice: 10.5 });
    expect(v.find((x) => x.additionId === 13)).toMatchObject({ productIdentifier: 'EXO-P1', effectiveDate: '2026-10-15', cancelledDate: '2026-11-30', quantity: 1 });
    // An Addition the given data does not hold keeps a bare verdict.
    expect(v.find((x) => x.additionId === 12)?.productIdentifier).toBeUndefined();
  });
});
