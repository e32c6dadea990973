import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { CwApiError, createCwClient, cond, testConnection } from '../../../core/connectwise';
import { CwAddition, CwAgreement, CwCompany } from '../../../core/model';
import { guideSecurity } from '../../sandbox/cw-api/data';
import { syntheticBundle } from '../../sandbox/cw-api/fixture';
import { client, DEFAULT_CREDENTIALS, sandbox } from './helpers';

async function failure(p: Promise<unknown>): Promise<CwApiError> {
  try {
    await p;
  } catch (err) {
    if (err instanceof CwApiError) return err;
    throw err;
  }
  throw new Error('expected a CwApiError');
}

describe('connection basics against the local API', () => {
  it('discovers the codebase, sends Basic auth, clientId and the version header', async () => {
    const s = await sandbox();
    const { client: c } = client(s);
    expect(await c.apiBase()).toBe(s.apiBase);
    const companies = await c.list('/company/companies', { schema: CwCompany });
    expect(companies.map((x) => x.id)).toEqual([100, 101, 102]);
    expect(s.requests[0]!.path).toBe('/login/companyinfo/sandbox');
  });

  it('uses a given codebase without discovery', async () => {
    const s = await sandbox();
    const { client: c } = client(s, { codebase: 'v4_6_release' });
    await c.list('/company/companies', { schema: CwCompany });
    expect(s.requests.map((r) => r.path)).toEqual(['/company/companies']);
  });

  it('401 with wrong keys: a plain message, no retry', async () => {
    const s = await sandbox();
    const { client: c } = client(s, { privateKey: 'wrong-private' });
    const err = await failure(c.list('/company/companies', { schema: CwCompany }));
    expect(err.status).toBe(401);
    expect(err.userMessage).toMatch(/API keys/);
    expect(s.requests.filter((r) => r.path === '/company/companies')).toHaveLength(1);
  });

  it('401 for a missing or unknown clientId names the clientId', async () => {
    const s = await sandbox();
    const { client: c } = client(s, { clientId: 'not-registered' });
    const err = await failure(c.list('/company/companies', { schema: CwCompany }));
    expect(err.status).toBe(401);
    expect(err.userMessage).toMatch(/clientId/);
  });

  it('403 names the Security Role module and level the guide requires, no retry', async () => {
    const security = guideSecurity().map((row) => (row.moduleFunctionName === 'Agreements' ? { ...row, inquireLevel: 'None' } : row));
    const s = await sandbox({ security });
    const { client: c } = client(s);
    const err = await failure(c.list('/finance/agreements', { schema: CwAgreement }));
    expect(err.status).toBe(403);
    expect(err.userMessage).toContain('Finance → Agreements: Inquire = All');
    expect(s.requests.filter((r) => r.status === 403)).toHaveLength(1);
  });

  it('404 for a wrong codebase says to check site and codebase, no retry', async () => {
    const s = await sandbox();
    const { client: c } = client(s, { codebase: 'v1999_9' });
    const err = await failure(c.list('/company/companies', { schema: CwCompany }));
    expect(err.status).toBe(404);
    expect(err.userMessage).toMatch(/site address and the codebase \(v1999_9\/\)/);
    expect(s.requests).toHaveLength(1);
  });

  it('a discovered codebase that 404s is asked for again once, and the request repeated', async () => {
    const s = await sandbox();
    let answers = 0;
    // The first company-info answer names an old codebase, as after a hosted upgrade.
    const stale: typeof fetch = async (input, init) => {
      const res = await fetch(input, init);
      if (String(input).includes('/login/companyinfo/') && answers++ === 0) {
        const info = (await res.json()) as Record<string, unknown>;
        return new Response(JSON.stringify({ ...info, Codebase: 'v2019_3/' }), { status: 200, headers: { 'Content-Type': 'application/json' } });
      }
      return res;
    };
    const { client: c } = client(s, { fetch: stale });
    expect(await c.list('/company/companies', { schema: CwCompany })).toHaveLength(3);
    expect(await c.apiBase()).toBe(s.apiBase);
    expect(s.requests.map((r) => r.path)).toEqual(['/login/companyinfo/sandbox', '/company/companies', '/login/companyinfo/sandbox', '/company/companies']);
  });

  it('an unknown company ID is reported from company info', async () => {
    const s = await sandbox();
    const { client: c } = client(s, { companyId: 'nobody' });
    const err = await failure(c.apiBase());
    expect(err.status).toBe(404);
    expect(err.userMessage).toMatch(/company ID "nobody" is not known/);
  });

  it('400 carries ConnectWise\'s message and is not retried', async () => {
    const s = await sandbox({ faults: { rules: [{ kind: 'status', status: 400, message: 'conditions are not valid', match: '/company/companies' }] } });
    const { client: c, sleeps } = client(s);
    const err = await failure(c.list('/company/companies', { schema: CwCompany }));
    expect(err.status).toBe(400);
    expect(err.userMessage).toContain('conditions are not valid');
    expect(sleeps).toEqual([]);
  });

  it('a conditions string the server cannot parse comes back as 400', async () => {
    const s = await sandbox();
    const { client: c } = client(s);
    const err = await failure(c.list('/company/companies', { schema: CwCompany, conditions: cond.eq('name', 'x'), orderBy: 'name sideways' }));
    expect(err.status).toBe(400);
  });
});

