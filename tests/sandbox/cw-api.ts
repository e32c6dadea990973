/**
 * A local ConnectWise REST API over a bundle, for tests, benchmarks and the demo. It behaves like
 * the real one where our client depends on it: Basic auth + clientId, Security Role checks (403),
 * navigable and forward-only paging with `Link` headers, `conditions`, `fields`, `orderBy`,
 * `/count`, error bodies `{code, message}`, and injectable faults (cw-api/faults.ts).
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { CwBundle } from '../../core/model';
import { permissionForPath, type SecuritySetting } from '../../core/connectwise';
import { compactKey } from '../../core/shared/text';
import { ConditionError, matcher, readPath } from './cw-api/conditions';
import { buildTables, guideSecurity, type CwTables } from './cw-api/data';
import { createFaults, type FaultConfig, type FaultRule } from './cw-api/faults';
import { rawTarget, sparseRecord, type ApiVariant } from './cw-api/variants';

export type { FaultConfig, FaultRule, FaultKind } from './cw-api/faults';
export type { ApiVariant, HostilePaging } from './cw-api/variants';

export interface CwCredentials {
  companyId: string;
  publicKey: string;
  privateKey: string;
  clientId: string;
}

/** Printed by the sandbox CLI: a local test server's own defaults, not anyone's real keys. */
export const DEFAULT_CREDENTIALS: CwCredentials = {
  companyId: 'sandbox',
  publicKey: 'SandboxPublicKey',
  privateKey: 'SandboxPrivateKey-local-only',
  clientId: '0b5a1c7e-5a4d-4c11-9a3e-5a4db0c5a1d0',
};

export const SANDBOX_CODEBASE = 'v2025_1';
const CODEBASES = new Set([SANDBOX_CODEBASE, 'v4_6_release']);

/** What the log keeps of a request: never headers, so never credentials. */
export interface RequestLog {
  method: string;
  /** API path (after `/apis/3.0`) or the companyinfo path. */
  path: string;
  query: string;
  status: number;
  fault?: string;
  forwardOnly: boolean;
}

export interface CwApiOptions {
  bundle: CwBundle;
  credentials?: CwCredentials;
  faults?: FaultConfig;
  /** The API member's role; defaults to exactly the setup guide's matrix. */
  security?: SecuritySetting[];
  /** How records, links and paging are written (cw-api/variants.ts). */
  variant?: ApiVariant;
}

type Json = unknown;
interface Reply {
  status: number;
  body: Json;
  headers?: Record<string, string>;
}

class HttpFailure extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

function project(item: Record<string, unknown>, fields: string[] | undefined): Record<string, unknown> {
  if (!fields?.length) return item;
  const out: Record<string, unknown> = {};
  for (const path of fields) {
    const value = readPath(item, path);
    if (value === undefined) continue;
    const parts = path.split('/');
    let target = out;
    parts.forEach((part, i) => {
      if (i === parts.length - 1) target[part] = value;
      else target = (target[part] ??= {}) as Record<string, unknown>;
    });
  }
  return out;
}

function sortItems(items: Record<string, unknown>[], orderBy: string | null): Record<string, unknown>[] {
  if (!orderBy) return items;
  const m = /^\s*([A-Za-z_][A-Za-z0-9_/]*)(?:\s+(asc|desc))?\s*$/i.exec(orderBy);
  if (!m) throw new HttpFailure(400, 'InvalidObject', `orderBy "${orderBy}" is not valid: use "field asc" or "field desc".`);
  const dir = m[2]?.toLowerCase() === 'desc' ? -1 : 1;
  const key = m[1]!;
  return [...items].sort((a, b) => {
    const x = readPath(a, key) as string | number | null | undefined;
    const y = readPath(b, key) as string | number | null | undefined;
    if (x === y) return 0;
    if (x === null || x === undefined) return -dir;
    if (y === null || y === undefined) return dir;
    return (x < y ? -1 : 1) * dir;
  });
}

