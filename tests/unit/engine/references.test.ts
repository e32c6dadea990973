import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { reconcile } from '../../../core/reconcile';
import { generateScenario, REFERENCE_KINDS } from '../../generator';
import { ACME, agreement, MANAGED, only, run, subAddition, subLine } from './world';

// Cross-reference checks (DESIGN §3.7): raised, near misses, and off when unconfigured.

const refs = { companyRefField: 'ERPId', agreementRefField: 'Platform Contract' };
const withRef = (over = {}) => subLine('2026-11', { organizationRef: 'ORG-1', contractId: 'IC-1', ...over });
const company = (value: string | null) => ({ ...ACME, customFields: [{ id: 1, caption: 'ERPId', type: 'Text', value }] });
const contract = (value: string | null) => agreement({ customFields: [{ id: 2, caption: 'Platform Contract', value }] });

describe('company_reference_mismatch', () => {
  it('raises it when the company field is empty or holds another reference', () => {
    for (const value of [null, '', 'ORG-2']) {
      const report = run([withRef()], [subAddition()], { config: refs, companies: [company(value)], agreements: [contract('IC-1'), MANAGED] });
      expect(report.findings).toMatchObject([{ kind: 'company_reference_mismatch', organization: 'Acme', companyId: 10, expected: 'ORG-1', actual: value || null }]);
    }
  });
  it('near miss: the reference, in another case or among several', () => {
    for (const value of ['org-1', 'ORG-7, ORG-1']) {
      expect(run([withRef()], [subAddition()], { config: refs, companies: [company(value)], agreements: [contract('IC-1'), MANAGED] }).findings).toEqual([]);
    }
  });
  it('is off without companyRefField', () => {
    expect(run([withRef()], [subAddition()], { companies: [company('ORG-2')] }).findings).toEqual([]);
  });
});

describe('agreement_reference_mismatch', () => {
  it('raises it when the agreement field names another contract', () => {
    const report = run([withRef()], [subAddition()], { config: refs, companies: [company('ORG-1')], agreements: [contract('IC-9'), MANAGED] });
    expect(report.findings).toMatchObject([{ kind: 'agreement_reference_mismatch', agreementId: 100, expected: 'IC-1', actual: 'IC-9' }]);
  });
  it('near miss: the lines’ contract; and off without agreementRefField', () => {
    expect(run([withRef()], [subAddition()], { config: refs, companies: [company('ORG-1')], agreements: [contract('IC-1'), MANAGED] }).findings).toEqual([]);
    expect(run([withRef()], [subAddition()], { companies: [company('ORG-1')], agreements: [contract('IC-9'), MANAGED] }).findings).toEqual([]);
  });
});

describe('product_reference_mismatch', () => {
  const catalog = (xref: string | null) => [{ id: 1, identifier: 'VISIO-P2', integrationXRef: xref }];
  it('raises it when the catalog item names another offer', () => {
    const report = run([withRef()], [subAddition()], { bundle: { catalog: catalog('Project Plan 3') } });
    expect(report.findings).toMatchObject([{ kind: 'product_reference_mismatch', productIdentifier: 'VISIO-P2', expected: 'Visio Plan 2', actual: 'Project Plan 3' }]);
  });
  it('near miss: the mapped offer, in another case; or no cross-reference at all', () => {
    expect(run([withRef()], [subAddition()], { bundle: { catalog: catalog('visio plan 2') } }).findings).toEqual([]);
    expect(run([withRef()], [subAddition()], { bundle: { catalog: catalog(null) } }).findings).toEqual([]);
  });
});

describe('generated months with cross-references', () => {
  it('a consistent world stays clean and each planted reference fault is found exactly', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 2 ** 31 - 1 }), fc.subarray([...REFERENCE_KINDS]), (seed, faults) => {
        const s = generateScenario({ seed, faults, references: true, organizations: 5 });
        const report = reconcile({ lines: s.lines, bundle: s.bundle, config: s.config, now: new Date('2026-12-01T00:00:00Z') });
        const key = (f: { kind: string; agreementId?: number; organization?: string; productIdentifier?: string }) =>
          `${f.kind} ${f.agreementId ?? f.organization ?? f.productIdentifier}`;
        expect(report.findings.map(key).sort()).toEqual(s.planted.map(key).sort());
      }),
      { numRuns: 40 },
    );
  });
  it('kinds appear only when asked for', () => {
    const s = generateScenario({ seed: 5, faults: 'all', references: true });
    const report = reconcile({ lines: s.lines, bundle: s.bundle, config: s.config, now: new Date(0) });
    for (const kind of REFERENCE_KINDS) expect(only(report, kind)).toEqual([]);
  });
});
