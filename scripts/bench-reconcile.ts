/**
 * `npm run bench:reconcile` (DESIGN §8): reconciling 100,000 lines against 100,000 Additions
 * must take at most 3× the time to merely parse the same inputs, and 4× the data at most 5× the
 * time. Both are measured here, in one process, on generated consistent months serialised the
 * way users hand them in (the Platform CSV export and a ConnectWise bundle JSON).
 */
import { performance } from 'node:perf_hooks';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { formatLinesCsv, parseCwBundle, parseLinesCsv } from '../core/ingest';
import type { CwBundle, PlatformLine, ReconcileConfig } from '../core/model';
import { reconcile } from '../core/reconcile';
import { generateLarge } from '../tests/generator';

const RUNS = 3;
const NOW = new Date('2026-12-01T00:00:00Z');

interface Inputs {
  csv: string;
  json: string;
  config: ReconcileConfig;
  lines: PlatformLine[];
  bundle: CwBundle;
}

function prepare(n: number): Inputs {
  const scenario = generateLarge(n, 20261130);
  const csv = formatLinesCsv(scenario.lines);
  const json = JSON.stringify(scenario.bundle);
  const { lines, bundle } = parse(csv, json, scenario.config);
  return { csv, json, config: scenario.config, lines, bundle };
}

function parse(csv: string, json: string, config: ReconcileConfig) {
  const { lines } = parseLinesCsv(csv, { file: 'lines.csv', config });
  const bundle = parseCwBundle(json, { file: 'cw.json' });
  return { lines, bundle };
}

// A collection before each run, so no run pays for the garbage of the one before it.
setFlagsFromString('--expose-gc');
const collect = runInNewContext('gc') as () => void;

/**
 * Fastest of a few runs, in this process's CPU time (user + system): on a shared machine other
 * processes stretch wall-clock time but not the work done here. Both sides of each ratio are
 * measured alike; wall-clock figures are printed beside them.
 */
function fastest(fn: () => void): { cpu: number; wall: number } {
  let cpu = Number.POSITIVE_INFINITY;
  let wall = Number.POSITIVE_INFINITY;
  for (let i = 0; i < RUNS; i++) {
    collect();
    const startCpu = process.cpuUsage();
    const start = performance.now();
    fn();
    wall = Math.min(wall, performance.now() - start);
    const used = process.cpuUsage(startCpu);
    cpu = Math.min(cpu, (used.user + used.system) / 1000);
  }
  return { cpu, wall };
}

function measure(label: string, inputs: Inputs) {
  const parse_ = fastest(() => parse(inputs.csv, inputs.json, inputs.config));
  let findings = 0;
  const reconcile_ = fastest(() => {
    findings = reconcile({ lines: inputs.lines, bundle: inputs.bundle, config: inputs.config, now: NOW }).findings.length;
  });
  console.log(
    `${label}: ${inputs.lines.length} lines, ${inputs.bundle.additions.length} additions | parse ${parse_.cpu.toFixed(0)} ms CPU (${parse_.wall.toFixed(0)} ms wall) | reconcile ${reconcile_.cpu.toFixed(0)} ms CPU (${reconcile_.wall.toFixed(0)} ms wall) | findings ${findings}`,
  );
  return { parseMs: parse_.cpu, reconcileMs: reconcile_.cpu, findings };
}

function main() {
  const started = performance.now();
  // Warm the JIT on a small month so the first measured size is not penalised.
  measure('warm-up', prepare(5_000));
  const small = measure('25k ', prepare(25_000));
  const large = measure('100k', prepare(100_000));

  const ratio = large.reconcileMs / large.parseMs;
  const endToEnd = (large.parseMs + large.reconcileMs) / large.parseMs;
  const growth = large.reconcileMs / small.reconcileMs;
  const ok = ratio <= 3 && growth <= 5 && large.findings === 0;
  console.log('');
  console.log(`reconcile / parse-only at 100k: ${ratio.toFixed(2)} (budget <= 3)`);
  console.log(`(parse + reconcile) / parse-only at 100k: ${endToEnd.toFixed(2)}`);
  console.log(`growth 25k -> 100k reconcile time: ${growth.toFixed(2)}x (budget <= 5x)`);
  console.log(`consistent month gives no findings: ${large.findings === 0 ? 'yes' : `no (${large.findings})`}`);
  console.log(`${ok ? 'WITHIN BUDGET' : 'OVER BUDGET'} (total ${((performance.now() - started) / 1000).toFixed(1)} s)`);
  process.exitCode = ok ? 0 : 1;
}

main();
