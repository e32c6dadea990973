import { execFile } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { loadCw, loadLines } from '../../../bin/load';
import scrape from '../../../bin/commands/scrape';
import { InputError } from '../../../core/shared/errors';

const root = join(dirname(fileURLToPath(import.meta.url)), '../../..');
const pages = join(root, 'tests/fixtures/pages');
// Copies of ../shared/examples/month-2026-11 (the worked example month).
const EXAMPLE_LINES = join(root, 'tests/fixtures/csv/month-2026-11-lines.csv');
const EXAMPLE_CW = join(root, 'tests/fixtures/bundles/month-2026-11-cw.json');
const tmp = mkdtempSync(join(tmpdir(), 'ingest-load-'));

async function rejection(p: Promise<unknown>): Promise<InputError> {
  try {
    await p;
  } catch (err) {
    if (err instanceof InputError) return err;
    throw err;
  }
  throw new Error('expected an InputError');
}

describe('loadLines', () => {
  it('reads the example CSV', async () => {
    const r = await loadLines(EXAMPLE_LINES, {}, { skipInvalid: false });
    expect(r.lines).toHaveLength(56);
  });

  it('reads a saved Platform invoices page like its CSV export', async () => {
    const r = await loadLines(join(pages, 'platform-invoices-table.html'), {}, { skipInvalid: false });
    const csv = (await loadLines(EXAMPLE_LINES, {}, { skipInvalid: false })).lines;
    expect(r.lines).toHaveLength(8);
    for (const l of r.lines) expect(l).toEqual({ ...csv.find((c) => c.lineId === l.lineId), row: l.row });
    expect(r.warnings).toEqual([]);
  });

  it('warns when a saved page holds only part of the grid', async () => {
    const r = await loadLines(join(pages, 'platform-invoices-paged.html'), {}, { skipInvalid: false });
    expect(r.lines).toHaveLength(4);
    expect(r.warnings.join(' ')).toMatch(/Read 4 of the 8 rows/);
  });

  it('a bad cell in a saved page is an error naming file, row, column, value unless skipInvalid', async () => {
    const { readFileSync } = await import('node:fs');
    const html = readFileSync(join(pages, 'platform-invoices-table.html'), 'utf8').replace('<td>2026-11-15', '<td>15/11/2026');
    const file = join(tmp, 'bad.html');
    writeFileSync(file, html);
    const e = await rejection(loadLines(file, {}, { skipInvalid: false }));
    expect(e).toMatchObject({ file, field: 'Charge Start Date', value: '15/11/2026' });
    const skipped = await loadLines(file, {}, { skipInvalid: true });
    expect(skipped.skipped).toEqual([expect.objectContaining({ file, column: 'Charge Start Date', value: '15/11/2026' })]);
    expect(skipped.lines).toHaveLength(7);
  });

  it('pages without the invoices grid, and missing files, are input errors naming the file', async () => {
    const noGrid = join(pages, 'platform-dashboard-no-grid.html');
    expect((await rejection(loadLines(noGrid, {}, { skipInvalid: false }))).message).toMatch(/platform-dashboard-no-grid\.html: not a Platform invoices page/);
    const cw = join(pages, 'cw-additions-en-us.html');
    expect((await rejection(loadLines(cw, {}, { skipInvalid: false }))).message).toMatch(/cw-additions-en-us\.html: this is a ConnectWise agreement's Additions tab, not the Platform/);
    expect((await rejection(loadLines(join(tmp, 'nope.csv'), {}, { skipInvalid: false }))).message).toMatch(/nope\.csv: file not found/);
  });
});

describe('loadCw', () => {
  it('reads a JSON bundle', async () => {
    const b = await loadCw([EXAMPLE_CW], {});
    expect(b.additions).toHaveLength(44);
  });

  it('folds a saved Additions page into the bundle without duplicating objects', async () => {
    const b = await loadCw([join(pages, 'cw-additions-en-us.html'), EXAMPLE_CW], {});
    expect(b.companies).toHaveLength(8);
    expect(b.agreements).toHaveLength(12);
    expect(b.additions).toHaveLength(44);
    // The bundle file reads every agreement whole, the page its own again: nothing left partial.
    expect(b.complete).toBe(true);
  });

  it('turns saved pages alone into a bundle per agreement', async () => {
    const b = await loadCw([join(pages, 'cw-additions-extra-columns.html'), join(pages, 'cw-additions-de-reordered.html')], {});
    expect(b.agreements.map((a) => [a.id, a.name])).toEqual([
      [3010, 'Microsoft 365 Monthly'],
      [3023, 'Cloud Services Cobalt'],
    ]);
    expect(b.companies.map((c) => c.name).sort()).toEqual(['Cobalt AB', 'Delta Oy']);
    expect(b.additions.filter((a) => a.agreementId === 3010)).toHaveLength(6);
    expect(b.agreements.find((a) => a.id === 3010)?.currency?.currencyCode).toBe('GBP');
  });

  it('dates a page leaves ambiguous need config dateFormat', async () => {
    const { readFileSync } = await import('node:fs');
    // Keep only rows whose dates read both ways (day and month both 12 or less).
    const html = readFileSync(join(pages, 'cw-additions-extra-columns.html'), 'utf8').replace(/<tr class="cw-ml-row[^]*?<\/tr>/g, (row) =>
      /\b(1[3-9]|2\d|3[01])\/\d+\/2026/.test(row) ? '' : row,
    );
    const file = join(tmp, 'ambiguous.html');
    writeFileSync(file, html);
    const e = await rejection(loadCw([file], {}));
    expect(e.message).toMatch(/ambiguous\.html, field "Effective": .*DMY or MDY.*dateFormat/);
    const b = await loadCw([file], { dateFormat: 'DD/MM/YYYY' });
    expect(b.additions.length).toBeGreaterThan(0);
    expect(b.additions.every((a) => a.effectiveDate?.startsWith('2026-'))).toBe(true);
  });

  it('a bad file is an InputError naming it', async () => {
    expect((await rejection(loadCw([join(root, 'tests/fixtures/bundles/missing-agreement-id.json')], {}))).message).toMatch(
      /missing-agreement-id\.json, additions\[1\] \(id 50013\), field "agreementId"/,
    );
    expect((await rejection(loadCw([join(pages, 'platform-invoices-table.html')], {}))).message).toMatch(/platform-invoices-table\.html: this is the Platform's Mapping → Invoices grid, not a ConnectWise/);
  });
});

describe('recon scrape', () => {
  const out: string[] = [];
  afterEach(() => {
    vi.restoreAllMocks();
    out.length = 0;
  });
  const capture = () => {
    vi.spyOn(console, 'log').mockImplementation((s: string) => void out.push(s));
    vi.spyOn(console, 'error').mockImplementation((s: string) => void out.push(s));
  };

  it('prints the capture of a saved page as JSON', async () => {
    capture();
    expect(await scrape([join(pages, 'cw-additions-en-us.html')])).toBe(0);
    const result = JSON.parse(out[0] ?? '');
    expect(result).toMatchObject({ screen: 'connectwise.additions', agreement: { id: 3015 }, diagnostics: { found: true, complete: true } });
    expect(result.url).toMatch(/recid=3015/);
  });

  it('--url supplies the address a page does not carry', async () => {
    capture();
    const file = join(tmp, 'no-url.html');
    const { readFileSync } = await import('node:fs');
    writeFileSync(file, readFileSync(join(pages, 'cw-additions-en-us.html'), 'utf8').replace(/<!-- saved from[^>]*-->/, ''));
    await scrape([file, '--url', 'https://na.myconnectwise.net/x/openrecord.rails?locale=en_US&recordType=AgreementFV&recid=777']);
    expect(JSON.parse(out[0] ?? '').agreement.id).toBe(777);
  });

  it('exits 2 on a page without a recognisable grid (real CLI)', async () => {
    const run = promisify(execFile);
    const err = await run(join(root, 'node_modules/.bin/tsx'), ['bin/recon.ts', 'scrape', join(pages, 'platform-dashboard-no-grid.html')], { cwd: root }).catch((e: { code: number; stderr: string }) => e);
    expect(err).toMatchObject({ code: 2 });
    expect((err as { stderr: string }).stderr).toMatch(/No recognisable grid/);
  }, 90_000);
});
