// @vitest-environment happy-dom
import { describe, expect, it } from 'vitest';
import { rowsToVerdicts } from '../../../core/app/verdicts';
import type { AdditionVerdict } from '../../../core/model';
import { rowsByPosition } from '../../../components/inpage/badges';

const GRID = `<table><thead><tr><th>Product ID</th><th>Effective</th><th>Quantity</th><th>Price</th></tr></thead><tbody>
  <tr><td>M365-BP</td><td>2026-11-01</td><td>3</td><td>10.00</td></tr>
  <tr><td>M365-BP</td><td>2026-11-01</td><td>3</td><td>10.00</td></tr>
  <tr><td>EXO-P1</td><td>2026-11-01</td><td>1</td><td>4.00</td></tr></tbody></table>`;
const d = { productIdentifier: 'M365-BP', effectiveDate: '2026-11-01', cancelledDate: null, quantity: 3, unitPrice: 10 };

describe('badges on look-alike rows', () => {
  it('tells a duplicate and its matched twin apart by their position in the agreement’s Additions', () => {
    document.body.innerHTML = GRID;
    const rows = Array.from(document.querySelectorAll('tbody tr'));
    const verdicts: AdditionVerdict[] = [
      { additionId: 7, verdict: 'duplicate', fields: [], fingerprints: ['dup'], ...d },
      { additionId: 5, verdict: 'matched', fields: [], fingerprints: [], lineId: 'L1', ...d },
      { additionId: 9, verdict: 'mismatch', fields: ['agreement'], fingerprints: ['wrong'], productIdentifier: 'EXO-P1', effectiveDate: '2026-11-01', cancelledDate: null, quantity: 1, unitPrice: 4 },
    ];
    const byCells = rowsToVerdicts(document, verdicts);
    // Cells alone settle only the unlike row (the Addition on the wrong agreement).
    expect([...byCells.entries()]).toEqual([[rows[2], 9]]);
    const placed = rowsByPosition(document, verdicts, byCells);
    // ConnectWise lists Additions by record id: the first look-alike row is the older one.
    expect([...placed.entries()]).toEqual([
      [rows[2], 9],
      [rows[0], 5],
      [rows[1], 7],
    ]);
  });

  it('badges none of the look-alikes when their count does not match the rows', () => {
    document.body.innerHTML = GRID;
    const verdicts: AdditionVerdict[] = [
      { additionId: 5, verdict: 'matched', fields: [], fingerprints: [], ...d },
      { additionId: 7, verdict: 'duplicate', fields: [], fingerprints: ['dup'], ...d },
      { additionId: 8, verdict: 'duplicate', fields: [], fingerprints: ['dup2'], ...d },
    ];
    expect(rowsByPosition(document, verdicts).size).toBe(0);
  });
});
