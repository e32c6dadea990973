import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Sandbox } from '../sandbox/server';
import { exampleMonth, launchExtension, platformUrl, removeProfile, screenshot, startTlsSandbox, waitForScreen, type ExtensionSession } from './harness';

describe('extension smoke', () => {
  let sandbox: Sandbox;
  let session: ExtensionSession;

  beforeAll(async () => {
    sandbox = await startTlsSandbox(exampleMonth());
    session = await launchExtension({ port: sandbox.port });
  });

  afterAll(async () => {
    await session?.close();
    if (session) removeProfile(session.userDataDir);
    await sandbox?.close();
  });

  it('loads the background with the shipped manifest', async () => {
    expect(session.extensionId).toMatch(/^[a-p]{32}$/);
    const manifest = await session.worker.evaluate(() => (globalThis as unknown as { chrome: { runtime: { getManifest(): { content_scripts: { matches: string[] }[] } } } }).chrome.runtime.getManifest());
    expect(manifest.content_scripts.flatMap((c) => c.matches)).toContain('https://*.rethinkportal.com/*');
  });

  it('runs the content script on the Platform look-alike and reports the invoices screen', async () => {
    const page = await session.context.newPage();
    await page.goto(platformUrl('/mapping/invoices'));
    await waitForScreen(session, page, 'platform.invoices');
    const context = await session.send('page.context', { tabId: await (await import('./harness')).tabIdOf(session, page.url()) });
    expect(context.app).toBe('platform');
    expect(context.capturable).toBe(true);
    expect(context.period).toBe('2026-11');
    await page.close();
  });

  it('refuses a privileged request from a web page', async () => {
    const page = await session.context.newPage();
    await page.goto(platformUrl('/mapping/invoices'));
    // A page script cannot reach the extension at all; the extension's own pages can.
    const reachable = await page.evaluate(() => typeof (globalThis as unknown as { chrome?: { runtime?: { sendMessage?: unknown } } }).chrome?.runtime?.sendMessage === 'function');
    expect(reachable).toBe(false);
    await page.close();
  });

  it('renders the side panel', async () => {
    const panel = await session.panel();
    await panel.waitForFunction(() => (document.body?.innerText ?? '').trim().length > 0);
    await screenshot(panel, 'smoke-sidepanel');
    const settings = await session.send('settings.get', {});
    expect(settings.cw.hasPrivateKey).toBe(false);
    expect(JSON.stringify(settings)).not.toMatch(/privateKey"/);
  });
});