/** Paged list like ConnectWise: `page`/`pageSize` with first/prev/next/last links, or forward-only. */
function listReply(items: Record<string, unknown>[], url: URL, forwardOnly: boolean, variant: ApiVariant = {}): Reply {
  const q = url.searchParams;
  let filtered: Record<string, unknown>[];
  try {
    filtered = items.filter(matcher(q.get('conditions')));
  } catch (err) {
    if (err instanceof ConditionError) throw new HttpFailure(400, 'InvalidObject', err.message);
    throw err;
  }
  const fields = q.get('fields')?.split(',').map((f) => f.trim()).filter(Boolean);
  const pageSize = Math.min(Math.max(Number(q.get('pageSize') ?? 25) || 25, 1), 1000);
  const link = (params: Record<string, string>) => {
    const next = new URL(url);
    for (const [k, v] of Object.entries(params)) next.searchParams.set(k, v);
    return `<${variant.links === 'raw' ? rawTarget(next) : next.toString()}>`;
  };
  const shape = (i: Record<string, unknown>) => {
    const projected = project(i, fields);
    return variant.sparse ? sparseRecord(projected) : projected;
  };
  const hostile = variant.hostile;
  if (hostile) return hostileReply(hostile, filtered, q, pageSize, forwardOnly, link, shape);
  if (forwardOnly) {
    if (q.get('orderBy')) throw new HttpFailure(400, 'InvalidObject', 'orderBy is not supported with forward-only pagination.');
    const after = Number(q.get('pageId') ?? 0) || 0;
    const page = filtered.filter((i) => Number(i.id) > after).slice(0, pageSize);
    const last = page[page.length - 1];
    const header = page.length === pageSize && last ? `${link({ pageId: String(last.id) })}; rel="next"` : '';
    return { status: 200, body: page.map(shape), headers: { Link: header } };
  }
  const sorted = sortItems(filtered, q.get('orderBy'));
  const pages = Math.max(1, Math.ceil(sorted.length / pageSize));
  const page = Math.max(Number(q.get('page') ?? 1) || 1, 1);
  const body = sorted.slice((page - 1) * pageSize, page * pageSize).map(shape);
  const rels: string[] = [];
  if (pages > 1) {
    if (page > 1) rels.push(`${link({ page: '1' })}; rel="first"`, `${link({ page: String(Math.min(page - 1, pages)) })}; rel="prev"`);
    if (page < pages) rels.push(`${link({ page: String(page + 1) })}; rel="next"`, `${link({ page: String(pages) })}; rel="last"`);
  }
  return { status: 200, body, headers: rels.length ? { Link: rels.join(', ') } : {} };
}

/**
 * Paging that misbehaves on purpose (cw-api/variants.ts): each kind is one way a server, a proxy
 * or a bug has been seen to page, and the client must end each in bounded time and memory.
 */
function hostileReply(
  hostile: NonNullable<ApiVariant['hostile']>,
  items: Record<string, unknown>[],
  q: URLSearchParams,
  pageSize: number,
  forwardOnly: boolean,
  link: (params: Record<string, string>) => string,
  shape: (i: Record<string, unknown>) => Record<string, unknown>,
): Reply {
  const page = Math.max(Number(q.get('page') ?? 1) || 1, 1);
  const after = Number(q.get('pageId') ?? 0) || 0;
  switch (hostile.kind) {
    case 'next-always': {
      // Ids never seen before on every page: nothing repeats, only the count can bound it.
      const start = forwardOnly ? after : (page - 1) * pageSize;
      const body = Array.from({ length: pageSize }, (_, i) => ({ id: 1_000_000_000 + start + i + 1 }));
      const lastId = body[body.length - 1]!.id;
      return { status: 200, body, headers: { Link: `${forwardOnly ? link({ pageId: String(lastId - 1_000_000_000) }) : link({ page: String(page + 1) })}; rel="next"` } };
    }
    case 'alternating-ids': {
      const first = items.slice(0, pageSize);
      const second = items.slice(pageSize, 2 * pageSize);
      if (forwardOnly) {
        const body = items.filter((i) => Number(i.id) > after).slice(0, pageSize);
        const firstLast = Number(first[first.length - 1]?.id ?? 1);
        const nextId = after === firstLast ? 1 : firstLast;
        return { status: 200, body: body.map(shape), headers: { Link: `${link({ pageId: String(nextId) })}; rel="next"` } };
      }
      const body = (page % 2 === 1 ? first : second).map(shape);
      return { status: 200, body, headers: { Link: `${link({ page: String(page + 1) })}; rel="next"` } };
    }
    case 'huge-last': {
      const body = forwardOnly ? items.filter((i) => Number(i.id) > after).slice(0, pageSize) : items.slice((page - 1) * pageSize, page * pageSize);
      const rels = [`${link({ page: String(page + 1) })}; rel="next"`, `${link({ page: String(hostile.last) })}; rel="last"`];
      return { status: 200, body: body.map(shape), headers: { Link: rels.join(', ') } };
    }
    case 'giant-page': {
      const body = Array.from({ length: hostile.size }, (_, i) => ({ id: i + 1 }));
      return { status: 200, body, headers: { Link: `${link({ page: String(page + 1) })}; rel="next"` } };
    }
  }
}

