import { ofetch, type $Fetch } from 'ofetch';
import { z } from 'zod';
import { buildQuery, type Condition } from './conditions';
import { CwApiError } from './errors';
import { normaliseCodebase, resolveApiHost, type ApiHost } from './hosts';
import { httpError, networkReason } from './http-errors';
import { createLimiter } from './limiter';
import { linkParam, parseLinkHeader } from './links';
import { CompanyInfo } from './schemas';

export interface RetryOptions {
  /** Further attempts after the first (5xx, timeouts, dropped connections, bad JSON). */
  retries: number;
  /** Exponential backoff base and cap; the wait is a uniformly random part of min(cap, base·2ⁿ). */
  baseMs: number;
  capMs: number;
  /** Longest Retry-After honoured; a longer one is clipped rather than stalling a pull for ages. */
  maxRetryAfterMs: number;
  /** Per request, from sending to the last body byte. */
  timeoutMs: number;
  /**
   * A 429 is waited out for at least this long in total before giving up: ConnectWise counts
   * requests per minute, so anything shorter gives up before its window can have reset.
   */
  rateLimitPatienceMs: number;
  /** Backoff for a 429 without a usable Retry-After: half fixed, half random of min(cap, base·2ⁿ). */
  rateLimitBaseMs: number;
  rateLimitCapMs: number;
}

export const DEFAULT_RETRY: RetryOptions = {
  retries: 4,
  baseMs: 250,
  capMs: 8_000,
  maxRetryAfterMs: 60_000,
  timeoutMs: 30_000,
  rateLimitPatienceMs: 60_000,
  rateLimitBaseMs: 2_000,
  rateLimitCapMs: 30_000,
};

/** What one list may cost, whatever the server claims. */
export interface ListLimits {
  /** Records of one list (its `/count` above this reads only this many, as partly read). */
  maxItems: number;
  /** Bytes of one answer; a longer body is cut off and the list ends partly read. */
  maxBytes: number;
}

export const DEFAULT_LIMITS: ListLimits = { maxItems: 200_000, maxBytes: 64 * 1024 * 1024 };

export type Sleep = (ms: number, signal?: AbortSignal) => Promise<void>;
export type Paging = 'navigable' | 'forward-only';

export interface CwClientOptions {
  site: string;
  companyId: string;
  publicKey: string;
  privateKey: string;
  /**
   * The site the private key was entered for (default: `site`). The key is only ever sent to
   * that site's API origin: a client whose site differs refuses to start.
   */
  keySite?: string;
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
  /** Default list paging; navigable pages can be fetched in parallel once the count is known. */
  paging?: Paging;
  limits?: Partial<ListLimits>;
  /** Wall clock in ms, for Retry-After given as an HTTP date. */
  now?: () => number;
}

/** A record the schema refused: kept out of the list, reported with where it was. */
export interface RejectedRecord {
  /** 0-based position in the whole list. */
  index: number;
  id?: number;
  /** Dotted path of the first field at fault (`product.identifier`), or empty for the record itself. */
  field: string;
  message: string;
}

/**
 * A list as far as it could be read. `complete` is true only when the server's own `/count`
 * agrees with what arrived (or the first page was not full) and no page misbehaved.
 */
export interface ListResult<T> {
  items: T[];
  complete: boolean;
  /** Why the list is partly read, each naming the path. */
  problems: string[];
  rejected: RejectedRecord[];
  /** The server's `/count`, when it was asked. */
  count?: number;
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
  /** Every record, or an error: a list that is partly read or holds a refused record throws. */
  list<T>(path: string, opts: ListOptions<T>): Promise<T[]>;
  /** As much of the list as can be trusted, with per-record refusals and why it stopped early. */
  read<T>(path: string, opts: ListOptions<T>): Promise<ListResult<T>>;
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

type Outcome = Answer | { error: CwApiError; waitMs?: number };

/** Retry-After as seconds or as an HTTP date; undefined when absent or unreadable. */
function retryAfterMs(value: string | null, now: number): number | undefined {
  if (value === null || !value.trim()) return undefined;
  const text = value.trim();
  if (/^\d+(\.\d+)?$/.test(text)) return Number(text) * 1000;
  const at = Date.parse(text);
  return Number.isNaN(at) ? undefined : Math.max(0, at - now);
}

/**
 * The body as text, never more than `max` bytes: a longer one is cancelled as it streams in, so a
 * hostile answer costs at most `max` bytes of memory.
 */
async function readBounded(res: Response, body: unknown, max: number): Promise<{ text: string } | { oversize: number }> {
  const declared = Number(res.headers.get('content-length'));
  const stream = body && typeof (body as ReadableStream).getReader === 'function' ? (body as ReadableStream<Uint8Array>) : undefined;
  if (Number.isFinite(declared) && declared > max) {
    await stream?.cancel().catch(() => undefined);
    return { oversize: declared };
  }
  if (!stream) return { text: typeof body === 'string' ? body : '' };
  const reader = stream.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > max) {
      await reader.cancel().catch(() => undefined);
      return { oversize: size };
    }
    chunks.push(value);
  }
  const all = new Uint8Array(size);
  let at = 0;
  for (const chunk of chunks) {
    all.set(chunk, at);
    at += chunk.byteLength;
  }
  return { text: new TextDecoder().decode(all) };
}

