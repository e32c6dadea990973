// @vitest-environment happy-dom
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { readPlatformGrid, rowKey } from '../../../core/ingest';
import type { PlatformLine } from '../../../core/model';
import { lines as arbLines } from './arbitraries';
import { DEFAULT_COLUMNS, page, renderPlatformGrid, type PlatformLayout, type RenderOptions } from './render-platform';

const parse = (html: string) => new DOMParser().parseFromString(html, 'text/html');
const LAYOUTS: PlatformLayout[] = ['table', 'aria', 'aggrid'];

function read(lines: PlatformLine[], layout: PlatformLayout, o: RenderOptions = {}, config = {}) {
  return readPlatformGrid(parse(page(renderPlatformGrid(lines, layout, o))), { config });
}

const sample: PlatformLine[] = [
  {
    lineId: 'L1',
    row: 1,
    invoiceDate: '2026-11-01',
    organization: 'Delta Oy',
    chargeType: 'Monthly subscription',
    chargeTypeBadge: 'System Updated',
    chargeStartDate: '2026-11-01',
    chargeStartDateBadge: 'User Updated',
    chargeEndDate: '2026-11-30',
    quantity: 1200,
    revenue: 12345.67,
    cost: -0.5,
    currency: 'EUR',
    psaOrganizationName: 'Delta Oy',
    status: 'Synced',
    excluded: true,
  },
  { lineId: 'L2', row: 2, invoiceDate: '2026-11-01', organization: 'Birch BV', chargeType: 'Correction', chargeStartDate: '2026-11-19', quantity: 1, revenue: -293.08, excluded: false },
];

describe('readPlatformGrid round trip (property)', () => {
  for (const layout of LAYOUTS) {
    it(`reads back generated lines from the ${layout} layout`, () => {
      fc.assert(
        fc.property(arbLines(8), fc.boolean(), (lines, shuffle) => {
          const r = read(lines, layout, { shuffle, total: { shown: lines.length, style: layout === 'aria' ? 'aria' : 'pager' } });
          expect(r.skipped).toEqual([]);
          expect(r.lines).toEqual(lines);
          expect(r.diagnostics).toMatchObject({ found: true, layout, complete: true, rowsRead: lines.length, totalShown: lines.length, missingRequired: [] });
        }),
        { numRuns: 25 },
      );
    });

    it(`reads localized ${layout} grids (dotted dates, decimal comma, thousands, currency)`, () => {
      fc.assert(
        fc.property(arbLines(6), fc.constantFrom<RenderOptions['money']>('symbol', 'code'), fc.constantFrom<RenderOptions['badges']>('chip', 'text', 'title'), (lines, money, badges) => {
          const o: RenderOptions = { dates: 'dotted', decimal: ',', thousands: true, money, badges, excluded: 'text' };
          const r = read(lines, layout, o, { decimalSeparator: ',' });
          expect(r.skipped).toEqual([]);
          expect(r.lines).toEqual(lines);
        }),
        { numRuns: 15 },
      );
    });
  }
});

describe('readPlatformGrid layouts', () => {
  it('maps columns by header text in any order, with aliases, ignoring extra columns', () => {
    const columns = [...DEFAULT_COLUMNS].reverse();
    const labels = { organization: 'Customer', quantity: 'Qty', revenue: 'Revenue Total Price', invoiceNumber: 'Invoice No', status: 'Sync Status' } as const;
    for (const layout of LAYOUTS) {
      const r = read(sample, layout, { columns, labels, extra: ['Mapping Status', 'Notes'] });
      // L2's Sync Status cell is blank: in a present column that is Not Synced.
      expect(r.lines).toEqual([sample[0], { ...sample[1], status: 'Not Synced' }]);
      expect(r.diagnostics.columns).toEqual(expect.arrayContaining(['Customer', 'Qty', 'Notes']));
    }
  });

  it('numbers rows without a Line ID column as row-N, using the grid row index', () => {
    const columns = DEFAULT_COLUMNS.filter((c) => c !== 'lineId');
    const r = read(sample, 'aggrid', { columns, firstIndex: 0 });
    expect(r.lines.map((l) => l.lineId)).toEqual(['row-1', 'row-2']);
  });

  it('finds the invoices grid among other tables on the page', () => {
    const other = '<table><thead><tr><th>Name</th><th>Value</th></tr></thead><tbody><tr><td>a</td><td>1</td></tr></tbody></table>';
    const doc = parse(page(other + renderPlatformGrid(sample, 'table')));
    expect(readPlatformGrid(doc).lines).toHaveLength(2);
  });
});

