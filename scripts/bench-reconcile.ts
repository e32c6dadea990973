/**
 * `npm run bench:reconcile` (DESIGN §8): the whole `recon reconcile` process against the naive
 * floor (a Node script that only reads both files, splits the CSV into lines and fields and
 * `JSON.parse`s the bundle), both as separate processes on the same files, in the same run.
 *
 * Months of 25k and 100k lines are generated (tests/generator) against three Additions for every
 * four lines (75k Additions at 100k lines, the bottom of §8's 75k–100k range): most of a large
 * partner's lines are the monthly fees of subscriptions that run through both loaded months, two
 * lines sharing one persistent Addition (DESIGN §3.3). The months still reconcile clean. They are
 * written as the Platform CSV export and a ConnectWise bundle, and each
 * side is timed alternately, the median of RUNS. Both sides run under plain `node`: the CLI from
 * one bundle of `bin/recon.ts` built by esbuild before any timing (what a built CLI runs; a
 * TypeScript loader would add the same start-up to both sides and flatter the ratio), the floor
 * as a plain script. Peak memory is the process's maximum RSS. Time ratios are of wall time;
 * CPU time (user + system, GC threads included) is printed beside them, since a loaded machine
 * stretches wall time more than CPU time.
 *
 * `--big` instead checks the streaming reader: an export of at least 200 MB must reconcile in
 * at most 1.5 GB (DESIGN §8 memory budget); it prints the peak RSS of the CLI and of the floor on that file.
 */
