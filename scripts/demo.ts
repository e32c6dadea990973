/**
 * `npm run demo`: builds the extension, serves the worked example month on local look-alikes of
 * the Platform and ConnectWise (real host names mapped to a local TLS server), and opens Chromium
 * with the extension on the Platform invoices page. Without a display (no $DISPLAY, or CI) it
 * takes the same tour headless: capture both months, capture an agreement's Additions, pull the
 * rest through the API, reconcile, and writes screenshots and the report under demo-output/.
 */
import { spawnSync } from 'node:child_process';
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import type { PanelView } from '../components/panel/model';
import {
  cwAgreementUrl,
  exampleMonth,
  EXTENSION_DIR,
  launchExtension,
  platformUrl,
  removeProfile,
  ROOT,
  startTlsSandbox,
  waitForScreen,
  type ExtensionSession,
} from '../tests/e2e/chromium';
import { linesToCsv } from '../tests/sandbox/sites/platform/export';

const OUT = join(ROOT, 'demo-output');
const headed = !!process.env.DISPLAY && !process.env.CI && !process.argv.includes('--headless');

function step(message: string): void {
  console.log(`• ${message}`);
}

function run(cmd: string, args: string[]): void {
  const r = spawnSync(cmd, args, { cwd: ROOT, stdio: 'inherit' });
  if (r.status !== 0) throw new Error(`${cmd} ${args.join(' ')} failed (exit ${r.status})`);
}

async function shoot(page: Page, name: string): Promise<void> {
  await page.screenshot({ path: join(OUT, `${name}.png`) });
  step(`screenshot demo-output/${name}.png`);
}

/** The side panel's own size in the browser (Chrome's side panel is about 360–400 px wide). */
const PANEL_VIEWPORT = { width: 380, height: 760 };

async function openPanelTab(session: ExtensionSession, view: PanelView): Promise<Page> {
  const panel = await session.panel();
  // Screenshots of the panel are taken at the width it has beside a page, not as a full tab.
  await panel.setViewportSize(PANEL_VIEWPORT);
  await panel.reload();
  await panel.waitForFunction(() => (document.body?.innerText ?? '').trim().length > 0);
  // At side-panel width some views sit in the "More" list rather than on a button of their own.
  const button = panel.getByTestId(`nav-${view}`);
  if (await button.isVisible()) await button.click();
  else await panel.getByTestId('nav-more').selectOption(view);
  await panel.locator(`[data-testid="nav-${view}"][aria-current="page"]`).waitFor({ state: 'attached' });
  await panel.bringToFront();
  return panel;
}

