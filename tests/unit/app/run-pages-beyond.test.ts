import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { fakeBrowser } from 'wxt/testing/fake-browser';
import { createProtocolPanelApi } from '../../../components/protocol-api';
import { createFindingsModel, READ_PAGE } from '../../../components/findings/model';
import { beyondOrder } from '../../../components/findings/paging';
import { matchesOf, sortItems, toItems } from '../../../core/app/finding-order';
import type { Finding, FindingKind, Report, RunNames, Severity } from '../../../core/model';
import { reconcile } from '../../../core/reconcile';
import { createProtocolClient } from '../../../core/protocol/client';
import { MESSAGES } from '../../../core/protocol/messages';
import { createRouter } from '../../../core/protocol/router';
import { closeAll, finding, report } from '../storage/helpers';
import { generateScenario } from '../../generator';
import { bundle, storageWorld } from './storage-world';

/*
 * What a run read back in pages offers beyond its pages in order, over the real service, router,
 * storage and panel adapter: the money view read only when asked for, the page holding one
 * finding read before those ahead of it (a badge opening a finding of a large run), and a
 * filtered export written by the background with the matches behind the findings shown.
 */

beforeEach(() => fakeBrowser.reset());
afterEach(closeAll);

const RULES = { extensionId: 'ext', extensionOrigin: 'chrome-extension://ext', pages: { panel: ['/sidepanel.html'], options: ['/options.html'] } };
const KINDS: FindingKind[] = ['missing_addition', 'quantity_mismatch', 'orphan_addition'];
const SEVERITIES: Severity[] = ['error', 'warn', 'info'];

function manyFindings(n: number): Finding[] {
  return Array.from({ length: n }, (_, i) =>
    finding({
      lineId: `L${String(i).padStart(6, '0')}`,
      kind: KINDS[i % KINDS.length]!,
      severity: SEVERITIES[i % SEVERITIES.length]!,
      agreementId: bundle.agreements[i % bundle.agreements.length]!.id,
      additionId: 9000 + i,
    }),
  );
}

/** A month reconciled by the engine itself: findings, matches and a money view. */
function reconciledReport(): Report {
  const s = generateScenario({ seed: 5, faults: 'all' });
  return reconcile({ lines: s.lines, bundle: s.bundle, config: s.config, now: new Date('2026-12-01T00:00:00Z') });
}

type Sent = { type: string; request: Record<string, unknown> };

async function world(stored: Report, hold?: (sent: Sent) => Promise<void>) {
  const w = await storageWorld();
  await w.ports.captures.addBundle({ bundle, kind: 'api', scope: 'api', months: ['2026-11'] });
  const run = await w.storage.runs.add({ report: stored, inputs: { captureIds: [] }, settings: {} });
  const route = createRouter(w.service.handlers, RULES);
  const sent: Sent[] = [];
  const client = createProtocolClient({
    send: async (message) => {
      const { type, ...request } = message as { type: string };
      const m: Sent = { type, request };
      sent.push(m);
      await hold?.(m);
      return route(message, { id: 'ext', url: 'chrome-extension://ext/sidepanel.html' });
    },
    listen: () => () => undefined,
  });
  const api = createProtocolPanelApi(client);
  const names = (await w.call<{ names: RunNames }>('runs.get', { runId: run.id })).names;
  const order = sortItems(toItems({ report: stored, names })).map((i) => i.key);
  return { w, run, api, names, order, sent };
}

