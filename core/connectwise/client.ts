import { ofetch, type $Fetch } from 'ofetch';
import type { z } from 'zod';
import { buildQuery, type Condition } from './conditions';
import { CwApiError } from './errors';
import { normaliseCodebase, resolveApiHost, type ApiHost } from './hosts';
import { httpError, networkReason } from './http-errors';
import { createLimiter } from './limiter';
import { linkParam, parseLinkHeader } from './links';
import { CompanyInfo } from './schemas';

export interface RetryOptions {
  /** Further attempts after the first (429, 5xx, timeouts, dropped connections, bad JSON). */
  retries: number;
  /** Exponential backoff base and cap; the wait is a uniformly random part of min(cap, base·2ⁿ). */
  baseMs: number;
  capMs: number;
  /** Longest Retry-After honoured; a longer one is clipped rather than stalling a pull for ages. */
  maxRetryAfterMs: number;
  /** Per request, from sending to the last body byte. */
  timeoutMs: number;
}

export const DEFAULT_RETRY: RetryOptions = { retries: 4, baseMs: 250, capMs: 8_000, maxRetryAfterMs: 60_000, timeoutMs: 30_000 };

export type Sleep = (ms: number, signal?: AbortSignal) => Promise<void>;
export type Paging = 'navigable' | 'forward-only';

export interface CwClientOptions {
  site: string;
  companyId: string;
  publicKey: string;
  privateKey: string;
  clientId: string;
  /** e.g. `v2025_1`; discovered through /login/companyinfo when absent. */
  codebase?: string;
  fetch?: typeof fetch;
  /** Requests in flight at once (default 6: well under ConnectWise's ~1,000 requests a minute). */
  concurrency?: number;
  retry?: Partial<RetryOptions>;
  sleep?: Sleep;
  random?: () => number;
  /** Model version pinned in the Accept header. */
  apiVersion?: string;
  pageSize?: number;
  /** Default list paging; navigable pages can be fetched in parallel once the last page is known. */
  paging?: Paging;
}

export interface ListOptions<T> {
  conditions?: Condition;
  fields?: readonly string[];
  orderBy?: string;
  paging?: Paging;
  signal?: AbortSignal;
  /** Adjusts each raw record before validation (e.g. fill in a parent id the endpoint omits). */
  prepare?: (raw: unknown) => unknown;
  schema: z.ZodType<T>;
}

export interface CwClient {
  readonly host: ApiHost;
  readonly companyId: string;
  readonly concurrency: number;
  /** Counters for benchmarks and tests: every HTTP request sent, and how many were retries. */
  readonly stats: { requests: number; retries: number };
  apiBase(signal?: AbortSignal): Promise<string>;
  get<T>(path: string, schema: z.ZodType<T>, opts?: { conditions?: Condition; fields?: readonly string[]; signal?: AbortSignal }): Promise<T>;
  list<T>(path: string, opts: ListOptions<T>): Promise<T[]>;
}

const defaultSleep: Sleep = (ms, signal) =>
  new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(abortedError());
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    const onAbort = () => {
      clearTimeout(timer);
      reject(abortedError());
    };
    signal?.addEventListener('abort', onAbort, { once: true });
  });

function abortedError(path?: string): CwApiError {
  return new CwApiError({ status: 0, code: 'Aborted', path, userMessage: 'The ConnectWise request was cancelled.' });
}

/** Basic credentials as UTF-8 → base64, without Node's Buffer so it runs in the extension too. */
function basicAuth(companyId: string, publicKey: string, privateKey: string): string {
  const bytes = new TextEncoder().encode(`${companyId}+${publicKey}:${privateKey}`);
  let binary = '';
  for (const b of bytes) binary += String.fromCharCode(b);
  return `Basic ${btoa(binary)}`;
}

interface Answer {
  status: number;
  headers: Headers;
  data: unknown;
}

