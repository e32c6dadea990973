import { Window } from 'happy-dom';
import { afterEach, describe, expect, it } from 'vitest';
import { cwRowRecordId as recordIdOf } from '../../../core/sites/connectwise';
import { rowsToVerdicts, verdictsForAgreement } from '../../../core/app/verdicts';
import type { AdditionVerdict } from '../../../core/model';
import { reconcile } from '../../../core/reconcile';
import { generateScenario } from '../../generator';
import { renderSitePage } from '../../sandbox/sites';

// Node environment with a happy-dom Window per page: the sandbox sites read their client scripts
// from disk, which the happy-dom test environment cannot resolve.
const CW_RECORD = 'https://na.myconnectwise.net/v4_6_release/services/system_io/router/openrecord.rails?recordType=AgreementFV';

const windows: Window[] = [];
afterEach(async () => {
  for (const w of windows.splice(0)) await w.happyDOM.close();
});

function page(html: string, url = 'https://na.myconnectwise.net/'): Document {
  const window = new Window({ url });
  windows.push(window);
  window.document.write(html);
  return window.document as unknown as Document;
}

const scenario = generateScenario({ seed: 7, faults: 'all' });
const report = reconcile({ lines: scenario.lines, bundle: scenario.bundle, config: scenario.config, now: new Date('2026-12-15T00:00:00Z') });
const sitePage = (address: string) => page(renderSitePage({ lines: scenario.lines, bundle: scenario.bundle }, address).body, address);

const described = (v: AdditionVerdict) => [v.productIdentifier, v.effectiveDate, v.cancelledDate, v.quantity, v.unitPrice];

/** Each grid row's badge in row order, `id status`, as the badge layer would pick it. */
function badgesByRow(doc: Document, verdicts: AdditionVerdict[], idOf: (row: Element) => number | undefined): string[] {
  const byId = new Map(verdicts.map((v) => [v.additionId, v]));
  return Array.from(doc.querySelectorAll('tr')).flatMap((row) => {
    const v = byId.get(idOf(row) ?? NaN);
    return v ? [`${v.additionId} ${v.verdict}`] : [];
  });
}

describe('badges on an Additions grid whose rows show no record id', () => {
  it('carry the Addition descriptors in each verdict', () => {
    const agreement = report.matches![0]!.agreementId;
    const v = verdictsForAgreement(report, agreement, scenario.bundle.additions);
    for (const x of v) {
      const a = scenario.bundle.additions.find((y) => y.id === x.additionId)!;
      expect(x.productIdentifier).toBe(a.product.identifier);
      expect(x.effectiveDate).toBe(a.effectiveDate?.slice(0, 10));
      expect(x.quantity).toBe(a.quantity);
    }
    expect(verdictsForAgreement(report, agreement).every((x) => x.productIdentifier === undefined)).toBe(true);
  });

  it('match each row by its cells to the same verdict its record id names', () => {
    const judged = new Set([...(report.matches ?? []).map((m) => m.agreementId), ...report.findings.flatMap((f) => (f.additionId !== undefined && f.agreementId !== undefined ? [f.agreementId] : []))]);
    const agreements = scenario.bundle.agreements.filter((a) => judged.has(a.id));
    expect(agreements.length).toBeGreaterThan(2);
    const statuses = new Set<string>();
    let placed = 0;
    let skipped = 0;
    for (const a of agreements) {
      const url = `${CW_RECORD}&recid=${a.id}`;
      const verdicts = verdictsForAgreement(report, a.id, scenario.bundle.additions);
      const withIds = badgesByRow(sitePage(`${url}&static=1&recids=1`), verdicts, recordIdOf);
      const doc = sitePage(`${url}&static=1`);
      expect(Array.from(doc.querySelectorAll('tr')).some((tr) => recordIdOf(tr) !== undefined)).toBe(false);
      const byCells = rowsToVerdicts(doc, verdicts, { url });
      const shown = badgesByRow(doc, verdicts, (row) => byCells.get(row));
      // Only an Addition whose exact twin (every shown cell alike) has another verdict goes unbadged.
      const twinned = (v: AdditionVerdict) =>
        verdicts.some((w) => w.additionId !== v.additionId && w.verdict !== v.verdict && JSON.stringify(described(w)) === JSON.stringify(described(v)));
      const expected = withIds.filter((r) => !twinned(verdicts.find((v) => v.additionId === Number(r.split(' ')[0]))!));
      expect(shown).toEqual(expected);
      for (const r of shown) statuses.add(r.split(' ')[1]!);
      placed += shown.length;
      skipped += withIds.length - shown.length;
    }
    expect(placed).toBeGreaterThan(5);
    expect(skipped).toBeLessThan(placed / 4);
    expect([...statuses]).toEqual(expect.arrayContaining(['matched', 'mismatch', 'orphan']));
  });

  it('leave look-alike rows with different verdicts unbadged rather than guess', () => {
    const document = page(`<table><thead><tr><th>Product ID</th><th>Effective</th><th>Quantity</th><th>Price</th></tr></thead><tbody>
      <tr><td>M365-BP</td><td>2026-11-01</td><td>3</td><td>10.00</td></tr>
      <tr><td>M365-BP</td><td>2026-11-01</td><td>3</td><td>10.00</td></tr>
      <tr><td>EXO-P1</td><td>2026-11-01</td><td>1</td><td>4.00</td></tr></tbody></table>`);
    const d = { productIdentifier: 'M365-BP', effectiveDate: '2026-11-01', cancelledDate: null, quantity: 3, unitPrice: 10 };
    const rows = Array.from(document.querySelectorAll('tbody tr'));
    const unlike = rowsToVerdicts(document, [
      { additionId: 1, verdict: 'matched', fields: [], fingerprints: [], ...d },
      { additionId: 2, verdict: 'duplicate', fields: [], fingerprints: ['x'], ...d },
      { additionId: 3, verdict: 'matched', fields: [], fingerprints: [], productIdentifier: 'exo-p1', effectiveDate: '2026-11-01', quantity: 1, unitPrice: 4 },
    ]);
    expect([...unlike.entries()]).toEqual([[rows[2], 3]]);
    const alike = rowsToVerdicts(document, [
      { additionId: 1, verdict: 'duplicate', fields: [], fingerprints: ['y'], ...d },
      { additionId: 2, verdict: 'duplicate', fields: [], fingerprints: ['x'], ...d },
    ]);
    expect([...alike.entries()]).toEqual([[rows[0], 1], [rows[1], 2]]);
    // A different price breaks the tie.
    rows[1]!.children[3]!.textContent = '12.00';
    const priced = rowsToVerdicts(document, [
      { additionId: 1, verdict: 'matched', fields: [], fingerprints: [], ...d },
      { additionId: 2, verdict: 'mismatch', fields: ['unitPrice'], fingerprints: ['x'], ...d, unitPrice: 12 },
    ]);
    expect([...priced.entries()]).toEqual([[rows[0], 1], [rows[1], 2]]);
  });
});
