import { describe, expect, it } from 'vitest';
import { findingFingerprint } from '../../../core/model/fingerprint';
import { finding } from './helpers';

describe('findingFingerprint', () => {
  it('ignores what changes when the problem is fixed or reworded', () => {
    const before = finding({ expected: 5, actual: 4, message: 'old words', fix: 'old fix', severity: 'error' });
    const after = finding({ expected: 6, actual: 5, message: 'new words', fix: 'new fix', severity: 'warn' });
    expect(findingFingerprint(after)).toBe(findingFingerprint(before));
  });

  it('tells apart kinds and lines', () => {
    const base = findingFingerprint(finding());
    expect(findingFingerprint(finding({ kind: 'effective_date_mismatch' }))).not.toBe(base);
    expect(findingFingerprint(finding({ lineId: 'L00013' }))).not.toBe(base);
  });

  it('keys a line finding by its line, not by the addition it happened to match', () => {
    expect(findingFingerprint(finding({ additionId: 1 }))).toBe(findingFingerprint(finding({ additionId: 2 })));
  });

  it('keys wrong_agreement by line and the misplaced addition', () => {
    const a = finding({ kind: 'wrong_agreement', additionId: 1 });
    const b = finding({ kind: 'wrong_agreement', additionId: 2 });
    expect(findingFingerprint(a)).not.toBe(findingFingerprint(b));
  });

  it('keys addition, agreement and organization findings by their own ids', () => {
    const orphan = (additionId: number, lineId?: string) =>
      findingFingerprint(finding({ kind: 'orphan_addition', severity: 'info', additionId, lineId }));
    expect(orphan(7)).toBe(orphan(7, 'L2'));
    expect(orphan(7)).not.toBe(orphan(8));
    const inactive = (agreementId: number) => findingFingerprint(finding({ kind: 'agreement_not_active', lineId: undefined, agreementId }));
    expect(inactive(3039)).not.toBe(inactive(3021));
    const incomplete = (organization: string) =>
      findingFingerprint(finding({ kind: 'month_incomplete', lineId: undefined, additionId: undefined, organization }));
    expect(incomplete('Acme  Ltd')).toBe(incomplete('acme ltd'));
    expect(incomplete('Acme Ltd')).not.toBe(incomplete('Beta Ltd'));
  });

  it('adds organization and product when the line id is only a row number', () => {
    const row = (organization: string) => findingFingerprint(finding({ lineId: 'row-4', organization, productIdentifier: 'M365-BB' }));
    expect(row('Acme')).not.toBe(row('Beta'));
    expect(findingFingerprint(finding({ lineId: 'L1', organization: 'Acme' }))).toBe(findingFingerprint(finding({ lineId: 'L1', organization: 'Beta' })));
  });

  it('falls back to the ids present when the key field is missing', () => {
    const a = findingFingerprint(finding({ kind: 'missing_addition', lineId: undefined, additionId: 1 }));
    const b = findingFingerprint(finding({ kind: 'missing_addition', lineId: undefined, additionId: 2 }));
    expect(a).not.toBe(b);
  });

  it('escapes separators inside ids', () => {
    expect(findingFingerprint(finding({ lineId: 'a|b' }))).not.toBe(findingFingerprint(finding({ lineId: 'a' })));
    expect(findingFingerprint(finding({ lineId: 'a|b' }))).toBe('quantity_mismatch|lineId=a%7Cb');
  });
});
