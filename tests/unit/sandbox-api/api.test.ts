import { request as httpRequest } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { afterEach, describe, expect, it } from 'vitest';
import { DEFAULT_CREDENTIALS, startSandbox, type Sandbox, type SandboxOptions } from '../../sandbox/server';
import { syntheticBundle } from '../../sandbox/cw-api/fixture';
import { generateCert } from '../../sandbox/tls';

const open: Sandbox[] = [];
afterEach(async () => {
  await Promise.all(open.splice(0).map((s) => s.close()));
});

async function start(opts: Partial<SandboxOptions> = {}) {
  const s = await startSandbox({ bundle: syntheticBundle({ companies: 5, agreements: 4, additionsPerAgreement: 3 }), ...opts });
  open.push(s);
  return s;
}

const AUTH = `Basic ${Buffer.from(`${DEFAULT_CREDENTIALS.companyId}+${DEFAULT_CREDENTIALS.publicKey}:${DEFAULT_CREDENTIALS.privateKey}`).toString('base64')}`;
const HEADERS = { Authorization: AUTH, clientId: DEFAULT_CREDENTIALS.clientId };

interface Got {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  text: string;
  json: () => unknown;
}

/** Raw HTTP (node:http), so tests can set any Host header and see exactly what the server sends. */
function get(url: string, headers: Record<string, string> = HEADERS, extra: { ca?: string; servername?: string } = {}): Promise<Got> {
  return new Promise((resolve, reject) => {
    const u = new URL(url);
    const send = u.protocol === 'https:' ? httpsRequest : httpRequest;
    const req = send(u, { headers, ca: extra.ca, servername: extra.servername }, (res) => {
      let text = '';
      res.setEncoding('utf8');
      res.on('data', (c: string) => (text += c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, text, json: () => JSON.parse(text) }));
      res.on('error', reject);
    });
    req.on('error', reject);
    req.end();
  });
}

const q = (conditions: string) => `conditions=${encodeURIComponent(conditions)}`;

describe('local ConnectWise API: discovery and auth', () => {
  it('answers companyinfo for its company, null for any other', async () => {
    const s = await start();
    expect((await get(`${s.url}/login/companyinfo/SANDBOX`, {})).json()).toMatchObject({ Codebase: 'v2025_1/', CompanyID: 'sandbox' });
    expect((await get(`${s.url}/login/companyinfo/other`, {})).json()).toBeNull();
  });

  it('401 without or with wrong credentials, and without clientId, with ConnectWise error bodies', async () => {
    const s = await start();
    const attempts: Record<string, string>[] = [{}, { ...HEADERS, Authorization: 'Basic eDp5' }, { Authorization: AUTH }];
    for (const headers of attempts) {
      const r = await get(`${s.apiBase}/company/companies`, headers);
      expect(r.status).toBe(401);
      expect(r.json()).toMatchObject({ code: 'Unauthorized', message: expect.any(String) });
    }
  });

  it('404 JSON for an unknown codebase, endpoint or record', async () => {
    const s = await start();
    expect((await get(`${s.url}/v1999_1/apis/3.0/company/companies`)).json()).toMatchObject({ code: 'ConnectWiseApi' });
    expect((await get(`${s.apiBase}/nothing/here`)).status).toBe(404);
    expect((await get(`${s.apiBase}/finance/agreements/999999`)).json()).toMatchObject({ code: 'NotFound' });
  });

  it('routes every path of an api- host to the API and other hosts\' pages to the sites', async () => {
    const s = await start();
    const viaCloudName = await get(`${s.url}/v4_6_release/apis/3.0/system/info`, { ...HEADERS, Host: 'api-na.myconnectwise.net' });
    expect(viaCloudName.json()).toMatchObject({ version: expect.stringMatching(/^v2025/) });
    const unknownOnApiHost = await get(`${s.url}/favicon.ico`, { ...HEADERS, Host: 'api-eu.myconnectwise.net' });
    expect(unknownOnApiHost.headers['content-type']).toMatch(/json/);
    const page = await get(`${s.url}/no-such-page`, { Host: 'example.test' });
    expect(page.headers['content-type']).not.toMatch(/json/);
  });
});