function hostileCount(hostile: ApiVariant['hostile'], pageSize: number): number | undefined {
  if (hostile?.kind === 'next-always') return 1_000_000_000;
  if (hostile?.kind === 'huge-last') return hostile.last * pageSize;
  return undefined;
}

function countReply(items: Record<string, unknown>[], url: URL, variant: ApiVariant = {}): Reply {
  try {
    const claimed = hostileCount(variant.hostile, 1000);
    if (claimed !== undefined) return { status: 200, body: { count: claimed } };
    return { status: 200, body: { count: items.filter(matcher(url.searchParams.get('conditions'))).length } };
  } catch (err) {
    if (err instanceof ConditionError) throw new HttpFailure(400, 'InvalidObject', err.message);
    throw err;
  }
}

function one(items: Record<string, unknown>[], id: string, what: string, url: URL): Reply {
  const item = items.find((i) => String(i.id) === id);
  if (!item) throw new HttpFailure(404, 'NotFound', `${what} recId ${id} not found.`);
  const fields = url.searchParams.get('fields')?.split(',').filter(Boolean);
  return { status: 200, body: project(item, fields) };
}

/** Collection + `/count` + `/{id}` under one path. */
function collection(rest: string, base: string, items: () => Record<string, unknown>[], what: string, url: URL, forwardOnly: boolean, variant?: ApiVariant): Reply | undefined {
  if (rest === base) return listReply(items(), url, forwardOnly, variant);
  if (rest === `${base}/count`) return countReply(items(), url, variant);
  const m = new RegExp(`^${base.replace(/\//g, '\\/')}\\/(\\d+)$`).exec(rest);
  if (m) return one(items(), m[1]!, what, url);
  return undefined;
}

function route(rest: string, url: URL, tables: CwTables, security: SecuritySetting[], forwardOnly: boolean, variant: ApiVariant): Reply {
  const p = rest.toLowerCase().replace(/\/+$/, '');
  if (p === '/system/info') {
    return { status: 200, body: { version: 'v2025.1.10431', isCloud: false, serverTimeZone: 'Eastern Standard Time', cloudRegion: 'NA', licenseBits: [] } };
  }
  if (p === '/system/mysecurity') return { status: 200, body: security };
  if (p === '/system/securityroles') return listReply([{ id: 1, name: 'AX Integration', adminFlag: false, inactiveFlag: false }], url, forwardOnly);
  if (p === '/system/securityroles/1') return { status: 200, body: { id: 1, name: 'AX Integration', adminFlag: false, inactiveFlag: false } };
  const roleSettings = /^\/system\/securityroles\/(\d+)\/settings$/.exec(p);
  if (roleSettings) {
    if (roleSettings[1] !== '1') throw new HttpFailure(404, 'NotFound', `SecurityRole recId ${roleSettings[1]} not found.`);
    return listReply(security as Record<string, unknown>[], url, forwardOnly);
  }

  requirePermission(p, security);
  const additions = /^\/finance\/agreements\/(\d+)\/additions(\/count|\/\d+)?$/.exec(p);
  if (additions) {
    const agreementId = Number(additions[1]);
    if (!tables.agreements.some((a) => a.id === agreementId)) throw new HttpFailure(404, 'NotFound', `Agreement recId ${agreementId} not found.`);
    const reply = collection(p, `/finance/agreements/${agreementId}/additions`, () => tables.additionsByAgreement.get(agreementId) ?? [], 'Addition', url, forwardOnly, variant);
    if (reply) return reply;
  }
  const reply =
    collection(p, '/finance/agreements/types', () => tables.agreementTypes, 'AgreementType', url, forwardOnly) ??
    collection(p, '/finance/agreements', () => tables.agreements, 'Agreement', url, forwardOnly, variant) ??
    collection(p, '/company/companies/statuses', () => tables.companyStatuses, 'CompanyStatus', url, forwardOnly) ??
    collection(p, '/company/companies', () => tables.companies, 'Company', url, forwardOnly, variant) ??
    collection(p, '/procurement/catalog', () => tables.catalog, 'CatalogItem', url, forwardOnly) ??
    collection(p, '/finance/currencies', () => tables.currencies, 'Currency', url, forwardOnly) ??
    collection(p, '/finance/billingcycles', () => tables.billingCycles, 'BillingCycle', url, forwardOnly);
  if (reply) return reply;
  const sites = /^\/company\/companies\/(\d+)\/sites$/.exec(p);
  if (sites) {
    const company = tables.companies.find((c) => String(c.id) === sites[1]);
    if (!company) throw new HttpFailure(404, 'NotFound', `Company recId ${sites[1]} not found.`);
    const site = company.site as { id: number; name?: string } | null | undefined;
    return listReply(site ? [{ id: site.id, name: site.name ?? 'Main', primaryAddressFlag: true, defaultBillingFlag: true, company: { id: company.id, name: company.name } }] : [], url, forwardOnly);
  }
  throw new HttpFailure(404, 'ConnectWiseApi', 'The endpoint does not exist.');
}

