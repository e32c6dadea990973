import { describe, expect, it } from 'vitest';
import { platformUrl, screenshot, tabIdOf, useSandboxedExtension, waitForScreen } from './harness';

describe('extension smoke', () => {
  const env = useSandboxedExtension();

  it('loads the background with the shipped manifest', async () => {
    expect(env.session.extensionId).toMatch(/^[a-p]{32}$/);
    const manifest = await env.session.worker.evaluate(() => (globalThis as unknown as { chrome: { runtime: { getManifest(): { content_scripts: { matches: string[] }[] } } } }).chrome.runtime.getManifest());
    expect(manifest.content_scripts.flatMap((c) => c.matches)).toContain('https://*.rethinkportal.com/*');
  });

  it('runs the content script on the Platform look-alike and reports the invoices screen', async () => {
    const page = await env.session.context.newPage();
    await page.goto(platformUrl('/mapping/invoices'));
    await waitForScreen(env.session, page, 'platform.invoices');
    const context = await env.session.send('page.context', { tabId: await tabIdOf(env.session, page.url()) });
    expect(context.app).toBe('platform');
    expect(context.capturable).toBe(true);
    expect(context.period).toBe('2026-11');
    await page.close();
  });

  it('refuses a privileged request from a web page', async () => {
    const page = await env.session.context.newPage();
    await page.goto(platformUrl('/mapping/invoices'));
    // A page script cannot reach the extension at all; the extension's own pages can.
    const reachable = await page.evaluate(() => typeof (globalThis as unknown as { chrome?: { runtime?: { sendMessage?: unknown } } }).chrome?.runtime?.sendMessage === 'function');
    expect(reachable).toBe(false);
    await page.close();
  });

  it('renders the side panel', async () => {
    const panel = await env.session.panel();
    await panel.waitForFunction(() => (document.body?.innerText ?? '').trim().length > 0);
    await screenshot(panel, 'smoke-sidepanel');
    const settings = await env.session.send('settings.get', {});
    expect(settings.cw.hasPrivateKey).toBe(false);
    expect(JSON.stringify(settings)).not.toMatch(/privateKey"/);
  });
});
