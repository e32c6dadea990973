import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import type { Sandbox } from '../sandbox/server';
import { seriousAxeViolations } from './axe';
import {
  captureInvoiceMonths,
  exampleMonth,
  launchExtension,
  removeProfile,
  startTlsSandbox,
  type ExtensionSession,
  type MonthData,
} from './harness';
import { configureMonth, pullThroughApi } from './scenarios';

/**
 * The side panel as a billing admin uses it at month-end, at side-panel width (360 × 800): notes
 * that are never lost, a partial pull that never replaces a complete one, the finding drawer, and
 * a bulk verdict undone after a restart.
 */
describe('the side panel at month-end', () => {
  let sandbox: Sandbox;
  let session: ExtensionSession;
  let month: MonthData;
  let runId: string;

  async function panelAt360(): Promise<Page> {
    const panel = await session.panel();
    await panel.setViewportSize({ width: 360, height: 800 });
    await panel.reload();
    await panel.getByTestId('start-view').waitFor();
    return panel;
  }

  async function openResults(panel: Page): Promise<void> {
    await panel.getByTestId('nav-results').click();
    await panel.getByTestId('findings-list').waitFor();
  }

  const stored = async () => new Map((await session.send('resolutions.list', {})).map((r) => [r.fingerprint, r]));

  beforeAll(async () => {
    month = exampleMonth();
    sandbox = await startTlsSandbox(month);
    session = await launchExtension({ port: sandbox.port });
    await configureMonth(session.send, month, sandbox.credentials);
    await captureInvoiceMonths(session, month);
  });

  afterAll(async () => {
    await session?.close();
    if (session) removeProfile(session.userDataDir);
    await sandbox?.close();
  });

  it('keeps a complete pull when a later pull stops part-way, and marks the partial one', async () => {
    await pullThroughApi(session.send);
    const complete = (await session.send('captures.list', {})).find((c) => c.kind === 'api')!;
    // The server drops every Additions page after the first: the second pull stops part-way.
    sandbox.setFaults({ rules: [{ kind: 'drop', match: '/additions', skip: 1 }] });
    let partialRows: number | undefined;
    try {
      const second = await session.send('cw.pull', { jobId: 'pull-dropped' });
      expect(second.complete).toBe(false);
      partialRows = second.rows;
    } finally {
      sandbox.setFaults({});
    }
    expect(partialRows).toBeLessThan(complete.rows);
    const start = await session.send('panel.start', {});
    const api = start.captures.filter((c) => c.kind === 'api');
    expect(api.map((c) => [c.rows, c.complete]).sort()).toEqual([[complete.rows, true], [partialRows, false]].sort());

    const panel = await panelAt360();
    const marks = panel.getByTestId('capture-partial');
    expect(await marks.count()).toBe(1);
    expect(await marks.innerText()).toMatch(/partial/);

    // The run still reads the complete pull: ConnectWise counts as read whole.
    const run = await session.send('reconcile.start', {});
    expect(run.cwComplete).toBe(true);
    runId = run.id;
  });

  it('opens a finding as a drawer over the list at 360 px, with its actions in view', async () => {
    const panel = await panelAt360();
    await openResults(panel);
    await panel.getByTestId('finding-row').first().click();
    const drawer = panel.getByTestId('finding-detail');
    await drawer.waitFor();
    const box = (await drawer.boundingBox())!;
    expect(box.x).toBeGreaterThanOrEqual(0);
    expect(box.width).toBeLessThanOrEqual(360);
    expect(box.y).toBeLessThan(10);
    const resolve = (await panel.getByTestId('resolve-finding').boundingBox())!;
    expect(resolve.y + resolve.height).toBeLessThanOrEqual(800);
    expect(resolve.x + resolve.width).toBeLessThanOrEqual(360);
    expect(await seriousAxeViolations(panel)).toEqual([]);
    await panel.getByTestId('close-detail').click();
    expect(await seriousAxeViolations(panel)).toEqual([]);
  });

  it('keeps a note through switching findings and stores it with the verdict', async () => {
    const panel = await panelAt360();
    await openResults(panel);
    const rows = panel.getByTestId('finding-row');
    await rows.nth(0).click();
    const fp = (await panel.getByTestId('finding-detail').getAttribute('data-fingerprint'))!;
    await panel.getByTestId('finding-note').fill('asked finance for the credit note');
    // Switch to the next finding and back, by keyboard shortcut and by the list.
    await panel.getByTestId('next-finding').click();
    expect(await panel.getByTestId('finding-detail').getAttribute('data-fingerprint')).not.toBe(fp);
    await panel.getByTestId('close-detail').click();
    await rows.nth(0).click();
    expect(await panel.getByTestId('finding-note').inputValue()).toBe('asked finance for the credit note');
    await panel.getByTestId('finding-note').fill('credit note 4411 received');
    await panel.getByTestId('resolve-finding').click();
    // Resolved, it leaves the open list and the next finding opens in the drawer.
    await panel.waitForFunction((was) => document.querySelector('[data-testid="finding-detail"]')?.getAttribute('data-fingerprint') !== was, fp);
    expect(await panel.getByTestId('finding-note').inputValue()).toBe('');
    await expect.poll(async () => (await stored()).get(fp)).toMatchObject({ status: 'resolved', note: 'credit note 4411 received' });
  });

  it('resolves a shift-ticked range with one note, and undoes it in one step after a restart', async () => {
    let panel = await panelAt360();
    await openResults(panel);
    const checks = panel.getByTestId('finding-check');
    await checks.nth(0).click();
    await checks.nth(2).click({ modifiers: ['Shift'] });
    expect(await panel.getByTestId('checked-count').innerText()).toBe('3 selected');
    const fps = await panel
      .getByTestId('finding-row')
      .evaluateAll((rows) => rows.slice(0, 3).map((r) => r.getAttribute('data-fingerprint')!));
    await panel.getByTestId('bulk-note').fill('checked with the vendor');
    await panel.getByTestId('resolve-checked').click();
    await panel.getByTestId('undo').waitFor();
    for (const fp of fps) {
      await expect.poll(async () => (await stored()).get(fp)).toMatchObject({ status: 'resolved', note: 'checked with the vendor' });
    }

    const dir = session.userDataDir;
    await session.close();
    session = await launchExtension({ port: sandbox.port, userDataDir: dir });
    panel = await panelAt360();
    await openResults(panel);
    await panel.getByTestId('undo').waitFor();
    expect(await panel.getByTestId('undo-label').innerText()).toMatch(/Marked resolved: 3 findings/);
    await panel.getByTestId('undo').click();
    for (const fp of fps) await expect.poll(async () => (await stored()).get(fp)?.status ?? 'open').toBe('open');
    // The step before it (the single resolve with its note) is untouched.
    expect([...(await stored()).values()].filter((r) => r.status === 'resolved')).toHaveLength(1);
    expect(runId).toBeTruthy();
  });

  it('signs the month off, freezes the run, and puts the sign-off in the printable evidence', async () => {
    const panel = await panelAt360();
    await openResults(panel);
    await panel.locator('.sign-off summary').click();
    await panel.getByTestId('sign-off-by').fill('Dana Billing');
    await panel.getByTestId('sign-off-note').fill('November closed with finance');
    await panel.getByTestId('sign-off').click();
    await panel.getByTestId('signed-off').waitFor();
    const got = await session.send('runs.get', { runId });
    expect(got?.signOff).toMatchObject({ by: 'Dana Billing', note: 'November closed with finance' });
    await expect(session.send('resolutions.apply', { runId, label: 'late', changes: [{ fingerprint: got!.findings[0]!.fingerprint, status: 'ignored' }] })).rejects.toThrow(/signed off/);
    const [evidence] = await Promise.all([session.context.waitForEvent('page'), panel.getByTestId('export-evidence').click()]);
    await evidence.waitForLoadState();
    expect(await evidence.locator('[data-testid="sign-off"]').innerText()).toMatch(/Signed off by Dana Billing on .*November closed with finance/);
    await evidence.close();
  });
});
