import { spawn } from 'node:child_process';
import { resolve } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';

// `npm run sandbox` as the demo and people use it: starts, prints where and how, serves, stops.

const ROOT = resolve(__dirname, '../../..');
const started: { kill: () => void }[] = [];
afterEach(() => {
  for (const c of started.splice(0)) c.kill();
});

function startCli(args: string[]) {
  const child = spawn(process.execPath, ['--import', 'tsx', 'tests/sandbox/cli.ts', ...args], { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  child.stdout.setEncoding('utf8').on('data', (c: string) => (out += c));
  child.stderr.setEncoding('utf8').on('data', (c: string) => (out += c));
  const ready = new Promise<string>((done, fail) => {
    child.stdout.on('data', () => out.includes('Ctrl-C') && done(out));
    child.on('exit', (code) => fail(new Error(`sandbox exited with ${code}: ${out}`)));
  });
  const stopped = new Promise<number | null>((done) => child.on('exit', (code) => done(code)));
  started.push({ kill: () => child.exitCode === null && child.kill('SIGKILL') });
  return { ready, stop: () => (child.kill('SIGTERM'), stopped), output: () => out };
}

describe('npm run sandbox', () => {
  it('serves a generated scenario, prints its URL and default credentials, stops on SIGTERM', async () => {
    const cli = startCli(['--scenario', '5']);
    const text = await cli.ready;
    const url = /Local ConnectWise sandbox: (http:\/\/\S+)/.exec(text)?.[1];
    expect(url).toBeDefined();
    expect(text).toMatch(/private key: SandboxPrivateKey-local-only/);
    const info = await fetch(`${url}/login/companyinfo/sandbox`).then((r) => r.json());
    expect(info).toMatchObject({ Codebase: 'v2025_1/' });
    expect(await cli.stop()).toBe(0);
  }, 120_000);

  it('never prints a private key it was given', async () => {
    const cli = startCli(['--scenario', '5', '--faults', 'none', '--company', 'acme', '--public-key', 'pub', '--private-key', 'given-Secret-42', '--client-id', 'cid']);
    const text = await cli.ready;
    expect(text).toMatch(/company ID: acme/);
    expect(text).not.toContain('given-Secret-42');
    await cli.stop();
    expect(cli.output()).not.toContain('given-Secret-42');
  }, 120_000);
});
