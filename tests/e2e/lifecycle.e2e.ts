/**
 * Content-script lifecycle on the production build: a single-page navigation
 * is noticed without a reload, and the re-injection the background performs after an extension
 * update leaves exactly one live copy of our script and UI in the page.
 */
import { describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { platformUrl, tabIdOf, useSandboxedExtension, waitForScreen } from './harness';

const HOST_TAG = 'cwr-inpage-help';

describe('content script lifecycle', () => {
  const env = useSandboxedExtension();

  /** Swaps the page body for another screen's and pushes its URL, as a single-page app does. */
  async function spaNavigate(page: Page, path: string): Promise<void> {
    await page.evaluate(async (target) => {
      const html = await (await fetch(target)).text();
      const next = new DOMParser().parseFromString(html, 'text/html');
      document.body.replaceChildren(...Array.from(next.body.childNodes).map((n) => document.importNode(n, true)));
      history.pushState({}, '', target);
    }, path);
  }

  /** Hovers the tab's title, a Platform dictionary term (Invoice lines, Organizations). */
  async function hoverTerm(page: Page): Promise<void> {
    await page.mouse.move(0, 0);
    const box = await page.locator('h2.px-panel-title').boundingBox();
    if (!box) throw new Error('no panel title to hover');
    await page.mouse.move(box.x + 8, box.y + box.height / 2, { steps: 4 });
  }

  it('follows a single-page navigation between Platform screens without a reload', async () => {
    const page = await env.session.context.newPage();
    await page.goto(platformUrl('/mapping/invoices'));
    await waitForScreen(env.session, page, 'platform.invoices');
    const loads: string[] = [];
    page.on('load', () => loads.push(page.url()));

    await spaNavigate(page, '/mapping/organizations');
    await waitForScreen(env.session, page, 'platform.organizations');
    await spaNavigate(page, '/mapping/invoices?month=2026-10');
    const tabId = await waitForScreen(env.session, page, 'platform.invoices');
    const context = await env.session.send('page.context', { tabId });
    expect(context.period).toBe('2026-10');
    expect(loads).toEqual([]);
    await page.close();
  });

  it('leaves one live script and one in-page UI after the background re-injects it', async () => {
    const page = await env.session.context.newPage();
    await page.goto(platformUrl('/mapping/invoices'));
    const tabId = await waitForScreen(env.session, page, 'platform.invoices');
    // The in-page UI is created on first use: hovering a dictionary term ("Invoice lines").
    await hoverTerm(page);
    await page.waitForFunction((tag) => document.querySelectorAll(tag).length === 1, HOST_TAG);

    // What the background does for open tabs on install or update: inject the manifest's script.
    const reinject = () =>
      env.session.worker.evaluate(
        async ([id]) =>
          (globalThis as unknown as { chrome: { scripting: { executeScript(o: object): Promise<unknown> } } }).chrome.scripting.executeScript({
            target: { tabId: id },
            files: ['content-scripts/platform.js'],
          }),
        [tabId] as const,
      );

    // The older copy stands down and takes its UI with it.
    await reinject();
    await page.waitForFunction((tag) => document.querySelectorAll(tag).length === 0, HOST_TAG, { timeout: 10_000 });

    // After a second update the newest copy alone answers: one UI host on hover, not several.
    await reinject();
    await spaNavigate(page, '/mapping/organizations');
    await waitForScreen(env.session, page, 'platform.organizations');
    await hoverTerm(page);
    await page.waitForFunction((tag) => document.querySelectorAll(tag).length > 0, HOST_TAG, { timeout: 10_000 });
    expect(await page.evaluate((tag) => document.querySelectorAll(tag).length, HOST_TAG)).toBe(1);
    expect(await tabIdOf(env.session, page.url())).toBe(tabId);
    await page.close();
  });
});
