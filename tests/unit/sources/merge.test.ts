import { describe, expect, it } from 'vitest';
import type { CwAddition, CwBundle } from '../../../core/model';
import { reconcile } from '../../../core/reconcile';
import { agreementState, mergeSources, readStatesOf, type CwSource } from '../../../core/sources';
import { workedMonth, WORKED_MONTH_NOW } from '../worked-month';

const { config, lines, bundle: full } = workedMonth();
const NOW = WORKED_MONTH_NOW;

const of = (bundle: CwBundle, ids: number[]): CwBundle => ({
  ...bundle,
  agreements: bundle.agreements.filter((a) => ids.includes(a.id)),
  additions: bundle.additions.filter((a) => ids.includes(a.agreementId)),
});
/** The worked month's agreement as a captured page shows it: one agreement, its company, no status. */
function page(id: number, additions?: CwAddition[]): CwBundle {
  const agreement = full.agreements.find((a) => a.id === id)!;
  const company = full.companies.find((c) => c.id === agreement.company.id)!;
  return {
    companies: [{ id: company.id, name: company.name, identifier: company.identifier }],
    agreements: [{ id, name: agreement.name, company: { id: company.id, name: company.name } }],
    additions: additions ?? full.additions.filter((a) => a.agreementId === id),
    complete: true,
  };
}
const findings = (bundle: CwBundle) => reconcile({ lines, bundle, config, now: NOW }).findings;

describe('read state of one source (DESIGN §3.5)', () => {
  it('a complete bundle reads every agreement it lists; named gaps are partly read', () => {
    const reads = readStatesOf({ ...full, complete: false, incompleteAgreementIds: [3018] });
    expect(agreementState(reads, 3018)).toBe('partial');
    expect(agreementState(reads, 3010)).toBe('read');
    expect(agreementState(reads, 999)).toBe('unread');
    expect(reads.companies).toBe(true);
  });
  it('complete: false naming no gap leaves every agreement partly read and the company list unknown', () => {
    const reads = readStatesOf({ ...full, complete: false });
    expect(full.agreements.every((a) => agreementState(reads, a.id) === 'partial')).toBe(true);
    expect(reads.companies).toBe(false);
  });
  it('a page reads its own agreement only and lists no company whole', () => {
    const { reads } = mergeSources([{ kind: 'page', bundle: page(3010) }]);
    expect(reads.agreements).toEqual({ 3010: 'read' });
    expect(reads.companies).toBe(false);
    expect(reads.companiesListed).toEqual([]);
  });
});

describe('mergeSources: which source wins', () => {
  it('a complete:false bundle naming no gaps stays partly read after merging with one that names its gaps', () => {
    const vague: CwSource = { kind: 'file', bundle: { ...of(full, [3001, 3005]), complete: false } };
    const named: CwSource = { kind: 'file', bundle: { ...of(full, [3009, 3010]), complete: false, incompleteAgreementIds: [3010] } };
    for (const order of [[vague, named], [named, vague]]) {
      const { bundle, reads } = mergeSources(order);
      expect(reads.agreements).toEqual({ 3001: 'partial', 3005: 'partial', 3009: 'read', 3010: 'partial' });
      expect(bundle.complete).toBe(false);
      expect(bundle.incompleteAgreementIds).toEqual([3001, 3005, 3010]);
    }
  });
  it('merged with a bundle that names a gap, the unknown gaps of the first still hide nothing', () => {
    const vague = { ...full, complete: false };
    const named = { ...of(full, [3018]), additions: [], complete: false, incompleteAgreementIds: [3018] };
    const judged = (b: CwBundle) => findings(b).filter((f) => ['missing_addition', 'orphan_addition', 'duplicate_addition'].includes(f.kind));
    expect(judged(vague)).toEqual([]);
    expect(judged(mergeSources([{ kind: 'file', bundle: vague }, { kind: 'file', bundle: named }]).bundle)).toEqual([]);
    expect(judged(mergeSources([{ kind: 'file', bundle: named }, { kind: 'file', bundle: vague }]).bundle)).toEqual([]);
  });
  it('a complete read beats a later partial one; among complete reads the newest wins', () => {
    const older = { kind: 'page' as const, bundle: page(3010), at: '2026-12-01T09:00:00Z' };
    const cut = { kind: 'page' as const, bundle: { ...page(3010, full.additions.filter((a) => a.agreementId === 3010).slice(0, 1)), complete: false, incompleteAgreementIds: [3010] }, at: '2026-12-01T10:00:00Z' };
    const merged = mergeSources([cut, older]);
    expect(merged.reads.agreements).toEqual({ 3010: 'read' });
    expect(merged.bundle.additions.length).toBe(full.additions.filter((a) => a.agreementId === 3010).length);

    const newer = { kind: 'page' as const, bundle: page(3010, full.additions.filter((a) => a.agreementId === 3010).slice(1)), at: '2026-12-01T11:00:00Z' };
    expect(mergeSources([newer, older]).bundle.additions.map((a) => a.id)).toEqual(newer.bundle.additions.map((a) => a.id).sort((a, b) => a - b));
  });
  it('a page never erases what a pull said about its agreement, whichever is newer', () => {
    const pull: CwSource = { kind: 'api', bundle: full, at: '2026-12-01T09:00:00Z' };
    const shown: CwSource = { kind: 'page', bundle: { ...page(3039), agreements: [{ id: 3039, name: 'Agreement 3039', company: { id: 124 } }] }, at: '2026-12-01T10:00:00Z' };
    const { bundle } = mergeSources([pull, shown]);
    const agreement = bundle.agreements.find((a) => a.id === 3039)!;
    expect(agreement.agreementStatus).toBe('Cancelled');
    expect(agreement.name).toBe(full.agreements.find((a) => a.id === 3039)!.name);
  });
  it('folds a page\'s made-up ids into the real ones of the same company and agreement', () => {
    const p = page(3010);
    const synthetic: CwBundle = {
      ...p,
      companies: [{ ...p.companies[0]!, id: -5 }],
      agreements: [{ ...p.agreements[0]!, id: -7, company: { id: -5, name: p.companies[0]!.name } }],
      additions: p.additions.map((a) => ({ ...a, agreementId: -7 })),
    };
    const { bundle, reads } = mergeSources([{ kind: 'file', bundle: full }, { kind: 'page', bundle: synthetic }]);
    expect(bundle.companies.length).toBe(full.companies.length);
    expect(bundle.agreements.length).toBe(full.agreements.length);
    expect(reads.agreements['-7']).toBeUndefined();
    expect(bundle.additions.length).toBe(full.additions.length);
  });
});