async function tour(session: ExtensionSession, sandboxCredentials: { companyId: string; publicKey: string; privateKey: string; clientId: string }): Promise<void> {
  const month = exampleMonth();
  step('settings: the example month\'s reconcile config and the sandbox API keys');
  await session.send('settings.set', { patch: { reconcile: month.config, cw: { region: 'na', ...sandboxCredentials } } });

  const options = await session.context.newPage();
  await options.goto(`chrome-extension://${session.extensionId}/options.html`);
  await options.waitForFunction(() => (document.body?.innerText ?? '').trim().length > 0);
  await shoot(options, '01-options');
  const test = await session.send('cw.test', {});
  step(`Test connection: ${test.ok ? 'OK' : 'FAILED'}: ${test.message}`);
  await options.close();

  const platform = await session.context.newPage();
  for (const [m, query] of [['2026-10', 'layout=virtual'], ['2026-11', 'pageSize=10']] as const) {
    await platform.goto(platformUrl('/mapping/invoices', `month=${m}&${query}`));
    await platform.bringToFront();
    const tabId = await waitForScreen(session, platform, 'platform.invoices');
    const capture = await session.send('capture.start', { tabId });
    step(`captured ${capture.rows} invoice lines of ${m} from the Platform (${capture.complete ? 'complete' : 'partial'})`);
  }
  await shoot(platform, '02-platform-invoices');
  await shoot(await openPanelTab(session, 'start'), '03-panel-start');

  const busiest = [...month.bundle.additions.reduce((map, a) => map.set(a.agreementId, (map.get(a.agreementId) ?? 0) + 1), new Map<number, number>())].sort((a, b) => b[1] - a[1])[0]![0];
  const cw = await session.context.newPage();
  await cw.goto(cwAgreementUrl(busiest));
  await cw.bringToFront();
  await cw.locator('tr.cw-ml-row').first().waitFor();
  const cwTab = await waitForScreen(session, cw, 'connectwise.additions');
  const cwCapture = await session.send('capture.start', { tabId: cwTab });
  step(`captured ${cwCapture.rows} Additions of agreement ${cwCapture.agreementName ?? busiest} from ConnectWise`);

  const pull = await session.send('cw.pull', {});
  step(`pulled ${pull.rows} Additions through the ConnectWise API (${pull.complete ? 'complete' : 'partial'})`);
  const summary = await session.send('reconcile.start', {});
  step(`reconciled ${summary.months.join(', ')}: ${summary.counts.error} errors, ${summary.counts.warn} warnings, ${summary.counts.info} notes`);

  await cw.reload();
  await cw.locator('tr.cw-ml-row').first().waitFor();
  await cw.bringToFront();
  await shoot(cw, '04-connectwise-additions');
  await shoot(await openPanelTab(session, 'results'), '05-panel-results');
  const health = await openPanelTab(session, 'health');
  // The checks answer after the view opens: the screenshot shows them, not "Checking…".
  await health.getByTestId('health-check').first().waitFor();
  await shoot(health, '06-panel-health');

  // Files handed in to the panel: the Platform's export and a bundle, previewed (then dropped,
  // so the run above stays the one reported).
  const files = await openPanelTab(session, 'start');
  const exportFile = join(OUT, 'invoice-lines-2026-11.csv');
  writeFileSync(exportFile, linesToCsv(month.lines.filter((l) => l.invoiceDate.startsWith('2026-11'))));
  await files.getByTestId('file-input').setInputFiles([exportFile, join(ROOT, 'tests/fixtures/examples/month-2026-11/cw.json')]);
  await files.getByTestId('file-preview').waitFor();
  await files.getByTestId('file-preview').scrollIntoViewIfNeeded();
  await shoot(files, '07-panel-files');
  await files.getByTestId('file-cancel').click();
  rmSync(exportFile);

  for (const format of ['json', 'csv', 'text'] as const) {
    const file = await session.send('runs.export', { runId: summary.id, format });
    const name = `report.${format === 'text' ? 'txt' : format}`;
    writeFileSync(join(OUT, name), file.text);
    step(`report written to demo-output/${name}`);
  }
  await platform.bringToFront();
}

async function main(): Promise<number> {
  step('ensuring Chromium');
  run('bash', ['scripts/ensure-chromium.sh']);
  step('building the extension (wxt build)');
  run('npx', ['wxt', 'build']);
  rmSync(OUT, { recursive: true, force: true });
  mkdirSync(OUT, { recursive: true });

  const month = exampleMonth();
  const sandbox = await startTlsSandbox(month);
  step(`sandbox on 127.0.0.1:${sandbox.port} (demo.rethinkportal.com, na.myconnectwise.net, api-na.myconnectwise.net)`);
  const session = await launchExtension({ port: sandbox.port, headed });
  step(`extension ${session.extensionId} loaded from ${EXTENSION_DIR}`);
  try {
    await tour(session, sandbox.credentials);
    if (headed) {
      step('Chromium stays open on the Platform look-alike; close the browser window to end the demo.');
      await new Promise<void>((resolve) => session.context.on('close', () => resolve()));
    }
  } finally {
    await session.close().catch(() => undefined);
    removeProfile(session.userDataDir);
    await sandbox.close();
  }
  step('demo finished');
  return 0;
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    console.error(error instanceof Error ? error.stack ?? error.message : String(error));
    process.exit(1);
  },
);