describe('readPlatformGrid diagnostics', () => {
  it('a page without the grid: found false and a problem, no lines', () => {
    const r = readPlatformGrid(parse(page('<p>Welcome</p><table><tr><th>Name</th></tr><tr><td>x</td></tr></table>')));
    expect(r.lines).toEqual([]);
    expect(r.diagnostics.found).toBe(false);
    expect(r.diagnostics.complete).toBe(false);
    expect(r.diagnostics.problems[0]).toMatch(/No invoices grid/);
  });

  it('a grid missing a required column names it and reads nothing', () => {
    for (const layout of LAYOUTS) {
      const r = read(sample, layout, { columns: DEFAULT_COLUMNS.filter((c) => c !== 'revenue') });
      expect(r.diagnostics).toMatchObject({ found: true, complete: false, missingRequired: ['Revenue'] });
      expect(r.lines).toEqual([]);
      expect(r.diagnostics.problems.join(' ')).toMatch(/"Revenue".*Columns/);
    }
  });

  it('an empty grid is never a clean capture', () => {
    for (const layout of LAYOUTS) {
      const silent = read([], layout);
      expect(silent.diagnostics).toMatchObject({ found: true, rowsRead: 0, complete: false });
      expect(silent.diagnostics.problems.join(' ')).toMatch(/no rows/i);
      const said = read([], layout, { emptyMessage: 'No rows to show' });
      expect(said.diagnostics.problems.join(' ')).toMatch(/empty.*No rows to show/);
    }
  });

  it('a half-rendered grid (rows not filled yet) is incomplete', () => {
    const html = renderPlatformGrid(sample, 'table').replace(/<tr data-row-index="1">.*?<\/tr>/s, (row) => row.replace(/<td>.*?<\/td>/gs, '<td></td>'));
    const r = readPlatformGrid(parse(page(html)));
    expect(r.lines).toHaveLength(1);
    expect(r.diagnostics.complete).toBe(false);
    expect(r.diagnostics.problems.join(' ')).toMatch(/not rendered yet/);
  });

  it('rows read short of the grid total (paged) are reported', () => {
    for (const layout of LAYOUTS) {
      const r = read(sample, layout, { total: { shown: 56, style: layout === 'aria' ? 'aria' : 'pager', page: [1, 28] } });
      expect(r.diagnostics).toMatchObject({ totalShown: 56, rowsRead: 2, complete: false });
      expect(r.diagnostics.problems.join(' ')).toMatch(/Read 2 of the 56 rows/);
    }
    const summary = read(sample, 'table', { total: { shown: 2, style: 'summary' } });
    expect(summary.diagnostics).toMatchObject({ totalShown: 2, complete: true });
  });

  it('a scrolled virtual window (rows not starting at the top) is incomplete', () => {
    const r = read(sample, 'aggrid', { firstIndex: 40 });
    expect(r.diagnostics.complete).toBe(false);
    expect(r.diagnostics.problems.join(' ')).toMatch(/before row 41/);
  });

  it('invalid cells become skipped rows naming row, column and value', () => {
    const html = renderPlatformGrid(sample, 'table').replace('12345.67', '12x45');
    const r = readPlatformGrid(parse(page(html)), { file: 'grid.html' });
    expect(r.lines.map((l) => l.lineId)).toEqual(['L2']);
    expect(r.skipped).toEqual([{ file: 'grid.html', row: 1, column: 'Revenue', value: '12x45', message: expect.stringMatching(/Revenue: not a number/) }]);
    expect(r.diagnostics.complete).toBe(true);
  });
});

describe('rowKey', () => {
  it('keys by Line ID when shown, by content otherwise, so pages merge without double counting', () => {
    expect(rowKey(sample[0] as PlatformLine)).toBe('id:L1');
    const columns = DEFAULT_COLUMNS.filter((c) => c !== 'lineId');
    const firstPage = read(sample, 'table', { columns }).lines;
    const overlapping = read([sample[1] as PlatformLine], 'table', { columns, firstIndex: 1 }).lines;
    const merged = new Map([...firstPage, ...overlapping].map((l) => [rowKey(l), l]));
    expect(merged.size).toBe(2);
    expect(rowKey(firstPage[1] as PlatformLine)).toBe(rowKey(overlapping[0] as PlatformLine));
    expect(rowKey(firstPage[0] as PlatformLine)).not.toBe(rowKey(firstPage[1] as PlatformLine));
  });
});
