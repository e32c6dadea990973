/**
 * The month end in real Firefox (firefox-esr) on the production Firefox build: the options page,
 * capture on both look-alike sites, the API pull, reconcile, the sidebar, resolve, a browser
 * restart and the CSV export. Same sandbox and same scenarios as the Chromium suite.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Sandbox } from '../../sandbox/server';
import { cwAgreementUrl, exampleMonth, platformUrl, startTlsSandbox, type MonthData } from '../chromium';
import {
  busiestAgreement,
  expectAdditionsCapture,
  expectCsvExport,
  expectKeptAcrossRestart,
  expectPlatformCapture,
  linesOf,
  pullThroughApi,
  reconcileToExpected,
  resolveOne,
} from '../scenarios';
import { CUSTOM_PLATFORM_HOST, EXTENSION_ORIGIN, launchFirefox, removeProfile, seriousAxeViolations, until, waitForScreen, type FirefoxSession, type FirefoxTab } from './firefox';

/** Types into the options form the way Preact listens for it: value, then an input/change event. */
function fillInPage(fields: Record<string, string>): boolean {
  for (const [testId, value] of Object.entries(fields)) {
    const el = document.querySelector<HTMLInputElement | HTMLSelectElement>(`[data-testid="${testId}"]`);
    if (!el) throw new Error(`no field ${testId}`);
    el.value = value;
    el.dispatchEvent(new Event(el instanceof HTMLSelectElement ? 'change' : 'input', { bubbles: true }));
  }
  return true;
}

function clickInPage(testId: string): boolean {
  const el = document.querySelector<HTMLElement>(`[data-testid="${testId}"]`);
  if (!el) return false;
  el.click();
  return true;
}

/** The connection test's settled result in the options page, or null while it runs. */
function connectionResultInPage(): { state: string; text: string } | null {
  const r = document.querySelector<HTMLElement>('[data-testid="connection-result"]');
  if (!r || r.dataset.state === 'testing') return null;
  return { state: r.dataset.state ?? '', text: r.innerText };
}