import { spawnSync } from 'node:child_process';
import { createWriteStream, existsSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { performance } from 'node:perf_hooks';
import { build } from 'esbuild';
import { formatLinesCsv } from '../core/ingest';
import type { PlatformLine } from '../core/model';
import { generateLarge } from '../tests/generator';

const ROOT = resolve(import.meta.dirname, '..');
const RUNS = Math.max(3, Number(process.env.BENCH_RUNS ?? 3));
const NOW = '2026-12-01T00:00:00Z';
const TIME = '/usr/bin/time';
/** Additions per Platform line in the generated months (DESIGN §8: 100k lines against ~75k Additions). */
const ADDITIONS_PER_LINE = Number(process.env.BENCH_ADDITIONS_PER_LINE ?? 0.75);

/** What the floor does and no more: keep every row's fields and the parsed bundle alive to the end. */
const FLOOR_SOURCE = `import { readFileSync } from 'node:fs';
const [csvPath, jsonPath] = process.argv.slice(2);
const rows = readFileSync(csvPath, 'utf8').split('\\n').map((line) => line.split(','));
const bundle = JSON.parse(readFileSync(jsonPath, 'utf8'));
let fields = 0;
for (const r of rows) fields += r.length;
process.stdout.write(rows.length + ' rows, ' + fields + ' fields, ' + bundle.additions.length + ' additions\\n');
`;

/** Reports the child's own peak RSS where /usr/bin/time is missing. */
const RSS_PRELOAD = `import { writeFileSync } from 'node:fs';
process.on('exit', () => writeFileSync(process.env.BENCH_RSS_FILE, String(process.resourceUsage().maxRSS)));
`;

interface Month {
  label: string;
  lines: number;
  additions: number;
  csv: string;
  json: string;
  config: string;
  csvBytes: number;
}

interface Sample {
  wallMs: number;
  cpuMs: number;
  rssMb: number;
}

const dir = mkdtempSync(join(tmpdir(), 'bench-reconcile-'));
const floorScript = join(dir, 'floor.mjs');
const preload = join(dir, 'rss.mjs');
writeFileSync(floorScript, FLOOR_SOURCE);
writeFileSync(preload, RSS_PRELOAD);
const hasTime = existsSync(TIME);
// Inside the project, so the few packages left out of the bundle (the DOM, for pages) resolve.
const cliBundle = join(ROOT, 'node_modules', '.cache', 'bench-reconcile', 'recon.mjs');

/** The CLI as one file, built once before anything is timed. */
async function buildCli(): Promise<void> {
  await build({
    entryPoints: [join(ROOT, 'bin', 'recon.ts')],
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node20',
    outfile: cliBundle,
    external: ['happy-dom'],
    logLevel: 'warning',
  });
}

function writeMonth(label: string, n: number, seed: number): Month {
  const scenario = generateLarge(n, seed, { additionsPerLine: ADDITIONS_PER_LINE });
  const csv = join(dir, `${label}.csv`);
  const json = join(dir, `${label}.json`);
  const config = join(dir, `${label}.config.json`);
  writeFileSync(csv, formatLinesCsv(scenario.lines));
  writeFileSync(json, JSON.stringify(scenario.bundle));
  writeFileSync(config, JSON.stringify(scenario.config));
  return { label, lines: scenario.lines.length, additions: scenario.bundle.additions.length, csv, json, config, csvBytes: statSync(csv).size };
}

/** Runs one process to its end; wall time from here, CPU and peak RSS from /usr/bin/time (or the preload). */
function run(argv: string[], what: string): Sample & { stdout: string } {
  const rssFile = join(dir, 'rss.txt');
  const [cmd, args] = hasTime ? [TIME, ['-f', '%U %S %M', ...argv]] : [argv[0] as string, ['--import', preload, ...argv.slice(1)]];
  const start = performance.now();
  const out = spawnSync(cmd, args, { cwd: ROOT, encoding: 'utf8', maxBuffer: 1 << 26, env: { ...process.env, BENCH_RSS_FILE: rssFile } });
  const wallMs = performance.now() - start;
  if (out.status !== 0) throw new Error(`${what} exited ${out.status}: ${out.stderr.slice(-2000)}`);
  if (hasTime) {
    const last = out.stderr.trim().split('\n').pop() ?? '';
    const [user, sys, kb] = last.split(' ').map(Number);
    return { wallMs, cpuMs: ((user ?? 0) + (sys ?? 0)) * 1000, rssMb: (kb ?? 0) / 1024, stdout: out.stdout };
  }
  return { wallMs, cpuMs: Number.NaN, rssMb: Number(readFileSync(rssFile, 'utf8')) / 1024, stdout: out.stdout };
}

const ours = (m: Month, out = '/dev/null') => [
  process.execPath,
  cliBundle,
  'reconcile',
  '--lines',
  m.csv,
  '--cw',
  m.json,
  '--config',
  m.config,
  '--format',
  'json',
  '--out',
  out,
  '--now',
  NOW,
];
const floor = (m: Month) => [process.execPath, floorScript, m.csv, m.json];

function median(values: number[]): number {
  const s = [...values].sort((a, b) => a - b);
  const mid = Math.floor(s.length / 2);
  return s.length % 2 ? (s[mid] as number) : ((s[mid - 1] as number) + (s[mid] as number)) / 2;
}

interface Measured {
  ours: Sample;
  floor: Sample;
  findings: number;
}

/** Alternating runs (the order flips each round, so neither side always runs on a warmer cache). */
function measure(m: Month): Measured {
  const samples: Record<'ours' | 'floor', Sample[]> = { ours: [], floor: [] };
  const sides = [
    ['floor', () => run(floor(m), 'floor')],
    ['ours', () => run(ours(m), 'recon reconcile')],
  ] as const;
  for (let i = 0; i < RUNS; i++) {
    const order = i % 2 ? [...sides].reverse() : sides;
    for (const [name, fn] of order) samples[name].push(fn());
  }
  const med = (s: Sample[]): Sample => ({ wallMs: median(s.map((x) => x.wallMs)), cpuMs: median(s.map((x) => x.cpuMs)), rssMb: median(s.map((x) => x.rssMb)) });
  // One more run that keeps the report, to check the generated month reconciles clean.
  const reportPath = join(dir, `${m.label}.report.json`);
  run(ours(m, reportPath), 'recon reconcile');
  const findings = (JSON.parse(readFileSync(reportPath, 'utf8')) as { findings: unknown[] }).findings.length;
  rmSync(reportPath);
  return { ours: med(samples.ours), floor: med(samples.floor), findings };
}

const s = (ms: number) => `${(ms / 1000).toFixed(2)} s`;
const mb = (x: number) => `${x.toFixed(0)} MB`;

function print(m: Month, r: Measured): void {
  console.log(
    `${m.label}: ${m.lines} lines, ${m.additions} additions, CSV ${mb(m.csvBytes / 2 ** 20)} | ` +
      `recon ${s(r.ours.wallMs)} (cpu ${s(r.ours.cpuMs)}) ${mb(r.ours.rssMb)} | ` +
      `floor ${s(r.floor.wallMs)} (cpu ${s(r.floor.cpuMs)}) ${mb(r.floor.rssMb)} | findings ${r.findings}`,
  );
}

function standard(): boolean {
  console.log(`median of ${RUNS} alternating runs per side; peak memory from ${hasTime ? '/usr/bin/time' : 'process.resourceUsage()'}; load average ${loadavg().map((l) => l.toFixed(1)).join(' ')}`);
  console.log(`generated months: ${ADDITIONS_PER_LINE} Additions per line (subscriptions through both months share one Addition)`);
  // A small month first, so the file cache is warm for every measured run.
  run(ours(writeMonth('warm', 2_000, 7)), 'recon reconcile (warm-up)');
  const small = writeMonth('25k', 25_000, 20261130);
  const large = writeMonth('100k', 100_000, 20261130);
  const rs = measure(small);
  print(small, rs);
  const rl = measure(large);
  print(large, rl);

  const timeRatio = rl.ours.wallMs / rl.floor.wallMs;
  const memRatio = rl.ours.rssMb / rl.floor.rssMb;
  const growth = rl.ours.wallMs / rs.ours.wallMs;
  const clean = rs.findings === 0 && rl.findings === 0;
  console.log('');
  console.log(`at 100k: ${large.lines} lines against ${large.additions} Additions`);
  console.log(`time   recon / floor at 100k: ${timeRatio.toFixed(2)} (budget <= 3; cpu ${(rl.ours.cpuMs / rl.floor.cpuMs).toFixed(2)}; at 25k ${(rs.ours.wallMs / rs.floor.wallMs).toFixed(2)})`);
  console.log(`memory recon / floor at 100k: ${memRatio.toFixed(2)} (budget <= 2; at 25k ${(rs.ours.rssMb / rs.floor.rssMb).toFixed(2)})`);
  console.log(`growth 25k -> 100k, recon time: ${growth.toFixed(2)}x (budget <= 4.5x; cpu ${(rl.ours.cpuMs / rs.ours.cpuMs).toFixed(2)}x; floor ${(rl.floor.wallMs / rs.floor.wallMs).toFixed(2)}x)`);
  console.log(`load average at the end: ${loadavg().map((l) => l.toFixed(1)).join(' ')} (${cpus().length} cores)`);
  console.log(`generated months reconcile clean: ${clean ? 'yes' : `no (${rs.findings} / ${rl.findings} findings)`}`);
  return timeRatio <= 3 && memRatio <= 2 && growth <= 4.5 && clean;
}

/**
 * An export of at least 200 MB: a generated month of 100k lines (each with its Addition in the
 * bundle), then copies of its lines under their own Line IDs marked *Excluded from Sync*, so every
 * row goes through the whole reader (every value parsed and checked) while the month stays clean
 * and the bundle stays that of one large partner. Streamed to disk a copy at a time.
 */
async function writeBig(targetBytes: number): Promise<Month> {
  const csv = join(dir, 'big.csv');
  const json = join(dir, 'big.json');
  const config = join(dir, 'big.config.json');
  const scenario = generateLarge(100_000, 20261130);
  const out = createWriteStream(csv);
  let lines = 0;
  let bytes = 0;
  for (let copy = 0; bytes < targetBytes; copy++) {
    const batch: PlatformLine[] = copy === 0 ? scenario.lines : scenario.lines.map((l) => ({ ...l, lineId: `X${copy}-${l.lineId}`, excluded: true }));
    let text = formatLinesCsv(batch);
    if (copy > 0) text = text.slice(text.indexOf('\n') + 1);
    bytes += Buffer.byteLength(text);
    lines += batch.length;
    if (!out.write(text)) await new Promise<void>((r) => out.once('drain', () => r()));
  }
  await new Promise<void>((r, j) => out.end((err?: Error | null) => (err ? j(err) : r())));
  writeFileSync(json, JSON.stringify(scenario.bundle));
  writeFileSync(config, JSON.stringify(scenario.config));
  return { label: 'big', lines, additions: scenario.bundle.additions.length, csv, json, config, csvBytes: statSync(csv).size };
}

async function big(): Promise<boolean> {
  const m = await writeBig(200 * 2 ** 20);
  console.log(`big: ${m.lines} lines (CSV ${mb(m.csvBytes / 2 ** 20)}), ${m.additions} additions (bundle ${mb(statSync(m.json).size / 2 ** 20)})`);
  const floor_ = run(floor(m), 'floor');
  const reportPath = join(dir, 'big.report.json');
  const ours_ = run(ours(m, reportPath), 'recon reconcile');
  const findings = (JSON.parse(readFileSync(reportPath, 'utf8')) as { findings: unknown[] }).findings.length;
  console.log(`recon ${s(ours_.wallMs)} (cpu ${s(ours_.cpuMs)}) ${mb(ours_.rssMb)} | floor ${s(floor_.wallMs)} ${mb(floor_.rssMb)} | findings ${findings} | load average ${loadavg()[0]!.toFixed(1)}`);
  console.log(`peak memory of recon on a ${mb(m.csvBytes / 2 ** 20)} export: ${mb(ours_.rssMb)} (budget <= 1536 MB)`);
  return ours_.rssMb <= 1536 && findings === 0;
}

async function main() {
  const started = performance.now();
  try {
    await buildCli();
    const ok = process.argv.includes('--big') ? await big() : standard();
    console.log(`${ok ? 'WITHIN BUDGET' : 'OVER BUDGET'} (total ${((performance.now() - started) / 1000).toFixed(0)} s)`);
    process.exitCode = ok ? 0 : 1;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

await main();
