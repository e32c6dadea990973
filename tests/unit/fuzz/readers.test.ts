/**
 * Arbitrary input through every reader: each run must end in a result or in the reader's own
 * named error (InputError naming the file, StorageError for backups), never in a crash (a
 * TypeError, a RangeError) and never hang. Inputs mix raw noise with near-valid files, since
 * noise alone rarely gets past a header check. Run counts stay modest so the suite stays fast;
 * a failure prints fast-check's seed and shrunk counterexample to replay.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseCwBundle, parseLinesCsv } from '../../../core/ingest';
import { InputError } from '../../../core/shared/errors';
import { parseBackup } from '../../../storage/backup';
import { StorageError } from '../../../storage/errors';
import { decodeInput } from '../../../bin/input';
import { scrapeHtml } from '../../../bin/load';
import { formatLinesCsv } from '../../../core/ingest/csv-write';
import { lines } from '../ingest/arbitraries';

/** Runs `read`; answers 'ok' or 'named' and rethrows anything that is not the expected error. */
function outcome<T>(read: () => T, named: (e: unknown) => boolean): 'ok' | 'named' {
  try {
    read();
    return 'ok';
  } catch (error) {
    if (named(error)) return 'named';
    throw error;
  }
}

const isInputError = (e: unknown) => e instanceof InputError && e.message.length > 0 && e.message.length < 2000;

const hostileCell = fc.oneof(
  fc.string(),
  fc.constantFrom('', '"', '""', '"a""b"', '=cmd', '-1+1', '1,5', '1.234,56 €', '2026-11-01', '31.11.2026', '01/02/2026', 'Yes', '\r', '\n', '\u0000', '\uFEFF', 'x'.repeat(500)),
);
const HEADERS = ['Line ID', 'Invoice #', 'Invoice Date', 'Organization', 'Charge Type', 'Charge Start Date', 'Quantity', 'Revenue', 'Excluded from Sync', 'Currency', 'Unknown'];

