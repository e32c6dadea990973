import { describe, expect, it, vi } from 'vitest';
import { engine } from '../../../core/app/cw';
import type { AppPorts, BackupPort, StoredCapture, StoredRun } from '../../../core/app/ports';
import { createBackgroundService } from '../../../core/app/service';
import type { Mapping, PublicSettings, Resolution } from '../../../core/model';
import { findingFingerprint } from '../../../core/model/fingerprint';
import { AGREEMENT_INVOICING_STEPS, invoicingReadiness } from '../../../core/invoicing';
import { MESSAGES } from '../../../core/protocol/messages';
import { openStorage } from '../../../storage';
import type { HandlerContext } from '../../../core/protocol/router';
import type { ProtocolEvent } from '../../../core/protocol/messages';
import { workedMonth } from '../worked-month';

const { config, lines, bundle, expected } = workedMonth();

const PANEL: HandlerContext = { role: 'panel' };
const CONTENT: HandlerContext = { role: 'content', tabId: 7, frameId: 0, url: 'https://na.myconnectwise.net/v4_6_release/x' };

/** In-memory ports: the service's whole world, with a content script that answers from data. */
function world(opts: { privateKey?: string; backup?: BackupPort } = {}) {
  let clock = Date.parse('2026-12-01T08:00:00Z');
  let ids = 0;
  const events: ProtocolEvent[] = [];
  const captures: StoredCapture[] = [];
  const runs: StoredRun[] = [];
  const resolutions = new Map<string, Resolution>();
  const mappings: Mapping[] = [];
  let settings: PublicSettings = {
    cw: { region: 'na', customHost: '', companyId: 'acme', publicKey: 'pub', clientId: 'cid', hasPrivateKey: !!opts.privateKey },
    reconcile: config,
    hosts: { platform: [], connectwise: [] },
    inPage: { enabled: true, offHosts: [] },
  };
  const sentToTabs: unknown[] = [];
  const ranInPage: [number, number][] = [];
  const tabPages: Record<number, string> = { 3: 'https://demo.rethinkportal.com/mapping/invoices', 7: 'https://na.myconnectwise.net/v4_6_release/x' };
  const now = () => new Date((clock += 1000));
  const ports: AppPorts = {
    now,
    newId: () => `id-${++ids}`,
    log: () => undefined,
    broadcast: (e) => events.push(e),
    tabs: {
      activeTabId: async () => 3,
      url: async (tabId) => tabPages[tabId] ?? null,
      async send(tabId, message) {
        sentToTabs.push(message);
        const type = (message as { type: string }).type;
        if (type !== 'content.capture') return { ok: true, value: { cancelled: false } };
        if (tabId === 3) return { ok: true, value: { app: 'platform', url: tabPages[3], lines, skipped: [], gridTotal: lines.length, complete: true } };
        throw new Error('Could not establish connection. Receiving end does not exist.');
      },
      async runInPage(tabId, frameId) {
        ranInPage.push([tabId, frameId]);
      },
    },
    captures: {
      async addLines(input) {
        const { lines: rows, skippedRows, ...origin } = input;
        const months = [...new Set(rows.map((l) => l.invoiceDate.slice(0, 7)))].sort();
        const meta: StoredCapture = { complete: true, ...origin, id: `c${++ids}`, kind: 'platform', createdAt: now().toISOString(), months, rows: rows.length, skipped: skippedRows?.length ?? 0, lines: rows, skippedRows };
        captures.push(meta);
        return meta;
      },
      async addBundle(input) {
        const { bundle: data, kind = 'connectwise', scope: _scope, months = [], ...origin } = input;
        const agreementId = kind === 'connectwise' ? data.agreements[0]?.id : undefined;
        const meta: StoredCapture = { skipped: 0, ...origin, id: `c${++ids}`, kind, createdAt: now().toISOString(), months, rows: data.additions.length, complete: (origin.complete ?? true) && data.complete !== false, ...(agreementId === undefined ? {} : { agreementId }), bundle: data };
        captures.push(meta);
        return meta;
      },
      list: async () => [...captures].reverse(),
      current: async (filter) => captures.filter((c) => !filter?.kind || [filter.kind].flat().includes(c.kind)),
      remove: async () => undefined,
    },
    mappings: {
      capture: async (inputs) => void mappings.push(...inputs.map((i) => ({ kind: i.kind, platform: i.platform, cw: i.cw, source: 'captured' as const, createdAt: 'x', updatedAt: 'x' }))),
      list: async (kind) => mappings.filter((m) => !kind || m.kind === kind),
      set: async (i) => ({ ...i, source: 'user', createdAt: 'x', updatedAt: 'x' }),
      remove: async () => undefined,
      conflicts: async () => [],
      findByCw: async (kind, name) => mappings.filter((m) => m.kind === kind && m.cw.toLowerCase() === name.toLowerCase()),
    },
    runs: {
      async add(run) {
        const stored = { ...run, id: `run-${++ids}`, createdAt: now().toISOString() };
        runs.unshift(stored);
        return stored;
      },
      list: async (limit) => runs.slice(0, limit ?? runs.length),
      get: async (id) => runs.find((r) => r.id === id),
      remove: async () => undefined,
    },
    resolutions: {
      list: async () => [...resolutions.values()],
      get: async (f) => resolutions.get(findingFingerprint(f)) ?? null,
      async put(f, state) {
        const fingerprint = findingFingerprint(f);
        if (state.status === 'open' && !state.note) {
          resolutions.delete(fingerprint);
          return null;
        }
        const r = { fingerprint, status: state.status, note: state.note, updatedAt: now().toISOString() };
        resolutions.set(fingerprint, r);
        return r;
      },
    },
    dictionary: { list: async () => [], add: async () => { throw new Error('unused'); }, remove: async () => undefined },
    settings: {
      get: async () => settings,
      async patch(p) {
        settings = { ...settings, ...(p.inPage ? { inPage: { ...settings.inPage, ...p.inPage } } : {}) };
        return settings;
      },
      privateKey: async () => opts.privateKey,
    },
    backup: opts.backup ?? {
      exportJson: async () => '{}',
      importJson: async () => ({}),
      previewJson: async () => {
        throw new Error('unused');
      },
      clear: async () => undefined,
    },
    engine,
    cw: {
      pull: async () => bundle,
      test: async (creds) => ({ ok: creds.privateKey === 'good', message: creds.privateKey === 'good' ? 'Connected' : 'The keys were refused', missingPermissions: [], checks: [] }),
      health: async () => [],
    },
    hosts: { sync: async () => ({ registered: [], missing: [] }) },
    panel: { open: async () => undefined },
  };
  const service = createBackgroundService(ports);
  const call = <T>(fn: ((r: never, c: HandlerContext) => T) | undefined, request: object, ctx = PANEL) => (fn as unknown as (r: object, c: HandlerContext) => T)(request, ctx);
  return { service, h: service.handlers, call, events, captures, runs, sentToTabs, ranInPage, ports };
}

