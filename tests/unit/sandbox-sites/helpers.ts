import { readFileSync } from 'node:fs';
import { createServer, request } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Window } from 'happy-dom';
import { parseCwBundle } from '../../../core/ingest/bundle';
import { parseLinesCsv } from '../../../core/ingest/csv';
import type { CwBundle, PlatformLine } from '../../../core/model';
import { createSites } from '../../sandbox/sites';

export interface Served {
  port: number;
  get(path: string, host?: string): Promise<Reply>;
  close(): Promise<void>;
}
export interface Reply {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: string;
}

/** The sites on a real loopback server; requests not theirs get a 404 marked `not-sites`. */
export async function serveSites(data: { lines: PlatformLine[]; bundle: CwBundle }): Promise<Served> {
  const handle = createSites(data);
  const server = createServer((req, res) => {
    if (!handle(req, res)) {
      res.writeHead(404, { 'x-handled-by': 'not-sites' });
      res.end();
    }
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  return {
    port,
    get: (path, host) =>
      new Promise((resolve, reject) => {
        const req = request({ host: '127.0.0.1', port, path, headers: host ? { host } : {} }, (res) => {
          const chunks: Buffer[] = [];
          res.on('data', (c: Buffer) => chunks.push(c));
          res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks).toString('utf8') }));
        });
        req.on('error', reject);
        req.end();
      }),
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}

/** A served page parsed without running its scripts, as a saved page or a static reader sees it. */
export function parsePage(html: string, url: string): Document {
  const window = new Window({ url });
  return new window.DOMParser().parseFromString(html, 'text/html') as unknown as Document;
}

/** A served page with its own scripts running, for behaviour that happens after load. */
export function livePage(html: string, url: string): { window: Window; document: Document; close(): Promise<void> } {
  const window = new Window({
    url,
    settings: {
      enableJavaScriptEvaluation: true,
      suppressInsecureJavaScriptEnvironmentWarning: true,
      disableJavaScriptFileLoading: true,
      disableCSSFileLoading: true,
    },
  });
  window.document.write(html);
  return { window, document: window.document as unknown as Document, close: () => window.happyDOM.close() };
}

/** The worked example month (a copy of shared/examples/month-2026-11 kept beside these tests). */
export function exampleMonth(): { lines: PlatformLine[]; bundle: CwBundle } {
  const file = (name: string) => readFileSync(new URL(`./month-2026-11/${name}`, import.meta.url), 'utf8');
  return {
    lines: parseLinesCsv(file('lines.csv'), { file: 'lines.csv' }).lines,
    bundle: parseCwBundle(file('cw.json'), { file: 'cw.json' }),
  };
}

/** A line as content only: no source row number, no absent fields. */
export function comparable(line: PlatformLine): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(line)) if (k !== 'row' && v !== undefined) out[k] = v;
  return out;
}
