/**
 * Firefox twin of the Chromium check in badges.e2e.ts: the worked month reconciled by the Firefox
 * build, and one finding of every kind the report holds opened in the panel page at side-panel
 * size, its values, words and amount at stake compared with the report.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Report } from '../../../core/model';
import type { Sandbox } from '../../sandbox/server';
import { exampleMonth, startTlsSandbox, type MonthData } from '../chromium';
import { configureMonth, expectShownAsReport, pullThroughApi, reconcileToExpected, shownFindingInPage } from '../scenarios';
import { captureInvoiceMonthsInFirefox, EXTENSION_ORIGIN, launchFirefox, removeProfile, type FirefoxSession } from './firefox';

/** Picks `value` in the `testid` select as a user would: the change event the panel listens to. */
function chooseInPage([testid, value]: [string, string]): boolean {
  const select = document.querySelector<HTMLSelectElement>(`[data-testid="${testid}"]`);
  if (!select || ![...select.options].some((o) => o.value === value)) return false;
  select.value = value;
  select.dispatchEvent(new Event('change', { bubbles: true }));
  return true;
}

/** Whether the list shows findings, all of `kind` (the filter has taken effect). */
function firstRowOfKindInPage(kind: string): boolean {
  const rows = [...document.querySelectorAll<HTMLElement>('[data-testid="finding-row"]')];
  return rows.length > 0 && rows.every((r) => r.dataset.kind === kind);
}

describe('Firefox: every finding kind in the panel shows the report’s values', () => {
  let sandbox: Sandbox;
  let session: FirefoxSession;
  let month: MonthData;
  let report: Report;

  beforeAll(async () => {
    month = exampleMonth();
    sandbox = await startTlsSandbox(month);
    session = await launchFirefox({ sandboxPort: sandbox.port });
    await configureMonth(session.send, month, sandbox.credentials);
    await captureInvoiceMonthsInFirefox(session, month);
    await pullThroughApi(session.send);
    const runId = await reconcileToExpected(session.send, month);
    report = (await session.send('runs.get', { runId }))!.report;
  });

  afterAll(async () => {
    await session?.close();
    if (session) removeProfile(session.profileDir);
    await sandbox?.close();
  });

  it('opens one finding of each kind at 360 px and shows its values under each system and its amount at stake, as the report has them', async () => {
    const panel = await session.openTab(`${EXTENSION_ORIGIN}/sidepanel.html`);
    expect(await session.sizeViewport(panel, 360, 800)).toEqual({ width: 360, height: 800 });
    await panel.waitFor(() => !!document.querySelector('[data-testid="start-view"]'), undefined, 'the start view');
    await panel.clickOn('[data-testid="nav-results"]');
    await panel.waitFor(() => !!document.querySelector('[data-testid="findings-list"]'), undefined, 'the findings list');
    expect(await panel.evaluate(chooseInPage, ['filter-resolved', 'all'])).toBe(true);
    const kinds = [...new Set(report.findings.map((f) => f.kind))].sort();
    expect(kinds.length).toBeGreaterThan(8);
    const checked: string[] = [];
    for (const kind of kinds) {
      // The kind list fills as the run's pages are read: wait for the kind to be offered.
      await panel.waitFor(chooseInPage, ['filter-kind', kind] as [string, string], `the kind filter offering ${kind}`);
      await panel.waitFor(firstRowOfKindInPage, kind, `rows of ${kind}`);
      await panel.clickOn('[data-testid="finding-row"]');
      const shown = await panel.waitFor(shownFindingInPage, undefined, `the detail of a ${kind} finding`);
      expectShownAsReport(report, kind, shown);
      checked.push(kind);
      await panel.clickOn('[data-testid="close-detail"]');
      await panel.waitFor(() => !document.querySelector('[data-testid="finding-detail"]'), undefined, 'the detail closed');
    }
    expect(checked).toEqual(kinds);
    await panel.close();
  });
});
