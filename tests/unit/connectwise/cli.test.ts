import { execFile } from 'node:child_process';
import { createServer as createNetServer, type AddressInfo } from 'node:net';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { formatLinesCsv } from '../../../core/ingest';
import { CwBundle, Report, type Finding } from '../../../core/model';
import { reconcile } from '../../../core/reconcile';

const NOW = new Date('2026-12-01T00:00:00Z');
import { generateScenario, type PlantedFault } from '../../generator';
import { UsageError } from '../../../bin/args';
import { InputError } from '../../../core/shared/errors';
import { sandbox } from './helpers';

// `recon fetch` and `recon health` as a user runs them, against the local API in this process
// (so the children are spawned asynchronously: the server must keep answering meanwhile).

const ROOT = resolve(__dirname, '../../..');
const dir = mkdtempSync(join(tmpdir(), 'recon-fetch-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const CREDS = { companyId: 'acme', publicKey: 'PubKey123', privateKey: 'priv-7F3A9-d0-not-print', clientId: 'c1d2e3f4-0000-4000-8000-00000000abcd' };
const outputs: string[] = [];

function recon(args: string[], env: Record<string, string> = {}): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((done) => {
    execFile('npx', ['tsx', 'bin/recon.ts', ...args], { cwd: ROOT, env: { ...process.env, ...env }, timeout: 170_000, maxBuffer: 64 << 20 }, (err, stdout, stderr) => {
      outputs.push(stdout, stderr);
      const code = err ? (typeof (err as { code?: unknown }).code === 'number' ? ((err as { code: number }).code) : 1) : 0;
      done({ code, stdout, stderr });
    });
  });
}

/** The command module called in this process (no tsx start-up), output captured like a child's. */
async function inProcess(name: 'fetch' | 'health', args: string[], env: Record<string, string> = {}): Promise<{ code: number; stdout: string; stderr: string }> {
  const command = (name === 'fetch' ? await import('../../../bin/commands/fetch') : await import('../../../bin/commands/health')).default;
  let stdout = '';
  let stderr = '';
  const saved = { log: console.log, error: console.error, write: process.stdout.write, env: { ...process.env } };
  console.log = (...a: unknown[]) => void (stdout += `${a.join(' ')}\n`);
  console.error = (...a: unknown[]) => void (stderr += `${a.join(' ')}\n`);
  process.stdout.write = ((chunk: string) => ((stdout += chunk), true)) as typeof process.stdout.write;
  Object.assign(process.env, env);
  let code: number;
  try {
    code = await command(args);
  } catch (err) {
    if (!(err instanceof UsageError) && !(err instanceof InputError)) throw err;
    stderr += `${err.message}\n`;
    code = 2;
  } finally {
    console.log = saved.log;
    console.error = saved.error;
    process.stdout.write = saved.write;
    for (const key of Object.keys(env)) delete process.env[key];
    Object.assign(process.env, saved.env);
  }
  outputs.push(stdout, stderr);
  return { code, stdout, stderr };
}

function connection(url: string): string[] {
  return ['--site', url, '--company', CREDS.companyId, '--public-key', CREDS.publicKey, '--private-key-env', 'TEST_CW_KEY', '--client-id', CREDS.clientId];
}
const KEY_ENV = { TEST_CW_KEY: CREDS.privateKey };

const keyOf = (f: Pick<Finding, 'kind' | 'lineId' | 'additionId' | 'agreementId' | 'organization'> | PlantedFault) =>
  `${f.kind} ${f.lineId ?? f.additionId ?? f.agreementId ?? f.organization}`;

describe('recon fetch → recon reconcile', () => {
  it('on a seeded scenario finds exactly the planted faults (whole pull and a pull scoped by the lines)', async () => {
    const scenario = generateScenario({ seed: 4242, faults: 'all', organizations: 6 });
    const s = await sandbox({ bundle: scenario.bundle, lines: scenario.lines, credentials: CREDS });
    const files = { lines: join(dir, 'lines.csv'), config: join(dir, 'config.json'), all: join(dir, 'all.json'), scoped: join(dir, 'scoped.json') };
    writeFileSync(files.lines, formatLinesCsv(scenario.lines));
    writeFileSync(files.config, JSON.stringify(scenario.config));

    const whole = await recon(['fetch', ...connection(s.url), '--out', files.all, '--now', '2026-12-01T00:00:00Z'], KEY_ENV);
    expect(whole.code, whole.stderr).toBe(0);
    expect(whole.stdout).toBe('');
    const scoped = await inProcess('fetch', [...connection(s.url), '--lines', files.lines, '--config', files.config], KEY_ENV);
    expect(scoped.code, scoped.stderr).toBe(0);
    writeFileSync(files.scoped, scoped.stdout);

    const pulled = CwBundle.parse(JSON.parse(readFileSync(files.all, 'utf8')));
    expect(pulled.complete).toBe(true);
    expect(pulled.additions).toHaveLength(scenario.bundle.additions.length);

    const planted = scenario.planted.map(keyOf).sort();
    const r = await recon(['reconcile', '--lines', files.lines, '--cw', files.all, '--config', files.config, '--now', '2026-12-01T00:00:00Z']);
    expect(r.code, r.stderr).toBe(0);
    const report = Report.parse(JSON.parse(r.stdout));
    expect(report.findings.map(keyOf).sort()).toEqual(planted);
    expect(report.coverage.cwComplete).toBe(true);
    // The scoped pull (only the lines' companies, products and months) gives the same findings.
    const fromScoped = reconcile({ lines: scenario.lines, bundle: CwBundle.parse(JSON.parse(readFileSync(files.scoped, 'utf8'))), config: scenario.config, now: NOW });
    expect(fromScoped.findings.map(keyOf).sort()).toEqual(planted);
  }, 200_000);
});

describe('recon fetch refuses unsafe or broken input', () => {
  it('refuses a private key on the command line without echoing it', async () => {
    const r = await inProcess('fetch', ['--site', 'http://127.0.0.1:9', '--company', 'x', '--public-key', 'p', '--private-key', CREDS.privateKey, '--client-id', 'c']);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/environment variable/);
  });

  it('needs the environment variable to be set', async () => {
    const r = await inProcess('fetch', [...connection('http://127.0.0.1:9')]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/TEST_CW_KEY .* not set/);
  });

  it('plain http only on loopback', async () => {
    const r = await inProcess('fetch', [...connection('http://cw.example.com')], KEY_ENV);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/plain http is only allowed/);
  });

  it('wrong keys: exit 2, the plain 401 message, nothing on stdout', async () => {
    const s = await sandbox({ credentials: CREDS });
    const r = await inProcess('fetch', [...connection(s.url)], { TEST_CW_KEY: 'wrong-key-value' });
    expect(r.code).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr).toMatch(/refused the API keys \(401\)/);
  });

  it('an interrupted pull is written, marked incomplete, and says so', async () => {
    const s = await sandbox({ credentials: CREDS, faults: { rules: [{ kind: 'server-error', match: '/finance/agreements/3001/additions' }] } });
    const r = await inProcess('fetch', [...connection(s.url)], KEY_ENV);
    expect(r.code).toBe(0);
    const bundle = CwBundle.parse(JSON.parse(r.stdout));
    expect(bundle).toMatchObject({ complete: false, incompleteAgreementIds: [3001] });
    expect(r.stderr).toMatch(/INCOMPLETE/);
    // The reason is named too, with the list it came from.
    expect(r.stderr).toMatch(/recon fetch: {3}ConnectWise had a server error \(500 on \/finance\/agreements\/3001\/additions\)/);
  }, 60_000);

  it('an unreachable host: exit 1, the plain message, no bundle', async () => {
    // A port that was free a moment ago: nothing listens there.
    const probe = createNetServer();
    await new Promise<void>((done) => probe.listen(0, '127.0.0.1', done));
    const { port } = probe.address() as AddressInfo;
    await new Promise((done) => probe.close(done));
    const r = await inProcess('fetch', [...connection(`http://127.0.0.1:${port}`)], KEY_ENV);
    expect(r.code).toBe(1);
    expect(r.stdout).toBe('');
    expect(r.stderr).toMatch(/Could not read .* from ConnectWise at http:\/\/127\.0\.0\.1:\d+ \(ECONNREFUSED\)/);
  }, 60_000);
});

