import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import type { Sandbox } from '../sandbox/server';
import { bigMonth, seedBigMonth, type BigMonth } from './big-month';
import { launchExtension, removeProfile, startTlsSandbox, type ExtensionSession } from './harness';

/**
 * A reconcile large enough to watch (15,000 captured lines against about 11,250 Additions) run
 * from the side panel as a background job: the panel shows its steps on a progress bar, Cancel
 * stops it with nothing stored, and a run left to finish is stored and shown.
 */
const LINES = 15_000;

describe('a large reconcile as a job the panel follows', () => {
  let sandbox: Sandbox;
  let session: ExtensionSession;
  let month: BigMonth;
  let pulledAdditions: number;

  /** Records every step the progress bar shows, so steps shown only briefly are not missed. */
  async function panelWatchingProgress(): Promise<Page> {
    const panel = await session.panel();
    await panel.reload();
    await panel.getByTestId('start-view').waitFor();
    await panel.evaluate(() => {
      const seen: string[] = [];
      (globalThis as unknown as { progressSeen: string[] }).progressSeen = seen;
      const record = () => {
        const bar = document.querySelector('[data-testid="reconcile-progress"]');
        const text = bar?.querySelector('label')?.textContent ?? null;
        if (text && seen.at(-1) !== text) seen.push(text);
      };
      new MutationObserver(record).observe(document.body, { subtree: true, childList: true, characterData: true, attributes: true });
    });
    return panel;
  }

  const progressSeen = (panel: Page) => panel.evaluate(() => (globalThis as unknown as { progressSeen: string[] }).progressSeen);

  beforeAll(async () => {
    month = bigMonth(LINES, 0.75);
    sandbox = await startTlsSandbox(month);
    session = await launchExtension({ port: sandbox.port });
    const seeded = await seedBigMonth(session, month, sandbox.credentials);
    expect(seeded.rows).toBe(month.lines.length);
    // The pull reads the Additions in its window only; the generated data has some outside it.
    expect(seeded.additions).toBeGreaterThan(0);
    pulledAdditions = seeded.additions;
  }, 900_000);

  afterAll(async () => {
    await session?.close();
    if (session) removeProfile(session.userDataDir);
    await sandbox?.close();
  });

  it('shows the reconcile’s progress and cancels it, storing no run and saying so', async () => {
    const panel = await panelWatchingProgress();
    await panel.getByTestId('reconcile').click();
    const progress = panel.getByTestId('reconcile-progress');
    await progress.waitFor();
    expect(await progress.locator('progress').count()).toBe(1);
    expect(await progress.locator('label').innerText()).toMatch(/^Reconciling — .+: \d+%$/);
    await panel.getByTestId('cancel-task').click();

    const notice = panel.getByTestId('panel-notice');
    await notice.waitFor();
    expect(await notice.innerText()).toBe('Reconcile cancelled; nothing was saved from it.');
    expect(await progress.count()).toBe(0);
    expect(await session.send('runs.list', {})).toEqual([]);
    expect((await progressSeen(panel)).length).toBeGreaterThan(0);
  });

  it('shows every step of a reconcile left to finish, then its findings', { timeout: 300_000 }, async () => {
    const panel = await panelWatchingProgress();
    await panel.getByTestId('reconcile').click();
    await panel.getByTestId('findings-list').waitFor({ timeout: 300_000 });
    const seen = await progressSeen(panel);
    const count = (n: number) => n.toLocaleString('en-US');
    expect(seen).toContain(`Reconciling — Matching ${count(month.lines.length)} lines with ${count(pulledAdditions)} Additions: 20%`);
    expect(seen.some((s) => /^Reconciling — Saving [\d,]+ findings: 85%$/.test(s))).toBe(true);
    const runs = await session.send('runs.list', {});
    expect(runs).toHaveLength(1);
    expect(runs[0]!.linesCompared).toBeGreaterThan(0);
    expect(await panel.getByTestId('finding-row').count()).toBeGreaterThan(0);
  });
});
