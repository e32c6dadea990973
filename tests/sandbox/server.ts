/**
 * One local server for tests and the demo: the ConnectWise REST API (cw-api.ts) plus the
 * look-alike Platform and ConnectWise sites (sites/). Plain http on loopback by default; https
 * with a given key/cert when browser tests map real host names here.
 */
import { createServer as createHttpServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import type { AddressInfo } from 'node:net';
import type { SecuritySetting } from '../../core/connectwise';
import type { CwBundle, PlatformLine } from '../../core/model';
import { createCwApi, DEFAULT_CREDENTIALS, SANDBOX_CODEBASE, type ApiVariant, type CwCredentials, type FaultConfig, type RequestLog } from './cw-api';
import { createSites } from './sites/index';

export { DEFAULT_CREDENTIALS, SANDBOX_CODEBASE, type CwCredentials, type FaultConfig, type RequestLog };

export interface SandboxOptions {
  bundle: CwBundle;
  lines?: PlatformLine[];
  port?: number;
  host?: string;
  credentials?: CwCredentials;
  faults?: FaultConfig;
  tls?: { key: string; cert: string };
  /** The API member's Security Role; defaults to the setup guide's matrix. */
  security?: SecuritySetting[];
  /** How the local API writes records, links and paging (cw-api/variants.ts). */
  apiVariant?: ApiVariant;
}

export interface Sandbox {
  /** e.g. `http://127.0.0.1:43121` — the value for `recon fetch --site`. */
  url: string;
  /** The REST base under the sandbox's codebase. */
  apiBase: string;
  port: number;
  credentials: CwCredentials;
  close(): Promise<void>;
  setFaults(f: FaultConfig): void;
  /** Every API request seen (no headers are kept, so no credentials). */
  requests: RequestLog[];
}

export async function startSandbox(opts: SandboxOptions): Promise<Sandbox> {
  const credentials = opts.credentials ?? DEFAULT_CREDENTIALS;
  const api = createCwApi({ bundle: opts.bundle, credentials, faults: opts.faults, security: opts.security, variant: opts.apiVariant });
  const sites = createSites({ lines: opts.lines ?? [], bundle: opts.bundle });

  const handler = (req: IncomingMessage, res: ServerResponse) => {
    try {
      if (api.handle(req, res)) return;
      if (sites(req, res)) return;
    } catch (err) {
      if (!res.headersSent) res.writeHead(500, { 'Content-Type': 'text/plain; charset=utf-8' });
      res.end(`Sandbox error: ${err instanceof Error ? err.message : String(err)}`);
      return;
    }
    res.writeHead(404, { 'Content-Type': 'text/plain; charset=utf-8' });
    res.end('Not found on the local sandbox.');
  };

  const server: Server = opts.tls ? createHttpsServer({ key: opts.tls.key, cert: opts.tls.cert }, handler) : createHttpServer(handler);
  const host = opts.host ?? '127.0.0.1';
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(opts.port ?? 0, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const port = (server.address() as AddressInfo).port;
  const shownHost = host.includes(':') ? `[${host}]` : host === '0.0.0.0' ? '127.0.0.1' : host;
  const url = `${opts.tls ? 'https' : 'http'}://${shownHost}:${port}`;

  return {
    url,
    apiBase: `${url}/${SANDBOX_CODEBASE}/apis/3.0`,
    port,
    credentials,
    requests: api.requests,
    setFaults: api.setFaults,
    close: () =>
      new Promise<void>((resolve, reject) => {
        api.releaseHanging();
        server.close((err) => (err ? reject(err) : resolve()));
        server.closeAllConnections();
      }),
  };
}
