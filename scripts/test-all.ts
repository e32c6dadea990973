/**
 * `npm test`: every test the project has. Unit tests, then the production Chrome build and the
 * browser tests against it, then the same for the Firefox build in Firefox. Ends with the line
 * `N passed, N failed` that CI reads.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';

const root = join(import.meta.dirname, '..');
const outDir = join(root, 'test-results');
mkdirSync(outDir, { recursive: true });

let passed = 0;
let failed = 0;

function run(cmd: string, args: string[]): number {
  const r = spawnSync(cmd, args, { cwd: root, stdio: 'inherit', env: process.env });
  return r.status ?? 1;
}

function vitest(name: string, args: string[]): void {
  const json = join(outDir, `${name}.json`);
  rmSync(json, { force: true });
  const code = run('npx', ['vitest', 'run', ...args, '--reporter=default', '--reporter=json', `--outputFile.json=${json}`]);
  if (!existsSync(json)) {
    console.error(`${name}: vitest wrote no results (exit ${code})`);
    failed += 1;
    return;
  }
  const r = JSON.parse(readFileSync(json, 'utf8')) as { numPassedTests: number; numFailedTests: number; testResults: { status: string }[] };
  passed += r.numPassedTests;
  failed += r.numFailedTests;
  // A suite that fails to load (syntax error, missing import) has no failed test to count, and a
  // non-zero exit with nothing failed is still a failure: neither may pass silently.
  const brokenFiles = r.testResults.filter((f) => f.status === 'failed').length;
  if (r.numFailedTests === 0 && (brokenFiles > 0 || code !== 0)) failed += Math.max(brokenFiles, 1);
}

vitest('unit', []);

const skipE2e = process.env.SKIP_E2E === '1';
if (!skipE2e) {
  if (run('bash', ['scripts/ensure-chromium.sh']) !== 0) failed += 1;
  else if (run('npx', ['wxt', 'build']) !== 0) failed += 1;
  else vitest('e2e', ['-c', 'vitest.e2e.config.ts']);
  // The same scenarios in Firefox, on the Firefox build (MV2), after the Chromium ones.
  if (run('bash', ['scripts/ensure-firefox.sh']) !== 0) failed += 1;
  else if (run('npx', ['wxt', 'build', '-b', 'firefox']) !== 0) failed += 1;
  else vitest('firefox', ['-c', 'vitest.firefox.config.ts']);
}

console.log(`${passed} passed, ${failed} failed`);
process.exit(failed > 0 ? 1 : 0);