describe('retries', () => {
  it('429 waits exactly Retry-After, then succeeds', async () => {
    const s = await sandbox({ faults: { rules: [{ kind: 'rate-limit', retryAfter: 3, count: 2, match: '/company/companies' }] } });
    const { client: c, sleeps } = client(s);
    const companies = await c.list('/company/companies', { schema: CwCompany });
    expect(companies).toHaveLength(3);
    expect(sleeps).toEqual([3000, 3000]);
    expect(c.stats.retries).toBe(2);
  });

  it('a Retry-After longer than the cap is clipped', async () => {
    const s = await sandbox({ faults: { rules: [{ kind: 'rate-limit', retryAfter: 600, count: 1 }] } });
    const { client: c, sleeps } = client(s, { retry: { maxRetryAfterMs: 5000 } });
    await c.list('/company/companies', { schema: CwCompany });
    expect(sleeps).toEqual([5000]);
  });

  it('500 backs off exponentially with jitter, capped', async () => {
    const s = await sandbox({ faults: { rules: [{ kind: 'server-error', count: 4, match: '/company/companies' }] } });
    const { client: c, sleeps } = client(s, { retry: { baseMs: 100, capMs: 500, retries: 5 } });
    await c.list('/company/companies', { schema: CwCompany });
    // random() = 0.5 → half of min(cap, base·2ⁿ)
    expect(sleeps).toEqual([50, 100, 200, 250]);
  });

  it('gives up after the configured retries with a plain message', async () => {
    const s = await sandbox({ faults: { rules: [{ kind: 'server-error', status: 503, match: '/company/companies' }] } });
    const { client: c, sleeps } = client(s, { retry: { retries: 2 } });
    const err = await failure(c.list('/company/companies', { schema: CwCompany }));
    expect(err.status).toBe(503);
    expect(err.userMessage).toMatch(/server error.*gave up after 3 attempts/);
    expect(sleeps).toHaveLength(2);
    expect(s.requests.filter((r) => r.path === '/company/companies')).toHaveLength(3);
  });

  it('a connection dropped mid-body is retried', async () => {
    const s = await sandbox({ faults: { rules: [{ kind: 'drop', count: 1, match: '/company/companies' }] } });
    const { client: c } = client(s);
    const companies = await c.list('/company/companies', { schema: CwCompany });
    expect(companies).toHaveLength(3);
    expect(c.stats.retries).toBe(1);
  });

  it('a malformed body is retried, then reported', async () => {
    const s = await sandbox({ faults: { rules: [{ kind: 'malformed', match: '/company/companies' }] } });
    const { client: c } = client(s, { retry: { retries: 1 } });
    const err = await failure(c.list('/company/companies', { schema: CwCompany }));
    expect(err.code).toBe('Malformed');
    expect(err.userMessage).toMatch(/not valid JSON/);
    expect(c.stats.requests).toBe(3); // companyinfo + 2 attempts
  });

  it('a request that never answers times out and is retried', async () => {
    const s = await sandbox({ faults: { rules: [{ kind: 'hang', count: 1, match: '/company/companies' }] } });
    const { client: c } = client(s, { retry: { timeoutMs: 300 } });
    const companies = await c.list('/company/companies', { schema: CwCompany });
    expect(companies).toHaveLength(3);
    expect(c.stats.retries).toBe(1);
  });

  it('cancelling stops waiting at once', async () => {
    const s = await sandbox({ faults: { rules: [{ kind: 'hang', match: '/company/companies' }] } });
    const { client: c } = client(s);
    const controller = new AbortController();
    const pending = failure(c.list('/company/companies', { schema: CwCompany, signal: controller.signal }));
    await new Promise((r) => setTimeout(r, 100));
    controller.abort();
    expect((await pending).code).toBe('Aborted');
  });
});

