/**
 * Chromium driver shared by the browser tests and the demo. It must not import vitest: `npm run
 * demo` runs it as a plain Node script, where vitest's hooks have no runner to attach to.
 *
 * Browser-test harness: the production build (`.output/chrome-mv3`) loaded into Debian's
 * Chromium, with the real host names of the Platform and ConnectWise mapped to one local TLS
 * sandbox, so the shipped match patterns and host permissions are what gets exercised.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { chromium, type BrowserContext, type Page, type Worker } from 'playwright-core';
import { parseCwBundle, parseLinesCsv } from '../../core/ingest';
import type { CwBundle, PlatformLine, ReconcileConfig } from '../../core/model';
import type { MessageType, PayloadOf, ResponseOf } from '../../core/protocol/messages';
import { startSandbox, type Sandbox } from '../sandbox/server';
import { generateCert } from '../sandbox/tls';

export const ROOT = resolve(import.meta.dirname, '../..');
export const EXTENSION_DIR = join(ROOT, '.output/chrome-mv3');
export const SCREENSHOTS = join(ROOT, 'test-results/screenshots');
export const PLATFORM_HOST = 'demo.rethinkportal.com';
export const CW_HOST = 'na.myconnectwise.net';
export const API_HOST = 'api-na.myconnectwise.net';
const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

export interface MonthData {
  lines: PlatformLine[];
  bundle: CwBundle;
  config: ReconcileConfig;
  expected: { kind: string; lineId?: string; additionId?: number; agreementId?: number; organization?: string }[];
}

/** The worked example month (DESIGN: examples/month-2026-11) with its exact expected findings. */
export function exampleMonth(dir = join(ROOT, 'tests/fixtures/examples/month-2026-11')): MonthData {
  const base = dir;
  const config = JSON.parse(readFileSync(join(base, 'config.json'), 'utf8')) as ReconcileConfig;
  const { lines } = parseLinesCsv(readFileSync(join(base, 'lines.csv'), 'utf8'), { config });
  const bundle = parseCwBundle(JSON.parse(readFileSync(join(base, 'cw.json'), 'utf8')));
  const expected = JSON.parse(readFileSync(join(base, 'expected-findings.json'), 'utf8')) as MonthData['expected'];
  return { lines, bundle, config, expected };
}

/** Builds the extension when no production build is there yet (npm test builds it first). */
export function ensureBuild(): void {
  if (existsSync(join(EXTENSION_DIR, 'manifest.json'))) return;
  const r = spawnSync('npx', ['wxt', 'build'], { cwd: ROOT, stdio: 'inherit' });
  if (r.status !== 0) throw new Error('wxt build failed');
}

export async function startTlsSandbox(data: { lines: PlatformLine[]; bundle: CwBundle }): Promise<Sandbox> {
  const tls = await generateCert([PLATFORM_HOST, CW_HOST, API_HOST, '127.0.0.1']);
  return startSandbox({ bundle: data.bundle, lines: data.lines, tls });
}

export interface ExtensionSession {
  context: BrowserContext;
  extensionId: string;
  worker: Worker;
  userDataDir: string;
  /** Opens (or reuses) the side panel page as a tab. */
  panel(): Promise<Page>;
  /** Sends a protocol request from the side panel page, as the panel itself would. */
  send<T extends MessageType>(type: T, payload: PayloadOf<T>): Promise<ResponseOf<T>>;
  close(): Promise<void>;
}

/**
 * Chromium's command line for the browser tests, the demo and the page-load benchmark: the real
 * host names mapped to the local sandbox, and the production build loaded (or every extension
 * off, for a benchmark's run without ours).
 */
export function chromiumArgs(opts: { port: number; extension: boolean; headed?: boolean; hostMap?: Record<string, number> }): string[] {
  // Further host names (another server standing in for another site) map to their own ports.
  const map = [...[PLATFORM_HOST, CW_HOST, API_HOST].map((h) => [h, opts.port] as const), ...Object.entries(opts.hostMap ?? {})]
    .map(([h, port]) => `MAP ${h} 127.0.0.1:${port}`)
    .join(', ');
  return [
    ...(opts.headed ? [] : ['--headless=new']),
    '--no-sandbox',
    '--disable-gpu',
    '--disable-dev-shm-usage',
    '--disable-background-networking',
    '--disable-component-update',
    '--disable-sync',
    '--no-first-run',
    ...(opts.extension ? [`--disable-extensions-except=${EXTENSION_DIR}`, `--load-extension=${EXTENSION_DIR}`] : ['--disable-extensions']),
    `--host-resolver-rules=${map}`,
    '--ignore-certificate-errors',
  ];
}

