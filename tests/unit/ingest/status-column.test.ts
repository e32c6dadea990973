/**
 * *Status in PSA* (DESIGN §3.4): a blank cell in a present column is Not Synced, counted in
 * coverage and never compared; without the column every line counts as synced. The CSV writer
 * keeps that difference, so what it writes reads back as the lines it was given.
 */
import { describe, expect, it } from 'vitest';
import { formatLinesCsv, parseLinesCsv } from '../../../core/ingest';
import type { PlatformLine } from '../../../core/model';
import { oneTimeLine, run } from '../engine/world';

const HEADER = 'Line ID,Invoice Date,Organization,Charge Type,Charge Start Date,Charge End Date,Quantity,Revenue,PSA Organization Name,PSA Product Name';
const ROW = 'L1,2026-11-01,Acme,Item Fee,2026-11-10,2026-11-30,2,60,Acme AS,PBI-PRO';

describe('a blank Status in PSA cell', () => {
  it('reads as Not Synced in a present column, and as no status without the column', () => {
    const blank = parseLinesCsv(`${HEADER},Status in PSA\n${ROW},\n`, { file: 'blank.csv' }).lines;
    expect(blank.map((l) => l.status)).toEqual(['Not Synced']);
    const placeholder = parseLinesCsv(`${HEADER},Status in PSA\n${ROW},—\n`, { file: 'dash.csv' }).lines;
    expect(placeholder.map((l) => l.status)).toEqual(['Not Synced']);
    const noColumn = parseLinesCsv(`${HEADER}\n${ROW}\n`, { file: 'none.csv' }).lines;
    expect(noColumn[0]).not.toHaveProperty('status');
  });

  it('is not compared: no missing Addition, counted as not synced; without the column it is compared', () => {
    const [blank] = parseLinesCsv(`${HEADER},Status in PSA\n${ROW},\n`).lines as [PlatformLine];
    const notSynced = run([blank], []);
    expect(notSynced.findings.map((f) => f.kind)).not.toContain('missing_addition');
    expect(notSynced.coverage.linesSkipped.notSynced).toBe(1);

    const [unknown] = parseLinesCsv(`${HEADER}\n${ROW}\n`).lines as [PlatformLine];
    const compared = run([unknown], []);
    expect(compared.findings.filter((f) => f.kind === 'missing_addition').map((f) => f.lineId)).toEqual(['L1']);
  });
});

describe('formatLinesCsv and the status column', () => {
  it('leaves the column out when no line has a status, so the lines read back without one', () => {
    const lines = [oneTimeLine({ lineId: 'L1', row: 1 }), oneTimeLine({ lineId: 'L2', row: 2 })].map(({ status: _s, ...l }) => l as PlatformLine);
    const csv = formatLinesCsv(lines);
    expect(csv.split('\n')[0]).not.toContain('Status in PSA');
    expect(parseLinesCsv(csv).lines).toEqual(lines);
  });

  it('writes every status it holds, and reads them back', () => {
    const lines = (['Synced', 'Not Synced', 'Error', 'Response Error'] as const).map((status, i) => oneTimeLine({ lineId: `L${i + 1}`, row: i + 1, status }));
    expect(parseLinesCsv(formatLinesCsv(lines)).lines).toEqual(lines);
  });

  it('in a mix, writes a line without a status as Synced, as it counts, never as a blank cell', () => {
    const { status: _s, ...unknown } = oneTimeLine({ lineId: 'L1', row: 1 });
    const notSynced = oneTimeLine({ lineId: 'L2', row: 2, status: 'Not Synced' });
    const back = parseLinesCsv(formatLinesCsv([unknown as PlatformLine, notSynced])).lines;
    expect(back.map((l) => l.status)).toEqual(['Synced', 'Not Synced']);
  });
});