function requirePermission(path: string, security: SecuritySetting[]): void {
  const need = permissionForPath(path);
  // Paths outside the guide's modules are unknown endpoints here: let them reach the 404.
  if (!need.inGuide) return;
  const setting = security.find(
    (s) => compactKey(s.moduleName ?? s.moduleDescription ?? '') === compactKey(need.module) && compactKey(s.moduleFunctionName ?? s.moduleFunctionDescription ?? '') === compactKey(need.functionName),
  );
  const level = compactKey(setting?.inquireLevel ?? 'none');
  if (level !== 'all' && level !== 'my') {
    throw new HttpFailure(403, 'Unauthorized', `You do not have the security role permissions for ${need.module} / ${need.functionName} (Inquire).`);
  }
}

function decodeBasic(header: string | undefined): { companyId: string; publicKey: string; privateKey: string } | undefined {
  const m = /^Basic\s+(\S+)$/i.exec(header ?? '');
  if (!m) return undefined;
  const text = Buffer.from(m[1]!, 'base64').toString('utf8');
  const colon = text.indexOf(':');
  const plus = text.indexOf('+');
  if (colon < 0 || plus < 0 || plus > colon) return undefined;
  return { companyId: text.slice(0, plus), publicKey: text.slice(plus + 1, colon), privateKey: text.slice(colon + 1) };
}

function checkAuth(req: IncomingMessage, creds: CwCredentials): void {
  const given = decodeBasic(req.headers.authorization);
  if (!given || given.companyId.toLowerCase() !== creds.companyId.toLowerCase() || given.publicKey !== creds.publicKey || given.privateKey !== creds.privateKey) {
    throw new HttpFailure(401, 'Unauthorized', 'The credentials provided are not valid.');
  }
  const clientId = req.headers.clientid;
  if (clientId !== creds.clientId) throw new HttpFailure(401, 'Unauthorized', 'A valid clientId header is required (developer.connectwise.com/ClientID).');
}

function send(res: ServerResponse, reply: Reply): void {
  const text = JSON.stringify(reply.body);
  res.writeHead(reply.status, {
    'Content-Type': 'application/json; charset=utf-8',
    'Content-Length': Buffer.byteLength(text),
    'Cache-Control': 'no-cache',
    'api-current-version': '2025.1',
    ...reply.headers,
  });
  res.end(text);
}

function faultReply(rule: FaultRule): Reply | 'drop' | 'malformed' | 'hang' {
  switch (rule.kind) {
    case 'rate-limit': {
      const seconds = rule.retryAfter ?? 1;
      const body = { error: 'ConnectWiseAPI', message: `Too many requests. Please try again in ${seconds} seconds.` };
      if (rule.retryAfterForm === 'none') return { status: 429, body };
      if (rule.retryAfterForm === 'date') return { status: 429, body, headers: { 'Retry-After': new Date(Date.now() + seconds * 1000).toUTCString() } };
      return { status: 429, body, headers: { 'Retry-After': String(seconds) } };
    }
    case 'server-error':
      return { status: rule.status ?? 500, body: { code: rule.code ?? 'UnexpectedError', message: rule.message ?? 'An unexpected error has occurred.' } };
    case 'status':
      return { status: rule.status ?? 400, body: { code: rule.code ?? 'InvalidObject', message: rule.message ?? 'The request is not valid.' } };
    default:
      return rule.kind;
  }
}

/** API paths: `/{codebase}/apis/3.0/...` on any host, everything on `api-*` hosts, and companyinfo. */
export function isCwApiRequest(req: IncomingMessage): boolean {
  const path = (req.url ?? '/').split('?')[0]!;
  if (/^api-/i.test(req.headers.host ?? '')) return true;
  return /^\/login\/companyinfo\//i.test(path) || /^\/[^/]+\/apis\/3\.0(\/|$)/i.test(path);
}