export function createCwClient(opts: CwClientOptions): CwClient {
  const host = resolveApiHost(opts.site);
  for (const key of ['companyId', 'publicKey', 'privateKey', 'clientId'] as const) {
    if (!opts[key]?.trim()) throw new CwApiError({ status: 0, code: 'Unauthorized', userMessage: `The ConnectWise ${key} is empty.` });
  }
  const retry: RetryOptions = { ...DEFAULT_RETRY, ...opts.retry };
  const sleep = opts.sleep ?? defaultSleep;
  const random = opts.random ?? Math.random;
  const pageSize = opts.pageSize ?? 1000;
  const concurrency = opts.concurrency ?? 6;
  const limiter = createLimiter(concurrency);
  const $fetch: $Fetch = opts.fetch ? ofetch.create({}, { fetch: opts.fetch }) : ofetch;
  // Credentials live only in this closure: the client object itself carries nothing secret.
  const authorization = basicAuth(opts.companyId.trim(), opts.publicKey.trim(), opts.privateKey.trim());
  const baseHeaders: Record<string, string> = {
    Authorization: authorization,
    clientId: opts.clientId.trim(),
    Accept: `application/vnd.connectwise.com+json; version=${opts.apiVersion ?? '2025.1'}`,
  };
  const stats = { requests: 0, retries: 0 };
  let codebase: Promise<string> | undefined = opts.codebase ? Promise.resolve(normaliseCodebase(opts.codebase)) : undefined;
  let knownCodebase: string | undefined = opts.codebase ? normaliseCodebase(opts.codebase) : undefined;
  let refreshed = false;

  async function once(url: string, path: string, headers: Record<string, string>, signal?: AbortSignal): Promise<Answer | { error: CwApiError; waitMs?: number }> {
    await limiter.acquire();
    try {
      if (signal?.aborted) return { error: abortedError(path) };
      stats.requests++;
      const timeout = AbortSignal.timeout(retry.timeoutMs);
      const combined = signal ? AbortSignal.any([signal, timeout]) : timeout;
      let res: Awaited<ReturnType<$Fetch['raw']>>;
      try {
        res = await $fetch.raw(url, { headers, retry: 0, ignoreResponseError: true, responseType: 'text', signal: combined });
      } catch (err) {
        if (signal?.aborted) return { error: abortedError(path) };
        if (timeout.aborted) {
          return { error: new CwApiError({ status: 0, code: 'Timeout', path, userMessage: `ConnectWise did not answer ${path} within ${Math.round(retry.timeoutMs / 1000)} s.` }) };
        }
        return { error: new CwApiError({ status: 0, code: 'Network', path, userMessage: `Could not read ${path} from ConnectWise at ${host.origin} (${networkReason(err)}).` }) };
      }
      const text = typeof res._data === 'string' ? res._data : '';
      if (res.status >= 200 && res.status < 300) {
        try {
          return { status: res.status, headers: res.headers, data: JSON.parse(text) as unknown };
        } catch {
          return { error: new CwApiError({ status: res.status, code: 'Malformed', path, userMessage: `ConnectWise sent a response for ${path} that is not valid JSON.` }) };
        }
      }
      const error = httpError(res.status, text, { path, site: host.origin, codebase: knownCodebase });
      if (res.status === 429) {
        const seconds = Number(res.headers.get('retry-after'));
        if (Number.isFinite(seconds) && seconds >= 0) return { error, waitMs: Math.min(seconds * 1000, retry.maxRetryAfterMs) };
      }
      return { error };
    } finally {
      limiter.release();
    }
  }

  async function request(url: string, path: string, headers: Record<string, string>, signal?: AbortSignal): Promise<Answer> {
    for (let attempt = 0; ; attempt++) {
      const outcome = await once(url, path, headers, signal);
      if (!('error' in outcome)) return outcome;
      const { error } = outcome;
      if (!error.retryable || attempt >= retry.retries) {
        if (error.retryable && attempt > 0) {
          throw new CwApiError({ status: error.status, code: error.code, path, cwCode: error.cwCode, userMessage: `${error.userMessage} (gave up after ${attempt + 1} attempts)` });
        }
        throw error;
      }
      // Full jitter: spreads the retries of parallel requests so they do not return in lockstep.
      const wait = outcome.waitMs ?? random() * Math.min(retry.capMs, retry.baseMs * 2 ** attempt);
      stats.retries++;
      await sleep(wait, signal);
    }
  }

  async function discoverCodebase(signal?: AbortSignal): Promise<string> {
    const path = `/login/companyinfo/${encodeURIComponent(opts.companyId.trim())}`;
    // Unauthenticated endpoint: the keys are not sent where they are not needed.
    const headers = { Accept: 'application/json', clientId: baseHeaders.clientId! };
    try {
      const answer = await request(`${host.origin}${path}`, path, headers, signal);
      const parsed = CompanyInfo.safeParse(answer.data);
      if (!parsed.success) throw new CwApiError({ status: 200, code: 'Invalid', path, userMessage: `${host.origin} did not answer like a ConnectWise server (company info).` });
      if (parsed.data === null) {
        throw new CwApiError({ status: 404, code: 'NotFound', path, userMessage: `The company ID "${opts.companyId.trim()}" is not known at ${host.origin}: check the company ID (the one typed on the ConnectWise login screen) and the site.` });
      }
      return normaliseCodebase(parsed.data.Codebase);
    } catch (err) {
      // Old on-premise servers have no companyinfo; their API lives under the release codebase.
      if (err instanceof CwApiError && err.status === 404 && err.code === 'NotFound' && !err.userMessage.includes('company ID')) return 'v4_6_release/';
      throw err;
    }
  }

  async function apiBase(signal?: AbortSignal): Promise<string> {
    if (!codebase) {
      codebase = discoverCodebase(signal).then(
        (cb) => {
          knownCodebase = cb;
          return cb;
        },
        (err: unknown) => {
          codebase = undefined;
          throw err;
        },
      );
    }
    return `${host.origin}/${await codebase}apis/3.0`;
  }

  function validate<T>(path: string, raw: unknown, schema: z.ZodType<T>, index?: number): T {
    const parsed = schema.safeParse(raw);
    if (parsed.success) return parsed.data;
    const issue = parsed.error.issues[0];
    const id = raw && typeof raw === 'object' && 'id' in raw ? ` (id ${String((raw as { id: unknown }).id)})` : '';
    const where = index === undefined ? '' : ` record ${index + 1}${id}`;
    const field = issue?.path.length ? ` field "${issue.path.join('.')}"` : '';
    throw new CwApiError({ status: 200, code: 'Invalid', path, userMessage: `ConnectWise sent an unexpected${where} from ${path}:${field} ${issue?.message ?? 'invalid'}.` });
  }

  /**
   * Hosted ConnectWise moves to a new codebase on upgrade; a discovered one that suddenly 404s is
   * asked for again once, and the request repeated if it changed.
   */
  async function withBase(signal: AbortSignal | undefined, send: (base: string) => Promise<Answer>): Promise<Answer> {
    const base = await apiBase(signal);
    try {
      return await send(base);
    } catch (err) {
      if (opts.codebase || refreshed || !(err instanceof CwApiError) || err.status !== 404) throw err;
      refreshed = true;
      const before = knownCodebase;
      codebase = undefined;
      const fresh = await apiBase(signal);
      if (knownCodebase === before) throw err;
      return send(fresh);
    }
  }

  async function page<T>(path: string, query: string, o: ListOptions<T>, extraHeaders?: Record<string, string>) {
    const headers = extraHeaders ? { ...baseHeaders, ...extraHeaders } : baseHeaders;
    const answer = await withBase(o.signal, (base) => request(`${base}${path}${query}`, path, headers, o.signal));
    if (!Array.isArray(answer.data)) throw new CwApiError({ status: answer.status, code: 'Invalid', path, userMessage: `ConnectWise sent something other than a list for ${path}.` });
    const items = answer.data.map((raw, i) => validate(path, o.prepare ? o.prepare(raw) : raw, o.schema, i));
    return { items, links: parseLinkHeader(answer.headers.get('link')) };
  }

  async function list<T>(path: string, o: ListOptions<T>): Promise<T[]> {
    const common = { conditions: o.conditions, fields: o.fields?.join(','), pageSize };
    const paging = o.paging ?? opts.paging ?? 'navigable';
    if (paging === 'forward-only') {
      // Ordered by id, each page starting after the last id seen: cheap on the server, sequential.
      const out: T[] = [];
      let pageId: number | undefined;
      for (;;) {
        const r = await page(path, buildQuery({ ...common, pageId }), o, { 'pagination-type': 'forward-only' });
        out.push(...r.items);
        const next = linkParam(r.links.next, 'pageId');
        if (r.items.length < pageSize || next === undefined || next === pageId) return out;
        pageId = next;
      }
    }
    const first = await page(path, buildQuery({ ...common, orderBy: o.orderBy, page: 1 }), o);
    const out = [...first.items];
    const last = linkParam(first.links.last, 'page');
    if (last !== undefined && last > 1) {
      // The first page says how many there are: fetch the rest side by side.
      const rest = await Promise.all(Array.from({ length: last - 1 }, (_, i) => page(path, buildQuery({ ...common, orderBy: o.orderBy, page: i + 2 }), o)));
      for (const r of rest) out.push(...r.items);
      return out;
    }
    let next = linkParam(first.links.next, 'page');
    const seen = new Set([1]);
    while (next !== undefined && !seen.has(next)) {
      seen.add(next);
      const r = await page(path, buildQuery({ ...common, orderBy: o.orderBy, page: next }), o);
      out.push(...r.items);
      next = linkParam(r.links.next, 'page');
    }
    return out;
  }

  async function get<T>(path: string, schema: z.ZodType<T>, o: { conditions?: Condition; fields?: readonly string[]; signal?: AbortSignal } = {}): Promise<T> {
    const query = buildQuery({ conditions: o.conditions, fields: o.fields?.join(',') });
    const answer = await withBase(o.signal, (base) => request(`${base}${path}${query}`, path, baseHeaders, o.signal));
    return validate(path, answer.data, schema);
  }

  return { host, companyId: opts.companyId.trim(), concurrency, stats, apiBase, get, list };
}
