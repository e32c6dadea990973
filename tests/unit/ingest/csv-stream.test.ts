import { describe, expect, it } from 'vitest';
import { formatLinesCsv, LinesCsvReader, parseLinesCsv, readLinesCsv } from '../../../core/ingest';
import type { PlatformLine } from '../../../core/model';
import { generateLarge } from '../../generator';
import { errorOf } from './errors';

function pieces(text: string, size: number): string[] {
  const out: string[] = [];
  for (let i = 0; i < text.length; i += size) out.push(text.slice(i, i + size));
  return out;
}

/** Row ends as CRLF, line breaks inside quoted fields left as they are. */
function rowEndsAsCrlf(csv: string): string {
  let out = '';
  let quoted = false;
  let from = 0;
  for (let i = 0; i < csv.length; i++) {
    const ch = csv[i];
    if (ch === '"') quoted = !quoted;
    else if (ch === '\n' && !quoted) {
      out += csv.slice(from, i) + '\r\n';
      from = i + 1;
    }
  }
  return out + csv.slice(from);
}

// Well past the first megabyte, so rows are read while later pieces are still to come.
const { lines: generated } = generateLarge(6_000, 7);
const text = formatLinesCsv(generated);

describe('the CSV reader over pieces', () => {
  it('reads a file of several megabytes in pieces of any size exactly as the whole text', async () => {
    expect(text.length).toBeGreaterThan(1.2 * 2 ** 20);
    const whole = parseLinesCsv(text, { file: 'big.csv' });
    expect(whole.lines).toEqual(generated);
    for (const size of [4093, 65_521, 1 << 20]) {
      expect(await readLinesCsv(pieces(text, size), { file: 'big.csv' })).toEqual(whole);
    }
  });

  it('keeps CRLF line ends, quoted fields with delimiters and line breaks, and a BOM across pieces', async () => {
    const quoted = generated.map((l, i): PlatformLine => (i % 97 === 0 ? { ...l, organization: `${l.organization}, "Ltd"\nBranch` } : l));
    const crlf = '\uFEFF' + rowEndsAsCrlf(formatLinesCsv(quoted));
    const whole = parseLinesCsv(crlf, { file: 'q.csv' });
    expect(whole.lines.map((l) => l.organization)).toEqual(quoted.map((l) => l.organization));
    for (const size of [3_001, 1 << 16]) expect(await readLinesCsv(pieces(crlf, size), { file: 'q.csv' })).toEqual(whole);
  });

  it('names the row of an unclosed quote however the text is cut', async () => {
    const broken = text.replace(/\n(GL\d+),/, (_m, id: string) => `\n${id},"`);
    const e = errorOf(() => parseLinesCsv(broken, { file: 'b.csv' }));
    expect(e.message).toMatch(/^b\.csv, row 1, field "\(row\)".*malformed CSV \(Quoted field unterminated\)/s);
    const reader = new LinesCsvReader({ file: 'b.csv' });
    for (const p of pieces(broken, 8_191)) reader.push(p);
    expect(errorOf(() => reader.end()).message).toBe(e.message);
  });

  it('reports an empty stream as an empty file', async () => {
    await expect(readLinesCsv(['', '\uFEFF', '  \n'], { file: 'e.csv' })).rejects.toThrow(/e\.csv: the file is empty/);
  });
});
