/**
 * In-page help in real Firefox on the production Firefox build: dictionary tooltips on both
 * look-alike sites, and verdict badges on an agreement's Additions, row for row as the run judged
 * them. Same sandbox and same expectations as the Chromium suite.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Report } from '../../../core/model';
import type { Sandbox } from '../../sandbox/server';
import { CW_HOST, cwAgreementUrl, exampleMonth, platformUrl, startTlsSandbox, type MonthData } from '../chromium';
import {
  badgesByCells,
  badgesByRecordId,
  badgesInPage,
  busiestAgreement,
  configureMonth,
  highlightCountInPage,
  TOOLTIP_TERMS,
  tooltipInPage,
  wordPointInPage,
} from '../scenarios';
import { launchFirefox, removeProfile, until, waitForScreen, type FirefoxSession, type FirefoxTab } from './firefox';

/** Hovers a word and returns the tooltip's "other system" term. */
async function tooltipFor(tab: FirefoxTab, word: string): Promise<string> {
  await tab.mouseTo(1, 1);
  const point = await tab.evaluate(wordPointInPage, word);
  if (!point) throw new Error(`"${word}" is not on the page`);
  await tab.mouseTo(point.x, point.y);
  // The tooltip may still show the previous term for a moment: wait for this word's entry.
  const here = new RegExp(word.slice(0, 6), 'i');
  const shown = await until(() => tab.evaluate(tooltipInPage), (t) => !!t && here.test(t.here), `the tooltip for "${word}"`);
  return shown!.there;
}

