import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { createInputDecoder, decodeInput, htmlDepth, MAX_HTML_DEPTH } from '../../../bin/input';
import { parseCwBundle } from '../../../core/ingest';
import { InputError } from '../../../core/shared/errors';
import { recon } from '../cli/run';

// Hostile and careless input through `recon` as a user runs it: exit 2 and a message naming the
// file, row, field or argument, never a stack trace.

const dir = mkdtempSync(join(tmpdir(), 'recon-input-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));


const SLOW = { timeout: 300_000 };
const HEADER = 'Line ID,Invoice #,Invoice Date,Organization,Charge Type,Charge Start Date,Quantity,Revenue\n';
const ROW = 'L1,INV1,2026-11-01,Acme Müller GmbH,Cycle Fee,2026-11-01,1,10\n';
const file = (name: string, data: string | Uint8Array) => {
  const path = join(dir, name);
  writeFileSync(path, data);
  return path;
};
const emptyCw = file('cw.json', JSON.stringify({ companies: [], agreements: [], additions: [] }));
const noStack = (stderr: string) => expect(stderr).not.toMatch(/\n\s+at /);

describe('input decoding', () => {
  const text = HEADER + ROW;
  it('reads UTF-16 with a byte-order mark, whole and in pieces', () => {
    const le = Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(text, 'utf16le')]);
    const be = Buffer.from(Buffer.from(text, 'utf16le')).swap16();
    expect(decodeInput('x.csv', le)).toBe(text);
    expect(decodeInput('x.csv', Buffer.concat([Buffer.from([0xfe, 0xff]), be]))).toBe(text);
    const d = createInputDecoder('x.csv');
    // Split inside a character: the decoder carries the half over.
    expect(d.write(le.subarray(0, 7)) + d.write(le.subarray(7)) + d.end()).toBe(text);
  });

  it('names UTF-16 without a mark and Latin-1, with the line of the first bad byte', () => {
    expect(() => decodeInput('u16.csv', Buffer.from(text, 'utf16le'))).toThrow(/u16\.csv: the file is UTF-16 \(little-endian\) without a byte-order mark/);
    expect(() => decodeInput('l1.csv', Buffer.from(text, 'latin1'))).toThrow(/l1\.csv: the file is not UTF-8: byte 0xfc at line 2/);
    const d = createInputDecoder('l1.csv');
    const bytes = Buffer.from(text + text.replace('Line ID', 'x'), 'latin1');
    expect(() => d.write(bytes)).toThrow(InputError);
    expect(decodeInput('ok.csv', Buffer.from(`\uFEFF${text}`, 'utf8'))).toBe(text);
  });

  it('measures nesting in one pass, ignoring void elements, optional end tags and script text', () => {
    expect(htmlDepth('<div><span><img><br></span></div>')).toBe(2);
    expect(htmlDepth(`<table>${'<tr><td>x'.repeat(5000)}</table>`)).toBe(1);
    expect(htmlDepth(`<script>${'<div>'.repeat(5000)}</script><section>`)).toBe(1);
    expect(htmlDepth('<div>'.repeat(10_000))).toBe(10_000);
    expect(htmlDepth('<div>'.repeat(10_000), MAX_HTML_DEPTH)).toBe(MAX_HTML_DEPTH + 1);
  });

  it('a duplicate Addition id in one bundle is an error naming both records', () => {
    const addition = (id: number) => ({ id, agreementId: 1, quantity: 1, effectiveDate: '2026-11-01T00:00:00Z', product: { identifier: 'P' } });
    const bundle = { companies: [], agreements: [], additions: [addition(7), addition(8), addition(7)] };
    let error: unknown;
    try {
      parseCwBundle(bundle, { file: 'cw.json' });
    } catch (e) {
      error = e;
    }
    // A bundle the schema refuses for another reason would not prove anything: check it is this one.
    expect(error).toBeInstanceOf(InputError);
    expect((error as Error).message).toMatch(/additions\[0\] \(id 7\) and additions\[2\] \(id 7\) have the same id/);
    expect((error as Error).message).toMatch(/^cw\.json/);
  });
});

