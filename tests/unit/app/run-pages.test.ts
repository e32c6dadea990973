import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { fakeBrowser } from 'wxt/testing/fake-browser';
import { createProtocolPanelApi } from '../../../components/protocol-api';
import { createFindingsModel, READ_PAGE, type FindingsModel } from '../../../components/findings/model';
import type { PanelRun } from '../../../components/api';
import { sortItems, toItems } from '../../../core/app/finding-order';
import type { Finding, FindingKind, RunNames, Severity } from '../../../core/model';
import { createProtocolClient } from '../../../core/protocol/client';
import { MESSAGES } from '../../../core/protocol/messages';
import { createRouter } from '../../../core/protocol/router';
import { closeAll, finding, report } from '../storage/helpers';
import { bundle, storageWorld } from './storage-world';

/*
 * A stored run read back in pages, over the real service, router and panel adapter: the run and
 * a screenful of findings in the order the panel lists them, then the rest a page per message;
 * the panel's list, filters and sorts over a run read in pages are those of the run read whole.
 */

beforeEach(() => fakeBrowser.reset());
afterEach(closeAll);

const RULES = { extensionId: 'ext', extensionOrigin: 'chrome-extension://ext', pages: { panel: ['/sidepanel.html'], options: ['/options.html'] } };
const KINDS: FindingKind[] = ['missing_addition', 'quantity_mismatch', 'orphan_addition', 'unit_price_mismatch'];
const SEVERITIES: Severity[] = ['error', 'warn', 'info'];

/** Findings spread over every agreement of the worked month (and some with no agreement), kinds, severities and amounts. */
function manyFindings(n: number): Finding[] {
  const agreements = bundle.agreements;
  return Array.from({ length: n }, (_, i) =>
    finding({
      lineId: `L${String(i).padStart(6, '0')}`,
      kind: KINDS[i % KINDS.length]!,
      severity: SEVERITIES[i % SEVERITIES.length]!,
      agreementId: i % 17 === 0 ? undefined : agreements[i % agreements.length]!.id,
      additionId: 9000 + i,
      organization: i % 17 === 0 ? `Unmatched ${i % 5}` : undefined,
      atStake: (i * 37) % 1000,
      currency: 'NOK',
    }),
  );
}

async function world(findings: Finding[]) {
  const w = await storageWorld();
  await w.ports.captures.addBundle({ bundle, kind: 'api', scope: 'api', months: ['2026-11'] });
  const run = await w.storage.runs.add({ report: report(findings), inputs: { captureIds: [] }, settings: {} });
  // Through the router, so each answer is checked against the message's schema on the way back.
  const route = createRouter(w.service.handlers, RULES);
  const client = createProtocolClient({ send: (message) => route(message, { id: 'ext', url: 'chrome-extension://ext/sidepanel.html' }), listen: () => () => undefined });
  const api = createProtocolPanelApi(client);
  const names = (await w.call<{ names: RunNames }>('runs.get', { runId: run.id })).names;
  // The order the panel shows a run read whole in.
  const order = sortItems(toItems({ report: report(findings), names })).map((i) => i.key);
  return { w, run, api, names, order };
}

type Page = { total: number; offset: number; findings: { key: string; fingerprint: string; finding: Finding }[] };

const rowKeys = (m: FindingsModel) => m.rows.value.map((r) => `${r.type}:${r.key}:${r.type === 'finding' ? '' : r.count}`);