export async function launchExtension(opts: { port: number; userDataDir?: string; headed?: boolean; hostMap?: Record<string, number> }): Promise<ExtensionSession> {
  ensureBuild();
  const userDataDir = opts.userDataDir ?? mkdtempSync(join(tmpdir(), 'cwr-e2e-profile-'));
  const context = await chromium.launchPersistentContext(userDataDir, {
    executablePath: CHROMIUM,
    headless: false,
    viewport: { width: 1280, height: 860 },
    args: chromiumArgs({ port: opts.port, extension: true, headed: opts.headed, hostMap: opts.hostMap }),
  });
  const worker = context.serviceWorkers()[0] ?? (await context.waitForEvent('serviceworker', { timeout: 30_000 }));
  const extensionId = new URL(worker.url()).host;
  let panelPage: Page | undefined;

  const session: ExtensionSession = {
    context,
    extensionId,
    worker,
    userDataDir,
    async panel() {
      if (panelPage && !panelPage.isClosed()) return panelPage;
      panelPage = await context.newPage();
      await panelPage.goto(`chrome-extension://${extensionId}/sidepanel.html`);
      return panelPage;
    },
    async send(type, payload) {
      const page = await session.panel();
      const answer = (await page.evaluate(
        async ([t, p]) => (globalThis as unknown as { chrome: { runtime: { sendMessage(m: unknown): Promise<unknown> } } }).chrome.runtime.sendMessage({ ...(p as object), type: t }),
        [type, payload] as const,
      )) as { ok: boolean; value?: unknown; error?: { code: string; message: string } };
      if (!answer?.ok) throw new Error(`${type} failed: ${answer?.error?.code}: ${answer?.error?.message}`);
      return answer.value as ResponseOf<typeof type>;
    },
    async close() {
      await context.close();
    },
  };
  return session;
}

export function removeProfile(dir: string): void {
  rmSync(dir, { recursive: true, force: true });
}

export async function screenshot(page: Page, name: string): Promise<void> {
  mkdirSync(SCREENSHOTS, { recursive: true });
  await page.screenshot({ path: join(SCREENSHOTS, `${name}.png`), fullPage: false });
}

/** Waits for the content script of a tab to have reported its screen to the background. */
export async function waitForScreen(session: ExtensionSession, page: Page, screen: string, timeoutMs = 20_000): Promise<number> {
  const url = page.url();
  const tabId = await tabIdOf(session, url);
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const context = await session.send('page.context', { tabId });
    if (context.reachable && context.screen === screen) return tabId;
    if (Date.now() > deadline) throw new Error(`tab ${url} never reported ${screen} (last: ${JSON.stringify(context)})`);
    await page.waitForTimeout(100);
  }
}

/** The browser's tab id for a page, found by its URL from an extension page. */
export async function tabIdOf(session: ExtensionSession, url: string): Promise<number> {
  const page = await session.panel();
  const id = await page.evaluate(async (u) => {
    const tabs = await (globalThis as unknown as { chrome: { tabs: { query(q: object): Promise<{ id?: number; url?: string }[]> } } }).chrome.tabs.query({});
    return tabs.find((t) => t.url === u)?.id ?? null;
  }, url);
  if (id === null) throw new Error(`no tab shows ${url}`);
  return id;
}

export const platformUrl = (path = '/mapping/invoices', query = '') => `https://${PLATFORM_HOST}${path}${query ? `?${query}` : ''}`;
export const cwAgreementUrl = (id: number, query = '') =>
  `https://${CW_HOST}/v4_6_release/services/system_io/router/openrecord.rails?locale=en_US&companyName=sandbox&recordType=AgreementFV&recid=${id}${query ? `&${query}` : ''}`;
