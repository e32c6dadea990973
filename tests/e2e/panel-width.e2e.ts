import { beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { seriousAxeViolations } from './axe';
import { captureInvoiceMonths, exampleMonth, useSandboxedExtension } from './harness';
import { configureMonth, pullThroughApi, reconcileToExpected } from './scenarios';

/**
 * The worked month's results at side-panel widths in Chromium, checked against what the panel
 * promised a billing admin: every view button on one row and in view, the money view's columns
 * (Unexplained included) without sideways scrolling, no stale detail behind a search with no
 * match, bulk verdicts only when asked for, and counts that tell open from resolved.
 */
describe.each([360, 320])('the side panel at %i px', (width) => {
  const month = exampleMonth();
  const env = useSandboxedExtension(() => month);
  let total: number;

  async function panelAt(): Promise<Page> {
    const panel = await env.session.panel();
    await panel.setViewportSize({ width, height: 800 });
    await panel.reload();
    await panel.getByTestId('start-view').waitFor();
    return panel;
  }

  beforeAll(async () => {
    const send = env.session.send;
    await configureMonth(send, month, env.sandbox.credentials);
    await captureInvoiceMonths(env.session, month);
    await pullThroughApi(send);
    const runId = await reconcileToExpected(send, month);
    total = (await send('runs.get', { runId }))!.report.findings.length;
  });

  it('puts the view buttons and the list of the other views on one row, each fully in view', async () => {
    const panel = await panelAt();
    const boxes = await panel.locator('nav button, nav select').evaluateAll((els) =>
      els
        .map((e) => e.getBoundingClientRect())
        .filter((r) => r.width > 0)
        .map((r) => ({ left: r.left, right: r.right, top: r.top })),
    );
    // Start, Results, Money, History, and the list holding the other four.
    expect(boxes).toHaveLength(5);
    expect(new Set(boxes.map((b) => Math.round(b.top))).size).toBe(1);
    for (const b of boxes) {
      expect(b.left).toBeGreaterThanOrEqual(0);
      expect(b.right).toBeLessThanOrEqual(width);
    }
    expect(await panel.locator('nav ul').evaluate((ul) => ul.scrollWidth <= ul.clientWidth)).toBe(true);
    const more = panel.getByTestId('nav-more');
    expect(await more.locator('option').allInnerTexts()).toEqual(['More', 'Invoicing', 'Mappings', 'Health', 'Dictionary']);
    await more.selectOption('health');
    await panel.getByTestId('health-view').waitFor();
    expect(await more.inputValue()).toBe('health');
    expect(await seriousAxeViolations(panel)).toEqual([]);
    await panel.getByTestId('nav-start').click();
    expect(await more.inputValue()).toBe('');
  });

  it('shows the money view’s Unexplained column without scrolling sideways', async () => {
    const panel = await panelAt();
    await panel.getByTestId('nav-money').click();
    await panel.getByTestId('money-totals').waitFor();
    const fit = await panel.evaluate(() => {
      const table = document.querySelector<HTMLElement>('[data-testid="money-totals"]')!;
      const head = [...table.querySelectorAll('thead th')].find((th) => th.textContent === 'Unexplained')!;
      const cells = [...table.querySelectorAll('tbody tr')].map((tr) => tr.lastElementChild!.getBoundingClientRect().right);
      const scroller = table.closest<HTMLElement>('.table-scroll')!;
      return { head: head.getBoundingClientRect().right, cells, scrolls: scroller.scrollWidth > scroller.clientWidth, page: document.documentElement.scrollWidth };
    });
    expect(fit.scrolls).toBe(false);
    expect(fit.head).toBeLessThanOrEqual(width);
    expect(fit.cells.length).toBeGreaterThan(0);
    for (const right of fit.cells) expect(right).toBeLessThanOrEqual(width);
    expect(fit.page).toBeLessThanOrEqual(width);
    expect(await seriousAxeViolations(panel)).toEqual([]);
  });

  it('shows no finding behind a search that matches none, and bulk verdicts only when asked', async () => {
    const panel = await panelAt();
    await panel.getByTestId('nav-results').click();
    await panel.getByTestId('findings-list').waitFor();
    await panel.getByTestId('finding-row').first().click();
    await panel.getByTestId('finding-detail').waitFor();
    await panel.getByTestId('close-detail').click();
    await panel.getByTestId('finding-row').first().click();
    await panel.getByTestId('resolve-finding').click();
    await panel.getByTestId('close-detail').click();
    // One finding is resolved: still no bulk verdict on offer until findings are ticked or asked for.
    await expect.poll(() => panel.getByTestId('findings-count').innerText()).toMatch(new RegExp(`${total - 1} open, 1 resolved, 0 ignored`));
    expect(await panel.getByText(/Mark the \d+ shown/).count()).toBe(0);
    expect(await panel.getByTestId('resolve-checked').count()).toBe(0);
    await panel.getByTestId('select-all-matching').click();
    expect(await panel.getByTestId('resolve-checked').innerText()).toBe(`Resolve ${total - 1}`);
    await panel.getByTestId('clear-checked').click();
    expect(await panel.getByTestId('resolve-checked').count()).toBe(0);

    // A finding open, then a search none matches (typed under the drawer): the drawer goes with it.
    await panel.getByTestId('finding-row').first().click();
    await panel.getByTestId('finding-detail').waitFor();
    await panel.getByTestId('findings-search').fill('no finding says this');
    await expect.poll(() => panel.getByTestId('finding-row').count()).toBe(0);
    expect(await panel.getByTestId('finding-detail').count()).toBe(0);
    expect(await panel.getByTestId('findings-count').innerText()).toMatch(new RegExp(`Showing 0 of ${total} findings`));

    // The start view counts the last run's findings as open and resolved, not all as one number.
    await panel.getByTestId('nav-start').click();
    expect(await panel.getByTestId('last-run-counts').innerText()).toBe(`${total - 1} open of ${total} findings (1 resolved, 0 ignored)`);
  });
});