describe('a stored run read back in pages', () => {
  it('answers the run and its first page in the order the panel lists them, and the next page after it', async () => {
    const findings = manyFindings(450);
    const { w, run, order } = await world(findings);
    const first = MESSAGES['runs.page'].response.parse(await w.call('runs.page', { runId: run.id, offset: 0, limit: 200 }));
    expect(first).not.toBeNull();
    expect(first!.run.id).toBe(run.id);
    expect(first!.total).toBe(450);
    expect(first!.report!.findings).toEqual([]);
    expect(first!.report!.coverage.linesRead).toBe(10);
    expect(first!.names!.agreements[String(bundle.agreements[0]!.id)]?.name).toBe(bundle.agreements[0]!.name);
    expect(first!.findings.map((f) => f.key)).toEqual(order.slice(0, 200));

    const next = (await w.call<Page>('runs.page', { runId: run.id, offset: 200, limit: 200 }))!;
    expect(next.offset).toBe(200);
    // The report and names come once, with the first page.
    expect(next).not.toHaveProperty('report');
    expect(next).not.toHaveProperty('names');
    expect(next.findings.map((f) => f.key)).toEqual(order.slice(200, 400));
    const last = (await w.call<Page>('runs.page', { runId: run.id, offset: 400, limit: 200 }))!;
    expect(last.findings.map((f) => f.key)).toEqual(order.slice(400));
    // Every finding once, with its own fingerprint.
    const all = [...first!.findings, ...next.findings, ...last.findings];
    expect(new Set(all.map((f) => f.key)).size).toBe(450);
    expect(all.every((f) => f.key === f.fingerprint)).toBe(true);
    expect(await w.call<Page>('runs.page', { runId: run.id, offset: 450, limit: 200 })).toMatchObject({ total: 450, findings: [] });
  });

  it('lists, filters and sorts a run read in pages as it does the run read whole', async () => {
    const total = 200 + READ_PAGE + 50;
    const findings = manyFindings(total);
    const { api, run, names, order } = await world(findings);
    const paged = (await api.getRun(run.id))!;
    expect(paged.report.findings).toHaveLength(200);
    expect(paged.pages?.total).toBe(total);

    const model = createFindingsModel(paged);
    // The first page is listed at once, in place, before the rest is read.
    expect(model.items.map((i) => i.key)).toEqual(order.slice(0, 200));
    expect(model.reading.value).toEqual({ read: 200, total });
    await model.whole;
    expect(model.reading.value).toBeNull();
    expect(model.items.map((i) => i.key)).toEqual(order);
    expect(paged.report.findings).toHaveLength(total);

    const wholeRun: Pick<PanelRun, 'report' | 'names'> = { report: report(findings), names };
    const whole = createFindingsModel(wholeRun);
    expect(model.counts.value).toEqual(whole.counts.value);
    expect(model.kindsPresent).toEqual(whole.kindsPresent);
    expect(model.companies.value).toEqual(whole.companies.value);
    expect(rowKeys(model)).toEqual(rowKeys(whole));
    const steps: Array<(m: FindingsModel) => void> = [
      (m) => m.setFilters({ resolved: 'all' }),
      (m) => m.toggleKind('orphan_addition'),
      (m) => m.toggleSeverity('info'),
      (m) => m.setFilters({ sort: 'amount' }),
      (m) => m.setFilters({ search: 'L0012' }),
      (m) => {
        m.clearFilters();
        m.setFilters({ resolved: 'all', company: whole.companies.value[1]!.key });
      },
    ];
    for (const step of steps) {
      step(model);
      step(whole);
      expect(model.filtered.value.length).toBeGreaterThan(0);
      expect(rowKeys(model)).toEqual(rowKeys(whole));
      expect(model.filtered.value.map((i) => i.key)).toEqual(whole.filtered.value.map((i) => i.key));
    }
  });

  it('answers a run with no findings as one empty page', async () => {
    const { w, api, run } = await world([]);
    expect(await w.call<Page>('runs.page', { runId: run.id, offset: 0, limit: 200 })).toMatchObject({ total: 0, offset: 0, findings: [] });
    const paged = (await api.getRun(run.id))!;
    expect(paged.pages?.total).toBe(0);
    const model = createFindingsModel(paged);
    expect(model.reading.value).toBeNull();
    await model.whole;
    expect(model.counts.value.total).toBe(0);
    expect(model.rows.value).toEqual([]);
  });

  it('answers null for a run that is not stored', async () => {
    const { w } = await world(manyFindings(3));
    expect(await w.call('runs.page', { runId: 'gone', offset: 0, limit: 10 })).toBeNull();
  });
});