describe('recon health', () => {
  it('checks a bundle and, with credentials, the permissions', async () => {
    const scenario = generateScenario({ seed: 99, faults: 'none', organizations: 3 });
    const s = await sandbox({ bundle: scenario.bundle, credentials: CREDS });
    const cw = join(dir, 'health.json');
    writeFileSync(cw, JSON.stringify(scenario.bundle));
    const r = await inProcess('health', ['--cw', cw, ...connection(s.url), '--format', 'json'], KEY_ENV);
    expect(r.code, r.stderr).toBe(0);
    const report = JSON.parse(r.stdout) as { checks: { id: string; status: string }[] };
    expect(report.checks.find((c) => c.id === 'permissions')?.status).toBe('ok');
    expect(report.checks.find((c) => c.id === 'default-agreement-type')?.status).toBe('ok');

    const text = await inProcess('health', ['--site', s.url, '--company', CREDS.companyId, '--public-key', 'wrong', '--private-key-env', 'TEST_CW_KEY', '--client-id', CREDS.clientId, '--cw', cw, '--fail-on', 'fail'], KEY_ENV);
    expect(text.code).toBe(1);
    expect(text.stdout).toMatch(/FAIL {2}ConnectWise connection: ConnectWise refused the API keys/);
  }, 60_000);
});

describe('the private key', () => {
  it('appears in no output, file, log or error of these runs', () => {
    expect(outputs.length).toBeGreaterThan(10);
    const files = ['all.json', 'scoped.json', 'health.json'].map((f) => readFileSync(join(dir, f), 'utf8'));
    const basic = Buffer.from(`${CREDS.companyId}+${CREDS.publicKey}:${CREDS.privateKey}`).toString('base64');
    for (const text of [...outputs, ...files]) {
      expect(text.includes(CREDS.privateKey)).toBe(false);
      expect(text.includes(basic)).toBe(false);
    }
  });
});
