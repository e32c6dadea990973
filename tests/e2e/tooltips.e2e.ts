import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
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
import { badgesByCells, badgesByRecordId, busiestAgreement as busiestOf, highlightCountInPage, TOOLTIP_TERMS, wordPointInPage } from './scenarios';

/** Hover a word and read the tooltip's "other system" term from our shadow root. */
async function tooltipFor(page: Page, word: string): Promise<string> {
  await page.mouse.move(1, 1);
  const point = await page.evaluate(wordPointInPage, word);
  if (!point) throw new Error(`"${word}" is not on the page`);
  await page.mouse.move(point.x, point.y, { steps: 2 });
  const tip = page.locator('cwr-inpage-help [role="tooltip"]');
  await tip.waitFor({ state: 'visible', timeout: 5_000 });
  await expect.poll(async () => tip.locator('.here').textContent()).toMatch(new RegExp(word.slice(0, 6), 'i'));
  return (await tip.locator('.there').textContent()) ?? '';
}

/** The user moves the pointer over the page: what starts the dictionary's marking. */
async function userArrives(page: Page): Promise<void> {
  await page.mouse.move(2, 2);
  await page.mouse.move(6, 6, { steps: 2 });
}

async function highlightCount(page: Page): Promise<number> {
  return page.evaluate(highlightCountInPage);
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

  const busiestAgreement = () => busiestOf(month).agreementId;

  it('explains ConnectWise terms with the Platform’s words', async () => {
    const page = await session.context.newPage();
    await page.goto(cwAgreementUrl(busiestAgreement()));
    await page.locator('tr.cw-ml-row').first().waitFor();
    await waitForScreen(session, page, 'connectwise.additions');
    await userArrives(page);
    await expect.poll(() => highlightCount(page), { timeout: 10_000 }).toBeGreaterThan(0);
    for (const [word, other] of TOOLTIP_TERMS.connectwise) expect(await tooltipFor(page, word)).toBe(other);
    await screenshot(page, 'tooltip-connectwise');
    await page.close();
  });

  it('takes the terms off while the Additions grid scrolls, and puts them back once it settles', async () => {
    const page = await session.context.newPage();
    await page.goto(cwAgreementUrl(busiestAgreement()));
    await page.locator('tr.cw-ml-row').first().waitFor();
    await waitForScreen(session, page, 'connectwise.additions');
    // A short grid box (a small window), so the worked month's rows scroll inside it.
    await page.addStyleTag({ content: '.mm_grid { max-height: 90px !important; }' });
    await userArrives(page);
    await expect.poll(() => highlightCount(page), { timeout: 10_000 }).toBeGreaterThan(0);
    const grid = page.locator('.mm_grid').first();
    expect(await grid.evaluate((g) => g.scrollHeight > g.clientHeight + 100)).toBe(true);
    // What each of the grid's scroll events finds, seen after ours (registered later, same phase).
    await page.evaluate(() => {
      const w = window as unknown as { __shown: boolean[] };
      w.__shown = [];
      document.addEventListener('scroll', () => w.__shown.push((CSS as unknown as { highlights: Map<string, unknown> }).highlights.has('cwr-term')), { capture: true });
    });
    const box = (await grid.boundingBox())!;
    await page.mouse.move(box.x + box.width / 2, box.y + box.height / 2);
    for (let i = 0; i < 4; i++) await page.mouse.wheel(0, 60);
    await expect.poll(() => grid.evaluate((g) => g.scrollTop), { timeout: 5_000 }).toBeGreaterThan(100);
    const shown = await page.evaluate(() => (window as unknown as { __shown: boolean[] }).__shown);
    expect(shown.length).toBeGreaterThan(0);
    expect(shown.every((s) => !s)).toBe(true);
    // Settled: the terms are back, those inside the grid box among them.
    await expect.poll(() => highlightCount(page), { timeout: 10_000 }).toBeGreaterThan(0);
    const inGrid = await grid.evaluate((g) => {
      const h = (CSS as unknown as { highlights: Map<string, Set<AbstractRange>> }).highlights.get('cwr-term')!;
      return [...h].filter((r) => g.contains(r.startContainer)).length;
    });
    expect(inGrid).toBeGreaterThan(0);
    await page.close();
  });

  it('explains Platform terms with ConnectWise’s words', async () => {
    const page = await session.context.newPage();
    await page.goto(platformUrl('/mapping/invoices', 'month=2026-11&pageSize=10'));
    await waitForScreen(session, page, 'platform.invoices');
    // Loading the page marks nothing: the terms are read once the user is at the page.
    expect(await highlightCount(page)).toBe(0);
    await userArrives(page);
    await expect.poll(() => highlightCount(page), { timeout: 10_000 }).toBeGreaterThan(0);
    for (const [word, other] of TOOLTIP_TERMS.platform) expect(await tooltipFor(page, word)).toBe(other);
    await screenshot(page, 'tooltip-platform');
    await page.close();
  });

  it('leaves the ConnectWise grid working: sorting by a header still reorders the rows', async () => {
    const page = await session.context.newPage();
    await page.goto(cwAgreementUrl(busiestAgreement(), 'recids=1'));
    await page.locator('tr.cw-ml-row').first().waitFor();
    await userArrives(page);
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
    const page = await session.context.newPage();
    // The look-alike's rows carry their record id here, as a list view with a record link does.
    await page.goto(cwAgreementUrl(agreementId, 'recids=1'));
    await page.locator('tr.cw-ml-row').first().waitFor();
    await waitForScreen(session, page, 'connectwise.additions');
    const badges = page.locator('cwr-inpage-help .badge');
    const rows = await page.locator('tr.cw-ml-row').evaluateAll((rs) => rs.map((r) => Number(r.getAttribute('data-recid'))));
    const expected = badgesByRecordId(report, agreementId, rows);
    expect(expected.size).toBeGreaterThan(0);
    await expect.poll(() => badges.count(), { timeout: 10_000 }).toBe(expected.size);
    const shown = await badges.evaluateAll((bs) => bs.map((b) => [Number((b as HTMLElement).dataset.additionId), (b as HTMLElement).dataset.status]));
    expect(new Map(shown as [number, string][])).toEqual(expected);
    await screenshot(page, 'badges-connectwise');
    await page.close();
  });

  it('puts the same badges on rows that show no record id, told apart by their cells', async () => {
    const agreementId = busiestAgreement();
    const expected = badgesByCells(report, agreementId, month);
    expect(expected.size).toBeGreaterThan(0);
    const page = await session.context.newPage();
    await page.goto(cwAgreementUrl(agreementId));
    await page.locator('tr.cw-ml-row').first().waitFor();
    await waitForScreen(session, page, 'connectwise.additions');
    expect(await page.locator('tr.cw-ml-row[data-recid]').count()).toBe(0);
    const badges = page.locator('cwr-inpage-help .badge');
    await expect.poll(() => badges.count(), { timeout: 10_000 }).toBe(expected.size);
    const shown = await badges.evaluateAll((bs) => bs.map((b) => [Number((b as HTMLElement).dataset.additionId), (b as HTMLElement).dataset.status]));
    expect(new Map(shown as [number, string][])).toEqual(expected);
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