describe('local ConnectWise API: lists', () => {
  it('pages navigably with first/prev/next/last links', async () => {
    const s = await start();
    const first = await get(`${s.apiBase}/company/companies?pageSize=2&page=1`);
    expect((first.json() as { id: number }[]).map((c) => c.id)).toEqual([100, 101]);
    expect(first.headers.link).toMatch(/page=2>; rel="next", <[^>]*page=3>; rel="last"/);
    const last = await get(`${s.apiBase}/company/companies?pageSize=2&page=3`);
    expect((last.json() as unknown[]).length).toBe(1);
    expect(last.headers.link).toMatch(/page=1>; rel="first", <[^>]*page=2>; rel="prev"$/);
    const single = await get(`${s.apiBase}/company/companies`);
    expect(single.headers.link).toBeUndefined();
    expect((single.json() as unknown[]).length).toBe(5);
  });

  it('pages forward-only by pageId, ordered by id, refusing orderBy', async () => {
    const s = await start();
    const fo = { ...HEADERS, 'pagination-type': 'forward-only' };
    const one = await get(`${s.apiBase}/company/companies?pageSize=3`, fo);
    expect((one.json() as { id: number }[]).map((c) => c.id)).toEqual([100, 101, 102]);
    expect(one.headers.link).toMatch(/pageId=102>; rel="next"/);
    const two = await get(`${s.apiBase}/company/companies?pageSize=3&pageId=102`, fo);
    expect((two.json() as { id: number }[]).map((c) => c.id)).toEqual([103, 104]);
    expect(two.headers.link).toBe('');
    expect((await get(`${s.apiBase}/company/companies?orderBy=name%20desc`, fo)).status).toBe(400);
  });

  it('evaluates the conditions subset: comparisons, in, contains, like, not, null, dates, and/or', async () => {
    const s = await start();
    const ids = async (path: string, conditions: string) => ((await get(`${s.apiBase}${path}?${q(conditions)}`)).json() as { id: number }[]).map((r) => r.id);
    expect(await ids('/company/companies', 'id >= 102 and id != 103')).toEqual([102, 104]);
    expect(await ids('/company/companies', 'identifier in ("co100", \'CO104\')')).toEqual([100, 104]);
    expect(await ids('/company/companies', 'name contains "y 10" and not_a_field = null')).toEqual([100, 101, 102, 103, 104]);
    expect(await ids('/company/companies', 'name like "%103" or (id = 100 and deletedFlag = false)')).toEqual([100, 103]);
    expect(await ids('/company/companies', 'name not like "Company 10_"')).toEqual([]);
    expect(await ids('/finance/agreements', 'company/id in (100, 101) and agreementStatus = "active"')).toEqual([3000, 3001]);
    const dated = await ids('/finance/agreements/3000/additions', 'effectiveDate >= [2026-02-01T00:00:00Z] and (cancelledDate = null or cancelledDate > [2026-01-15T00:00:00Z])');
    expect(dated).toEqual([100001, 100002]);
    const bad = await get(`${s.apiBase}/company/companies?${q('name = unquoted')}`);
    expect(bad.status).toBe(400);
    expect(bad.json()).toMatchObject({ code: 'InvalidObject', message: expect.stringMatching(/quotes/) });
  });

  it('projects fields (nested paths too), counts, orders', async () => {
    const s = await start();
    const rows = (await get(`${s.apiBase}/finance/agreements?fields=id,company/name&orderBy=id%20desc`)).json() as Record<string, unknown>[];
    expect(rows[0]).toEqual({ id: 3003, company: { name: 'Company 103' } });
    expect((await get(`${s.apiBase}/finance/agreements/3001/additions/count`)).json()).toEqual({ count: 3 });
    expect((await get(`${s.apiBase}/company/companies/count?${q('id < 102')}`)).json()).toEqual({ count: 2 });
  });

  it('serves the system endpoints, case-insensitively', async () => {
    const s = await start();
    const settings = (await get(`${s.apiBase}/system/securityRoles/1/settings`)).json() as { moduleFunctionName: string; inquireLevel: string }[];
    expect(settings.find((r) => r.moduleFunctionName === 'Agreements')?.inquireLevel).toBe('All');
    expect((await get(`${s.apiBase}/system/mySecurity`)).json()).toEqual(settings);
    expect((await get(`${s.apiBase}/finance/currencies`)).json()).toEqual([expect.objectContaining({ id: 1, currencyCode: { id: 1, name: 'EUR' } })]);
  });
});

describe('local ConnectWise API: faults', () => {
  it('skip and count pick which matching requests fail; the log records them without headers', async () => {
    const s = await start();
    s.setFaults({ rules: [{ kind: 'rate-limit', retryAfter: 7, match: '/company/companies', skip: 1, count: 2 }] });
    const statuses: number[] = [];
    for (let i = 0; i < 4; i++) statuses.push((await get(`${s.apiBase}/company/companies`)).status);
    expect(statuses).toEqual([200, 429, 429, 200]);
    const limited = await get(`${s.apiBase}/system/info`);
    expect(limited.status).toBe(200);
    s.setFaults({ rules: [{ kind: 'rate-limit', retryAfter: 7 }] });
    const r = await get(`${s.apiBase}/system/info`);
    expect(r.headers['retry-after']).toBe('7');
    expect(r.json()).toMatchObject({ error: 'ConnectWiseAPI' });
    expect(s.requests.filter((x) => x.fault === 'rate-limit')).toHaveLength(3);
    expect(JSON.stringify(s.requests)).not.toContain(DEFAULT_CREDENTIALS.privateKey);
  });

  it('malformed bodies and dropped connections', async () => {
    const s = await start({ faults: { rules: [{ kind: 'malformed', count: 1 }, { kind: 'drop', count: 1 }] } });
    const bad = await get(`${s.apiBase}/system/info`);
    expect(() => bad.json()).toThrow();
    await expect(get(`${s.apiBase}/system/info`)).rejects.toThrow();
    expect((await get(`${s.apiBase}/system/info`)).status).toBe(200);
  });

  it('serves https with a self-signed certificate for given names', async () => {
    const tls = await generateCert(['na.myconnectwise.net', '127.0.0.1']);
    expect(tls.cert).toMatch(/BEGIN CERTIFICATE/);
    const s = await start({ tls });
    expect(s.url).toMatch(/^https:/);
    const r = await get(`${s.url}/login/companyinfo/sandbox`, {}, { ca: tls.cert });
    expect(r.json()).toMatchObject({ CompanyID: 'sandbox' });
    const named = await get(`${s.url.replace('127.0.0.1', 'localhost')}/login/companyinfo/sandbox`, { Host: 'na.myconnectwise.net' }, { ca: tls.cert, servername: 'na.myconnectwise.net' });
    expect(named.status).toBe(200);
  });
});
