import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { verdictsForAgreement } from '../../core/app/verdicts';
import type { Report } from '../../core/model';
import type { Sandbox } from '../sandbox/server';
import {
  cwAgreementUrl,
  exampleMonth,
  launchExtension,
  platformUrl,
  removeProfile,
  screenshot,
  startTlsSandbox,
  waitForScreen,
  type ExtensionSession,
  type MonthData,
} from './harness';

/** The centre of the first visible, non-editable occurrence of `word` in the page's text. */
async function wordPoint(page: Page, word: string): Promise<{ x: number; y: number } | null> {
  return page.evaluate((w) => {
    const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
    for (let n = walker.nextNode() as Text | null; n; n = walker.nextNode() as Text | null) {
      const at = n.data.indexOf(w);
      const parent = n.parentElement;
      if (at < 0 || !parent || parent.closest('input, textarea, select, [contenteditable], [role=menu], [role=menubar], cwr-inpage-help')) continue;
      const range = document.createRange();
      range.setStart(n, at);
      range.setEnd(n, at + w.length);
      if (range.getBoundingClientRect().width === 0) continue;
      // Wide grids put later headers off to the right: bring the word on screen first.
      parent.scrollIntoView({ block: 'center', inline: 'center' });
      const r = range.getBoundingClientRect();
      return { x: r.left + r.width / 2, y: r.top + r.height / 2 };
    }
    return null;
  }, word);
}

/** Hover a word and read the tooltip's "other system" term from our shadow root. */
async function tooltipFor(page: Page, word: string): Promise<string> {
  await page.mouse.move(1, 1);
  const point = await wordPoint(page, word);
  if (!point) throw new Error(`"${word}" is not on the page`);
  await page.mouse.move(point.x, point.y, { steps: 2 });
  const tip = page.locator('cwr-inpage-help [role="tooltip"]');
  await tip.waitFor({ state: 'visible', timeout: 5_000 });
  await expect.poll(async () => tip.locator('.here').textContent()).toMatch(new RegExp(word.slice(0, 6), 'i'));
  return (await tip.locator('.there').textContent()) ?? '';
}

async function highlightCount(page: Page): Promise<number> {
  return page.evaluate(() => {
    const h = (CSS as unknown as { highlights: Map<string, Set<unknown>> }).highlights.get('cwr-term');
    return h ? h.size : 0;
  });
}

