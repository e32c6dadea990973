import type { IncomingMessage, ServerResponse } from 'node:http';
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