export function createCwApi(opts: CwApiOptions) {
  const tables = buildTables(opts.bundle);
  const creds = opts.credentials ?? DEFAULT_CREDENTIALS;
  const security = opts.security ?? guideSecurity();
  const faults = createFaults(opts.faults);
  const variant = opts.variant ?? {};
  const requests: RequestLog[] = [];
  const hanging = new Set<ServerResponse>();

  async function respond(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', `http://${req.headers.host ?? 'localhost'}`);
    const forwardOnly = String(req.headers['pagination-type'] ?? '').toLowerCase() === 'forward-only';
    const api = /^\/([^/]+)\/apis\/3\.0(\/.*)?$/i.exec(url.pathname);
    const logPath = api ? (api[2] ?? '/') : url.pathname;
    const entry: RequestLog = { method: req.method ?? 'GET', path: logPath, query: url.search, status: 0, forwardOnly };
    requests.push(entry);
    if (faults.latencyMs) await new Promise((r) => setTimeout(r, faults.latencyMs));

    const rule = faults.pick(`${logPath}${decodeURIComponentSafe(url.search)}`);
    let reply: Reply;
    const redirect = variant.redirect;
    if (api && redirect && `${logPath}${decodeURIComponentSafe(url.search)}`.includes(redirect.match ?? '')) {
      entry.status = 302;
      res.writeHead(302, { Location: redirect.to, 'Content-Length': 0 });
      res.end();
      return;
    }
    if (rule) {
      entry.fault = rule.kind;
      const f = faultReply(rule);
      if (f === 'hang') {
        hanging.add(res);
        res.on('close', () => hanging.delete(res));
        return;
      }
      if (f === 'malformed') {
        entry.status = 200;
        res.writeHead(200, { 'Content-Type': 'application/json; charset=utf-8' });
        res.end('{"id": 1, "name": "Trunc');
        return;
      }
      if (f === 'drop') {
        entry.status = 200;
        const text = JSON.stringify(Array.from({ length: 50 }, (_, i) => ({ id: i + 1, padding: 'x'.repeat(100) })));
        res.writeHead(200, { 'Content-Type': 'application/json; charset=utf-8', 'Content-Length': Buffer.byteLength(text) });
        res.write(text.slice(0, text.length >> 1), () => res.socket?.destroy());
        return;
      }
      reply = f;
    } else {
      reply = answer(req, url, api);
    }
    entry.status = reply.status;
    send(res, reply);
  }

  function answer(req: IncomingMessage, url: URL, api: RegExpExecArray | null): Reply {
    try {
      const info = /^\/login\/companyinfo\/([^/]+)$/i.exec(url.pathname);
      if (info) {
        const company = decodeURIComponentSafe(info[1]!);
        if (company.toLowerCase() !== creds.companyId.toLowerCase()) return { status: 200, body: null };
        return {
          status: 200,
          body: { CompanyName: 'Sandbox MSP', Codebase: `${SANDBOX_CODEBASE}/`, VersionCode: 'v2025.1', VersionNumber: 'v4.6.10431', CompanyID: creds.companyId, IsCloud: 'False', SiteUrl: url.host },
        };
      }
      if (!api || !CODEBASES.has(api[1]!.toLowerCase())) throw new HttpFailure(404, 'ConnectWiseApi', 'The endpoint does not exist.');
      checkAuth(req, creds);
      if (req.method !== 'GET') throw new HttpFailure(405, 'MethodNotAllowed', `${req.method} is not allowed on this local read-only API.`);
      return route(api[2] ?? '/', url, tables, security, String(req.headers['pagination-type'] ?? '').toLowerCase() === 'forward-only', variant);
    } catch (err) {
      if (err instanceof HttpFailure) return { status: err.status, body: { code: err.code, message: err.message, errors: null } };
      return { status: 500, body: { code: 'UnexpectedError', message: err instanceof Error ? err.message : String(err), errors: null } };
    }
  }

  return {
    requests,
    setFaults: (f: FaultConfig) => faults.set(f),
    /** Handles the request if it is an API request; false hands it to the next handler. */
    handle(req: IncomingMessage, res: ServerResponse): boolean {
      if (!isCwApiRequest(req)) return false;
      respond(req, res).catch((err: unknown) => {
        if (!res.headersSent) send(res, { status: 500, body: { code: 'UnexpectedError', message: String(err) } });
        else res.destroy();
      });
      return true;
    },
    /** Ends answers held open by `hang` faults (before closing the server). */
    releaseHanging(): void {
      for (const res of hanging) res.destroy();
      hanging.clear();
    },
  };
}

function decodeURIComponentSafe(text: string): string {
  try {
    return decodeURIComponent(text);
  } catch {
    return text;
  }
}
