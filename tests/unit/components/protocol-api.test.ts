import { describe, expect, it } from 'vitest';
import { createProtocolClient } from '../../../core/protocol/client';
import { eventEnvelope } from '../../../core/protocol/client';
import { createRouter } from '../../../core/protocol/router';
import type { Handlers } from '../../../core/protocol/router';
import type * as M from '../../../core/model';
import type { InvoicingRow } from '../../../core/invoicing/schema';
import type * as P from '../../../core/protocol/messages';
import { createProtocolOptionsApi, createProtocolPanelApi } from '../../../components/protocol-api';
import { captureLabel } from '../../../components/captures';
import { makeRun } from './fixtures';

const RULES = { extensionId: 'ext', extensionOrigin: 'chrome-extension://ext', pages: { panel: ['/sidepanel.html'], options: ['/options.html'] } };

/**
 * The adapters over the real protocol client and router: requests are validated against the
 * schemas exactly as the background validates them, and answers are checked on the way back.
 */
function harness(handlers: Handlers, page = '/sidepanel.html') {
  const route = createRouter(handlers, RULES);
  const listeners = new Set<(m: unknown) => void>();
  const client = createProtocolClient({
    send: (message) => route(message, { id: 'ext', url: `chrome-extension://ext${page}` }),
    listen(l) {
      listeners.add(l);
      return () => listeners.delete(l);
    },
  });
  const broadcast = (e: P.ProtocolEvent) => {
    for (const l of listeners) l(eventEnvelope(e));
  };
  return { client, broadcast };
}

const pageCtx: M.PageContext = {
  tabId: 4, url: 'https://demo.rethinkportal.com/mapping/invoices', app: 'platform', screen: 'platform.invoices', title: 'Invoices', capturable: true, reachable: true,
};