describe('in-page help in the browser: tooltips, badges, the site switch', () => {
  let sandbox: Sandbox;
  let session: ExtensionSession;
  let month: MonthData;
  let report: Report;

  beforeAll(async () => {
    month = exampleMonth();
    sandbox = await startTlsSandbox(month);
    session = await launchExtension({ port: sandbox.port });
    await session.send('settings.set', { patch: { reconcile: month.config, cw: { region: 'na', ...sandbox.credentials } } });
    // A run to draw badges from: both Platform months captured, ConnectWise pulled, reconciled.
    for (const m of ['2026-11', '2026-10']) {
      const page = await session.context.newPage();
      await page.goto(platformUrl('/mapping/invoices', `month=${m}&pageSize=100`));
      const tabId = await waitForScreen(session, page, 'platform.invoices');
      await session.send('capture.start', { tabId });
      await page.close();
    }
    await session.send('cw.pull', {});
    const run = await session.send('reconcile.start', {});
    report = (await session.send('runs.get', { runId: run.id }))!.report;
  }, 180_000);

  afterAll(async () => {
    await session?.close();
    if (session) removeProfile(session.userDataDir);
    await sandbox?.close();
  });

  function busiestAgreement(): number {
    const counts = new Map<number, number>();
    for (const a of month.bundle.additions) counts.set(a.agreementId, (counts.get(a.agreementId) ?? 0) + 1);
    return [...counts].sort((a, b) => b[1] - a[1])[0]![0];
  }

  it('explains ConnectWise terms with the Platform’s words', async () => {
    const page = await session.context.newPage();
    await page.goto(cwAgreementUrl(busiestAgreement()));
    await page.locator('tr.cw-ml-row').first().waitFor();
    await waitForScreen(session, page, 'connectwise.additions');
    await expect.poll(() => highlightCount(page), { timeout: 10_000 }).toBeGreaterThan(0);
    expect(await tooltipFor(page, 'Additions')).toBe('Invoice lines');
    expect(await tooltipFor(page, 'Agreements')).toBe('Contracts');
    expect(await tooltipFor(page, 'Effective Date')).toBe('Charge Start Date');
    await screenshot(page, 'tooltip-connectwise');
    await page.close();
  });

  it('explains Platform terms with ConnectWise’s words', async () => {
    const page = await session.context.newPage();
    await page.goto(platformUrl('/mapping/invoices', 'month=2026-11&pageSize=10'));
    await waitForScreen(session, page, 'platform.invoices');
    await expect.poll(() => highlightCount(page), { timeout: 10_000 }).toBeGreaterThan(0);
    expect(await tooltipFor(page, 'Invoice lines')).toBe('Additions');
    expect(await tooltipFor(page, 'Charge Start Date')).toBe('Effective Date');
    expect(await tooltipFor(page, 'Organizations')).toBe('Companies');
    await screenshot(page, 'tooltip-platform');
    await page.close();
  });

  it('leaves the ConnectWise grid working: sorting by a header still reorders the rows', async () => {
    const page = await session.context.newPage();
    await page.goto(cwAgreementUrl(busiestAgreement(), 'recids=1'));
    await page.locator('tr.cw-ml-row').first().waitFor();
    await expect.poll(() => highlightCount(page), { timeout: 10_000 }).toBeGreaterThan(0);
    const ids = () => page.locator('tr.cw-ml-row').evaluateAll((rows) => rows.map((r) => r.getAttribute('data-recid')));
    const before = await ids();
    expect(before.every((id) => id !== null)).toBe(true);
    const header = page.locator('.cw-ml-header td[data-sort-key="quantity"]');
    await header.click();
    await expect.poll(ids).not.toEqual(before);
    await header.click();
    await expect.poll(async () => [...(await ids())].sort()).toEqual([...before].sort());
    await page.close();
  });

  it('leaves the Platform grid working: its pager still turns pages', async () => {
    const page = await session.context.newPage();
    await page.goto(platformUrl('/mapping/invoices', 'month=2026-11&pageSize=10'));
    await waitForScreen(session, page, 'platform.invoices');
    const firstCell = () => page.locator('table tbody tr').first().textContent();
    const before = await firstCell();
    const next = page.getByRole('button', { name: /next/i }).first();
    await next.click();
    await expect.poll(firstCell).not.toBe(before);
    await page.close();
  });

  it('puts a verdict badge on every judged row, matching the run row for row', async () => {
    const agreementId = busiestAgreement();
    const expected = new Map(verdictsForAgreement(report, agreementId).map((v) => [v.additionId, v.verdict]));
    expect(expected.size).toBeGreaterThan(0);
    const page = await session.context.newPage();
    // The look-alike's rows carry their record id here, as a list view with a record link does.
    await page.goto(cwAgreementUrl(agreementId, 'recids=1'));
    await page.locator('tr.cw-ml-row').first().waitFor();
    await waitForScreen(session, page, 'connectwise.additions');
    const badges = page.locator('cwr-inpage-help .badge');
    const rows = await page.locator('tr.cw-ml-row').evaluateAll((rs) => rs.map((r) => Number(r.getAttribute('data-recid'))));
    const judged = rows.filter((id) => expected.has(id));
    expect(judged.length).toBeGreaterThan(0);
    await expect.poll(() => badges.count(), { timeout: 10_000 }).toBe(judged.length);
    const shown = await badges.evaluateAll((bs) => bs.map((b) => [Number((b as HTMLElement).dataset.additionId), (b as HTMLElement).dataset.status]));
    expect(new Map(shown as [number, string][])).toEqual(new Map(judged.map((id) => [id, expected.get(id)!])));
    await screenshot(page, 'badges-connectwise');
    await page.close();
  });

  it('puts the same badges on rows that show no record id, told apart by their cells', async () => {
    const agreementId = busiestAgreement();
    const verdicts = verdictsForAgreement(report, agreementId, month.bundle.additions);
    const looks = (v: (typeof verdicts)[number]) => JSON.stringify([v.productIdentifier, v.effectiveDate, v.cancelledDate, v.quantity, v.unitPrice]);
    // An exact look-alike with another verdict cannot be told apart; that row stays unbadged.
    const expected = verdicts.filter((v) => !verdicts.some((w) => w.additionId !== v.additionId && w.verdict !== v.verdict && looks(w) === looks(v)));
    expect(expected.length).toBeGreaterThan(0);
    const page = await session.context.newPage();
    await page.goto(cwAgreementUrl(agreementId));
    await page.locator('tr.cw-ml-row').first().waitFor();
    await waitForScreen(session, page, 'connectwise.additions');
    expect(await page.locator('tr.cw-ml-row[data-recid]').count()).toBe(0);
    const badges = page.locator('cwr-inpage-help .badge');
    await expect.poll(() => badges.count(), { timeout: 10_000 }).toBe(expected.length);
    const shown = await badges.evaluateAll((bs) => bs.map((b) => [Number((b as HTMLElement).dataset.additionId), (b as HTMLElement).dataset.status]));
    expect(new Map(shown as [number, string][])).toEqual(new Map(expected.map((v) => [v.additionId, v.verdict])));
    await page.close();
  });

  it('removes every highlight and badge when the site switch goes off, without a reload', async () => {
    const page = await session.context.newPage();
    await page.goto(cwAgreementUrl(busiestAgreement(), 'recids=1'));
    await page.locator('tr.cw-ml-row').first().waitFor();
    await waitForScreen(session, page, 'connectwise.additions');
    await expect.poll(() => highlightCount(page), { timeout: 10_000 }).toBeGreaterThan(0);
    await expect.poll(() => page.locator('cwr-inpage-help .badge').count(), { timeout: 10_000 }).toBeGreaterThan(0);
    const marker = await page.evaluate(() => ((window as unknown as { __marker: number }).__marker = Math.random()));
    // The site switch: in-page help off for this ConnectWise host.
    await session.send('settings.set', { patch: { inPage: { offHosts: ['na.myconnectwise.net'] } } });
    await expect.poll(() => highlightCount(page), { timeout: 10_000 }).toBe(0);
    await expect.poll(() => page.locator('cwr-inpage-help').count()).toBe(0);
    // Same document: nothing reloaded.
    expect(await page.evaluate(() => (window as unknown as { __marker: number }).__marker)).toBe(marker);
    await session.send('settings.set', { patch: { inPage: { offHosts: [] } } });
    await expect.poll(() => highlightCount(page), { timeout: 10_000 }).toBeGreaterThan(0);
    await page.close();
  });
});
