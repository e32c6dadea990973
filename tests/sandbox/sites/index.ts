import type { IncomingMessage, ServerResponse } from 'node:http';
import { Writable } from 'node:stream';
import type { CwBundle, PlatformLine } from '../../../core/model';
import { connectwiseSite } from './cw/pages';
import type { SiteRequest } from './platform/pages';
import { platformSite } from './platform/pages';
import { sendText } from './shared';

export type Site = 'platform' | 'connectwise';

/** Which look-alike a host name stands for when browser tests map real host names here. */
export function siteForHost(host: string): Site | null {
  const name = host.toLowerCase().replace(/:\d+$/, '').replace(/\.$/, '');
  if (name === 'rethinkportal.com' || name.endsWith('.rethinkportal.com')) return 'platform';
  const cw = /(^|\.)(myconnectwise\.net|connectwisedev\.com)$/.exec(name);
  if (cw && !name.startsWith('api-')) return 'connectwise';
  return null;
}

/** Paths that belong to the ConnectWise REST API served beside the sites. */
function isApiPath(path: string): boolean {
  return /^\/[^/]+\/apis\//i.test(path) || /^\/login\/companyinfo\//i.test(path);
}

const PREFIXES: [string, Site][] = [
  ['/platform', 'platform'],
  ['/cw', 'connectwise'],
];

/**
 * Local look-alikes of the AppXite Platform and the ConnectWise web UI over one data set.
 * Routed by Host (`*.rethinkportal.com`, `{na,eu,…}.myconnectwise.net`) or, on any other host,
 * by the `/platform/` and `/cw/` prefixes. Returns false for requests that are not the sites'
 * (the REST API's paths, other hosts' unprefixed paths) so a composing server can answer them.
 */
export function createSites(data: { lines: PlatformLine[]; bundle: CwBundle }): (req: IncomingMessage, res: ServerResponse) => boolean {
  const sites: Record<Site, (r: SiteRequest) => void> = {
    platform: platformSite(data.lines),
    connectwise: connectwiseSite(data.bundle),
  };
  return (req, res) => {
    let url: URL;
    try {
      url = new URL(req.url ?? '/', 'http://sandbox.invalid');
    } catch {
      return false;
    }
    if (isApiPath(url.pathname)) return false;
    let site = siteForHost(req.headers.host ?? '');
    let base = '';
    let path = url.pathname;
    if (!site) {
      const hit = PREFIXES.find(([prefix]) => path === prefix || path.startsWith(`${prefix}/`));
      if (!hit) return false;
      [base, site] = hit;
      path = path.slice(base.length) || '/';
    }
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      sendText(res, 405, 'The sandbox sites only answer GET.', { allow: 'GET, HEAD' });
      return true;
    }
    try {
      sites[site]({ req, res, base, path, url });
    } catch (error) {
      if (!res.headersSent) sendText(res, 500, `Sandbox site error: ${error instanceof Error ? error.message : String(error)}`);
      else res.end();
    }
    return true;
  };
}

export interface RenderedPage {
  status: number;
  headers: Record<string, string>;
  body: string;
}

/**
 * One page of the sites without a server, for fixtures and benchmarks: pass a full address as a
 * browser would request it (`https://demo.rethinkportal.com/mapping/invoices?pageSize=10000`,
 * `http://127.0.0.1/cw/companies`). Throws when the address is not one of the sites'.
 */
export function renderSitePage(data: { lines: PlatformLine[]; bundle: CwBundle }, address: string): RenderedPage {
  const url = new URL(address);
  const handle = createSites(data);
  const chunks: Buffer[] = [];
  let status = 200;
  const headers: Record<string, string> = {};
  const res = new Writable({
    write(chunk: Buffer | string, _enc, done) {
      chunks.push(Buffer.isBuffer(chunk) ? chunk : Buffer.from(chunk));
      done();
    },
  }) as Writable & Partial<ServerResponse>;
  // Only what the sites call on a response: writeHead, end and headersSent.
  Object.assign(res, {
    headersSent: false,
    writeHead(code: number, h: Record<string, string> = {}) {
      status = code;
      for (const [k, v] of Object.entries(h)) headers[k.toLowerCase()] = String(v);
      (res as { headersSent: boolean }).headersSent = true;
      return res;
    },
    end(chunk?: string) {
      if (chunk) chunks.push(Buffer.from(chunk));
      return res;
    },
  });
  const req = { url: url.pathname + url.search, method: 'GET', headers: { host: url.host } } as unknown as IncomingMessage;
  if (!handle(req, res as unknown as ServerResponse)) throw new Error(`${address} is not a page of the sandbox sites`);
  return { status, headers, body: Buffer.concat(chunks).toString('utf8') };
}