function originOf(url: string): string | undefined {
  try {
    return new URL(url).origin;
  } catch {
    return undefined;
  }
}

function foreignHost(target: string, keyOrigin: string, path?: string): CwApiError {
  return new CwApiError({
    status: 0,
    code: 'KeyNotForSite',
    path,
    userMessage: `The private key was entered for ${keyOrigin}, not ${target}; it is not sent there. Enter the private key for this site in the options.`,
  });
}

export function createCwClient(opts: CwClientOptions): CwClient {
  const host = resolveApiHost(opts.site);
  for (const key of ['companyId', 'publicKey', 'privateKey', 'clientId'] as const) {
    if (!opts[key]?.trim()) throw new CwApiError({ status: 0, code: 'Unauthorized', userMessage: `The ConnectWise ${key} is empty.` });
  }
  const keyOrigin = opts.keySite === undefined ? host.origin : resolveApiHost(opts.keySite).origin;
  if (keyOrigin !== host.origin) throw foreignHost(host.origin, keyOrigin);
  const retry: RetryOptions = { ...DEFAULT_RETRY, ...opts.retry };
  const limits: ListLimits = { ...DEFAULT_LIMITS, ...opts.limits };
  const sleep = opts.sleep ?? defaultSleep;
  const random = opts.random ?? Math.random;
  const now = opts.now ?? Date.now;
  const pageSize = opts.pageSize ?? 1000;
  const concurrency = opts.concurrency ?? 6;
  const limiter = createLimiter(concurrency);
  const $fetch: $Fetch = opts.fetch ? ofetch.create({}, { fetch: opts.fetch }) : ofetch;
  // Credentials live only in this closure: the client object itself carries nothing secret.
  const authorization = basicAuth(opts.companyId.trim(), opts.publicKey.trim(), opts.privateKey.trim());
  // What a server might echo back: never shown in a message.
  const secrets = [authorization, authorization.slice('Basic '.length), opts.privateKey.trim()];
  const baseHeaders: Record<string, string> = {
    Authorization: authorization,
    clientId: opts.clientId.trim(),
    Accept: `application/vnd.connectwise.com+json; version=${opts.apiVersion ?? '2025.1'}`,
  };
  const stats = { requests: 0, retries: 0 };
  let codebase: Promise<string> | undefined = opts.codebase ? Promise.resolve(normaliseCodebase(opts.codebase)) : undefined;
  let knownCodebase: string | undefined = opts.codebase ? normaliseCodebase(opts.codebase) : undefined;
  let refreshed = false;

  function networkError(path: string, err: unknown): CwApiError {
    return new CwApiError({ status: 0, code: 'Network', path, userMessage: `Could not read ${path} from ConnectWise at ${host.origin} (${networkReason(err)}).` });
  }

  async function once(url: string, path: string, headers: Record<string, string>, signal?: AbortSignal): Promise<Outcome> {
    // The one place a request leaves: the key goes only to the origin it was entered for.
    if ('Authorization' in headers && originOf(url) !== keyOrigin) return { error: foreignHost(originOf(url) ?? url, keyOrigin, path) };
    await limiter.acquire();
    try {
      if (signal?.aborted) return { error: abortedError(path) };
      stats.requests++;
      const timeout = AbortSignal.timeout(retry.timeoutMs);
      const combined = signal ? AbortSignal.any([signal, timeout]) : timeout;
      const failed = (err: unknown): Outcome => {
        if (signal?.aborted) return { error: abortedError(path) };
        if (timeout.aborted) {
          return { error: new CwApiError({ status: 0, code: 'Timeout', path, userMessage: `ConnectWise did not answer ${path} within ${Math.round(retry.timeoutMs / 1000)} s.` }) };
        }
        return { error: networkError(path, err) };
      };
      let res: Awaited<ReturnType<$Fetch['raw']>>;
      try {
        // Redirects are never followed: credentials and data stay with the site the user named.
        res = await $fetch.raw(url, { headers, retry: 0, ignoreResponseError: true, responseType: 'stream', redirect: 'manual', signal: combined });
      } catch (err) {
        return failed(err);
      }
      if ((res.status >= 300 && res.status < 400) || res.type === 'opaqueredirect') {
        await (res.body as ReadableStream | null)?.cancel().catch(() => undefined);
        return { error: redirectError(path, res.headers.get('location'), url) };
      }
      let body: { text: string } | { oversize: number };
      try {
        body = await readBounded(res, res._data, limits.maxBytes);
      } catch (err) {
        return failed(err);
      }
      if ('oversize' in body) {
        return {
          error: new CwApiError({ status: res.status, code: 'Oversize', path, userMessage: `ConnectWise sent more than ${limits.maxBytes} bytes for ${path} in one answer (at least ${body.oversize}); it was not read.` }),
        };
      }
      const { text } = body;
      if (res.status >= 200 && res.status < 300) {
        try {
          return { status: res.status, headers: res.headers, data: JSON.parse(text) as unknown };
        } catch {
          return { error: new CwApiError({ status: res.status, code: 'Malformed', path, userMessage: `ConnectWise sent a response for ${path} that is not valid JSON.` }) };
        }
      }
      const error = httpError(res.status, text, { path, site: host.origin, codebase: knownCodebase, secrets });
      if (res.status === 429) {
        const wait = retryAfterMs(res.headers.get('retry-after'), now());
        if (wait !== undefined) return { error, waitMs: Math.min(wait, retry.maxRetryAfterMs) };
      }
      return { error };
    } finally {
      limiter.release();
    }
  }

  function redirectError(path: string, location: string | null, from: string): CwApiError {
    let target = 'an address the browser does not reveal';
    if (location) {
      try {
        const to = new URL(location, from);
        target = to.origin === host.origin ? `${to.pathname} on the same site` : `another site (${to.origin})`;
      } catch {
        target = 'an address that is not valid';
      }
    }
    return new CwApiError({ status: 0, code: 'Redirect', path, userMessage: `ConnectWise redirected ${path} to ${target}; redirects are not followed, so nothing from there was read.` });
  }

  async function request(url: string, path: string, headers: Record<string, string>, signal?: AbortSignal): Promise<Answer> {
    let waitedForRate = 0;
    let rateAttempts = 0;
    for (let attempt = 0; ; ) {
      const outcome = await once(url, path, headers, signal);
      if (!('error' in outcome)) return outcome;
      const { error } = outcome;
      let wait: number;
      if (error.code === 'RateLimited') {
        // Waited out for a minute or more in all: the limit is per minute, so shorter is futile.
        rateAttempts++;
        if (waitedForRate >= retry.rateLimitPatienceMs) {
          throw new CwApiError({ status: error.status, code: error.code, path, cwCode: error.cwCode, userMessage: `${error.userMessage} (gave up after ${rateAttempts} attempts over ${Math.round(waitedForRate / 1000)} s)` });
        }
        const step = Math.min(retry.rateLimitCapMs, retry.rateLimitBaseMs * 2 ** Math.min(rateAttempts - 1, 30));
        // Half fixed, half random: parallel requests spread out, and every wait counts towards the minute.
        wait = outcome.waitMs ?? step / 2 + random() * (step / 2);
        // A Retry-After of 0 must not spin: ConnectWise asked for a pause.
        wait = Math.max(wait, Math.min(1000, retry.rateLimitBaseMs));
        waitedForRate += wait;
      } else {
        if (!error.retryable || attempt >= retry.retries) {
          if (error.retryable && attempt > 0) {
            throw new CwApiError({ status: error.status, code: error.code, path, cwCode: error.cwCode, userMessage: `${error.userMessage} (gave up after ${attempt + 1} attempts)` });
          }
          throw error;
        }
        // Full jitter: spreads the retries of parallel requests so they do not return in lockstep.
        wait = random() * Math.min(retry.capMs, retry.baseMs * 2 ** attempt);
        attempt++;
      }
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

  function recordId(raw: unknown): number | undefined {
    const id = raw && typeof raw === 'object' ? (raw as { id?: unknown }).id : undefined;
    return typeof id === 'number' && Number.isSafeInteger(id) ? id : undefined;
  }

  function refusal(raw: unknown, index: number, error: z.ZodError): RejectedRecord {
    const issue = error.issues[0];
    return { index, id: recordId(raw), field: issue?.path.join('.') ?? '', message: issue?.message ?? 'invalid' };
  }

  function describeRefusal(path: string, r: RejectedRecord): string {
    return `ConnectWise sent an unexpected record ${r.index + 1}${r.id === undefined ? '' : ` (id ${r.id})`} from ${path}:${r.field ? ` field "${r.field}"` : ''} ${r.message}.`;
  }

  function validate<T>(path: string, raw: unknown, schema: z.ZodType<T>): T {
    const parsed = schema.safeParse(raw);
    if (parsed.success) return parsed.data;
    const issue = parsed.error.issues[0];
    const field = issue?.path.length ? ` field "${issue.path.join('.')}"` : '';
    throw new CwApiError({ status: 200, code: 'Invalid', path, userMessage: `ConnectWise sent an unexpected answer from ${path}:${field} ${issue?.message ?? 'invalid'}.` });
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

  /** One page, unvalidated: the caller checks its size before spending anything on its records. */
  async function page<T>(path: string, query: string, o: ListOptions<T>, extraHeaders?: Record<string, string>): Promise<{ raw: unknown[]; links: Record<string, string> }> {
    const headers = extraHeaders ? { ...baseHeaders, ...extraHeaders } : baseHeaders;
    const answer = await withBase(o.signal, (base) => request(`${base}${path}${query}`, path, headers, o.signal));
    if (!Array.isArray(answer.data)) throw new CwApiError({ status: answer.status, code: 'Invalid', path, userMessage: `ConnectWise sent something other than a list for ${path}.` });
    return { raw: answer.data, links: parseLinkHeader(answer.headers.get('link')) };
  }

  async function count(path: string, o: ListOptions<unknown>): Promise<number> {
    const query = buildQuery({ conditions: o.conditions });
    const answer = await withBase(o.signal, (base) => request(`${base}${path}/count${query}`, `${path}/count`, baseHeaders, o.signal));
    return validate(`${path}/count`, answer.data, z.looseObject({ count: z.number().int().nonnegative() })).count;
  }

  /** Where a list stops early instead of trusting a server that pages strangely. */
  class Stop extends Error {}

  async function read<T>(path: string, o: ListOptions<T>): Promise<ListResult<T>> {
    const common = { conditions: o.conditions, fields: o.fields?.join(','), pageSize };
    const paging = o.paging ?? opts.paging ?? 'navigable';
    const items: T[] = [];
    const rejected: RejectedRecord[] = [];
    const problems: string[] = [];
    const seen = new Set<number>();
    let received = 0;
    let total: number | undefined;

    /** Takes one page's records, one by one; false when the page must end the list. */
    const absorb = (raw: unknown[], label: string): boolean => {
      if (raw.length > pageSize) {
        problems.push(`ConnectWise sent ${raw.length} records on ${label} of ${path}, more than the ${pageSize} asked for; the page was not read.`);
        return false;
      }
      const ids = raw.map(recordId);
      if (raw.length && ids.every((id) => id !== undefined && seen.has(id))) {
        problems.push(`ConnectWise sent ${label} of ${path} again (records already read); reading stopped there.`);
        return false;
      }
      for (let i = 0; i < raw.length; i++) {
        const id = ids[i];
        if (id !== undefined) {
          if (seen.has(id)) continue;
          seen.add(id);
        }
        const record = o.prepare ? o.prepare(raw[i]) : raw[i];
        const parsed = o.schema.safeParse(record);
        if (parsed.success) items.push(parsed.data);
        else rejected.push(refusal(record, received, parsed.error));
        received++;
      }
      return true;
    };

    /** Ends the list partly read when a redirect or an oversize answer stops a page. */
    const guarded = async <R>(run: () => Promise<R>): Promise<R> => {
      try {
        return await run();
      } catch (err) {
        if (err instanceof CwApiError && (err.code === 'Redirect' || err.code === 'Oversize')) {
          problems.push(err.userMessage);
          throw new Stop();
        }
        throw err;
      }
    };

    const result = (complete: boolean): ListResult<T> => ({ items, complete: complete && !problems.length, problems, rejected, ...(total === undefined ? {} : { count: total }) });

    try {
      const forward = paging === 'forward-only';
      const firstQuery = forward ? buildQuery(common) : buildQuery({ ...common, orderBy: o.orderBy, page: 1 });
      const fo = forward ? { 'pagination-type': 'forward-only' } : undefined;
      const first = await guarded(() => page(path, firstQuery, o, fo));
      if (!absorb(first.raw, 'page 1')) return result(false);
      // A page that is not full is the whole list; a full one is only as complete as the count says.
      if (first.raw.length < pageSize) return result(true);
      try {
        total = await count(path, o as ListOptions<unknown>);
      } catch (err) {
        if (!(err instanceof CwApiError) || err.code === 'Aborted') throw err;
        problems.push(`The first page of ${path} was full and ConnectWise could not count the list (${err.userMessage}); only what the pages hold was read.`);
      }
      let target = total ?? limits.maxItems;
      if (target > limits.maxItems) {
        problems.push(`ConnectWise counts ${target} records in ${path}, more than the ${limits.maxItems} one list may hold here; only the first ${limits.maxItems} were read.`);
        target = limits.maxItems;
      }
      const pages = Math.ceil(target / pageSize);
      if (forward) {
        let pageId: number | undefined;
        let next = linkParam(first.links.next, 'pageId') ?? recordId(first.raw[first.raw.length - 1]);
        for (let n = 2; n <= pages && received < target; n++) {
          if (next === undefined || (pageId !== undefined && next <= pageId)) {
            problems.push(`ConnectWise's forward-only paging of ${path} did not move forward after page ${n - 1}; reading stopped there.`);
            break;
          }
          pageId = next;
          const r = await guarded(() => page(path, buildQuery({ ...common, pageId }), o, fo));
          if (!r.raw.length) {
            problems.push(`Page ${n} of ${path} came back empty though ConnectWise counts ${total ?? 'more'} records; reading stopped there.`);
            break;
          }
          if (!absorb(r.raw, `page ${n}`)) break;
          if (r.raw.length < pageSize) break;
          next = linkParam(r.links.next, 'pageId') ?? recordId(r.raw[r.raw.length - 1]);
        }
      } else {
        // Fetched side by side in small batches: the limiter bounds requests in flight, the batch
        // bounds how many answers wait in memory.
        const batch = Math.max(1, concurrency * 2);
        outer: for (let n = 2; n <= pages; n += batch) {
          const numbers = Array.from({ length: Math.min(batch, pages - n + 1) }, (_, i) => n + i);
          const answers = await Promise.all(numbers.map((p) => guarded(() => page(path, buildQuery({ ...common, orderBy: o.orderBy, page: p }), o))));
          for (let i = 0; i < answers.length; i++) {
            const r = answers[i]!;
            if (!r.raw.length) {
              problems.push(`Page ${numbers[i]} of ${path} came back empty though ConnectWise counts ${total ?? 'more'} records; reading stopped there.`);
              break outer;
            }
            if (!absorb(r.raw, `page ${numbers[i]}`)) break outer;
          }
        }
      }
      if (total !== undefined && received !== total && !problems.length) {
        problems.push(`ConnectWise counts ${total} records in ${path} but its pages held ${received}; the list changed while it was read, or the server pages wrongly.`);
      }
      return result(total !== undefined && received === total);
    } catch (err) {
      if (err instanceof Stop) return result(false);
      throw err;
    }
  }

  async function list<T>(path: string, o: ListOptions<T>): Promise<T[]> {
    const r = await read(path, o);
    if (r.rejected.length) throw new CwApiError({ status: 200, code: 'Invalid', path, userMessage: describeRefusal(path, r.rejected[0]!) });
    if (!r.complete) throw new CwApiError({ status: 200, code: 'Incomplete', path, userMessage: r.problems[0] ?? `ConnectWise did not send all of ${path}.` });
    return r.items;
  }

  async function get<T>(path: string, schema: z.ZodType<T>, o: { conditions?: Condition; fields?: readonly string[]; signal?: AbortSignal } = {}): Promise<T> {
    const query = buildQuery({ conditions: o.conditions, fields: o.fields?.join(',') });
    const answer = await withBase(o.signal, (base) => request(`${base}${path}${query}`, path, baseHeaders, o.signal));
    return validate(path, answer.data, schema);
  }

  return { host, companyId: opts.companyId.trim(), concurrency, stats, apiBase, get, list, read };
}