describe('paging, conditions, fields, validation', () => {
  const big = syntheticBundle({ companies: 2, agreements: 2, additionsPerAgreement: 45 });

  it('follows Link paging: page 1 tells the last page, the rest is fetched in parallel', async () => {
    const s = await sandbox({ bundle: big });
    const { client: c } = client(s, { pageSize: 10 });
    const rows = await c.list('/finance/agreements/3000/additions', { schema: CwAddition });
    expect(rows.map((r) => r.id)).toEqual(big.additions.filter((a) => a.agreementId === 3000).map((a) => a.id));
    const pages = s.requests.filter((r) => r.path.endsWith('/additions')).map((r) => new URLSearchParams(r.query).get('page'));
    expect(pages).toEqual(['1', '2', '3', '4', '5']);
  });

  it('forward-only paging walks by pageId without orderBy', async () => {
    const s = await sandbox({ bundle: big });
    const { client: c } = client(s, { pageSize: 20, paging: 'forward-only' });
    const rows = await c.list('/finance/agreements/3001/additions', { schema: CwAddition });
    expect(rows).toHaveLength(45);
    const calls = s.requests.filter((r) => r.path.endsWith('/additions'));
    expect(calls.every((r) => r.forwardOnly)).toBe(true);
    expect(calls).toHaveLength(3);
  });

  it('conditions with awkward text reach the server intact', async () => {
    const bundle = syntheticBundle({ companies: 3, agreements: 1, additionsPerAgreement: 1 });
    bundle.companies[1]!.name = `O'Brien & "Sons" + 100% [test]*`;
    const s = await sandbox({ bundle });
    const { client: c } = client(s);
    const rows = await c.list('/company/companies', { schema: CwCompany, conditions: cond.in('name', [bundle.companies[1]!.name, 'Company 102']) });
    expect(rows.map((r) => r.id)).toEqual([101, 102]);
  });

  it('date conditions and fields keep payloads small', async () => {
    const s = await sandbox({ bundle: big });
    const { client: c } = client(s);
    const rows = await c.list('/finance/agreements/3000/additions', {
      schema: z.looseObject({ id: z.number(), effectiveDate: z.string() }),
      conditions: cond.ge('effectiveDate', new Date('2026-11-01T00:00:00Z')),
      fields: ['id', 'effectiveDate'],
    });
    expect(rows.length).toBeGreaterThan(0);
    expect(rows.every((r) => r.effectiveDate >= '2026-11-01' && Object.keys(r).length === 2)).toBe(true);
  });

  it('a record missing a required field is an error naming path, record and field', async () => {
    const bundle = syntheticBundle({ companies: 2, agreements: 1, additionsPerAgreement: 1 });
    delete (bundle.companies[1] as { name?: string }).name;
    const s = await sandbox({ bundle });
    const { client: c } = client(s);
    const err = await failure(c.list('/company/companies', { schema: CwCompany }));
    expect(err.code).toBe('Invalid');
    expect(err.userMessage).toMatch(/record 2 \(id 101\) from \/company\/companies: field "name"/);
  });

  it('unknown fields are tolerated and kept', async () => {
    const bundle = syntheticBundle({ companies: 1, agreements: 1, additionsPerAgreement: 1 });
    (bundle.companies[0] as Record<string, unknown>).brandNewField = { nested: true };
    const s = await sandbox({ bundle });
    const { client: c } = client(s);
    const [row] = await c.list('/company/companies', { schema: CwCompany });
    expect((row as Record<string, unknown>).brandNewField).toEqual({ nested: true });
  });

  it('never has more requests in flight than its concurrency', async () => {
    const s = await sandbox({ bundle: big, faults: { latencyMs: 20 } });
    let inFlight = 0;
    let peak = 0;
    const counting: typeof fetch = async (input, init) => {
      inFlight++;
      peak = Math.max(peak, inFlight);
      try {
        return await fetch(input, init);
      } finally {
        inFlight--;
      }
    };
    const { client: c } = client(s, { pageSize: 5, concurrency: 3, fetch: counting });
    const rows = await c.list('/finance/agreements/3000/additions', { schema: CwAddition });
    expect(rows).toHaveLength(45);
    expect(peak).toBe(3);
  });
});

describe('testConnection', () => {
  it('reports a complete role as ok', async () => {
    const s = await sandbox();
    const result = await testConnection(client(s).client);
    expect(result).toMatchObject({ ok: true, connected: true, missing: [] });
  });

  it('names every missing permission with module and level', async () => {
    const security = guideSecurity()
      .filter((row) => row.moduleFunctionName !== 'Product Catalog')
      .map((row) => (row.moduleFunctionName === 'Agreements' ? { ...row, deleteLevel: 'My' } : row));
    const s = await sandbox({ security });
    const result = await testConnection(client(s).client);
    expect(result.ok).toBe(false);
    expect(result.connected).toBe(true);
    expect(result.missing.map((m) => m.message)).toEqual([
      'Finance → Agreements: Delete must be All (is My)',
      'Procurement → Product Catalog: Add must be All (not in the role)',
      'Procurement → Product Catalog: Edit must be All (not in the role)',
      'Procurement → Product Catalog: Delete must be All (not in the role)',
      'Procurement → Product Catalog: Inquire must be All (not in the role)',
    ]);
    expect(result.message).toContain('Finance → Agreements: Delete must be All');
  });

  it('wrong keys: not connected, a plain message', async () => {
    const s = await sandbox();
    const result = await testConnection(createCwClient({ site: s.url, ...DEFAULT_CREDENTIALS, publicKey: 'nope' }));
    expect(result).toMatchObject({ ok: false, connected: false, error: { status: 401 } });
  });
});