/** A header row from the known columns (some dropped, some repeated) and rows of hostile cells. */
const nearCsv = fc
  .record({
    header: fc.subarray(HEADERS, { minLength: 1 }),
    extra: fc.array(fc.constantFrom(...HEADERS, ''), { maxLength: 2 }),
    rows: fc.array(fc.array(hostileCell, { maxLength: 12 }), { maxLength: 8 }),
    delimiter: fc.constantFrom(',', ';', '\t'),
    newline: fc.constantFrom('\n', '\r\n', '\r'),
  })
  .map(({ header, extra, rows, delimiter, newline }) =>
    [[...header, ...extra], ...rows].map((r) => r.map((c) => (/[",;\t\r\n]/.test(c) ? `"${c.replace(/"/g, '""')}"` : c)).join(delimiter)).join(newline),
  );

describe('fuzz: CSV reader', () => {
  it('noise, near-valid exports and corrupted valid ones end in lines or a named error', () => {
    const valid = lines(6).map((ls) => formatLinesCsv(ls));
    const corrupted = fc.tuple(valid, fc.nat(), fc.string({ maxLength: 4 })).map(([text, at, junk]) => text.slice(0, at % (text.length + 1)) + junk + text.slice(at % (text.length + 1)));
    fc.assert(
      fc.property(fc.oneof(fc.string(), fc.string({ unit: 'binary' }), nearCsv, corrupted), fc.boolean(), (text, skipInvalid) => {
        const got = outcome(() => parseLinesCsv(text, { file: 'fuzz.csv', skipInvalid }), isInputError);
        expect(['ok', 'named']).toContain(got);
      }),
      { numRuns: 150 },
    );
  });

  it('a valid export always reads back', () => {
    fc.assert(
      fc.property(lines(6), (ls) => {
        const parsed = parseLinesCsv(formatLinesCsv(ls), { file: 'fuzz.csv' });
        expect(parsed.lines).toHaveLength(ls.length);
      }),
      { numRuns: 50 },
    );
  });
});

describe('fuzz: bundle reader', () => {
  const addition = fc.record(
    {
      id: fc.oneof(fc.integer(), fc.string(), fc.constant(null)),
      agreementId: fc.oneof(fc.integer({ min: 1, max: 5 }), fc.string()),
      quantity: fc.oneof(fc.double(), fc.integer(), fc.string()),
      effectiveDate: fc.oneof(fc.constant('2026-11-01T00:00:00Z'), fc.string()),
      product: fc.oneof(fc.record({ identifier: fc.string() }), fc.constant(null), fc.string()),
    },
    { requiredKeys: [] },
  );
  const nearBundle = fc.record(
    {
      companies: fc.array(fc.record({ id: fc.integer(), name: fc.string(), identifier: fc.string() }, { requiredKeys: [] }), { maxLength: 3 }),
      agreements: fc.array(fc.record({ id: fc.integer(), name: fc.string(), company: fc.record({ id: fc.integer() }) }, { requiredKeys: [] }), { maxLength: 3 }),
      additions: fc.array(addition, { maxLength: 6 }),
      complete: fc.anything(),
    },
    { requiredKeys: [] },
  );

  it('arbitrary JSON values, texts and near-valid bundles end in a bundle or a named error', () => {
    fc.assert(
      fc.property(fc.oneof(fc.jsonValue(), fc.string(), fc.json(), nearBundle, nearBundle.map((b) => JSON.stringify(b))), (input) => {
        expect(['ok', 'named']).toContain(outcome(() => parseCwBundle(input, { file: 'fuzz.json' }), isInputError));
      }),
      { numRuns: 300 },
    );
  });
});

describe('fuzz: page reader', () => {
  const tag = fc.constantFrom('div', 'table', 'tr', 'td', 'th', 'span', 'thead', 'tbody', 'a', 'input', 'script', 'p');
  const fragment: fc.Arbitrary<string> = fc.letrec((tie) => ({
    node: fc.oneof(
      { depthSize: 'small', withCrossShrink: true },
      fc.constantFrom('Invoice Date', 'Charge Type', 'Organization', 'Quantity', 'Revenue', '01.11.2026', '12,50 €', 'Cycle Fee', '', '<', '&amp;', '<!--'),
      fc.string({ maxLength: 8 }),
      fc
        .tuple(tag, fc.constantFrom('', ' role="grid"', ' class="cw-ml-row"', ' cellindex="1"', ' role="columnheader"', ' aria-rowcount="9"'), fc.array(tie('node'), { maxLength: 4 }))
        .map(([t, attrs, kids]) => `<${t}${attrs}>${kids.join('')}</${t}>`),
    ),
  })).node;

  it('arbitrary markup ends in a scrape result or a named error', { timeout: 120_000 }, async () => {
    await fc.assert(
      fc.asyncProperty(fc.oneof(fc.string(), fragment.map((f) => `<html lang="de"><body>${f}</body></html>`)), async (html) => {
        let got: 'ok' | 'named';
        try {
          const result = await scrapeHtml(html, { file: 'fuzz.html' });
          expect(typeof result.screen).toBe('string');
          got = 'ok';
        } catch (error) {
          if (!isInputError(error)) throw error;
          got = 'named';
        }
        expect(['ok', 'named']).toContain(got);
      }),
      { numRuns: 60 },
    );
  });

  it('bytes in any encoding decode or are named', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 64 }), (bytes) => {
        expect(['ok', 'named']).toContain(outcome(() => decodeInput('fuzz.csv', bytes), isInputError));
      }),
      { numRuns: 300 },
    );
  });
});

describe('fuzz: backup reader', () => {
  const nearBackup = fc.record(
    {
      format: fc.oneof(fc.constant('cw-reconciler/backup'), fc.string()),
      version: fc.oneof(fc.constant(1), fc.integer(), fc.double(), fc.string()),
      exportedAt: fc.oneof(fc.constant('2026-11-01T00:00:00Z'), fc.anything()),
      data: fc.oneof(
        fc.record(
          {
            mappings: fc.array(fc.anything(), { maxLength: 2 }),
            captures: fc.array(fc.record({ id: fc.string() }, { requiredKeys: [] }), { maxLength: 2 }),
            captureData: fc.array(fc.record({ id: fc.string() }, { requiredKeys: [] }), { maxLength: 2 }),
            runs: fc.constant([]),
            resolutions: fc.array(fc.anything(), { maxLength: 2 }),
            dictionary: fc.constant([]),
          },
          { requiredKeys: [] },
        ),
        fc.anything(),
      ),
      settings: fc.anything(),
      damaged: fc.anything(),
    },
    { requiredKeys: [] },
  );

  it('arbitrary files end in a backup or a named StorageError', () => {
    const named = (e: unknown) => e instanceof StorageError && ['invalid-import', 'future-version'].includes(e.code) && e.message.length < 2000;
    fc.assert(
      fc.property(fc.oneof(fc.anything(), fc.string(), fc.json(), nearBackup, nearBackup.map((b) => JSON.stringify(b))), (file) => {
        expect(['ok', 'named']).toContain(outcome(() => parseBackup(file), named));
      }),
      { numRuns: 300 },
    );
  });
});
