import { describe, expect, it } from 'vitest';
import { cond, linkParam, parseLinkHeader, pullBundle } from '../../../core/connectwise';
import { CwAddition, CwCompany } from '../../../core/model';
import { syntheticBundle } from '../../sandbox/cw-api/fixture';
import { client, sandbox } from './helpers';

const NOW = new Date('2026-12-01T00:00:00Z');

describe('Link headers, raw or encoded', () => {
  it('reads targets whose condition text is written raw (spaces, brackets, >=, commas)', () => {
    const header =
      '<https://api-na.myconnectwise.net/v2025_1/apis/3.0/finance/agreements/7/additions?conditions=effectiveDate <= [2026-11-30T23:59:59Z] and (cancelledDate = null or cancelledDate >= [2026-10-01T00:00:00Z]), x in (1, 2)&pageSize=1000&page=2>; rel="next", ' +
      '<https://api-na.myconnectwise.net/v2025_1/apis/3.0/finance/agreements/7/additions?conditions=a >= [1]&pageSize=1000&page=3>; rel="last"';
    const rels = parseLinkHeader(header);
    expect(Object.keys(rels)).toEqual(['next', 'last']);
    expect(rels.next).toContain('cancelledDate >= [2026-10-01T00:00:00Z]), x in (1, 2)&pageSize=1000&page=2');
    expect(linkParam(rels.next, 'page')).toBe(2);
    expect(linkParam(rels.last, 'page')).toBe(3);
  });

  it('reads encoded targets, unquoted rel, and refuses page numbers beyond safe integers', () => {
    const rels = parseLinkHeader('<https://x/a?conditions=a%20%3E%3D%20%5B1%5D%2C%20b&page=2>; rel=next, <https://x/a?page=8589934592000000000>; rel="last"');
    expect(linkParam(rels.next, 'page')).toBe(2);
    expect(linkParam(rels.last, 'page')).toBeUndefined();
  });
});

describe.each(['raw', 'encoded'] as const)('a pull through a server writing %s Link headers', (links) => {
  it('returns every Addition of a 2,500-Addition agreement under window conditions, complete', async () => {
    const bundle = syntheticBundle({ companies: 1, agreements: 1, additionsPerAgreement: 2500 });
    for (const a of bundle.additions) {
      a.effectiveDate = '2026-01-01T00:00:00Z';
      a.cancelledDate = null;
    }
    const s = await sandbox({ bundle, apiVariant: { links } });
    const { client: c } = client(s);
    const pulled = await pullBundle(c, { now: NOW, window: { from: '2026-10-01', to: '2026-11-30' } });
    expect(pulled.complete).toBe(true);
    expect(pulled.additions).toHaveLength(2500);
    // One /count, only for the list that filled its first page.
    expect(s.requests.filter((r) => r.path.endsWith('/count')).map((r) => r.path)).toEqual(['/finance/agreements/3000/additions/count']);
  });

  it('forward-only paging reads the same list whole', async () => {
    const bundle = syntheticBundle({ companies: 1, agreements: 1, additionsPerAgreement: 95 });
    const s = await sandbox({ bundle, apiVariant: { links } });
    const { client: c } = client(s, { pageSize: 20, paging: 'forward-only' });
    const r = await c.read('/finance/agreements/3000/additions', { schema: CwAddition, conditions: cond.ge('effectiveDate', new Date('2025-01-01T00:00:00Z')) });
    expect(r.complete).toBe(true);
    expect(r.items.map((a) => a.id)).toEqual(bundle.additions.map((a) => a.id));
  });
});

