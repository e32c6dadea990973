/**
 * The open side panel following runs stored elsewhere, in real Firefox (firefox-esr) on the
 * production Firefox build, with the page's viewport at side-panel size (360 × 800). The runs are
 * started from another extension page (the session's protocol tab), never from the panel: the
 * panel learns of them only through the background's "runs changed" broadcast. A panel showing the
 * latest run moves to the new one without a reload; one with a finding open keeps it, says a newer
 * run was stored, and moves once the finding is closed.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { pullThroughApi } from '../scenarios';
import { openPanelInFirefox, useFirefoxMonth } from './suite';

type ShownRun = { rows: number; current: number; when: string | null; marked: boolean };

/**
 * The History table as the page shows it: how many rows, which one is the shown run, and its
 * time. With `newestOf`, only once there are that many rows and the newest is the shown one.
 */
function shownRunInPage(newestOf: number | null): ShownRun | null {
  const rows = [...document.querySelectorAll('[data-testid="run-item"]')];
  const current = rows.findIndex((r) => r.getAttribute('aria-current') === 'true');
  const shown = {
    rows: rows.length,
    current,
    when: current >= 0 ? (rows[current]!.querySelector('td')?.textContent ?? null) : null,
    // Set on the page before the run was stored elsewhere: still there means no reload.
    marked: (window as unknown as { __keptPage?: boolean }).__keptPage === true,
  };
  return newestOf === null || (shown.rows === newestOf && shown.current === 0) ? shown : null;
}

function markPageInPage(): boolean {
  (window as unknown as { __keptPage?: boolean }).__keptPage = true;
  return true;
}

function openFingerprintInPage(): string | null {
  return document.querySelector('[data-testid="finding-detail"]')?.getAttribute('data-fingerprint') ?? null;
}

describe('Firefox: the side panel follows runs stored elsewhere', () => {
  const env = useFirefoxMonth();

  const openPanel = (nav: 'nav-runs' | 'nav-results', ready: string) => openPanelInFirefox(env.session, nav, ready);

  /** A reconcile started from the session's own extension page, not from the panel under test. */
  async function reconcileElsewhere() {
    const run = await env.session.send('reconcile.start', {});
    expect(run.cwComplete).toBe(true);
    expect((await env.session.send('runs.list', {}))[0]?.id).toBe(run.id);
    return run;
  }

  beforeAll(async () => {
    await pullThroughApi(env.session.send);
    await reconcileElsewhere();
  });


  it('shows a run reconciled from another extension page in the open panel, without a reload, when it showed the latest run', async () => {
    const [runA] = await env.session.send('runs.list', {});
    const panel = await openPanel('nav-runs', '[data-testid="run-item"][aria-current="true"]');
    const whenA = await panel.evaluate((iso) => new Date(iso).toLocaleString(), runA!.createdAt);
    const before = (await panel.evaluate(shownRunInPage, null))!;
    expect(before).toMatchObject({ current: 0, when: whenA, marked: false });
    expect(await panel.evaluate(markPageInPage)).toBe(true);

    const runB = await reconcileElsewhere();
    expect(runB.id).not.toBe(runA!.id);
    const whenB = await panel.evaluate((iso) => new Date(iso).toLocaleString(), runB.createdAt);
    const after = await panel.waitFor(shownRunInPage, before.rows + 1, 'the new run shown in the open panel');
    // Same page (no reload), one more run listed, and the shown one is the new, newest run.
    expect(after).toEqual({ rows: before.rows + 1, current: 0, when: whenB, marked: true });
    expect(await panel.evaluate(() => document.querySelector('[data-testid="panel-notice"]')?.textContent ?? null)).toBeNull();
    await panel.close();
  });

  it('keeps an open finding through a run reconciled elsewhere, says a newer run was stored, and shows it once the finding is closed', async () => {
    const panel = await openPanel('nav-results', '[data-testid="findings-list"]');
    expect(await panel.evaluate(markPageInPage)).toBe(true);
    const runsBefore = await env.session.send('runs.list', {});
    await panel.clickOn('[data-testid="finding-row"]');
    const open = await panel.waitFor(openFingerprintInPage, undefined, 'the drawer');

    const runC = await reconcileElsewhere();
    expect(runsBefore.map((r) => r.id)).not.toContain(runC.id);
    const notice = await panel.waitFor(() => document.querySelector('[data-testid="panel-notice"]')?.textContent ?? null, undefined, 'the newer-run notice');
    expect(notice).toMatch(/^A newer run \(.+\) was stored elsewhere; it opens once no finding is open or ticked\.$/);
    // The user's view is kept: the same finding is still open in the drawer, on the same page.
    expect(await panel.evaluate(openFingerprintInPage)).toBe(open);
    expect(await panel.evaluate(() => !!document.querySelector('[data-testid="findings-list"]'))).toBe(true);

    await panel.clickOn('[data-testid="close-detail"]');
    await panel.waitFor(() => !document.querySelector('[data-testid="finding-detail"]'), undefined, 'the list again');
    // The History view shows which run the panel now holds: the new one, on the same page.
    await panel.clickOn('[data-testid="nav-runs"]');
    const whenC = await panel.evaluate((iso) => new Date(iso).toLocaleString(), runC.createdAt);
    const shown = await panel.waitFor(shownRunInPage, runsBefore.length + 1, 'the newer run shown after the drawer closed');
    expect(shown).toEqual({ rows: runsBefore.length + 1, current: 0, when: whenC, marked: true });
    await panel.close();
  });
});
