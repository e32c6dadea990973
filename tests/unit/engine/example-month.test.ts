import { existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseCwBundle, parseLinesCsv } from '../../../core/ingest';
import type { Finding } from '../../../core/model';
import { reconcile } from '../../../core/reconcile';

/**
 * The worked month (DESIGN: examples/month-2026-11) must reconcile to exactly its expected
 * findings. It is read from the shared examples beside the repository when present, and always
 * from the copy kept in tests/fixtures; each case's title says which.
 */
const ROOT = resolve(__dirname, '../../..');
const SOURCES = [
  { name: 'shared examples (../shared/examples/month-2026-11)', dir: resolve(ROOT, '../shared/examples/month-2026-11') },
  { name: 'repository copy (tests/fixtures/examples/month-2026-11)', dir: join(ROOT, 'tests/fixtures/examples/month-2026-11') },
].filter((s) => existsSync(join(s.dir, 'expected-findings.json')));

const keyOf = (f: Pick<Finding, 'kind' | 'lineId' | 'additionId' | 'agreementId' | 'organization'>) =>
  `${f.kind} ${f.lineId ?? f.additionId ?? f.agreementId ?? f.organization}`;

describe.each(SOURCES)('month 2026-11 from the $name', ({ dir }) => {
  const read = (name: string) => readFileSync(join(dir, name), 'utf8');
  const config = JSON.parse(read('config.json'));
  const { lines, skipped } = parseLinesCsv(read('lines.csv'), { file: 'lines.csv', config });
  const bundle = parseCwBundle(read('cw.json'), { file: 'cw.json' });
  const report = reconcile({ lines, bundle, config, skippedRows: skipped, now: new Date('2026-12-01T00:00:00Z') });

  it('yields exactly the expected findings', () => {
    const expected = (JSON.parse(read('expected-findings.json')) as Finding[]).map(keyOf).sort();
    expect(report.findings.map(keyOf).sort()).toEqual(expected);
  });

  it('states its coverage: every line read is compared or skipped for a reason', () => {
    const c = report.coverage;
    expect(c.linesRead).toBe(lines.length);
    expect(c.linesCompared + Object.values(c.linesSkipped).reduce((a, b) => a + b, 0)).toBe(c.linesRead);
    expect(c.invoiceMonths).toEqual(['2026-10', '2026-11']);
    expect(report.window).toEqual({ from: '2026-10-01', to: '2026-11-30' });
    expect(c.additionsMatched).toBe(report.matches?.length);
    expect(c.cwComplete).toBe(true);
  });
});

it('found at least the repository copy of the example month', () => {
  expect(SOURCES.map((s) => s.dir)).toContain(join(ROOT, 'tests/fixtures/examples/month-2026-11'));
});