describe('a full page is confirmed by /count', () => {
  it('a list that does not fill its first page costs one request and no count', async () => {
    const s = await sandbox();
    const { client: c } = client(s);
    const r = await c.read('/company/companies', { schema: CwCompany });
    expect(r).toMatchObject({ complete: true, problems: [] });
    expect(s.requests.filter((q) => q.path.startsWith('/company/companies'))).toHaveLength(1);
  });

  it('a full page without a next link is still counted, and the rest read', async () => {
    const bundle = syntheticBundle({ companies: 1, agreements: 1, additionsPerAgreement: 30 });
    // Forward-only answers of the local API carry no Link when a page is short; the count decides.
    const s = await sandbox({ bundle });
    const { client: c } = client(s, { pageSize: 10 });
    const r = await c.read('/finance/agreements/3000/additions', { schema: CwAddition });
    expect(r.complete).toBe(true);
    expect(r.count).toBe(30);
    expect(r.items).toHaveLength(30);
  });
});

describe('hostile paging ends in bounded time and memory, partly read', () => {
  const bundle = syntheticBundle({ companies: 1, agreements: 1, additionsPerAgreement: 45 });

  it('a next link that always points to a new page: bounded by the list limit', async () => {
    const s = await sandbox({ bundle, apiVariant: { hostile: { kind: 'next-always' } } });
    const { client: c } = client(s, { pageSize: 100, limits: { maxItems: 2_000 } });
    const r = await c.read('/finance/agreements/3000/additions', { schema: CwAddition.partial().required({ id: true }) });
    expect(r.complete).toBe(false);
    expect(r.problems.join(' ')).toMatch(/counts 1000000000 records .* more than the 2000/);
    expect(s.requests.filter((q) => q.path.includes('/additions') && !q.path.endsWith('/count')).length).toBe(20);
  });

  it('with the default limits, a next link that always points to a new page ends after at most 200 pages', async () => {
    const s = await sandbox({ bundle, apiVariant: { hostile: { kind: 'next-always' } } });
    const { client: c } = client(s);
    const r = await c.read('/finance/agreements/3000/additions', { schema: CwAddition.partial().required({ id: true }) });
    expect(r.complete).toBe(false);
    expect(r.items).toHaveLength(200_000);
    expect(s.requests.filter((q) => q.path.endsWith('/additions')).length).toBe(200);
  });

  it('forward-only: a next link that always points to a new page id stops at the limit too', async () => {
    const s = await sandbox({ bundle, apiVariant: { hostile: { kind: 'next-always' } } });
    const { client: c } = client(s, { pageSize: 100, paging: 'forward-only', limits: { maxItems: 1_000 } });
    const r = await c.read('/finance/agreements/3000/additions', { schema: CwAddition.partial().required({ id: true }) });
    expect(r.complete).toBe(false);
    expect(r.items.length).toBeLessThanOrEqual(1_000);
    expect(s.requests.filter((q) => q.path.endsWith('/additions')).length).toBeLessThanOrEqual(10);
  });

  it('forward-only page ids that alternate end the list at the first step back', async () => {
    const s = await sandbox({ bundle, apiVariant: { hostile: { kind: 'alternating-ids' } } });
    const { client: c } = client(s, { pageSize: 10, paging: 'forward-only' });
    const r = await c.read('/finance/agreements/3000/additions', { schema: CwAddition });
    expect(r.complete).toBe(false);
    expect(r.problems.join(' ')).toMatch(/did not move forward/);
    expect(s.requests.filter((q) => q.path.endsWith('/additions'))).toHaveLength(2);
  });

  it('navigable pages that alternate are a repeated page', async () => {
    const s = await sandbox({ bundle, apiVariant: { hostile: { kind: 'alternating-ids' } } });
    const { client: c } = client(s, { pageSize: 10 });
    const r = await c.read('/finance/agreements/3000/additions', { schema: CwAddition });
    expect(r.complete).toBe(false);
    expect(r.problems.join(' ')).toMatch(/again \(records already read\)/);
    expect(r.items).toHaveLength(20);
  });

  it.each([1_000_000, 2 ** 33])('last=%d with a count to match: the list limit bounds it, empty pages end it', async (last) => {
    const s = await sandbox({ bundle, apiVariant: { hostile: { kind: 'huge-last', last } } });
    const { client: c } = client(s, { pageSize: 10 });
    const r = await c.read('/finance/agreements/3000/additions', { schema: CwAddition });
    expect(r.complete).toBe(false);
    expect(r.items).toHaveLength(45);
    expect(r.problems.join(' ')).toMatch(/more than the 200000 .*came back empty/s);
    expect(s.requests.filter((q) => q.path.endsWith('/additions')).length).toBeLessThanOrEqual(5 + 2 * c.concurrency);
  });

  it('a 200,000-record page is refused by its size, not read', async () => {
    const s = await sandbox({ bundle, apiVariant: { hostile: { kind: 'giant-page', size: 200_000 } } });
    const { client: c } = client(s);
    const r = await c.read('/finance/agreements/3000/additions', { schema: CwAddition });
    expect(r).toMatchObject({ complete: false, items: [], rejected: [] });
    expect(r.problems[0]).toMatch(/200000 records on page 1 .* more than the 1000 asked for/);
  });

  it('an answer over the byte limit is cut off while it streams in', async () => {
    const s = await sandbox({ bundle });
    const { client: c } = client(s, { limits: { maxBytes: 4_000 } });
    const r = await c.read('/finance/agreements/3000/additions', { schema: CwAddition });
    expect(r.complete).toBe(false);
    expect(r.problems[0]).toMatch(/more than 4000 bytes/);
    expect(r.items).toEqual([]);
  });

  it('a redirect to another origin is not followed and its data never accepted', async () => {
    const elsewhere = await sandbox({ bundle: syntheticBundle({ companies: 3, agreements: 1, additionsPerAgreement: 1 }) });
    const s = await sandbox({ bundle, apiVariant: { redirect: { to: `${elsewhere.apiBase}/finance/agreements/3000/additions`, match: '/additions' } } });
    const { client: c } = client(s);
    const r = await c.read('/finance/agreements/3000/additions', { schema: CwAddition });
    expect(r.complete).toBe(false);
    expect(r.items).toEqual([]);
    expect(r.problems[0]).toMatch(/redirected .* to another site \(http:\/\/127\.0\.0\.1:\d+\); redirects are not followed/);
    expect(elsewhere.requests).toHaveLength(0);
    const pulled = await pullBundle(c, { now: NOW });
    expect(pulled.complete).toBe(false);
    expect(pulled.incompleteAgreementIds).toEqual([3000]);
    expect(pulled.diagnostics?.some((d) => d.agreementId === 3000 && /redirect/.test(d.message))).toBe(true);
  });
});

