import { describe, expect, it } from 'vitest';
import { CwApiError, pullBundle } from '../../../core/connectwise';
import { CwBundle } from '../../../core/model';
import { syntheticBundle } from '../../sandbox/cw-api/fixture';
import { guideSecurity } from '../../sandbox/cw-api/data';
import { client, sandbox } from './helpers';

const NOW = new Date('2026-12-01T08:00:00Z');

describe('pullBundle', () => {
  it('pulls everything, complete, equal to what the server holds', async () => {
    const source = syntheticBundle({ companies: 4, agreements: 9, additionsPerAgreement: 7, products: 30 });
    const s = await sandbox({ bundle: source });
    const { client: c } = client(s);
    const stages = new Set<string>();
    const bundle = await pullBundle(c, { now: NOW, onProgress: (p) => stages.add(p.stage) });
    expect(CwBundle.parse(bundle)).toBeTruthy();
    expect(bundle.complete).toBe(true);
    expect(bundle.incompleteAgreementIds).toBeUndefined();
    expect(bundle.fetchedAt).toBe(NOW.toISOString());
    // Each company's status carries the status table's inactiveFlag: what "active" means.
    expect(bundle.companies).toEqual(source.companies.map((c) => ({ ...c, status: { ...c.status!, inactiveFlag: false } })));
    expect(bundle.agreements).toEqual(source.agreements);
    expect(bundle.additions).toEqual(source.additions);
    expect(bundle.agreementTypes).toEqual(source.agreementTypes);
    // Only the catalog items in use: every product an Addition names, nothing else.
    const used = new Set(source.additions.map((a) => a.product.id));
    expect(bundle.catalog).toEqual(source.catalog!.filter((p) => used.has(p.id)));
    expect([...stages]).toEqual(['companies', 'agreements', 'additions', 'catalog', 'done']);
  });

  it('limits the pull to the companies named (by name or identifier, any case)', async () => {
    const source = syntheticBundle({ companies: 5, agreements: 10, additionsPerAgreement: 2 });
    const s = await sandbox({ bundle: source });
    const { client: c } = client(s);
    const bundle = await pullBundle(c, { now: NOW, companies: ['company 101', 'CO103', 'Nobody Ltd'] });
    expect(bundle.companies.map((x) => x.id)).toEqual([101, 103]);
    expect(new Set(bundle.agreements.map((a) => a.company.id))).toEqual(new Set([101, 103]));
    expect(bundle.additions.every((a) => bundle.agreements.some((g) => g.id === a.agreementId))).toBe(true);
    expect(bundle.complete).toBe(true);
  });

  it('a window keeps only Additions that can fall in it', async () => {
    const source = syntheticBundle({ companies: 1, agreements: 1, additionsPerAgreement: 22 });
    const s = await sandbox({ bundle: source });
    const { client: c } = client(s);
    const bundle = await pullBundle(c, { now: NOW, window: { from: '2026-11-01', to: '2026-11-30' } });
    const inScope = source.additions.filter((a) => a.effectiveDate! <= '2026-11-30T23:59:59Z' && (!a.cancelledDate || a.cancelledDate >= '2026-11-01'));
    expect(bundle.additions.map((a) => a.id)).toEqual(inScope.map((a) => a.id));
    expect(inScope.length).toBeLessThan(source.additions.length);
  });

  it('fills a currency code the agreement reference lacks from the currency table', async () => {
    const source = syntheticBundle({ companies: 1, agreements: 2, additionsPerAgreement: 1 });
    // The server's currency table is built from the first agreement; the second carries only the id.
    source.agreements[1]!.currency = { id: 1 };
    const s = await sandbox({ bundle: source });
    const { client: c } = client(s);
    const bundle = await pullBundle(c, { now: NOW });
    expect(bundle.agreements.map((a) => a.currency?.currencyCode)).toEqual(['EUR', 'EUR']);
    expect(s.requests.some((r) => r.path === '/finance/currencies')).toBe(true);
  });

  it('an agreement whose Additions cannot be read makes the bundle incomplete, naming it', async () => {
    const source = syntheticBundle({ companies: 2, agreements: 4, additionsPerAgreement: 3 });
    const s = await sandbox({ bundle: source, faults: { rules: [{ kind: 'drop', match: '/finance/agreements/3002/additions' }] } });
    const { client: c } = client(s, { retry: { retries: 2 } });
    const bundle = await pullBundle(c, { now: NOW });
    expect(bundle.complete).toBe(false);
    expect(bundle.incompleteAgreementIds).toEqual([3002]);
    expect(bundle.additions.some((a) => a.agreementId === 3002)).toBe(false);
    expect(bundle.additions).toHaveLength(9);
  });

  it('a page lost in a multi-page list loses the whole agreement, not just the page', async () => {
    const source = syntheticBundle({ companies: 1, agreements: 2, additionsPerAgreement: 25 });
    const s = await sandbox({ bundle: source, faults: { rules: [{ kind: 'server-error', match: /3001\/additions.*page=2/ }] } });
    const { client: c } = client(s, { pageSize: 10, retry: { retries: 1 } });
    const bundle = await pullBundle(c, { now: NOW });
    expect(bundle.incompleteAgreementIds).toEqual([3001]);
    expect(bundle.additions.every((a) => a.agreementId === 3000)).toBe(true);
  });

  it('cancelling half-way returns what arrived, incomplete, with every unread agreement listed', async () => {
    const source = syntheticBundle({ companies: 2, agreements: 6, additionsPerAgreement: 2 });
    const s = await sandbox({ bundle: source, faults: { rules: [{ kind: 'hang', match: /\/finance\/agreements\/300[3-5]\/additions/ }] } });
    const controller = new AbortController();
    const { client: c } = client(s);
    const bundle = await pullBundle(c, {
      now: NOW,
      signal: controller.signal,
      onProgress: (p) => {
        if (p.stage === 'additions' && p.done === 3) controller.abort();
      },
    });
    expect(bundle.complete).toBe(false);
    expect(bundle.incompleteAgreementIds).toEqual([3003, 3004, 3005]);
    expect(bundle.agreements).toHaveLength(6);
  });

  it('wrong keys or a missing permission stop the pull with the plain message', async () => {
    const security = guideSecurity().map((row) => (row.moduleFunctionName === 'Agreements' ? { ...row, inquireLevel: 'None' } : row));
    const s = await sandbox({ security });
    const { client: c } = client(s);
    await expect(pullBundle(c, { now: NOW })).rejects.toThrow(CwApiError);
    await expect(pullBundle(c, { now: NOW })).rejects.toThrow(/Finance → Agreements: Inquire = All/);
  });

  it('an interrupted listing of agreements makes the bundle incomplete', async () => {
    const s = await sandbox({ faults: { rules: [{ kind: 'rate-limit', retryAfter: 1, match: /^\/finance\/agreements\?/ }] } });
    const { client: c, sleeps } = client(s, { retry: { retries: 3 } });
    const bundle = await pullBundle(c, { now: NOW });
    expect(bundle.complete).toBe(false);
    expect(bundle.agreements).toEqual([]);
    // Nobody knows which agreements were missed: an empty list means any of them.
    expect(bundle.incompleteAgreementIds).toEqual([]);
    // A 429 is waited out for a minute in all before the list is given up.
    expect(sleeps.every((ms) => ms === 1000)).toBe(true);
    expect(sleeps.reduce((a, b) => a + b, 0)).toBe(60_000);
  });
});
