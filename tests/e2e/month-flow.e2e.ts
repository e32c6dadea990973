import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Sandbox } from '../sandbox/server';
import {
  cwAgreementUrl,
  exampleMonth,
  launchExtension,
  platformUrl,
  removeProfile,
  screenshot,
  startTlsSandbox,
  waitForScreen,
  type ExtensionSession,
  type MonthData,
} from './harness';
import { seriousAxeViolations } from './axe';
import {
  busiestAgreement,
  configureMonth,
  expectAdditionsCapture,
  expectCsvExport,
  expectKeptAcrossRestart,
  expectPlatformCapture,
  linesOf,
  pullThroughApi,
  reconcileToExpected,
  resolveOne,
} from './scenarios';

describe('a month end in the browser: capture, pull, reconcile, resolve, survive a restart', () => {
  let sandbox: Sandbox;
  let session: ExtensionSession;
  let month: MonthData;
  let runId: string;
  let resolvedFingerprint: string;

  beforeAll(async () => {
    month = exampleMonth();
    sandbox = await startTlsSandbox(month);
    session = await launchExtension({ port: sandbox.port });
    await configureMonth(session.send, month, sandbox.credentials);
  });

  afterAll(async () => {
    await session?.close();
    if (session) removeProfile(session.userDataDir);
    await sandbox?.close();
  });

  it('keeps the private key write-only', async () => {
    const settings = await session.send('settings.get', {});
    expect(settings.cw.hasPrivateKey).toBe(true);
    expect(JSON.stringify(settings)).not.toContain(sandbox.credentials.privateKey);
  });

  it('captures the month on the Platform look-alike, walking every page', async () => {
    const page = await session.context.newPage();
    await page.goto(platformUrl('/mapping/invoices', 'month=2026-11&pageSize=10'));
    const tabId = await waitForScreen(session, page, 'platform.invoices');
    const lines = linesOf(month, '2026-11');
    const pages = Math.ceil(lines / 10);
    expect(pages).toBeGreaterThan(2);
    const progress: number[] = [];
    const panel = await session.panel();
    await panel.exposeFunction('__progress', (done: number) => progress.push(done)).catch(() => undefined);
    await panel.evaluate(() => {
      (globalThis as unknown as { chrome: { runtime: { onMessage: { addListener(f: (m: { payload?: { event?: string; progress?: { done: number } } }) => void): void } } } }).chrome.runtime.onMessage.addListener((m) => {
        if (m?.payload?.event === 'job.progress' && m.payload.progress) (globalThis as unknown as { __progress(n: number): void }).__progress(m.payload.progress.done);
      });
    });
    const capture = await session.send('capture.start', { tabId, jobId: 'capture-month' });
    expectPlatformCapture(capture, month, '2026-11');
    // One progress report per page at least, growing to every line.
    expect(progress.length).toBeGreaterThanOrEqual(pages);
    expect(Math.max(...progress)).toBe(lines);
    await screenshot(page, 'platform-invoices');
    await page.close();
  });

  it('captures the month before from the virtualised grid layout', async () => {
    // Ended subscriptions are judged against the month before, so the run needs it too.
    const page = await session.context.newPage();
    await page.goto(platformUrl('/mapping/invoices', 'month=2026-10&layout=virtual'));
    const tabId = await waitForScreen(session, page, 'platform.invoices');
    expectPlatformCapture(await session.send('capture.start', { tabId }), month, '2026-10');
    await page.close();
  });

  it("captures an agreement's Additions on the ConnectWise look-alike", async () => {
    const page = await session.context.newPage();
    await page.goto(cwAgreementUrl(busiestAgreement(month).agreementId));
    await page.locator('tr.cw-ml-row').first().waitFor();
    const tabId = await waitForScreen(session, page, 'connectwise.additions');
    expectAdditionsCapture(await session.send('capture.start', { tabId }), month);
    await screenshot(page, 'connectwise-additions');
    await page.close();
  });

  it('pulls the rest through the ConnectWise API', async () => {
    await pullThroughApi(session.send);
  });

  it('reconciles and finds exactly the seeded faults', async () => {
    runId = await reconcileToExpected(session.send, month);
  });

  it('shows the findings in the side panel', async () => {
    const panel = await session.panel();
    await panel.reload();
    const results = panel.getByRole('button', { name: /^Results/ }).or(panel.getByRole('tab', { name: /^Results/ })).first();
    await results.click();
    // The panel counts the same findings the run holds, and names the seeded lines.
    const count = month.expected.length;
    await panel.waitForFunction((n) => new RegExp(`\\b${n}\\b[^\\n]*finding`, 'i').test(document.body.innerText), count);
    await panel.waitForFunction(() => /L000\d\d/.test(document.body.innerText));
    await screenshot(panel, 'sidepanel-results');
    // Accessibility on real data, light and dark: nothing serious or critical.
    expect(await seriousAxeViolations(panel)).toEqual([]);
    await panel.locator('[data-testid="finding-row"]').first().click();
    await panel.getByTestId('finding-detail').waitFor();
    expect(await seriousAxeViolations(panel)).toEqual([]);
  });

  it('marks one finding resolved', async () => {
    resolvedFingerprint = await resolveOne(session.send, runId);
  });

  it('keeps captures, the run and the resolution across a browser restart', async () => {
    const dir = session.userDataDir;
    await session.close();
    session = await launchExtension({ port: sandbox.port, userDataDir: dir });
    await expectKeptAcrossRestart(session.send, runId, resolvedFingerprint);
  });

  it('exports the run as CSV with one row per finding', async () => {
    await expectCsvExport(session.send, runId, sandbox.credentials.privateKey);
  });

  it('tests the connection with good and bad keys', async () => {
    const good = await session.send('cw.test', {});
    expect(good.ok).toBe(true);
    const bad = await session.send('cw.test', { draft: { privateKey: 'wrong-key' } });
    expect(bad.ok).toBe(false);
    expect(bad.message).not.toContain('wrong-key');
    expect(bad.message.length).toBeGreaterThan(10);
  });

  it('shows Test connection green with the good key and red with a wrong one in the options page', async () => {
    const options = await session.context.newPage();
    const open = async () => {
      await options.goto(`chrome-extension://${session.extensionId}/options.html`);
      await options.getByTestId('test-connection').click();
      const result = options.locator('[data-testid="connection-result"]:not([data-state="testing"])');
      await result.waitFor();
      return result;
    };
    const good = await open();
    expect(await good.getAttribute('data-state')).toBe('ok');
    await screenshot(options, 'options-connection-ok');
    expect(await seriousAxeViolations(options)).toEqual([]);

    await session.send('settings.set', { patch: { cw: { privateKey: 'a-wrong-key' } } });
    const bad = await open();
    expect(await bad.getAttribute('data-state')).toBe('fail');
    expect(await bad.innerText()).toMatch(/401|refused|key/i);
    expect(await options.content()).not.toContain('a-wrong-key');
    await screenshot(options, 'options-connection-fail');

    await session.send('settings.set', { patch: { cw: { privateKey: sandbox.credentials.privateKey } } });
    await options.close();
  });
});
