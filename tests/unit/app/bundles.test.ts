import { Window } from 'happy-dom';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mergeBundles } from '../../../core/app/bundles';
import { createCwPort } from '../../../core/app/cw';
import type { StoredCapture } from '../../../core/app/ports';
import { cwBundleFromAdditionsPage, readCwAdditionsGrid } from '../../../core/ingest';
import type { CwBundle } from '../../../core/model';
import { reconcile } from '../../../core/reconcile';
import { startSandbox, type Sandbox } from '../../sandbox/server';
import { workedMonth, WORKED_MONTH_NOW } from '../worked-month';

const { config, lines, bundle: fileBundle } = workedMonth();
const NOW = WORKED_MONTH_NOW;
const keys = (b: CwBundle) => reconcile({ lines, bundle: b, config, now: NOW }).findings.map((f) => `${f.kind}|${f.lineId ?? f.additionId ?? f.agreementId ?? f.organization}`).sort();

function capture(id: string, at: string, bundle: CwBundle, source: string): StoredCapture {
  const origin = source === 'api' ? {} : { url: source };
  return { id, kind: source === 'api' ? 'api' : 'connectwise', createdAt: at, months: [], ...origin, rows: bundle.additions.length, skipped: 0, complete: true, bundle };
}

describe('mergeBundles over a real pull and a captured Additions page', () => {
  let sandbox: Sandbox;
  let pulled: CwBundle;
  let page: CwBundle;
  const busiest = [...fileBundle.additions.reduce((m, a) => m.set(a.agreementId, (m.get(a.agreementId) ?? 0) + 1), new Map<number, number>())].sort((a, b) => b[1] - a[1])[0]![0];

  beforeAll(async () => {
    sandbox = await startSandbox({ bundle: fileBundle, lines });
    pulled = await createCwPort().pull(
      { site: sandbox.url, ...sandbox.credentials },
      { signal: new AbortController().signal, onProgress: () => undefined, now: NOW },
    );
    const url = `${sandbox.url}/cw/v4_6_release/services/system_io/router/openrecord.rails?locale=en_US&recordType=AgreementFV&recid=${busiest}&static=1`;
    const html = await (await fetch(url)).text();
    const window = new Window({ url: 'https://na.myconnectwise.net/' });
    window.document.write(html);
    const doc = window.document as unknown as Document;
    page = cwBundleFromAdditionsPage(readCwAdditionsGrid(doc, { url: url.replace(sandbox.url + '/cw', 'https://na.myconnectwise.net') }));
  });
  afterAll(() => sandbox?.close());

  it('the pull alone gives the findings of the file', () => {
    const { bundle } = mergeBundles([capture('a', '2026-12-01T10:00:00Z', pulled, 'api')], 'auto');
    expect(bundle.complete).toBe(true);
    expect(keys(bundle)).toEqual(keys(fileBundle));
  });

  it('a page captured before the pull changes nothing', () => {
    const { bundle } = mergeBundles([capture('p', '2026-12-01T09:00:00Z', page, 'https://na.myconnectwise.net/x'), capture('a', '2026-12-01T10:00:00Z', pulled, 'api')], 'auto');
    expect(new Set(bundle.companies.map((c) => c.name)).size).toBe(bundle.companies.length);
    expect(keys(bundle)).toEqual(keys(fileBundle));
  });

  it('a page captured after the pull keeps every company and agreement once', () => {
    const { bundle } = mergeBundles([capture('a', '2026-12-01T10:00:00Z', pulled, 'api'), capture('p', '2026-12-01T11:00:00Z', page, 'https://na.myconnectwise.net/x')], 'auto');
    expect(new Set(bundle.companies.map((c) => c.name)).size).toBe(bundle.companies.length);
    expect(bundle.agreements.length).toBe(pulled.agreements.length);
    // The captured agreement's Additions come from the page now; the rest stay from the pull.
    expect(bundle.additions.filter((a) => a.agreementId === busiest).length).toBe(page.additions.length);
    const agreement = bundle.agreements.find((a) => a.id === busiest)!;
    expect(agreement.billProducts).toBe(pulled.agreements.find((a) => a.id === busiest)!.billProducts);
  });

  it('captures only: nothing outside the captured agreement is called missing; its lines are unverified', () => {
    const { bundle } = mergeBundles([capture('p', '2026-12-01T11:00:00Z', page, 'https://na.myconnectwise.net/x')], 'captures');
    expect(bundle.complete).toBe(false);
    const report = reconcile({ lines, bundle, config, now: NOW });
    expect(report.findings.filter((f) => f.kind === 'missing_addition' || f.kind === 'orphan_addition').every((f) => f.agreementId === busiest)).toBe(true);
    expect(report.coverage.unverified!.length).toBeGreaterThan(10);
  });

  it('a captured page is a complete read of its agreement: an Addition removed from it is missing there', () => {
    const full = reconcile({ lines, bundle: fileBundle, config, now: NOW });
    const victim = full.matches!.find((m) => m.agreementId === busiest);
    expect(victim).toBeDefined();
    // The page's own made-up ids: find the victim's row by what the pull knows of it.
    const original = fileBundle.additions.find((a) => a.id === victim!.additionId)!;
    const shown = page.additions.filter((a) => !(a.product.identifier === original.product.identifier && a.effectiveDate === original.effectiveDate && a.quantity === original.quantity));
    expect(shown.length).toBe(page.additions.length - 1);
    const cut = { ...page, additions: shown };
    for (const captures of [[capture('p', '2026-12-01T11:00:00Z', cut, 'https://na.myconnectwise.net/x')], [capture('a', '2026-12-01T10:00:00Z', pulled, 'api'), capture('p', '2026-12-01T11:00:00Z', cut, 'https://na.myconnectwise.net/x')]]) {
      const { bundle } = mergeBundles(captures, 'auto');
      const missing = reconcile({ lines, bundle, config, now: NOW }).findings.filter((f) => f.kind === 'missing_addition');
      expect(missing.map((f) => [f.lineId, f.agreementId])).toEqual(
        [...full.findings.filter((f) => f.kind === 'missing_addition' && captures.length > 1).map((f) => [f.lineId, f.agreementId]), [victim!.lineId, busiest]].sort(),
      );
    }
  });
});