describe('a run read back in pages, beyond its pages in order', () => {
  it('leaves the money view out of the first page and answers it on its own when asked', async () => {
    const stored = reconciledReport();
    expect(stored.money).toBeDefined();
    const { w, api, run } = await world(stored);
    const first = MESSAGES['runs.page'].response.parse(await w.call('runs.page', { runId: run.id, offset: 0, limit: 200 }))!;
    expect(first.report).toBeDefined();
    expect(first.report!.money).toBeUndefined();
    expect(first.hasMoney).toBe(true);
    const money = MESSAGES['runs.money'].response.parse(await w.call('runs.money', { runId: run.id }));
    expect(money).toEqual({ money: stored.money });
    expect(await w.call('runs.money', { runId: 'gone' })).toBeNull();

    const paged = (await api.getRun(run.id))!;
    expect(paged.report.money).toBeUndefined();
    const later = beyondOrder(paged.pages);
    expect(later.hasMoney).toBe(true);
    expect(await later.money!()).toEqual(stored.money);
  });

  it('says a run made without a money view has none', async () => {
    const { api, run } = await world(report(manyFindings(3)));
    const paged = (await api.getRun(run.id))!;
    expect(beyondOrder(paged.pages).hasMoney).toBe(false);
  });

  it('answers the page holding a finding on the grid it is asked on, and an empty page for a finding the run lacks', async () => {
    const total = 200 + 3 * READ_PAGE + 40;
    const { w, run, order } = await world(report(manyFindings(total)));
    type Page = { offset: number; total: number; findings: { key: string }[]; report?: unknown };
    await w.call('runs.page', { runId: run.id, offset: 0, limit: 200 });
    const key = order[200 + 2 * READ_PAGE + 17]!;
    const page = (await w.call<Page>('runs.page', { runId: run.id, offset: 200, limit: READ_PAGE, key }))!;
    expect(page.offset).toBe(200 + 2 * READ_PAGE);
    expect(page.findings.map((f) => f.key)).toEqual(order.slice(200 + 2 * READ_PAGE, 200 + 3 * READ_PAGE));
    expect(page).not.toHaveProperty('report');
    // The last page of the grid is short; a finding before the grid's start is on its first page.
    const last = (await w.call<Page>('runs.page', { runId: run.id, offset: 200, limit: READ_PAGE, key: order[total - 1]! }))!;
    expect(last.findings.map((f) => f.key)).toEqual(order.slice(200 + 3 * READ_PAGE));
    const missing = (await w.call<Page>('runs.page', { runId: run.id, offset: 200, limit: READ_PAGE, key: 'no-such-finding' }))!;
    expect(missing).toMatchObject({ total, offset: total, findings: [] });
  });

  it('opens a finding the panel has not read yet with its own page, and the reader takes that page as it is', async () => {
    const total = 200 + 4 * READ_PAGE + 40;
    // The reader's pages wait until the finding is open, so the order of events is fixed.
    let release!: () => void;
    const gate = new Promise<void>((r) => (release = r));
    const { api, run, order, sent } = await world(report(manyFindings(total)), async (m) => {
      if (m.type === 'runs.page' && (m.request.offset as number) > 0 && m.request.key === undefined) await gate;
    });
    const paged = (await api.getRun(run.id))!;
    const model = createFindingsModel(paged);
    const key = order[200 + 3 * READ_PAGE + 5]!;
    model.select(key);
    expect(model.selectedKey.value).toBeNull();

    expect(await model.reveal(key)).toBe(true);
    model.select(key);
    expect(model.selected.value?.item.key).toBe(key);
    expect(model.items.some((i) => i.key === key)).toBe(false);
    expect(model.reading.value).not.toBeNull();
    expect(await model.reveal('no-such-finding')).toBe(false);
    // A verdict can be given before the list reaches it.
    await model.resolve(model.selected.value!.item.fp);
    expect(model.resolutions.value.get(model.selected.value!.item.fp)?.status).toBe('resolved');

    release();
    await model.whole;
    expect(model.items.map((i) => i.key)).toEqual(order);
    const read = sent.filter((s) => s.type === 'runs.page' && s.request.key === undefined).map((s) => s.request.offset);
    expect(read).toEqual([0, 200, 200 + READ_PAGE, 200 + 2 * READ_PAGE, 200 + 4 * READ_PAGE]);
    model.setFilters({ resolved: 'all' });
    expect(model.selected.value?.item.key).toBe(key);
  });

  it('pages a run just reconciled here as the same run read back from storage', async () => {
    const w = await storageWorld();
    await w.call('capture.start', { tabId: 3 });
    await w.ports.captures.addBundle({ bundle, kind: 'api', scope: 'api', months: ['2026-11'] });
    const summary = await w.call<{ id: string }>('reconcile.start', { cwSource: 'auto' });
    // The first page right after the reconcile, then the same page once the run is read afresh.
    const justMade = MESSAGES['runs.page'].response.parse(await w.call('runs.page', { runId: summary.id, offset: 0, limit: 5000 }));
    const readBack = MESSAGES['runs.page'].response.parse(await w.call('runs.page', { runId: summary.id, offset: 0, limit: 5000 }));
    expect(justMade!.total).toBeGreaterThan(0);
    expect(justMade).toEqual(readBack);
    const stored = await w.storage.runs.get(summary.id);
    expect(justMade!.findings.map((f) => f.finding)).toEqual(sortItems(toItems({ report: stored.report, names: justMade!.names })).map((i) => i.finding));
  });

  it('exports what the filters show with the matches behind those findings, and everything with every match', async () => {
    const stored = reconciledReport();
    expect(stored.matches?.length).toBeGreaterThan(0);
    const { api, run, order } = await world(stored);
    const paged = (await api.getRun(run.id))!;
    const model = createFindingsModel(paged);
    await model.whole;
    model.setFilters({ resolved: 'all' });
    model.toggleKind(model.kindsPresent[0]!);
    const shown = model.filtered.value;
    expect(shown.length).toBeGreaterThan(0);
    expect(shown.length).toBeLessThan(order.length);

    const filteredExport = JSON.parse((await beyondOrder(paged.pages).exportKeys!('json', shown.map((i) => i.key))).text) as Report;
    expect(filteredExport.findings).toEqual(shown.map((i) => i.finding).sort((a, b) => stored.findings.indexOf(a) - stored.findings.indexOf(b)));
    const expected = matchesOf(filteredExport.findings, stored.matches!);
    expect(expected.length).toBeGreaterThan(0);
    expect(expected.length).toBeLessThan(stored.matches!.length);
    expect(filteredExport.matches).toEqual(expected);

    const all = JSON.parse((await paged.pages!.exportAll('json')).text) as Report;
    expect(all.findings).toHaveLength(stored.findings.length);
    expect(all.matches).toEqual(stored.matches);
    expect(all.money).toEqual(stored.money);
  });
});
