/**
 * A throw-away self-signed certificate for the given host names (browser tests map real names
 * such as na.myconnectwise.net to the local sandbox). Made with the `openssl` binary, in a
 * temporary directory that is removed afterwards.
 */
import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);

export async function generateCert(hosts: string[], opts: { days?: number } = {}): Promise<{ key: string; cert: string }> {
  if (!hosts.length) throw new Error('generateCert needs at least one host name');
  for (const h of hosts) if (!/^[A-Za-z0-9.*:-]+$/.test(h)) throw new Error(`Not a host name: ${JSON.stringify(h)}`);
  const dir = await mkdtemp(join(tmpdir(), 'cw-sandbox-tls-'));
  try {
    const keyPath = join(dir, 'key.pem');
    const certPath = join(dir, 'cert.pem');
    const san = hosts.map((h) => (/^[\d.]+$/.test(h) || h.includes(':') ? `IP:${h}` : `DNS:${h}`)).join(',');
    await run('openssl', [
      'req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-sha256',
      '-days', String(opts.days ?? 2),
      '-subj', `/CN=${hosts[0]}`,
      '-addext', `subjectAltName=${san}`,
      '-keyout', keyPath,
      '-out', certPath,
    ]);
    return { key: await readFile(keyPath, 'utf8'), cert: await readFile(certPath, 'utf8') };
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}
