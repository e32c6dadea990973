import type { AdditionVerdict, CwAddition, Finding, FindingKind, Report } from '../model';
import { findingFingerprint } from '../model/fingerprint';
import { additionRowElement, readCwAdditionsGrid, type CwGridOptions } from '../ingest/cw-grid';
import { isoDatePart } from '../shared/dates';

const FIELD_KINDS: ReadonlySet<FindingKind> = new Set([
  'effective_date_mismatch',
  'cancelled_date_mismatch',
  'quantity_mismatch',
  'unit_price_mismatch',
  'description_mismatch',
  'addition_not_billed',
  'less_included',
  'product_mismatch',
]);

/** Kinds about a line whose Addition sits on an agreement the line does not expect. */
const ELSEWHERE_KINDS: ReadonlySet<FindingKind> = new Set(['wrong_agreement', 'agreement_not_found', 'company_not_found']);

const FIELD_OF: Partial<Record<FindingKind, string>> = {
  effective_date_mismatch: 'effectiveDate',
  cancelled_date_mismatch: 'cancelledDate',
  quantity_mismatch: 'quantity',
  unit_price_mismatch: 'unitPrice',
  description_mismatch: 'description',
  addition_not_billed: 'billCustomer',
  less_included: 'lessIncluded',
  product_mismatch: 'product',
  wrong_agreement: 'agreement',
  agreement_not_found: 'agreement',
  company_not_found: 'company',
};

/**
 * One verdict per ConnectWise Addition of an agreement, for the badges on its Additions grid:
 * matched, mismatch (with the fields that differ), orphan (not on the Platform) or duplicate.
 * Additions the run never judged (out of scope) get no verdict, so no badge.
 */
export function verdictsForAgreement(report: Report, agreementId: number, additions: readonly CwAddition[] = []): AdditionVerdict[] {
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
    } else if (ELSEWHERE_KINDS.has(finding.kind) && finding.additionId !== undefined && finding.agreementId === agreementId) {
      // The Addition on this grid belongs to a line that expects another agreement: badge it as
      // differing in its agreement (or company), naming the line.
      note(finding.additionId, finding, 'mismatch');
      const v = byAddition.get(finding.additionId)!;
      if (v.lineId === undefined && finding.lineId !== undefined) v.lineId = finding.lineId;
    } else if (FIELD_KINDS.has(finding.kind) && finding.lineId !== undefined) {
      const additionId = finding.additionId ?? lineToAddition.get(finding.lineId);
      if (additionId !== undefined && byAddition.has(additionId)) note(additionId, finding, 'mismatch');
    }
  }
  const known = new Map(additions.map((a) => [a.id, a]));
  for (const v of byAddition.values()) {
    const a = known.get(v.additionId);
    if (a) Object.assign(v, descriptorsOf(a));
  }
  return [...byAddition.values()].sort((a, b) => a.additionId - b.additionId);
}

type Descriptors = Pick<AdditionVerdict, 'productIdentifier' | 'effectiveDate' | 'cancelledDate' | 'quantity' | 'unitPrice'>;

function descriptorsOf(a: CwAddition): Descriptors {
  const out: Descriptors = { productIdentifier: a.product.identifier, cancelledDate: isoDatePart(a.cancelledDate) };
  const effective = isoDatePart(a.effectiveDate);
  if (effective) out.effectiveDate = effective;
  if (typeof a.quantity === 'number') out.quantity = a.quantity;
  if (typeof a.unitPrice === 'number') out.unitPrice = a.unitPrice;
  return out;
}

const sameNumber = (x: number | undefined, y: number | undefined) => x !== undefined && y !== undefined && Math.abs(x - y) < 1e-6;
const sameText = (x: string | undefined, y: string | undefined) => x !== undefined && y !== undefined && x.trim().toLowerCase() === y.trim().toLowerCase();

/** The verdicts a row's cells could be: product, effective date and quantity, then price and cancellation to narrow. */
function candidatesFor(row: Descriptors, verdicts: readonly AdditionVerdict[]): AdditionVerdict[] {
  let found = verdicts.filter(
    (v) => sameText(v.productIdentifier, row.productIdentifier) && v.effectiveDate === row.effectiveDate && sameNumber(v.quantity, row.quantity),
  );
  const narrow = (keep: (v: AdditionVerdict) => boolean) => {
    const kept = found.filter(keep);
    if (kept.length > 0) found = kept;
  };
  if (found.length > 1 && row.unitPrice !== undefined) narrow((v) => sameNumber(v.unitPrice, row.unitPrice));
  if (found.length > 1) narrow((v) => (v.cancelledDate ?? null) === (row.cancelledDate ?? null));
  return found;
}

/**
 * Ties each Additions-grid row that shows no record id to the Addition verdict whose descriptors
 * equal its cells, read with the capture's own column mapping. A row that could be several
 * Additions gets no badge, unless those Additions are as many as the rows that look alike and
 * carry the very same verdict, so whichever pairing is true the badges read the same.
 */
export function rowsToVerdicts(root: ParentNode, verdicts: readonly AdditionVerdict[], opts: CwGridOptions = {}): Map<Element, number> {
  const out = new Map<Element, number>();
  const described = verdicts.filter((v) => v.productIdentifier !== undefined);
  if (described.length === 0) return out;
  const groups = new Map<string, { rows: Element[]; candidates: AdditionVerdict[] }>();
  for (const a of readCwAdditionsGrid(root, opts).additions) {
    const element = additionRowElement(a);
    if (!element) continue;
    const candidates = candidatesFor(descriptorsOf(a), described);
    if (candidates.length === 0) continue;
    const key = candidates.map((v) => v.additionId).sort((x, y) => x - y).join(',');
    const group = groups.get(key) ?? { rows: [], candidates };
    group.rows.push(element);
    groups.set(key, group);
  }
  const claimed = new Map<number, number>();
  for (const g of groups.values()) for (const v of g.candidates) claimed.set(v.additionId, (claimed.get(v.additionId) ?? 0) + 1);
  for (const { rows, candidates } of groups.values()) {
    // A verdict wanted by differently-looking rows cannot be placed with confidence.
    if (candidates.some((v) => claimed.get(v.additionId) !== 1) || rows.length !== candidates.length) continue;
    const first = candidates[0]!;
    const alike = candidates.every((v) => v.verdict === first.verdict && v.fields.join() === first.fields.join());
    if (candidates.length > 1 && !alike) continue;
    const ordered = [...candidates].sort((x, y) => x.additionId - y.additionId);
    rows.forEach((row, i) => out.set(row, ordered[i]!.additionId));
  }
  return out;
}
