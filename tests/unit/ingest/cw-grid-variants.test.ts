// @vitest-environment node
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { cwBundleFromAdditionsPage, readCwAdditionsGrid } from '../../../core/ingest';
import { ReconcileConfig, type CwAddition, type CwBundle, type Finding } from '../../../core/model';
import { reconcile } from '../../../core/reconcile';
import { CW_PAGE_VARIANTS, variantAddress } from '../../sandbox/sites/cw/variants';
import { exampleMonth, parsePage, serveSites, type Served } from '../sandbox-sites/helpers';
import { workedMonth } from '../worked-month';

vi.setConfig({ testTimeout: 120_000 });

const HOST = 'na.myconnectwise.net';
const NOW = new Date('2026-12-02T00:00:00Z');
const config = ReconcileConfig.parse(workedMonth().config);

/**
 * A finding as a page can reproduce it: pages carry no Addition ids (the reader makes synthetic
 * ones), so an Addition is named by what the row shows.
 */
function keyed(findings: Finding[], bundle: CwBundle): string[] {
  const byId = new Map<number, CwAddition>(bundle.additions.map((a) => [a.id, a]));
  return findings
    .map((f) => {
      const a = f.additionId === undefined ? undefined : byId.get(f.additionId);
      const row = a ? `${a.product.identifier}|${a.effectiveDate?.slice(0, 10)}|${a.quantity}|${a.unitPrice}` : '';
      return [f.kind, f.lineId ?? '', f.agreementId ?? '', f.organization ?? '', f.field ?? '', JSON.stringify(f.expected ?? null), JSON.stringify(f.actual ?? null), row].join(' ');
    })
    .sort();
}

describe('saved Additions pages in every variant reconcile to the findings of the bundle they were drawn from', () => {
  const { lines, bundle } = exampleMonth();
  const direct = reconcile({ lines, bundle, config, now: NOW });
  let served: Served;
  beforeAll(async () => {
    served = await serveSites({ lines, bundle });
  });
  afterAll(() => served.close());

  it('the worked month has findings to compare, of many kinds', () => {
    expect(new Set(direct.findings.map((f) => f.kind)).size).toBeGreaterThan(5);
  });

  it.each(CW_PAGE_VARIANTS.map((v) => [v.name, v] as const))('variant %s', async (_name, variant) => {
    // Every agreement's Additions from its page; companies and agreements from the bundle.
    const additions: CwAddition[] = [];
    for (const agreement of bundle.agreements) {
      const address = variantAddress(variant, agreement.id, 'en_US', '&static=1');
      const reply = await served.get(address.split('#')[0] as string, HOST);
      const url = `https://${HOST}${address}`;
      const page = cwBundleFromAdditionsPage(readCwAdditionsGrid(parsePage(reply.body, url), { url }), { page: url });
      expect(page.complete).toBe(true);
      expect(page.agreements.map((a) => a.id)).toEqual([agreement.id]);
      for (const a of page.additions) additions.push(a);
    }
    const fromPages: CwBundle = { ...bundle, additions };
    const viaPages = reconcile({ lines, bundle: fromPages, config, now: NOW });
    expect(keyed(viaPages.findings, fromPages)).toEqual(keyed(direct.findings, bundle));
  });
});
