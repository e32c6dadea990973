/**
 * `.ci/run` runs `npm run demo` headless and then this check: the demo must have written its
 * screenshots and reports, and the JSON report must hold exactly the worked month's findings
 * (by kind and key), so the README's first command is proven end to end, not just started.
 * Prints what differs and exits 1 when anything is missing or different.
 */
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { join, resolve } from 'node:path';

const ROOT = resolve(import.meta.dirname, '..');
const OUT = join(ROOT, 'demo-output');
const EXPECTED = join(ROOT, 'tests/fixtures/examples/month-2026-11/expected-findings.json');

interface Keyed {
  kind: string;
  lineId?: string;
  additionId?: number;
  agreementId?: number;
  organization?: string;
}
const keyOf = (f: Keyed) => `${f.kind} ${f.lineId ?? f.additionId ?? f.agreementId ?? f.organization}`;

const problems: string[] = [];
for (const name of ['report.json', 'report.csv', 'report.txt']) {
  if (!existsSync(join(OUT, name))) problems.push(`demo-output/${name} was not written`);
}
const shots = existsSync(OUT) ? readdirSync(OUT).filter((f) => f.endsWith('.png')) : [];
if (shots.length === 0) problems.push('demo-output holds no screenshot');

if (existsSync(join(OUT, 'report.json'))) {
  const report = JSON.parse(readFileSync(join(OUT, 'report.json'), 'utf8')) as { findings?: Keyed[] };
  const got = new Set((report.findings ?? []).map(keyOf));
  const want = new Set((JSON.parse(readFileSync(EXPECTED, 'utf8')) as Keyed[]).map(keyOf));
  for (const k of want) if (!got.has(k)) problems.push(`missing from the demo report: ${k}`);
  for (const k of got) if (!want.has(k)) problems.push(`not expected in the demo report: ${k}`);
  console.log(`demo report: ${got.size} findings, ${want.size} expected, ${shots.length} screenshots`);
}

if (problems.length) {
  for (const p of problems) console.error(`check-demo: ${p}`);
  process.exit(1);
}
console.log('check-demo: the demo report holds exactly the worked month\'s findings');