describe('panel api over the protocol', () => {
  it('maps the start screen, captures with progress, and cancels through job.cancel', async () => {
    const cancelled: string[] = [];
    let release: (() => void) | undefined;
    const capture: M.CaptureSummary = { id: 'c1', kind: 'platform', createdAt: '2026-12-01T00:00:00Z', months: ['2026-11'], rows: 120, skipped: 0, gridTotal: 125, complete: true };
    const { client, broadcast } = harness({
      'panel.start': () => ({ page: pageCtx, month: '2026-11', captures: [capture], cwSource: 'api', lastRun: null, links: { cwWebOrigin: 'https://na.myconnectwise.net' } }),
      'capture.start': async (req) => {
        broadcast({ event: 'job.progress', progress: { jobId: req.jobId!, job: 'capture', phase: 'paging', done: 50, total: 125 } });
        broadcast({ event: 'job.progress', progress: { jobId: 'someone-else', job: 'capture', phase: 'paging', done: 1 } });
        await new Promise<void>((r) => (release = r));
        // the background stops the walk and answers with what it read
        return { ...capture, rows: 50, complete: false };
      },
      'job.cancel': (req) => {
        cancelled.push(req.jobId);
        release?.();
        return { cancelled: true };
      },
    });
    const api = createProtocolPanelApi(client, () => 4);
    const start = await api.getStart();
    expect(start.page).toMatchObject({ app: 'platform', screen: 'platform.invoices', capturable: true, reachable: true });
    // The protocol's capture summary, as it is: no source/month/expectedRows renaming on the way.
    expect(start.captures[0]).toEqual(capture);
    expect(captureLabel(start.captures[0]!)).toBe('invoice lines 2026-11');

    const progress: number[] = [];
    const ctrl = new AbortController();
    const pending = api.capture({ signal: ctrl.signal, onProgress: (p) => progress.push(p.done) });
    await new Promise((r) => setTimeout(r, 10));
    expect(progress).toEqual([50]);
    ctrl.abort();
    const partial = await pending;
    expect(partial.rows).toBe(50);
    expect(partial.complete).toBe(false);
    expect(captureLabel(partial)).toContain('stopped part-way');
    expect(cancelled).toHaveLength(1);
  });

  it('reconciles and reads the run back with its names', async () => {
    const run = makeRun(10, { id: 'r9' });
    const summary: M.RunSummary = { id: 'r9', createdAt: run.createdAt, months: ['2026-11'], cwSource: 'api', captureIds: [], counts: { error: 5, warn: 3, info: 2 }, findings: 10, linesCompared: 10, cwComplete: true };
    const { client } = harness({
      'reconcile.start': () => summary,
      'runs.page': (req) =>
        req.runId === 'r9'
          ? {
              run: summary,
              report: { ...run.report, findings: [] },
              names: { companies: run.names!.companies!, agreements: run.names!.agreements! },
              total: run.report.findings.length,
              offset: req.offset,
              findings: run.report.findings.slice(req.offset, req.offset + req.limit).map((finding, i) => ({ finding, fingerprint: `fp${req.offset + i}`, key: `fp${req.offset + i}` })),
            }
          : null,
      'runs.list': () => [summary],
    });
    const api = createProtocolPanelApi(client);
    const stored = await api.reconcile();
    // A screenful comes first, the rest through the run's pages; ten findings are one page.
    expect(stored.report.findings).toHaveLength(10);
    expect(stored.pages?.total).toBe(10);
    expect(stored.fingerprints).toEqual(Array.from({ length: 10 }, (_, i) => `fp${i}`));
    expect((await stored.pages!.load(8, 5)).keys).toEqual(['fp8', 'fp9']);
    expect(stored.names?.companies?.['0']).toBe('Company 0');
    expect((await api.listRuns())[0]).toMatchObject({ id: 'r9', counts: { error: 5, warn: 3 } });
  });

  it('stores resolutions as the protocol expects and reads open ones back as open', async () => {
    const store = new Map<string, M.Resolution>();
    const { client } = harness({
      'resolution.set': (req) => {
        const r = { fingerprint: req.fingerprint, status: req.status ?? 'open', note: req.note, updatedAt: 'now' };
        store.set(req.fingerprint, r);
        return r;
      },
      'resolutions.list': () => [...store.values()],
    });
    const api = createProtocolPanelApi(client);
    await api.putResolution({ fingerprint: 'a', status: 'resolved', note: 'ok', updatedAt: 'x' });
    await api.deleteResolution('b');
    const list = await api.listResolutions();
    expect(list.find((r) => r.fingerprint === 'a')).toMatchObject({ status: 'resolved', note: 'ok' });
    expect(list.find((r) => r.fingerprint === 'b')?.status).toBe('open');
  });

  it('maps mappings, health and dictionary', async () => {
    const { client } = harness({
      'mappings.list': () => [{ kind: 'offer', platform: 'M365 E3', cw: 'MS-E3', source: 'user', createdAt: 'a', updatedAt: 'b' }],
      'mappings.set': (req) => ({ ...req, source: 'user', createdAt: 'a', updatedAt: 'b' }),
      'health.check': () => [{ id: 'x', title: 'Role', status: 'skip', detail: 'Not configured' }],
      'dictionary.list': () => [{ id: 'u1', platform: 'Reseller', connectwise: 'Vendor', kind: 'entity', explanation: '', guideSection: '', origin: 'user' }],
      'dictionary.add': (req) => ({ ...req.entry, id: 'u2', guideSection: '', origin: 'user' }),
    });
    const api = createProtocolPanelApi(client);
    expect(await api.listMappings()).toEqual([{ kind: 'offer', platform: 'M365 E3', cw: 'MS-E3', source: 'user', createdAt: 'a', updatedAt: 'b' }]);
    await api.putMapping({ kind: 'organization', platform: 'Acme Ltd', cw: 'Acme', source: 'user', createdAt: 'x', updatedAt: 'x' });
    expect((await api.health())[0]).toMatchObject({ status: 'skip', detail: 'Not configured' });
    expect((await api.listDictionary())[0]).toMatchObject({ origin: 'user', connectwise: 'Vendor' });
    await api.putDictionaryEntry({ platform: 'A', connectwise: 'B', kind: 'field', explanation: 'c' });
  });
});

