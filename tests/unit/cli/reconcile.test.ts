import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Papa from 'papaparse';
import { afterAll, describe, expect, it } from 'vitest';
import { formatLinesCsv } from '../../../core/ingest';
import { Report, type Finding } from '../../../core/model';
import { generateScenario, type PlantedFault } from '../../generator';
import { recon as reconCli, runProcess } from './run';

// The `recon reconcile` command as a user runs it (DESIGN §4.5), spawned through npx tsx.

const dir = mkdtempSync(join(tmpdir(), 'recon-cli-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** As the issue asks: `npx tsx bin/recon.ts` (npm's own notices are dropped from stderr). */
async function viaNpx(...args: string[]) {
  const r = await runProcess('npx', ['tsx', 'bin/recon.ts', 'reconcile', ...args]);
  return { ...r, stderr: r.stderr.replace(/^npm warn.*\n?/gm, '') };
}

/** The same entry point without npm's start-up, for the many exit-code cases. */
function recon(...args: string[]) {
  return reconCli('reconcile', ...args);
}


// Spawning tsx takes seconds on a loaded machine; these limits are not performance checks.
const SLOW = { timeout: 600_000 };

function writeScenario(name: string, faults: 'all' | 'none', seed: number) {
  const s = generateScenario({ seed, faults, organizations: 6 });
  const files = { lines: join(dir, `${name}.csv`), cw: join(dir, `${name}.json`), config: join(dir, `${name}.config.json`) };
  writeFileSync(files.lines, formatLinesCsv(s.lines));
  writeFileSync(files.cw, JSON.stringify(s.bundle));
  writeFileSync(files.config, JSON.stringify(s.config));
  return { ...files, planted: s.planted };
}

const keyOf = (f: Pick<Finding, 'kind' | 'lineId' | 'additionId' | 'agreementId' | 'organization'> | PlantedFault) =>
  `${f.kind} ${f.lineId ?? f.additionId ?? f.agreementId ?? f.organization}`;

describe('recon reconcile', () => {
  const faulty = writeScenario('faulty', 'all', 2026);
  const clean = writeScenario('clean', 'none', 7);

  it('finds every planted fault of a generated month and nothing else (json)', SLOW, async () => {
    const r = await viaNpx('--lines', faulty.lines, '--cw', faulty.cw, '--config', faulty.config, '--format', 'json', '--now', '2026-12-01T00:00:00Z');
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const report = Report.parse(JSON.parse(r.stdout));
    expect(report.generatedAt).toBe('2026-12-01T00:00:00.000Z');
    expect(report.findings.map(keyOf).sort()).toEqual(faulty.planted.map(keyOf).sort());
  });

  it('exits 1 with --fail-on when findings reach that level, 0 otherwise; writes --out', SLOW, async () => {
    expect((await recon('--lines', faulty.lines, '--cw', faulty.cw, '--config', faulty.config, '--fail-on', 'error', '--format', 'csv')).code).toBe(1);
    const out = join(dir, 'clean.txt');
    const r = await recon('--lines', clean.lines, '--cw', clean.cw, '--config', clean.config, '--fail-on', 'warn', '--format', 'text', '--out', out);
    expect(r.code).toBe(0);
    expect(r.stdout).toBe('');
    expect(readFileSync(out, 'utf8')).toMatch(/^CW Reconciler report[\s\S]*Coverage[\s\S]*Findings: 0/);
  });

  it('csv output has one row per finding', SLOW, async () => {
    const r = await recon('--lines', faulty.lines, '--cw', faulty.cw, '--config', faulty.config, '--format', 'csv');
    expect(r.code).toBe(0);
    const rows = Papa.parse<Record<string, string>>(r.stdout, { header: true, skipEmptyLines: true }).data;
    expect(rows.map((row) => `${row.kind} ${row.lineId || row.additionId || row.agreementId || row.organization}`).sort()).toEqual(faulty.planted.map(keyOf).sort());
  });

  it('explains every option with --help', SLOW, async () => {
    const r = await recon('--help');
    expect(r.code).toBe(0);
    for (const option of ['--lines', '--cw', '--config', '--format', '--out', '--skip-invalid', '--fail-on', '--now']) expect(r.stdout).toContain(option);
  });

  it('exits 2 on bad usage', SLOW, async () => {
    const missing = await recon('--lines', clean.lines);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toMatch(/--cw/);
    expect((await recon('--lines', clean.lines, '--cw', clean.cw, '--format', 'xml')).code).toBe(2);
  });

  it('exits 2 naming file, row, column and value for bad input; --skip-invalid reports the row instead', SLOW, async () => {
    const text = readFileSync(clean.lines, 'utf8').split('\n');
    text[2] = text[2]!.replace(/,2026-1[01]-\d\d,/, ',2026-13-45,');
    const badDate = join(dir, 'bad-date.csv');
    writeFileSync(badDate, text.join('\n'));
    const r = await recon('--lines', badDate, '--cw', clean.cw, '--config', clean.config);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/bad-date\.csv/);
    expect(r.stderr).toMatch(/2026-13-45/);

    const skipped = await recon('--lines', badDate, '--cw', clean.cw, '--config', clean.config, '--skip-invalid');
    expect(skipped.code).toBe(0);
    const report = Report.parse(JSON.parse(skipped.stdout));
    expect(report.coverage.skippedRows).toHaveLength(1);
    expect(report.coverage.linesSkipped.invalid).toBe(1);

    const malformed = join(dir, 'malformed.csv');
    writeFileSync(malformed, readFileSync(clean.lines, 'utf8').replace(/\n([^\n]*)\n/, '\n"$1\n'));
    const broken = await recon('--lines', malformed, '--cw', clean.cw);
    expect(broken.code).toBe(2);
    expect(broken.stderr).toMatch(/malformed\.csv/);

    const header = readFileSync(clean.lines, 'utf8').replace(/^[^\n]*/, (h) => h.replace('Quantity', 'Seats'));
    const noQty = join(dir, 'no-qty.csv');
    writeFileSync(noQty, header);
    const col = await recon('--lines', noQty, '--cw', clean.cw);
    expect(col.code).toBe(2);
    expect(col.stderr).toMatch(/Quantity/);

    const bundle = JSON.parse(readFileSync(clean.cw, 'utf8'));
    delete bundle.additions[0].agreementId;
    const noAgreement = join(dir, 'no-agreement.json');
    writeFileSync(noAgreement, JSON.stringify(bundle));
    const cw = await recon('--lines', clean.lines, '--cw', noAgreement);
    expect(cw.code).toBe(2);
    expect(cw.stderr).toMatch(/no-agreement\.json/);
    expect(cw.stderr).toMatch(/agreementId/);

    const badConfig = join(dir, 'bad-config.json');
    writeFileSync(badConfig, JSON.stringify({ revenue: 'gross' }));
    const cfg = await recon('--lines', clean.lines, '--cw', clean.cw, '--config', badConfig);
    expect(cfg.code).toBe(2);
    expect(cfg.stderr).toMatch(/bad-config\.json, field "revenue", value "gross"/);
  });
});
