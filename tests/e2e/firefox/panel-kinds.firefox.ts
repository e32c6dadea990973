/**
 * Firefox twin of the Chromium check in badges.e2e.ts: the worked month reconciled by the Firefox
 * build, and one finding of every kind the report holds opened in the panel page at side-panel
 * size, its values, words and amount at stake compared with the report.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import type { Report } from '../../../core/model';
import { expectShownAsReport, pullThroughApi, reconcileToExpected, shownFindingInPage } from '../scenarios';
import { openPanelInFirefox, useFirefoxMonth } from './suite';

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
  const env = useFirefoxMonth();
  let report: Report;

  beforeAll(async () => {
    await pullThroughApi(env.session.send);
    const runId = await reconcileToExpected(env.session.send, env.month);
    report = (await env.session.send('runs.get', { runId }))!.report;
  });


  it('opens one finding of each kind at 360 px and shows its values under each system and its amount at stake, as the report has them', async () => {
    const panel = await openPanelInFirefox(env.session, 'nav-results', '[data-testid="findings-list"]');
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