describe('invoicing readiness and import preview over the protocol', () => {
  it('asks for readiness with the Thru Date and refuses a date that does not exist', async () => {
    const asked: string[] = [];
    const row: InvoicingRow = {
      agreementId: 7, agreementName: 'Microsoft 365', companyId: 2, companyName: 'Acme', currency: 'EUR', additionsToBill: 3, amount: 120.5,
      invoicing: 'manual', blockers: [], ready: true, lineIds: ['L1'],
    };
    const { client } = harness({
      'invoicing.readiness': (req) => {
        asked.push(req.thruDate);
        return { thruDate: req.thruDate, agreements: [row], totals: { EUR: 120.5 }, steps: ['Click Search.'] };
      },
    });
    const api = createProtocolPanelApi(client);
    expect(await api.invoicingReadiness('2026-11-30')).toEqual({ thruDate: '2026-11-30', agreements: [row], totals: { EUR: 120.5 }, steps: ['Click Search.'] });
    await expect(api.invoicingReadiness('2026-11-31')).rejects.toMatchObject({ code: 'invalid' });
    expect(asked).toEqual(['2026-11-30']);
  });

  it('previews an import per mode without importing, from the options page only', async () => {
    const seen: string[] = [];
    const handlers: Handlers = {
      'data.importPreview': (req) => {
        seen.push(req.mode);
        return { mode: req.mode, exportedAt: '2026-12-01T00:00:00Z', stores: { mappings: { added: 1, updated: 0, unchanged: 2, removed: req.mode === 'replace' ? 4 : 0 } }, settings: false };
      },
      'data.import': () => {
        throw new Error('a preview must not import');
      },
    };
    const api = createProtocolOptionsApi(harness(handlers, '/options.html').client, async () => true);
    expect((await api.previewImport('{}', 'replace')).stores.mappings).toEqual({ added: 1, updated: 0, unchanged: 2, removed: 4 });
    expect((await api.previewImport('{}', 'merge')).stores.mappings?.removed).toBe(0);
    expect(seen).toEqual(['replace', 'merge']);
  });
});

describe('options api over the protocol', () => {
  it('saves settings without ever reading the key back, and syncs hosts after a grant', async () => {
    let stored: string | null = null;
    let synced = 0;
    const settings = (): M.PublicSettings => ({
      cw: { region: 'eu', customHost: '', companyId: 'acme', publicKey: 'pub', clientId: 'cid', hasPrivateKey: stored !== null },
      reconcile: {},
      hosts: { platform: [], connectwise: [] },
      inPage: { enabled: true, offHosts: [] },
    });
    const { client } = harness(
      {
        'settings.get': () => settings(),
        'settings.set': (req) => {
          if (req.patch.cw?.privateKey !== undefined) stored = req.patch.cw.privateKey;
          // a handler that leaks the key is stripped by the response schema
          return { ...settings(), cw: { ...settings().cw, privateKey: stored } } as M.PublicSettings;
        },
        'hosts.sync': () => {
          synced++;
          return { registered: [], missing: [] };
        },
        'cw.test': () => ({ ok: false, message: 'refused', missingPermissions: ['Finance → Agreements'], checks: [] }),
      },
      '/options.html',
    );
    const api = createProtocolOptionsApi(client, async () => true);
    const saved = await api.saveSettings({ cw: { privateKey: 'secret' } });
    expect(saved.cw.hasPrivateKey).toBe(true);
    expect(JSON.stringify(saved)).not.toContain('secret');
    expect(await api.requestHostPermission(['https://cw.example.com/*'])).toBe(true);
    expect(synced).toBe(1);
    expect((await api.testConnection()).missingPermissions).toEqual(['Finance → Agreements']);
  });
});