describe('429 without a usable Retry-After', () => {
  it.each(['none', 'date'] as const)('Retry-After %s: backs off with jitter for at least a minute before giving up', async (form) => {
    const s = await sandbox({ faults: { rules: [{ kind: 'rate-limit', retryAfterForm: form, retryAfter: 0, match: '/company/companies' }] } });
    let n = 0;
    const { client: c, sleeps } = client(s, { random: () => [0.1, 0.9, 0.5][n++ % 3]! });
    await expect(c.list('/company/companies', { schema: CwCompany })).rejects.toThrow(/rate-limiting .*gave up after \d+ attempts over (6\d|[7-9]\d) s/);
    const total = sleeps.reduce((a, b) => a + b, 0);
    expect(total).toBeGreaterThanOrEqual(60_000);
    expect(total).toBeLessThan(120_000);
    // Half of min(cap, 2 s·2ⁿ) fixed, the other half scaled by random(): 0.1, 0.9, 0.5.
    if (form === 'none') expect(sleeps.slice(0, 3)).toEqual([1_000 + 100, 2_000 + 1_800, 4_000 + 2_000]);
  });

  it('an HTTP-date Retry-After is waited until that moment', async () => {
    const s = await sandbox({ faults: { rules: [{ kind: 'rate-limit', retryAfterForm: 'date', retryAfter: 20, count: 1, match: '/company/companies' }] } });
    const { client: c, sleeps } = client(s, { now: () => Date.now() });
    await c.list('/company/companies', { schema: CwCompany });
    expect(sleeps).toHaveLength(1);
    expect(sleeps[0]).toBeGreaterThan(15_000);
    expect(sleeps[0]).toBeLessThanOrEqual(20_000);
  });
});
