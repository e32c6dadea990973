/**
 * The money view explains a gap by the finding that causes it: a line whose Addition sits on
 * another agreement while the line names a company or agreement ConnectWise lacks is reported as
 * `company_not_found` / `agreement_not_found`, and its money is labelled so, not `wrong_agreement`.
 */
import { describe, expect, it } from 'vitest';
import type { Report } from '../../../core/model';
import { MANAGED, agreement, oneTimeAddition, oneTimeLine, run } from './world';

function contributions(report: Report) {
  return (report.money?.rows ?? []).flatMap((r) => r.findings.map((c) => ({ agreementId: r.agreementId, ...c })));
}

describe('money view labels of misplaced lines', () => {
  it('a line naming an agreement ConnectWise lacks: its Addition\'s billing is explained as agreement_not_found', () => {
    const report = run([oneTimeLine({ lineId: 'L1', psaAgreementName: 'No Such Agreement' })], [oneTimeAddition({ id: 500 })]);
    expect(report.findings.map((f) => `${f.kind} ${f.lineId}`)).toEqual(['agreement_not_found L1']);
    expect(contributions(report)).toEqual([{ agreementId: 100, kind: 'agreement_not_found', lineId: 'L1', additionId: 500, amount: -60 }]);
  });

  it('a line naming a company ConnectWise lacks: explained as company_not_found', () => {
    const report = run([oneTimeLine({ lineId: 'L3', psaOrganizationName: 'Nobody AS' })], [oneTimeAddition({ id: 501 })]);
    expect(report.findings.map((f) => `${f.kind} ${f.lineId}`)).toEqual(['company_not_found L3']);
    expect(contributions(report)).toEqual([{ agreementId: 100, kind: 'company_not_found', lineId: 'L3', additionId: 501, amount: -60 }]);
  });

  it('near miss: an Addition on another agreement the line does not name is still wrong_agreement, on both rows', () => {
    const report = run([oneTimeLine({ lineId: 'L4', psaAgreementName: 'Managed Services' })], [oneTimeAddition({ id: 502 })], { agreements: [agreement(), MANAGED] });
    expect(report.findings.map((f) => `${f.kind} ${f.lineId}`)).toEqual(['wrong_agreement L4']);
    expect(contributions(report).map((c) => `${c.agreementId} ${c.kind} ${c.amount}`).sort()).toEqual(['100 wrong_agreement -60', '101 wrong_agreement 60']);
  });
});