const keyOf = (f: { kind: string; lineId?: string; additionId?: number; agreementId?: number; organization?: string }) => `${f.kind}|${f.lineId ?? f.additionId ?? f.agreementId ?? f.organization}`;

describe('background service', () => {
  it('captures the active tab, learns mappings, pulls, reconciles and finds the seeded faults', async () => {
    const w = world({ privateKey: 'good' });
    const capture = await w.call(w.h['capture.start'], { jobId: 'cap-1' });
    expect(capture).toMatchObject({ kind: 'platform', rows: lines.length, complete: true, months: ['2026-10', '2026-11'] });
    expect(w.sentToTabs[0]).toMatchObject({ type: 'content.capture', jobId: 'cap-1', config });
    const mapped = await w.call(w.h['mappings.list'], {});
    expect(mapped.length).toBeGreaterThan(0);

    const pull = await w.call(w.h['cw.pull'], {});
    expect(pull).toMatchObject({ kind: 'api', complete: true });
    const run = await w.call(w.h['reconcile.start'], { cwSource: 'auto' });
    expect(run.months).toEqual(['2026-10', '2026-11']);
    expect(run.cwSource).toBe('api');
    const got = await w.call(w.h['runs.get'], {});
    expect(got!.report.findings.map(keyOf).sort()).toEqual(expected.map(keyOf).sort());
    expect(got!.names.agreements[String(bundle.agreements[0]!.id)]?.name).toBe(bundle.agreements[0]!.name);
    expect(w.events.some((e) => e.event === 'data.changed' && e.stores.includes('runs'))).toBe(true);
  });

  it('explains why a tab without a content script cannot be captured', async () => {
    const w = world();
    await expect(w.call(w.h['capture.start'], { tabId: 7 })).rejects.toMatchObject({ code: 'unavailable' });
  });

  it('refuses to reconcile before anything is captured, saying what to do', async () => {
    const w = world();
    await expect(w.call(w.h['reconcile.start'], { cwSource: 'auto' })).rejects.toMatchObject({ code: 'not_found', message: expect.stringMatching(/Capture the invoice lines/) });
  });

  it('marks, annotates and undoes a resolution, keyed by fingerprint across runs', async () => {
    const w = world({ privateKey: 'good' });
    await w.call(w.h['capture.start'], {});
    await w.call(w.h['cw.pull'], {});
    const first = await w.call(w.h['reconcile.start'], { cwSource: 'auto' });
    const got = await w.call(w.h['runs.get'], { runId: first.id });
    const fingerprint = got!.findings[0]!.fingerprint;
    expect(await w.call(w.h['resolution.set'], { fingerprint, status: 'ignored' })).toMatchObject({ status: 'ignored' });
    expect(await w.call(w.h['resolution.set'], { fingerprint, note: 'customer agreed' })).toMatchObject({ status: 'ignored', note: 'customer agreed' });
    expect(await w.call(w.h['resolution.undo'], { fingerprint })).toMatchObject({ status: 'ignored', note: undefined });
    expect(await w.call(w.h['resolution.undo'], { fingerprint })).toBeNull();

    await w.call(w.h['resolution.set'], { fingerprint, status: 'resolved' });
    const second = await w.call(w.h['reconcile.start'], { cwSource: 'auto' });
    const again = await w.call(w.h['runs.get'], { runId: second.id });
    expect(again!.findings.find((f) => f.fingerprint === fingerprint)?.resolution?.status).toBe('resolved');
    const diff = await w.call(w.h['runs.diff'], { runId: second.id });
    expect(diff).toMatchObject({ baseRunId: first.id, added: [], gone: [], kept: got!.findings.length });
  });

  it('gives a content script verdicts for its agreement, and nothing once help is off for its host', async () => {
    const w = world({ privateKey: 'good' });
    await w.call(w.h['capture.start'], {});
    await w.call(w.h['cw.pull'], {});
    await w.call(w.h['reconcile.start'], { cwSource: 'auto' });
    const agreementId = bundle.additions[0]!.agreementId;
    const verdicts = await w.call(w.h['help.verdicts'], { agreementId }, CONTENT);
    const own = bundle.additions.filter((a) => a.agreementId === agreementId).map((a) => a.id);
    expect(verdicts!.verdicts.length).toBeGreaterThan(0);
    expect(verdicts!.verdicts.every((v) => own.includes(v.additionId))).toBe(true);
    await w.call(w.h['settings.set'], { patch: { inPage: { offHosts: ['na.myconnectwise.net'] } } });
    expect(await w.call(w.h['help.verdicts'], { agreementId }, CONTENT)).toBeNull();
    expect(await w.call(w.h['help.config'], { app: 'connectwise' }, CONTENT)).toEqual({ tooltips: false, badges: false });
  });

  it('tests a draft connection without storing it, and says what is missing first', async () => {
    const w = world();
    expect(await w.call(w.h['cw.test'], {})).toMatchObject({ ok: false, message: expect.stringMatching(/private key/) });
    expect(await w.call(w.h['cw.test'], { draft: { privateKey: 'good' } })).toMatchObject({ ok: true });
    expect(await w.call(w.h['cw.test'], { draft: { privateKey: 'bad' } })).toMatchObject({ ok: false });
  });

  it("runs the in-page code in the asking loader's own tab and frame, and refuses a sender with no tab", async () => {
    const w = world();
    expect(await w.call(w.h['help.load'], {}, { ...CONTENT, tabId: 9, frameId: 4 })).toEqual({ ok: true });
    expect(w.ranInPage).toEqual([[9, 4]]);
    await expect(w.call(w.h['help.load'], {}, { role: 'content', frameId: 0 })).rejects.toMatchObject({ code: 'forbidden' });
    expect(w.ranInPage).toEqual([[9, 4]]);
  });

  it('answers the panel start screen from the tab and the store', async () => {
    const w = world();
    await w.call(w.h['page.report'], { context: { url: 'https://demo.rethinkportal.com/mapping/invoices', app: 'platform', screen: 'platform.invoices', capturable: true, period: '2026-11' } }, { role: 'content', tabId: 3, frameId: 0 });
    const start = await w.call(w.h['panel.start'], {});
    expect(start.page).toMatchObject({ tabId: 3, screen: 'platform.invoices', capturable: true, reachable: true });
    expect(start).toMatchObject({ month: null, cwSource: 'none', lastRun: null, links: { cwWebOrigin: 'https://na.myconnectwise.net', cwCompanyId: 'acme' } });
    expect(w.events.some((e) => e.event === 'page.changed')).toBe(true);
  });

  it("asks a tab that has not spoken what it shows when the panel wants it, and keeps the answer", async () => {
    const w = world();
    const shown = { url: 'https://na.myconnectwise.net/v4_6_release/x', app: 'connectwise', screen: 'connectwise.additions', capturable: true, agreement: { id: 5 } } as const;
    const asked: number[] = [];
    w.ports.tabs.send = async (tabId, message) => {
      if ((message as { type: string }).type !== 'content.context') throw new Error('unexpected');
      asked.push(tabId);
      return { ok: true, value: shown };
    };
    expect(await w.call(w.h['page.context'], { tabId: 7 })).toEqual({ ...shown, tabId: 7, reachable: true });
    // Kept: asking again reads the kept answer, not the tab.
    expect(await w.call(w.h['page.context'], { tabId: 7 })).toMatchObject({ screen: 'connectwise.additions', reachable: true });
    expect(asked).toEqual([7]);
  });

  it('asks a tab still loading again until its loader answers, then tells open panels', async () => {
    const w = world();
    const shown = { url: 'https://na.myconnectwise.net/v4_6_release/x', app: 'connectwise', screen: 'connectwise.agreement', capturable: false } as const;
    let tries = 0;
    w.ports.sleep = async () => undefined;
    w.ports.tabs.send = async () => {
      if (++tries < 3) throw new Error('Could not establish connection. Receiving end does not exist.');
      return { ok: true, value: shown };
    };
    const first = await w.call(w.h['page.context'], { tabId: 7 });
    expect(first).toMatchObject({ app: 'connectwise', screen: 'connectwise.other', reachable: false });
    await vi.waitFor(() => expect(w.events.filter((e) => e.event === 'page.changed')).toEqual([{ event: 'page.changed', context: { ...shown, tabId: 7, reachable: true } }]));
    expect(tries).toBe(3);
  });

  it('stops asking a tab once it moves to another address, and never asks a tab of neither site', async () => {
    const w = world();
    const urls: Record<number, string> = { 7: 'https://na.myconnectwise.net/v4_6_release/x', 8: 'https://example.com/' };
    let tries = 0;
    let slept = 0;
    w.ports.tabs.url = async (tabId) => urls[tabId] ?? null;
    w.ports.sleep = async () => {
      // The tab navigates away while the first pause passes.
      if (++slept === 1) urls[7] = 'https://na.myconnectwise.net/v4_6_release/y';
    };
    w.ports.tabs.send = async () => {
      tries++;
      throw new Error('Could not establish connection. Receiving end does not exist.');
    };
    expect(await w.call(w.h['page.context'], { tabId: 7 })).toMatchObject({ reachable: false });
    await vi.waitFor(() => expect(slept).toBe(1));
    await new Promise((resolve) => setTimeout(resolve, 50));
    // The one try the page.context call made itself, and no pause or try after the move.
    expect({ slept, tries }).toEqual({ slept: 1, tries: 1 });
    expect(await w.call(w.h['page.context'], { tabId: 8 })).toMatchObject({ app: null, screen: 'none', reachable: false });
    expect(tries).toBe(1);
  });

  it('names a captured agreement on the start screen from another capture that read its name', async () => {
    const w = world({ privateKey: 'good' });
    await w.call(w.h['cw.pull'], {});
    const agreement = bundle.agreements[0]!;
    const page = { ...bundle, agreements: [{ ...agreement, name: '' }], additions: bundle.additions.filter((a) => a.agreementId === agreement.id) };
    await w.ports.captures.addBundle({ bundle: page, url: 'https://na.myconnectwise.net/v4_6_release/x' });
    const start = await w.call(w.h['panel.start'], {});
    const captured = start.captures.find((c) => c.agreementId === agreement.id);
    expect(captured?.agreementName).toBe(agreement.name);
  });

  it('keeps a signed-off run frozen: no resolve, no bulk change and no undo of a step made in it', async () => {
    const w = world({ privateKey: 'good' });
    await w.call(w.h['capture.start'], {});
    await w.call(w.h['cw.pull'], {});
    const run = await w.call(w.h['reconcile.start'], { cwSource: 'auto' });
    const got = await w.call(w.h['runs.get'], { runId: run.id });
    const [a, b] = got!.findings.map((f) => f.fingerprint);
    await w.call(w.h['resolutions.apply'], { runId: run.id, label: 'Marked resolved: 1 finding', changes: [{ fingerprint: a!, status: 'resolved' }] });
    await w.call(w.h['resolution.set'], { runId: run.id, fingerprint: b!, status: 'ignored' });
    w.runs.find((r) => r.id === run.id)!.signOff = { by: 'Ada', at: '2026-12-02T10:00:00Z' };
    await expect(w.call(w.h['resolutions.undo'], {})).rejects.toMatchObject({ message: expect.stringMatching(/signed off by Ada/) });
    await expect(w.call(w.h['resolution.undo'], { fingerprint: b! })).rejects.toMatchObject({ message: expect.stringMatching(/signed off/) });
    await expect(w.call(w.h['resolution.set'], { runId: run.id, fingerprint: b!, status: 'open' })).rejects.toMatchObject({ message: expect.stringMatching(/signed off/) });
    const after = await w.call(w.h['runs.get'], { runId: run.id });
    expect(after!.findings.find((f) => f.fingerprint === a)?.resolution?.status).toBe('resolved');
    expect(after!.findings.find((f) => f.fingerprint === b)?.resolution?.status).toBe('ignored');
  });

  it('answers Agreement Invoicing readiness from the same captures a reconcile reads, writing nothing', async () => {
    const w = world({ privateKey: 'good' });
    const ask = (thruDate: string) => w.call(w.h['invoicing.readiness'], { thruDate });
    await expect(ask('2026-11-30')).rejects.toMatchObject({ code: 'not_found', message: expect.stringMatching(/Capture the invoice lines/) });
    await w.call(w.h['capture.start'], {});
    await expect(ask('2026-11-30')).rejects.toMatchObject({ code: 'not_found', message: expect.stringMatching(/no ConnectWise data/) });
    await w.call(w.h['cw.pull'], {});
    const events = w.events.length;

    const got = await ask('2026-11-30');
    expect(MESSAGES['invoicing.readiness'].response.parse(got)).toEqual(got);
    expect(got).toEqual({ ...invoicingReadiness({ lines, bundle, config, thruDate: '2026-11-30' }), steps: [...AGREEMENT_INVOICING_STEPS] });
    expect(got.agreements.length).toBeGreaterThan(0);
    // Ready amounts add up per currency, and only within one.
    const perCurrency = new Map<string, number>();
    for (const row of got.agreements.filter((r) => r.ready)) perCurrency.set(row.currency ?? '', (perCurrency.get(row.currency ?? '') ?? 0) + Math.round(row.amount * 100));
    expect(Object.keys(got.totals).sort()).toEqual([...perCurrency.keys()].sort());
    for (const [code, cents] of perCurrency) expect(Math.round(got.totals[code]! * 100)).toBe(cents);

    // An earlier Thru Date leaves later lines out.
    const october = await ask('2026-10-31');
    const dateOf = new Map(lines.map((l) => [l.lineId, l.invoiceDate]));
    expect(october.agreements.flatMap((a) => a.lineIds).every((id) => dateOf.get(id)! <= '2026-10-31')).toBe(true);
    expect(october.agreements.flatMap((a) => a.lineIds).length).toBeLessThan(got.agreements.flatMap((a) => a.lineIds).length);

    expect(w.runs).toHaveLength(0);
    expect(w.events.slice(events).some((e) => e.event === 'data.changed')).toBe(false);
  });

  it('previews an import per store through the background without changing anything, then imports it', async () => {
    const tag = Math.random().toString(36).slice(2);
    const source = await openStorage({ name: `preview-src-${tag}` });
    const target = await openStorage({ name: `preview-dst-${tag}` });
    await source.mappings.capture([
      { kind: 'organization', platform: 'Acme Ltd', cw: 'Acme' },
      { kind: 'organization', platform: 'Beta GmbH', cw: 'Beta' },
    ]);
    await target.mappings.capture([{ kind: 'organization', platform: 'Gone Co', cw: 'Gone' }]);
    const json = await source.backup.exportJson();
    // The same binding entrypoints/background.ts makes, over a real (fake-indexeddb) database.
    const w = world({
      backup: {
        exportJson: () => target.backup.exportJson(),
        importJson: async (text, mode) => {
          const preview = await target.backup.import(JSON.parse(text), { mode });
          return Object.fromEntries(Object.entries(preview.stores).map(([name, c]) => [name, c.added + c.updated]));
        },
        previewJson: (text, mode) => target.backup.preview(JSON.parse(text), { mode }),
        clear: async () => undefined,
      },
    });
    const merge = await w.call(w.h['data.importPreview'], { json, mode: 'merge' });
    expect(MESSAGES['data.importPreview'].response.parse(merge)).toEqual(merge);
    expect(merge.stores.mappings).toEqual({ added: 2, updated: 0, unchanged: 0, removed: 0 });
    const replace = await w.call(w.h['data.importPreview'], { json, mode: 'replace' });
    expect(replace.stores.mappings).toEqual({ added: 2, updated: 0, unchanged: 0, removed: 1 });
    expect((await target.mappings.list()).map((m) => m.platform)).toEqual(['Gone Co']);
    expect(w.events.some((e) => e.event === 'data.changed')).toBe(false);

    await w.call(w.h['data.import'], { json, mode: 'replace' });
    expect((await target.mappings.list()).map((m) => m.platform).sort()).toEqual(['Acme Ltd', 'Beta GmbH']);
    const again = await w.call(w.h['data.importPreview'], { json, mode: 'replace' });
    expect(again.stores.mappings).toEqual({ added: 0, updated: 0, unchanged: 2, removed: 0 });
    source.close();
    target.close();
  });

  it('cancels a running job by id', async () => {
    const w = world();
    let release!: () => void;
    w.ports.tabs.send = (_tab, message) =>
      (message as { type: string }).type === 'content.capture' ? new Promise((resolve) => (release = () => resolve({ ok: true, value: { app: 'platform', url: 'x', lines, skipped: [], complete: true } }))) : Promise.resolve({ ok: true, value: { cancelled: true } });
    const pending = w.call(w.h['capture.start'], { jobId: 'slow' });
    await new Promise((r) => setImmediate(r));
    expect(await w.call(w.h['job.cancel'], { jobId: 'slow' })).toEqual({ cancelled: true });
    release();
    await expect(pending).rejects.toMatchObject({ code: 'cancelled' });
    expect(w.captures).toHaveLength(0);
  });
});