describe('Firefox: a month end in the browser, from the options page to the CSV export', () => {
  let sandbox: Sandbox;
  let session: FirefoxSession;
  let month: MonthData;
  let runId: string;
  let resolvedFingerprint: string;

  beforeAll(async () => {
    month = exampleMonth();
    sandbox = await startTlsSandbox(month);
    session = await launchFirefox({ sandboxPort: sandbox.port });
  });

  afterAll(async () => {
    await session?.close();
    if (session) removeProfile(session.profileDir);
    await sandbox?.close();
  });

  it('runs the MV2 background page with the Firefox manifest', async () => {
    const page = await session.extensionPage();
    const manifest = await page.evaluate(() => {
      const b = (globalThis as unknown as { browser: { runtime: { getManifest(): Record<string, unknown> } } }).browser;
      return b.runtime.getManifest();
    });
    expect(manifest.manifest_version).toBe(2);
    expect((manifest.background as { scripts: string[] }).scripts).toEqual([`${EXTENSION_ORIGIN}/background.js`]);
    expect((manifest.background as { service_worker?: string }).service_worker ?? null).toBeNull();
    expect(manifest.optional_permissions).toEqual(expect.arrayContaining(['https://*/*']));
    expect(Object.keys(manifest.icons as object).sort()).toEqual(['128', '16', '32', '48']);
    // Firefox holds an add-on's IndexedDB to the site quota unless it asks for unlimited storage.
    expect(manifest.permissions).toContain('unlimitedStorage');
    // The background answers: it is the one that reads settings.
    const settings = await session.send('settings.get', {});
    expect(settings.cw.hasPrivateKey).toBe(false);
  });

  it('saves the connection in the options page and tests it green, then red with a wrong key', async () => {
    const options = await session.openTab(`${EXTENSION_ORIGIN}/options.html`);
    await options.waitFor(() => !!document.querySelector('[data-testid="save-options"]'), undefined, 'the options form');
    const { companyId, publicKey, privateKey, clientId } = sandbox.credentials;
    await options.evaluate(fillInPage, {
      'opt-company-id': companyId,
      'opt-public-key': publicKey,
      'opt-private-key': privateKey,
      'opt-client-id': clientId,
    });
    await options.evaluate(clickInPage, 'save-options');
    const saved = await options.waitFor(() => document.querySelector('[data-testid="options-status"]')?.textContent ?? '', undefined, 'the save status');
    expect(saved).toMatch(/saved/i);
    const settings = await session.send('settings.get', {});
    expect(settings.cw).toMatchObject({ region: 'na', companyId, publicKey, clientId, hasPrivateKey: true });
    expect(JSON.stringify(settings)).not.toContain(privateKey);

    expect(await options.evaluate(clickInPage, 'test-connection')).toBe(true);
    const good = await options.waitFor(connectionResultInPage, undefined, 'the connection test');
    expect(good.state).toBe('ok');
    await options.screenshot('options-connection-ok');
    expect(await seriousAxeViolations(session, options)).toEqual([]);

    // A wrong key typed but not saved: the test uses what the form holds.
    await options.evaluate(fillInPage, { 'opt-private-key': 'a-wrong-key' });
    await options.evaluate(clickInPage, 'test-connection');
    const bad = await options.waitFor(connectionResultInPage, undefined, 'the failing connection test');
    expect(bad.state).toBe('fail');
    expect(bad.text).toMatch(/401|refused|key/i);
    expect(await options.evaluate(() => document.body.innerHTML.includes('a-wrong-key'))).toBe(false);
    await options.screenshot('options-connection-fail');
    await options.close();

    // The reconcile settings of the worked month (the options' many fields, set in one go).
    await session.send('settings.set', { patch: { reconcile: month.config } });
  });

  it('asks Firefox for a custom Platform host on save, and holds the permission once granted', async () => {
    const origin = `https://${CUSTOM_PLATFORM_HOST}/*`;
    const granted = () => session.extensionPage().then((p) => p.evaluate((o) => (globalThis as unknown as { browser: { permissions: { contains(q: object): Promise<boolean> } } }).browser.permissions.contains({ origins: [o] }), origin));
    expect(await granted()).toBe(false);
    const options = await session.openTab(`${EXTENSION_ORIGIN}/options.html`);
    await options.waitFor(() => !!document.querySelector('[data-testid="save-options"]'), undefined, 'the options form');
    await options.evaluate(fillInPage, { 'opt-platform-hosts': origin });
    // A real click: Firefox shows a permission prompt only for a request made from user input.
    const save = await options.evaluate(() => {
      const b = document.querySelector<HTMLElement>('[data-testid="save-options"]')!;
      b.scrollIntoView({ block: 'center' });
      const r = b.getBoundingClientRect();
      return { x: r.left + r.width / 2, y: r.top + r.height / 2 };
    });
    await options.click(save.x, save.y);
    await until(
      () => session.chrome<boolean>(`return !!PopupNotifications.getNotification('addon-webext-permissions');`),
      (shown) => shown,
      'the permission prompt',
    );
    await session.chrome(`PopupNotifications.getNotification('addon-webext-permissions').mainAction.callback({});`);
    expect(await options.waitFor(() => document.querySelector('[data-testid="options-status"]')?.textContent ?? '', undefined, 'the save status')).toBe('Settings saved.');
    expect(await granted()).toBe(true);
    expect((await session.send('settings.get', {})).hosts.platform).toEqual([origin]);
    await options.close();
  });

  it('captures the month on the Platform look-alike, walking every page', async () => {
    const panel = await session.extensionPage();
    await panel.evaluate(() => {
      const w = globalThis as unknown as { browser: { runtime: { onMessage: { addListener(f: (m: { payload?: { event?: string; progress?: { done: number } } }) => void): void } } } };
      // Kept in the DOM: each evaluation runs in a fresh script sandbox, the document stays.
      const seen: number[] = [];
      w.browser.runtime.onMessage.addListener((m) => {
        if (m?.payload?.event !== 'job.progress' || !m.payload.progress) return;
        seen.push(m.payload.progress.done);
        document.documentElement.dataset.progress = JSON.stringify(seen);
      });
    });
    const page = await session.openTab(platformUrl('/mapping/invoices', 'month=2026-11&pageSize=10'));
    const tabId = await waitForScreen(session, page, 'platform.invoices');
    const pages = Math.ceil(linesOf(month, '2026-11') / 10);
    expect(pages).toBeGreaterThan(2);
    const capture = await session.send('capture.start', { tabId, jobId: 'capture-month' });
    expectPlatformCapture(capture, month, '2026-11');
    const progress = JSON.parse(await panel.evaluate(() => document.documentElement.dataset.progress ?? '[]')) as number[];
    expect(progress.length).toBeGreaterThanOrEqual(pages);
    expect(Math.max(...progress)).toBe(linesOf(month, '2026-11'));
    await page.screenshot('platform-invoices');
    await page.close();
  });

  it('captures the month before from the virtualised grid layout', async () => {
    const page = await session.openTab(platformUrl('/mapping/invoices', 'month=2026-10&layout=virtual'));
    const tabId = await waitForScreen(session, page, 'platform.invoices');
    expectPlatformCapture(await session.send('capture.start', { tabId }), month, '2026-10');
    await page.close();
  });

  it("captures an agreement's Additions on the ConnectWise look-alike", async () => {
    const page = await session.openTab(cwAgreementUrl(busiestAgreement(month).agreementId));
    await page.waitFor(() => document.querySelectorAll('tr.cw-ml-row').length > 0, undefined, 'the Additions grid');
    const tabId = await waitForScreen(session, page, 'connectwise.additions');
    expectAdditionsCapture(await session.send('capture.start', { tabId }), month);
    await page.screenshot('connectwise-additions');
    await page.close();
  });

  it('pulls the rest through the ConnectWise API', async () => {
    await pullThroughApi(session.send);
  });

  it('reconciles and finds exactly the seeded faults', async () => {
    runId = await reconcileToExpected(session.send, month);
  });

  it('shows the findings in the panel page, with nothing serious for axe in light or dark', async () => {
    const panel = await session.openTab(`${EXTENSION_ORIGIN}/sidepanel.html`);
    await panel.waitFor(() => !!document.querySelector('[data-testid="nav-results"]'), undefined, 'the panel navigation');
    await panel.evaluate(clickInPage, 'nav-results');
    const count = month.expected.length;
    await panel.waitFor((n) => new RegExp(`\\b${n}\\b[^\\n]*finding`, 'i').test(document.body.innerText), count, `${count} findings`);
    await panel.waitFor(() => /L000\d\d/.test(document.body.innerText), undefined, 'a seeded line id');
    await panel.screenshot('panel-results');
    expect(await seriousAxeViolations(session, panel)).toEqual([]);
    await panel.evaluate(() => document.querySelector<HTMLElement>('[data-testid="finding-row"]')?.click());
    await panel.waitFor(() => !!document.querySelector('[data-testid="finding-detail"]'), undefined, 'the finding detail');
    expect(await seriousAxeViolations(session, panel)).toEqual([]);
    await panel.close();
  });

  it("opens in Firefox's own sidebar: no repeated title, nothing wider than the sidebar", async () => {
    const sidebarId = `${session.addonId.replace(/[^a-z0-9_-]/gi, '_')}-sidebar-action`;
    await session.chrome(`SidebarController.show(arguments[0]);`, [sidebarId]);
    const width = await session.chrome<number>(
      `const box = document.getElementById('sidebar-box'); box.style.width = '250px'; box.style.minWidth = '250px'; box.style.maxWidth = '250px';
       return document.getElementById('sidebar').getBoundingClientRect().width;`,
    );
    expect(width).toBeLessThanOrEqual(260);
    // The sidebar's document is an extension view in the same process as the extension's tabs.
    const page = await session.extensionPage();
    await page.waitFor(
      () => {
        const b = (globalThis as unknown as { browser: { extension: { getViews(o: object): Window[] } } }).browser;
        const v = b.extension.getViews({ type: 'sidebar' })[0];
        return !!v && v.document.readyState === 'complete' && !!v.document.querySelector('[data-testid="nav-results"]');
      },
      undefined,
      'the sidebar view',
    );
    // Firefox opened the sidebar when the add-on was installed, before there was a run: reload it
    // so it starts on the run, as it would when opened now.
    await page.evaluate(() => {
      const b = (globalThis as unknown as { browser: { extension: { getViews(o: object): Window[] } } }).browser;
      const v = b.extension.getViews({ type: 'sidebar' })[0]!;
      v.document.documentElement.dataset.stale = 'yes';
      v.location.reload();
    });
    await page.waitFor(
      () => {
        const b = (globalThis as unknown as { browser: { extension: { getViews(o: object): Window[] } } }).browser;
        const d = b.extension.getViews({ type: 'sidebar' })[0]?.document;
        const fresh = d?.readyState === 'complete' && !d.documentElement.dataset.stale;
        const nav = fresh ? d.querySelector<HTMLElement>('[data-testid="nav-results"]') : null;
        nav?.click();
        return !!nav;
      },
      undefined,
      'the reloaded sidebar',
    );
    await page.waitFor(() => {
      const b = (globalThis as unknown as { browser: { extension: { getViews(o: object): Window[] } } }).browser;
      return b.extension.getViews({ type: 'sidebar' })[0]!.document.querySelectorAll('[data-testid="finding-row"]').length > 0;
    }, undefined, 'finding rows in the sidebar');
    const layout = await page.evaluate(() => {
      const b = (globalThis as unknown as { browser: { extension: { getViews(o: object): Window[] } } }).browser;
      const v = b.extension.getViews({ type: 'sidebar' })[0]!;
      const d = v.document;
      // The width content gets: the sidebar's width less its vertical scrollbar.
      const width = d.documentElement.clientWidth;
      const shown = (e: Element) => {
        const r = e.getBoundingClientRect();
        return r.width > 1 && r.height > 1 && v.getComputedStyle(e).visibility !== 'hidden';
      };
      const name = (e: Element) => `${e.tagName.toLowerCase()}.${String(e.className).trim().replace(/\s+/g, '.')}`;
      return {
        innerWidth: v.innerWidth,
        titles: Array.from(d.querySelectorAll('h1')).filter(shown).map((h) => h.textContent?.trim()),
        // Past the right edge and not inside a scroller (or clipper) that itself fits.
        wider: Array.from(d.querySelectorAll('body *'))
          .filter((e) => {
            if (!shown(e) || e.getBoundingClientRect().right <= width + 0.5) return false;
            for (let a = e.parentElement; a && a !== d.body; a = a.parentElement) {
              if (v.getComputedStyle(a).overflowX !== 'visible' && a.getBoundingClientRect().right <= width + 0.5) return false;
            }
            return true;
          })
          .map((e) => `${name(e)} ends at ${Math.round(e.getBoundingClientRect().right)} of ${width}`),
        cutShort: Array.from(d.querySelectorAll<HTMLElement>('.frow-kind, .filters select, nav button'))
          .filter((e) => shown(e) && e.scrollWidth > e.clientWidth + 1)
          .map((e) => `${name(e)} "${e.textContent?.trim().slice(0, 40)}" needs ${e.scrollWidth} of ${e.clientWidth}`),
        rows: d.querySelectorAll('[data-testid="finding-row"]').length,
      };
    });
    await session.chromeScreenshot('sidebar');
    expect(layout.innerWidth).toBeGreaterThanOrEqual(240);
    expect(layout.innerWidth).toBeLessThanOrEqual(260);
    expect(layout.rows).toBeGreaterThan(0);
    // Firefox's sidebar header already names the add-on.
    expect(layout.titles).not.toContain('CW Reconciler');
    expect(layout.wider).toEqual([]);
    expect(layout.cutShort).toEqual([]);
  });

  it('marks one finding resolved', async () => {
    resolvedFingerprint = await resolveOne(session.send, runId);
  });

  it('keeps captures, the run and the resolution across a browser restart', async () => {
    const dir = session.profileDir;
    await session.close();
    session = await launchFirefox({ sandboxPort: sandbox.port, profileDir: dir });
    await expectKeptAcrossRestart(session.send, runId, resolvedFingerprint);
  });

  it('exports the run as CSV with one row per finding', async () => {
    await expectCsvExport(session.send, runId, sandbox.credentials.privateKey);
  });
});

export type { FirefoxTab };
