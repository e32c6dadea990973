import { beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import type { Resolution } from '../../core/model';
import { seriousAxeViolations } from './axe';
import { captureInvoiceMonths, exampleMonth, useSandboxedExtension } from './harness';
import {
  configureMonth,
  expectPartialPullKeptBeside,
  expectSignedOffAndFrozen,
  expectSignedRunUnchangedByNewerRun,
  noteThroughSwitchInPage,
} from './scenarios';

/**
 * The side panel as a billing admin uses it at month-end, at side-panel width (360 × 800): notes
 * that are never lost (not even when the panel closes mid-word), a partial pull that never replaces
 * a complete one, the finding drawer, a bulk verdict undone after a restart, and a sign-off that
 * freezes the month against later verdicts.
 */
describe('the side panel at month-end', () => {
  const month = exampleMonth();
  const env = useSandboxedExtension(() => month);
  const send: typeof env.session.send = (type, payload) => env.session.send(type, payload);
  let runId: string;

  async function panelAt360(): Promise<Page> {
    const panel = await env.session.panel();
    await panel.setViewportSize({ width: 360, height: 800 });
    await panel.reload();
    await panel.getByTestId('start-view').waitFor();
    return panel;
  }

  async function openResults(panel: Page): Promise<void> {
    await panel.getByTestId('nav-results').click();
    await panel.getByTestId('findings-list').waitFor();
  }

  const stored = async () => new Map((await send('resolutions.list', {})).map((r) => [r.fingerprint, r]));

  /**
   * The background's resolutions asked from another extension page (the options page): no side
   * panel is open to save a draft of its own on load, so what this answers arrived by message.
   */
  async function storedWithoutPanel(): Promise<Map<string, Resolution>> {
    const page = await env.session.context.newPage();
    try {
      await page.goto(`chrome-extension://${env.session.extensionId}/options.html`);
      const answer = (await page.evaluate(() =>
        (globalThis as unknown as { chrome: { runtime: { sendMessage(m: unknown): Promise<unknown> } } }).chrome.runtime.sendMessage({ type: 'resolutions.list' }),
      )) as { ok: boolean; value: Resolution[] };
      expect(answer.ok).toBe(true);
      return new Map(answer.value.map((r) => [r.fingerprint, r]));
    } finally {
      await page.close();
    }
  }

  beforeAll(async () => {
    await configureMonth(send, month, env.sandbox.credentials);
    await captureInvoiceMonths(env.session, month);
  });

  it('keeps a complete pull when a later pull stops part-way, and marks the partial one', async () => {
    // The server drops every Additions page after the first: the second pull stops part-way.
    runId = await expectPartialPullKeptBeside(send, async (pull) => {
      env.sandbox.setFaults({ rules: [{ kind: 'drop', match: '/additions', skip: 1 }] });
      try {
        return await pull();
      } finally {
        env.sandbox.setFaults({});
      }
    });
    const panel = await panelAt360();
    const marks = panel.getByTestId('capture-partial');
    expect(await marks.count()).toBe(1);
    expect(await marks.innerText()).toMatch(/partial/);
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
    // Switch to the next finding and back (the shared step): the note is still shown.
    const { fingerprint: fp, shownAfterSwitch } = await panel.evaluate(noteThroughSwitchInPage, 'asked finance for the credit note');
    expect(shownAfterSwitch).toBe('asked finance for the credit note');
    expect(await panel.getByTestId('finding-detail').getAttribute('data-fingerprint')).toBe(fp);
    await panel.getByTestId('finding-note').fill('credit note 4411 received');
    await panel.getByTestId('resolve-finding').click();
    // Resolved, it leaves the open list and the next finding opens in the drawer.
    await panel.waitForFunction((was) => document.querySelector('[data-testid="finding-detail"]')?.getAttribute('data-fingerprint') !== was, fp);
    expect(await panel.getByTestId('finding-note').inputValue()).toBe('');
    await expect.poll(async () => (await stored()).get(fp)).toMatchObject({ status: 'resolved', note: 'credit note 4411 received' });
  });

  it('keeps a note typed just before the panel closes: sent on pagehide, and read back on reopening', async () => {
    let panel = await panelAt360();
    await openResults(panel);
    await panel.getByTestId('finding-row').first().click();
    const fp = (await panel.getByTestId('finding-detail').getAttribute('data-fingerprint'))!;
    await panel.getByTestId('finding-note').fill('typed as the panel closed');
    // No wait for the typing pause: the panel goes at once.
    await panel.close();
    // The message sent from pagehide arrived, with no panel open to send it again.
    await expect.poll(async () => (await storedWithoutPanel()).get(fp)?.note).toBe('typed as the panel closed');

    panel = await panelAt360();
    await openResults(panel);
    await panel.locator(`[data-testid="finding-row"][data-fingerprint="${fp}"]`).click();
    expect(await panel.getByTestId('finding-note').inputValue()).toBe('typed as the panel closed');
    // The draft kept for the page's next load is gone once the background had the note.
    expect(await panel.evaluate(() => localStorage.getItem('cwr.noteDrafts'))).toBeNull();
  });

  it('saves a draft whose message never arrived when the panel opens again', async () => {
    let panel = await panelAt360();
    await openResults(panel);
    const fp = (await panel.getByTestId('finding-row').nth(1).getAttribute('data-fingerprint'))!;
    expect((await stored()).get(fp)).toBeUndefined();
    // What a keystroke leaves when the page is torn down before its message leaves: the draft alone.
    await panel.evaluate(
      ([f, run]) => localStorage.setItem('cwr.noteDrafts', JSON.stringify({ [f]: { fingerprint: f, note: 'only in the draft', runId: run, at: new Date().toISOString() } })),
      [fp, runId] as const,
    );
    panel = await panelAt360();
    await openResults(panel);
    await expect.poll(async () => (await storedWithoutPanel()).get(fp)?.note).toBe('only in the draft');
    await panel.locator(`[data-testid="finding-row"][data-fingerprint="${fp}"]`).click();
    expect(await panel.getByTestId('finding-note').inputValue()).toBe('only in the draft');
    expect(await panel.evaluate(() => localStorage.getItem('cwr.noteDrafts'))).toBeNull();
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

    await env.restart();
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
    await expectSignedOffAndFrozen(send, runId, 'Dana Billing', 'November closed with finance');
    const [evidence] = await Promise.all([env.session.context.waitForEvent('page'), panel.getByTestId('export-evidence').click()]);
    await evidence.waitForLoadState();
    expect(await evidence.locator('[data-testid="sign-off"]').innerText()).toMatch(/Signed off by Dana Billing on .*November closed with finance/);
    await evidence.close();
  });

  it('shows the signed-off month as signed after a newer run changes the same findings’ verdicts', async () => {
    let panel = await panelAt360();
    await openResults(panel);
    await panel.getByTestId('filter-resolved').selectOption('all');
    const countsAtSignOff = await panel.getByTestId('findings-count').innerText();
    expect(countsAtSignOff).toMatch(/1 resolved/);

    const { resolvedSince, reopenedSince } = await expectSignedRunUnchangedByNewerRun(send, runId);
    const resolvedRows = (p: Page) => p.locator('[data-testid="finding-row"]').evaluateAll((rows) => rows.map((r) => r.getAttribute('data-fingerprint')));

    // In the panel: the newer run shows today's verdicts; the signed one, opened from History, its own.
    panel = await panelAt360();
    await openResults(panel);
    await panel.getByTestId('filter-resolved').selectOption('resolved');
    expect(await resolvedRows(panel)).toEqual([resolvedSince]);
    await panel.getByTestId('nav-runs').click();
    await panel.getByTestId('run-item').nth(1).getByRole('button').click();
    await panel.getByTestId('signed-off').waitFor();
    await panel.getByTestId('filter-resolved').selectOption('resolved');
    expect(await resolvedRows(panel)).toEqual([reopenedSince]);
    await panel.getByTestId('filter-resolved').selectOption('all');
    expect(await panel.getByTestId('findings-count').innerText()).toBe(countsAtSignOff);
  });
});