describe('Firefox: in-page help, tooltips and verdict badges', () => {
  let sandbox: Sandbox;
  let session: FirefoxSession;
  let month: MonthData;
  let report: Report;

  beforeAll(async () => {
    month = exampleMonth();
    sandbox = await startTlsSandbox(month);
    session = await launchFirefox({ sandboxPort: sandbox.port });
    await configureMonth(session.send, month, sandbox.credentials);
    // A run to draw badges from: both Platform months captured, ConnectWise pulled, reconciled.
    for (const m of ['2026-11', '2026-10']) {
      const tab = await session.openTab(platformUrl('/mapping/invoices', `month=${m}&pageSize=100`));
      const tabId = await waitForScreen(session, tab, 'platform.invoices');
      await session.send('capture.start', { tabId });
      await tab.close();
    }
    await session.send('cw.pull', {});
    const run = await session.send('reconcile.start', {});
    report = (await session.send('runs.get', { runId: run.id }))!.report;
  });

  afterAll(async () => {
    await session?.close();
    if (session) removeProfile(session.profileDir);
    await sandbox?.close();
  });

  it('explains ConnectWise terms with the Platform’s words', async () => {
    const tab = await session.openTab(cwAgreementUrl(busiestAgreement(month).agreementId));
    await tab.waitFor(() => document.querySelectorAll('tr.cw-ml-row').length > 0, undefined, 'the Additions grid');
    await waitForScreen(session, tab, 'connectwise.additions');
    // The user moves the pointer over the page: what starts the dictionary's marking.
    await tab.mouseTo(2, 2);
    await tab.mouseTo(6, 6);
    await tab.waitFor(highlightCountInPage, undefined, 'painted terms');
    for (const [word, other] of TOOLTIP_TERMS.connectwise) expect(await tooltipFor(tab, word)).toBe(other);
    await tab.screenshot('tooltip-connectwise');
    await tab.close();
  });

  /** A Platform invoices page with its terms painted, after the pointer moved (what starts the marking). */
  async function platformWithTerms(): Promise<FirefoxTab> {
    const tab = await session.openTab(platformUrl('/mapping/invoices', 'month=2026-11&pageSize=10'));
    await waitForScreen(session, tab, 'platform.invoices');
    await tab.mouseTo(2, 2);
    await tab.mouseTo(6, 6);
    await tab.waitFor(highlightCountInPage, undefined, 'painted terms');
    return tab;
  }

  it('explains Platform terms with ConnectWise’s words', async () => {
    const tab = await platformWithTerms();
    for (const [word, other] of TOOLTIP_TERMS.platform) expect(await tooltipFor(tab, word)).toBe(other);
    await tab.screenshot('tooltip-platform');
    await tab.close();
  });

  it('paints the terms with the manifest’s tint alone: no text decoration, no sheet of its own', async () => {
    const tab = await platformWithTerms();
    // The computed highlight style of the element holding the first painted term.
    const look = await tab.evaluate(() => {
      const h = (CSS as unknown as { highlights: Map<string, Set<AbstractRange>> }).highlights.get('cwr-term')!;
      const first = h.values().next().value as AbstractRange;
      const holder = first.startContainer.parentElement!;
      const style = getComputedStyle(holder, '::highlight(cwr-term)');
      return { decoration: style.textDecorationLine, background: style.backgroundColor, adopted: document.adoptedStyleSheets.length };
    });
    expect(look).toEqual({ decoration: 'none', background: 'rgba(37, 99, 235, 0.16)', adopted: 0 });
    await tab.close();
  });

  it('puts a verdict badge on every judged row, matching the run row for row', async () => {
    const { agreementId } = busiestAgreement(month);
    const tab = await session.openTab(cwAgreementUrl(agreementId, 'recids=1'));
    await tab.waitFor(() => document.querySelectorAll('tr.cw-ml-row').length > 0, undefined, 'the Additions grid');
    await waitForScreen(session, tab, 'connectwise.additions');
    const rows = await tab.evaluate(() => Array.from(document.querySelectorAll('tr.cw-ml-row')).map((r) => Number(r.getAttribute('data-recid'))));
    const expected = badgesByRecordId(report, agreementId, rows);
    expect(expected.size).toBeGreaterThan(0);
    const shown = await until(() => tab.evaluate(badgesInPage), (b) => b.length === expected.size, `${expected.size} badges`);
    expect(new Map(shown)).toEqual(expected);
    await tab.screenshot('badges-connectwise');
    await tab.close();
  });

  it('puts the same badges on rows that show no record id, told apart by their cells', async () => {
    const { agreementId } = busiestAgreement(month);
    const expected = badgesByCells(report, agreementId, month);
    expect(expected.size).toBeGreaterThan(0);
    const tab = await session.openTab(cwAgreementUrl(agreementId));
    await tab.waitFor(() => document.querySelectorAll('tr.cw-ml-row').length > 0, undefined, 'the Additions grid');
    await waitForScreen(session, tab, 'connectwise.additions');
    expect(await tab.evaluate(() => document.querySelectorAll('tr.cw-ml-row[data-recid]').length)).toBe(0);
    const shown = await until(() => tab.evaluate(badgesInPage), (b) => b.length === expected.size, `${expected.size} badges`);
    expect(new Map(shown)).toEqual(expected);
    await tab.close();
  });

  it('removes every highlight and badge when the site switch goes off, without a reload', async () => {
    const tab = await session.openTab(cwAgreementUrl(busiestAgreement(month).agreementId, 'recids=1'));
    await tab.waitFor(() => document.querySelectorAll('tr.cw-ml-row').length > 0, undefined, 'the Additions grid');
    await waitForScreen(session, tab, 'connectwise.additions');
    await tab.waitFor(highlightCountInPage, undefined, 'painted terms');
    await until(() => tab.evaluate(badgesInPage), (b) => b.length > 0, 'badges');
    // Kept in the DOM, which a reload would replace.
    const marker = await tab.evaluate(() => (document.documentElement.dataset.marker = String(Math.random())));
    await session.send('settings.set', { patch: { inPage: { offHosts: [CW_HOST] } } });
    await until(() => tab.evaluate(highlightCountInPage), (n) => n === 0, 'no painted terms');
    await until(() => tab.evaluate(() => document.querySelectorAll('cwr-inpage-help').length), (n) => n === 0, 'no in-page UI');
    expect(await tab.evaluate(() => document.documentElement.dataset.marker)).toBe(marker);
    await session.send('settings.set', { patch: { inPage: { offHosts: [] } } });
    await tab.waitFor(highlightCountInPage, undefined, 'painted terms again');
    await tab.close();
  });
});
