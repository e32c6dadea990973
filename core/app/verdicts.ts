import type { Finding, FindingKind, Report } from '../model';
import type { AdditionVerdict } from '../protocol/messages';
import { findingFingerprint } from '../model/fingerprint';

const FIELD_KINDS: ReadonlySet<FindingKind> = new Set([
  'effective_date_mismatch',
  'cancelled_date_mismatch',
  'quantity_mismatch',
  'unit_price_mismatch',
  'description_mismatch',
]);

const FIELD_OF: Partial<Record<FindingKind, string>> = {
  effective_date_mismatch: 'effectiveDate',
  cancelled_date_mismatch: 'cancelledDate',
  quantity_mismatch: 'quantity',
  unit_price_mismatch: 'unitPrice',
  description_mismatch: 'description',
};

/**
 * One verdict per ConnectWise Addition of an agreement, for the badges on its Additions grid:
 * matched, mismatch (with the fields that differ), orphan (not on the Platform) or duplicate.
 * Additions the run never judged (out of scope) get no verdict, so no badge.
 */
export function verdictsForAgreement(report: Report, agreementId: number): AdditionVerdict[] {
  const byAddition = new Map<number, AdditionVerdict>();
  const lineToAddition = new Map<string, number>();

  for (const match of report.matches ?? []) {
    if (match.agreementId !== agreementId) continue;
    byAddition.set(match.additionId, {
      additionId: match.additionId,
      verdict: 'matched',
      fields: [],
      lineId: match.lineId,
      fingerprints: [],
    });
    for (const lineId of [match.lineId, ...(match.lineIds ?? [])]) lineToAddition.set(lineId, match.additionId);
  }

  const note = (additionId: number, finding: Finding, verdict: AdditionVerdict['verdict']) => {
    const current = byAddition.get(additionId) ?? { additionId, verdict, fields: [], fingerprints: [] };
    // A duplicate or orphan says more than a field difference; a field difference more than a match.
    const rank = { matched: 0, mismatch: 1, orphan: 2, duplicate: 3 } as const;
    if (rank[verdict] > rank[current.verdict]) current.verdict = verdict;
    if (verdict === 'mismatch') {
      const field = finding.field ?? FIELD_OF[finding.kind];
      if (field && !current.fields.includes(field)) current.fields.push(field);
    }
    current.fingerprints.push(findingFingerprint(finding));
    byAddition.set(additionId, current);
  };

  for (const finding of report.findings) {
    if (finding.kind === 'orphan_addition' && finding.additionId !== undefined && finding.agreementId === agreementId) {
      note(finding.additionId, finding, 'orphan');
    } else if (finding.kind === 'duplicate_addition' && finding.additionId !== undefined) {
      if (finding.agreementId === agreementId || byAddition.has(finding.additionId)) note(finding.additionId, finding, 'duplicate');
    } else if (FIELD_KINDS.has(finding.kind) && finding.lineId !== undefined) {
      const additionId = finding.additionId ?? lineToAddition.get(finding.lineId);
      if (additionId !== undefined && byAddition.has(additionId)) note(additionId, finding, 'mismatch');
    }
  }
  return [...byAddition.values()].sort((a, b) => a.additionId - b.additionId);
}
