import { readFileSync } from 'node:fs';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { formatLinesCsv, parseLinesCsv } from '../../../core/ingest';
import { PlatformLine } from '../../../core/model';
import { lines as arbLines } from './arbitraries';
import { errorOf } from './errors';

// A copy of ../shared/examples/month-2026-11/lines.csv, the worked example month.
const EXAMPLE_LINES = new URL('../../fixtures/csv/month-2026-11-lines.csv', import.meta.url);
const fixture = (name: string) => readFileSync(new URL(`../../fixtures/csv/${name}`, import.meta.url), 'utf8');


const HEADER = 'Invoice Date,Organization,Charge Type,Charge Start Date,Quantity,Revenue';

describe('parseLinesCsv', () => {
  it('parses the worked example month cleanly (56 lines)', () => {
    const r = parseLinesCsv(readFileSync(EXAMPLE_LINES, 'utf8'), { file: 'lines.csv' });
    expect(r.lines).toHaveLength(56);
    expect(r.skipped).toEqual([]);
    expect(r.warnings).toEqual([]);
    for (const l of r.lines) expect(PlatformLine.safeParse(l).success).toBe(true);
    const badged = r.lines.find((l) => l.lineId === 'L00012');
    expect(badged).toMatchObject({ chargeType: 'Monthly subscription', chargeTypeBadge: 'System Updated', quantity: 10, revenue: 140, status: 'Synced' });
  });

  it('matches headers by alias, case, spaces and punctuation, and ignores unknown columns', () => {
    const r = parseLinesCsv(fixture('aliases.csv'), { file: 'aliases.csv' });
    expect(r.lines).toEqual([
      {
        lineId: 'A-1',
        row: 1,
        invoiceNumber: 'INV-1',
        invoiceDate: '2026-11-01',
        organization: 'Kestrel Inc',
        organizationRef: 'ORG-1',
        subscription: 'Visio (Kestrel #1)',
        offer: 'Visio Plan 2',
        contractId: 'IC-1',
        chargeType: 'CycleFee',
        chargeStartDate: '2026-11-01',
        quantity: 3,
        cost: 30,
        revenue: 45.5,
        psaOrganizationName: 'Kestrel Inc',
        psaProductName: 'VISIO-P2',
        psaAgreementName: 'Microsoft 365 Monthly',
        status: 'Not Synced',
        excluded: true,
      },
    ]);
  });

  it('detects ; and tab delimiters and drops a BOM', () => {
    const semi = parseLinesCsv('\uFEFF' + HEADER.replace(/,/g, ';') + '\n2026-11-01;"Delta; Oy";CycleFee;2026-11-01;2;10.5\n');
    expect(semi.lines[0]).toMatchObject({ organization: 'Delta; Oy', quantity: 2, revenue: 10.5, lineId: 'row-1' });
    const tab = parseLinesCsv(HEADER.replace(/,/g, '\t') + '\r\n2026-11-01\tDelta, Oy\tCycleFee\t2026-11-01\t2\t10.5\r\n');
    expect(tab.lines[0]).toMatchObject({ organization: 'Delta, Oy', revenue: 10.5 });
  });

  it('reads every date form, badges in cells, thousands separators and currency symbols', () => {
    const r = parseLinesCsv(fixture('formats.csv'), { file: 'formats.csv' });
    expect(r.lines.map((l) => [l.invoiceDate, l.chargeStartDate, l.chargeStartDateBadge, l.chargeEndDate, l.chargeEndDateBadge, l.quantity, l.revenue, l.cost])).toEqual([
      ['2026-11-01', '2026-11-01', 'System Updated', '2026-11-30', undefined, 1200, 1234.56, -10],
      ['2026-11-01', '2026-11-15', undefined, '2026-11-30', 'User Updated', 1, -380.29, 2000],
      ['2026-11-01', '2026-11-03', undefined, undefined, undefined, 2, 1000000, 0.5],
    ]);
    expect(r.lines[0]?.chargeTypeBadge).toBe('System Updated');
    expect(r.lines[0]?.chargeType).toBe('Monthly subscription');
  });

  it('reads slashed dates with config dateFormat and a decimal comma with decimalSeparator', () => {
    const csv = `${HEADER.replace(/,/g, ';')}\n03/04/2026;Delta Oy;CycleFee;03/04/2026;1,5;"1.234,56 €"\n`;
    const us = parseLinesCsv(csv, { config: { dateFormat: 'MM/DD/YYYY', decimalSeparator: ',' } });
    expect(us.lines[0]).toMatchObject({ invoiceDate: '2026-03-04', quantity: 1.5, revenue: 1234.56 });
    const eu = parseLinesCsv(csv, { config: { dateFormat: 'DD/MM/YYYY', decimalSeparator: ',' } });
    expect(eu.lines[0]).toMatchObject({ invoiceDate: '2026-04-03' });
    const e = errorOf(() => parseLinesCsv(csv, { file: 'x.csv', config: { decimalSeparator: ',' } }));
    expect(e.message).toMatch(/x\.csv, row 1, field "Invoice Date", value "03\/04\/2026": slashed dates need config dateFormat/);
  });

  it('a bad value is an error naming file, row, column and value', () => {
    const e = errorOf(() => parseLinesCsv(fixture('bad-rows.csv'), { file: 'bad-rows.csv' }));
    expect(e).toMatchObject({ file: 'bad-rows.csv', row: 2, field: 'Charge Start Date', value: '2026-13-01' });
    expect(e.message).toBe('bad-rows.csv, row 2, field "Charge Start Date", value "2026-13-01": not a date (expected YYYY-MM-DD or DD.MM.YYYY)');
  });

  it('skipInvalid keeps the good rows and lists each skipped one', () => {
    const r = parseLinesCsv(fixture('bad-rows.csv'), { file: 'bad-rows.csv', skipInvalid: true });
    expect(r.lines.map((l) => l.lineId)).toEqual(['B-1', 'B-5']);
    expect(r.skipped).toEqual([
      { file: 'bad-rows.csv', row: 2, column: 'Charge Start Date', value: '2026-13-01', message: expect.stringMatching(/not a date/) },
      { file: 'bad-rows.csv', row: 3, column: 'Quantity', value: 'three', message: expect.stringMatching(/not a number/) },
      { file: 'bad-rows.csv', row: 4, column: 'Revenue', value: '', message: 'Revenue: is empty' },
      { file: 'bad-rows.csv', row: 6, column: 'Status in PSA', value: 'Maybe', message: expect.stringMatching(/not a PSA status/) },
    ]);
    expect(r.warnings).toEqual(['4 invalid rows skipped in bad-rows.csv']);
  });

  it('a missing required column is an error naming it', () => {
    const e = errorOf(() => parseLinesCsv('Invoice Date,Organization,Charge Type,Charge Start Date,Quantity\n2026-11-01,A,CycleFee,2026-11-01,1\n', { file: 'f.csv' }));
    expect(e).toMatchObject({ file: 'f.csv', field: 'Revenue' });
    expect(e.message).toMatch(/missing required column "Revenue"/);
    const org = errorOf(() => parseLinesCsv('Invoice Date,PSA Organization Name,Charge Type,Charge Start Date,Quantity,Revenue\n'));
    expect(org.message).toMatch(/Organization/);
  });

  it('malformed CSV (unclosed quote, extra fields) names the row', () => {
    const quote = errorOf(() => parseLinesCsv(`${HEADER}\n2026-11-01,A,CycleFee,2026-11-01,1,2\n2026-11-01,"B,CycleFee,2026-11-01,1,2\n`, { file: 'q.csv' }));
    expect(quote.message).toMatch(/q\.csv, row 2.*malformed CSV/);
    const extra = errorOf(() => parseLinesCsv(`${HEADER}\n2026-11-01,A,CycleFee,2026-11-01,1,2,surplus\n`, { file: 'e.csv' }));
    expect(extra.message).toMatch(/e\.csv, row 1.*7 fields but the header has 6/);
    expect(() => parseLinesCsv('', { file: 'empty.csv' })).toThrow(/empty\.csv: the file is empty/);
  });

  it('warns about a header without rows and repeated Line IDs', () => {
    expect(parseLinesCsv(`${HEADER}\n`).warnings).toEqual(['the CSV has a header but no invoice lines']);
    const dup = parseLinesCsv(`Line ID,${HEADER}\nX,2026-11-01,A,CycleFee,2026-11-01,1,2\nX,2026-11-01,A,CycleFee,2026-11-01,1,2\n`);
    expect(dup.warnings[0]).toMatch(/"X" appears more than once/);
  });
});

describe('formatLinesCsv', () => {
  it('writes the example file\'s canonical header', () => {
    const header = readFileSync(EXAMPLE_LINES, 'utf8').split(/\r?\n/)[0];
    expect(formatLinesCsv([]).split('\n')[0]).toBe(header);
  });

  it('round-trips the example and generated lines through parseLinesCsv', () => {
    const example = parseLinesCsv(readFileSync(EXAMPLE_LINES, 'utf8')).lines;
    expect(parseLinesCsv(formatLinesCsv(example)).lines).toEqual(example);
    fc.assert(
      fc.property(arbLines(10), (lines) => {
        expect(parseLinesCsv(formatLinesCsv(lines)).lines).toEqual(lines);
      }),
      { numRuns: 50 },
    );
  });
});
