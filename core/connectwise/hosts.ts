import { CW_WEB_HOST } from '../shared/hosts';
import { CwApiError } from './errors';

/** ConnectWise cloud web hosts whose API lives on the same name with an `api-` prefix. */
const CLOUD_HOST = new RegExp(`^(?:api-)?(${CW_WEB_HOST.source})$`, 'i');

export interface ApiHost {
  /** Where API calls go, e.g. `https://api-eu.myconnectwise.net` or an on-premise origin. */
  origin: string;
  /** Where a person opens records (the `api-` prefix removed on cloud). */
  webOrigin: string;
  cloud: boolean;
}

export function isLoopbackHost(hostname: string): boolean {
  const host = hostname.replace(/^\[|\]$/g, '').toLowerCase();
  return host === 'localhost' || host === '::1' || /^127(?:\.\d{1,3}){3}$/.test(host);
}

/**
 * Accepts what people paste: a bare host, a web or API URL, with or without a path. Cloud hosts
 * gain the `api-` prefix (without it ConnectWise answers "SSL is required"); on-premise hosts are
 * used as given. Plain http is refused except on loopback, where the local sandbox runs.
 */
export function resolveApiHost(site: string): ApiHost {
  const trimmed = site.trim();
  if (!trimmed) throw invalidSite(site, 'the site is empty');
  const withScheme = /^[a-z][a-z0-9+.-]*:\/\//i.test(trimmed) ? trimmed : `https://${trimmed}`;
  let url: URL;
  try {
    url = new URL(withScheme);
  } catch {
    throw invalidSite(site, 'it is not a host name or URL');
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') throw invalidSite(site, `the scheme ${url.protocol} is not http(s)`);
  if (url.protocol === 'http:' && !isLoopbackHost(url.hostname)) {
    throw invalidSite(site, 'plain http is only allowed for a local server (localhost / 127.0.0.1); use https');
  }
  const cloud = CLOUD_HOST.exec(url.hostname);
  if (cloud) {
    const web = cloud[1]!.toLowerCase();
    const port = url.port ? `:${url.port}` : '';
    return { origin: `${url.protocol}//api-${web}${port}`, webOrigin: `${url.protocol}//${web}${port}`, cloud: true };
  }
  return { origin: url.origin, webOrigin: url.origin, cloud: false };
}

function invalidSite(site: string, why: string): CwApiError {
  return new CwApiError({
    status: 0,
    code: 'InvalidSite',
    userMessage: `The ConnectWise site "${site}" cannot be used: ${why}. Enter e.g. na.myconnectwise.net or your on-premise host.`,
  });
}

/** `v2025_1`, `/v2025_1/`, `v4_6_release/` → `v2025_1/` (the form companyinfo returns). */
export function normaliseCodebase(codebase: string): string {
  const core = codebase.trim().replace(/^\/+|\/+$/g, '');
  if (!/^[A-Za-z0-9_.-]+$/.test(core)) {
    throw new CwApiError({ status: 0, code: 'InvalidSite', userMessage: `The codebase "${codebase}" is not valid (expected something like v4_6_release or v2025_1).` });
  }
  return `${core}/`;
}