describe('recon with bad input', () => {
  it('unknown commands, including Object.prototype names, are named as unknown', SLOW, async () => {
    for (const name of ['__proto__', 'constructor', 'toString', 'hasOwnProperty']) {
      const r = await recon(name);
      expect(r.code).toBe(2);
      expect(r.stderr).toContain(`unknown command "${name}"`);
      noStack(r.stderr);
    }
  });

  it('an unwritable --out or --money-csv is exit 2 naming the file and option', SLOW, async () => {
    const lines = file('ok.csv', HEADER + ROW);
    const folder = join(dir, 'a-folder');
    mkdirSync(folder, { recursive: true });
    const missing = join(dir, 'no-such-folder', 'out.json');
    const out = await recon('reconcile', '--lines', lines, '--cw', emptyCw, '--out', missing);
    expect(out.code).toBe(2);
    expect(out.stderr).toContain(`${missing}: cannot write the --out file (its folder does not exist)`);
    noStack(out.stderr);
    const money = await recon('reconcile', '--lines', lines, '--cw', emptyCw, '--money-csv', folder);
    expect(money.code).toBe(2);
    expect(money.stderr).toContain(`${folder}: cannot write the --money-csv file (it is a folder)`);
    noStack(money.stderr);
  });

  it('UTF-16 with a mark reads like UTF-8; without one, and Latin-1, are named', SLOW, async () => {
    const utf8 = await recon('reconcile', '--lines', file('u8.csv', HEADER + ROW), '--cw', emptyCw, '--now', '2026-12-01T00:00:00Z');
    const utf16 = await recon('reconcile', '--lines', file('u16.csv', Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(HEADER + ROW, 'utf16le')])), '--cw', emptyCw, '--now', '2026-12-01T00:00:00Z');
    expect(utf16.code).toBe(0);
    expect(utf16.stdout).toBe(utf8.stdout);
    expect(utf16.stdout).toContain('Acme Müller GmbH');

    const bare = await recon('reconcile', '--lines', file('u16bare.csv', Buffer.from(HEADER + ROW, 'utf16le')), '--cw', emptyCw);
    expect(bare.code).toBe(2);
    expect(bare.stderr).toMatch(/u16bare\.csv: the file is UTF-16/);
    expect(bare.stderr).not.toMatch(/Excluded/);
    const latin1 = await recon('reconcile', '--lines', file('latin1.csv', Buffer.from(HEADER + ROW, 'latin1')), '--cw', emptyCw);
    expect(latin1.code).toBe(2);
    expect(latin1.stderr).toMatch(/latin1\.csv: the file is not UTF-8: byte 0xfc at line 2/);
    noStack(latin1.stderr);
  });

  it('a megabyte-long bad cell is quoted cut short', SLOW, async () => {
    const lines = file('big.csv', `${HEADER}L1,INV1,2026-11-01,Acme,Cycle Fee,${'x'.repeat(1_000_000)},1,10\n`);
    const r = await recon('reconcile', '--lines', lines, '--cw', emptyCw);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/big\.csv, row 1, field "Charge Start Date", value "x{80}…"/);
    expect(r.stderr.length).toBeLessThan(600);
  });

  it('a page nested 10,000 deep is exit 2 naming the file (scrape and reconcile)', SLOW, async () => {
    const page = file('deep.html', `<html><body>${'<div>'.repeat(10_000)}<table><tr><th>Invoice Date</th></tr></table>${'</div>'.repeat(10_000)}</body></html>`);
    for (const args of [['scrape', page], ['reconcile', '--lines', page, '--cw', emptyCw]]) {
      const r = await recon(...args);
      expect(r.code).toBe(2);
      expect(r.stderr).toContain(`${page}: the page nests its elements more than ${MAX_HTML_DEPTH} deep`);
      noStack(r.stderr);
    }
  });

  it('200,000 invalid rows with --skip-invalid and 200,000 duplicate Line IDs reconcile', SLOW, async () => {
    let invalid = HEADER;
    let dups = HEADER;
    for (let i = 0; i < 200_000; i++) {
      invalid += `L${i},INV1,2026-11-01,Acme,Cycle Fee,not-a-date,1,10\n`;
      dups += 'DUP,INV1,2026-11-01,Acme,Cycle Fee,2026-11-01,1,10\n';
    }
    const out = join(dir, 'many.json');
    const r = await recon('reconcile', '--lines', file('invalid.csv', invalid), '--lines', file('dups.csv', dups), '--cw', emptyCw, '--skip-invalid', '--out', out);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const report = JSON.parse(readFileSync(out, 'utf8')) as { coverage: { skippedRows: unknown[] } };
    expect(report.coverage.skippedRows).toHaveLength(200_000);
  });
});
