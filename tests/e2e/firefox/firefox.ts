/**
 * Firefox driver for the browser tests: the production Firefox build (`.output/firefox-mv2`)
 * installed as a temporary add-on in Debian's firefox-esr, driven over Marionette.
 *
 * Firefox has no `--host-resolver-rules`, so the real host names reach the local TLS sandbox
 * through a CONNECT proxy set in the profile: the shipped match patterns and permissions are what
 * is exercised, as in Chromium. The add-on's internal UUID is fixed by a profile pref, so its
 * pages have known `moz-extension://` addresses; extension pages are opened from the browser's
 * chrome context, where Marionette may open any address.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { connect, createServer as createNetServer, type AddressInfo, type Socket } from 'node:net';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { MessageType, PayloadOf, ResponseOf } from '../../../core/protocol/messages';
import { API_HOST, CW_HOST, PLATFORM_HOST, ROOT, SCREENSHOTS } from '../chromium';
import { Marionette } from './marionette';

export const FIREFOX_BUILD = join(ROOT, '.output/firefox-mv2');
const FIREFOX = process.env.FIREFOX_PATH ?? '/usr/bin/firefox-esr';
/** Any fixed UUID: the add-on's pages then live at a known origin, the same after a restart. */
export const EXTENSION_UUID = '5d1b6c2e-8f3a-4c7b-9e21-0a4f6d2c8b17';
export const EXTENSION_ORIGIN = `moz-extension://${EXTENSION_UUID}`;
/** A Platform on a custom domain (white-label portals), reached only through optional permissions. */
export const CUSTOM_PLATFORM_HOST = 'portal.example.com';

function geckoId(dir: string): string {
  const manifest = JSON.parse(readFileSync(join(dir, 'manifest.json'), 'utf8')) as { browser_specific_settings?: { gecko?: { id?: string } } };
  const id = manifest.browser_specific_settings?.gecko?.id;
  if (!id) throw new Error(`${dir}/manifest.json names no gecko id`);
  return id;
}

/** Builds the Firefox extension when no production build is there yet (npm test builds it first). */
export function ensureFirefoxBuild(): void {
  if (existsSync(join(FIREFOX_BUILD, 'manifest.json'))) return;
  const r = spawnSync('npx', ['wxt', 'build', '-b', 'firefox'], { cwd: ROOT, stdio: 'inherit' });
  if (r.status !== 0) throw new Error('wxt build -b firefox failed');
}

/**
 * An HTTP proxy that tunnels CONNECT requests for the sandboxed host names to the sandbox's port
 * and refuses everything else, so nothing the browser tries reaches the network.
 */
export interface TunnelProxy {
  port: number;
  /** Host names the browser asked for and was refused (for diagnosing a failure). */
  refused: string[];
  close(): Promise<void>;
}

export async function startTunnelProxy(targetPort: number, hosts: string[] = [PLATFORM_HOST, CW_HOST, API_HOST, CUSTOM_PLATFORM_HOST]): Promise<TunnelProxy> {
  const refused: string[] = [];
  const sockets = new Set<Socket>();
  const server: Server = createServer((req, res) => {
    // Plain-http requests through the proxy: nothing in the tests needs one.
    refused.push(req.url ?? '');
    res.writeHead(403, { 'Content-Type': 'text/plain' });
    res.end('The test proxy only tunnels the sandboxed hosts.');
  });
  server.on('connection', (s: Socket) => {
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
  });
  server.on('connect', (req, client: Socket, head: Buffer) => {
    const [host, port] = (req.url ?? '').split(':');
    if (!host || !hosts.includes(host) || (port !== undefined && port !== '443')) {
      refused.push(req.url ?? '');
      client.end('HTTP/1.1 403 Forbidden\r\n\r\n');
      return;
    }
    const upstream = connect(targetPort, '127.0.0.1', () => {
      client.write('HTTP/1.1 200 Connection Established\r\n\r\n');
      if (head.length) upstream.write(head);
      upstream.pipe(client);
      client.pipe(upstream);
    });
    sockets.add(upstream);
    upstream.on('close', () => sockets.delete(upstream));
    upstream.on('error', () => client.destroy());
    client.on('error', () => upstream.destroy());
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    port: (server.address() as AddressInfo).port,
    refused,
    close: () =>
      new Promise<void>((resolve) => {
        for (const s of sockets) s.destroy();
        server.close(() => resolve());
      }),
  };
}

async function freePort(): Promise<number> {
  const s = createNetServer();
  await new Promise<void>((resolve) => s.listen(0, '127.0.0.1', resolve));
  const port = (s.address() as AddressInfo).port;
  await new Promise<void>((resolve) => s.close(() => resolve()));
  return port;
}

/** Profile prefs: Marionette, the fixed add-on UUID, the proxy, and no first-run or network chatter. */
function writeProfile(dir: string, opts: { marionettePort: number; proxyPort: number; addonId: string }): void {
  const prefs: Record<string, string | number | boolean> = {
    'marionette.port': opts.marionettePort,
    'extensions.webextensions.uuids': JSON.stringify({ [opts.addonId]: EXTENSION_UUID }),
    // A temporary add-on is uninstalled when Firefox quits; its data must outlive that, as a
    // signed add-on's would, for the restart test to mean anything.
    'extensions.webextensions.keepStorageOnUninstall': true,
    'extensions.webextensions.keepUuidOnUninstall': true,
    'network.proxy.type': 1,
    'network.proxy.ssl': '127.0.0.1',
    'network.proxy.ssl_port': opts.proxyPort,
    'network.proxy.http': '127.0.0.1',
    'network.proxy.http_port': opts.proxyPort,
    'network.proxy.share_proxy_settings': false,
    'network.proxy.no_proxies_on': '',
    'network.proxy.allow_hijacking_localhost': true,
    'network.dns.disablePrefetch': true,
    'network.prefetch-next': false,
    'network.http.speculative-parallel-limit': 0,
    'network.captive-portal-service.enabled': false,
    'network.connectivity-service.enabled': false,
    'browser.shell.checkDefaultBrowser': false,
    'browser.startup.homepage_override.mstone': 'ignore',
    'browser.startup.page': 0,
    'browser.startup.homepage': 'about:blank',
    'startup.homepage_welcome_url': 'about:blank',
    'startup.homepage_welcome_url.additional': '',
    'browser.newtabpage.enabled': false,
    'browser.aboutwelcome.enabled': false,
    'browser.tabs.warnOnClose': false,
    'browser.warnOnQuit': false,
    'browser.sessionstore.resume_from_crash': false,
    'browser.sessionstore.max_resumed_crashes': 0,
    'browser.safebrowsing.malware.enabled': false,
    'browser.safebrowsing.phishing.enabled': false,
    'browser.safebrowsing.downloads.enabled': false,
    'browser.safebrowsing.blockedURIs.enabled': false,
    'browser.search.update': false,
    'browser.ping-centre.telemetry': false,
    'browser.discovery.enabled': false,
    'browser.region.network.url': '',
    'browser.region.update.enabled': false,
    'app.update.enabled': false,
    'app.update.auto': false,
    'app.update.disabledForTesting': true,
    'app.normandy.enabled': false,
    'app.shield.optoutstudies.enabled': false,
    'datareporting.policy.dataSubmissionEnabled': false,
    'datareporting.healthreport.uploadEnabled': false,
    'toolkit.telemetry.enabled': false,
    'toolkit.telemetry.unified': false,
    'toolkit.telemetry.server': '',
    'toolkit.startup.max_resumed_crashes': -1,
    'extensions.update.enabled': false,
    'extensions.getAddons.cache.enabled': false,
    'extensions.blocklist.enabled': false,
    'extensions.systemAddon.update.enabled': false,
    'extensions.autoDisableScopes': 0,
    'extensions.enabledScopes': 5,
    'services.settings.server': 'data:,',
    'remote.prefs.recommended': true,
    'security.certerrors.mitm.priming.enabled': false,
    'privacy.trackingprotection.enabled': false,
    'media.gmp-manager.updateEnabled': false,
    'dom.disable_open_during_load': false,
    'ui.prefersReducedMotion': 1,
  };
  const lines = Object.entries(prefs).map(([k, v]) => `user_pref(${JSON.stringify(k)}, ${JSON.stringify(v)});`);
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, 'user.js'), `${lines.join('\n')}\n`);
}

export interface FirefoxTab {
  /** Marionette's window handle for the tab. */
  handle: string;
  /** Runs `fn(arg)` in the tab's page (promises awaited) and returns its JSON-able result. */
  evaluate<R, A = undefined>(fn: (arg: A) => R | Promise<R>, arg?: A): Promise<R>;
  navigate(url: string): Promise<void>;
  url(): Promise<string>;
  /** Moves the mouse pointer to a point of the tab's viewport. */
  mouseTo(x: number, y: number): Promise<void>;
  click(x: number, y: number): Promise<void>;
  /**
   * A real mouse click on the centre of the `index`th element `selector` finds, scrolled into
   * view first; with `shift`, the Shift key is held through the click. Fails when there is none.
   */
  clickOn(selector: string, opts?: { index?: number; shift?: boolean }): Promise<void>;
  /** Real key presses to whatever has the focus: characters, or WebDriver key codes (`KEYS`). */
  press(...keys: string[]): Promise<void>;
  /** Chooses files in a file input (`selector`), as the browser's file picker would. */
  setFiles(selector: string, paths: string[]): Promise<void>;
  screenshot(name: string): Promise<void>;
  /** Polls `fn(arg)` in the page until it returns a truthy value, which it returns. */
  waitFor<R, A = undefined>(fn: (arg: A) => R | Promise<R>, arg?: A, what?: string, timeoutMs?: number): Promise<NonNullable<R>>;
  close(): Promise<void>;
}

export interface FirefoxSession {
  marionette: Marionette;
  profileDir: string;
  addonId: string;
  /** The extension page used to talk to the background, opened in a tab on first use. */
  extensionPage(): Promise<FirefoxTab>;
  send<T extends MessageType>(type: T, payload: PayloadOf<T>): Promise<ResponseOf<T>>;
  /** Opens `url` in a new tab (extension pages through the chrome context) and selects it. */
  openTab(url: string): Promise<FirefoxTab>;
  /** The browser's tab handles now (to tell a tab a page opens by itself from those before). */
  handles(): Promise<string[]>;
  /** Waits for a tab that is not among `before` (a page opened it) and answers it. */
  newTab(before: string[], what: string): Promise<FirefoxTab>;
  /**
   * Sizes the window so `tab`'s viewport is `width` × `height` CSS pixels: the sidebar closed and
   * the browser's own minimum window width lifted (Firefox keeps windows at least 500 px wide).
   * Answers the viewport the page then reports.
   */
  sizeViewport(tab: FirefoxTab, width: number, height: number): Promise<{ width: number; height: number }>;
  /** Saves a screenshot of the whole browser window, sidebar included. */
  chromeScreenshot(name: string): Promise<void>;
  /** Runs a function body in the browser's chrome context (privileged). */
  chrome<R>(body: string, args?: unknown[]): Promise<R>;
  close(): Promise<void>;
}

export interface LaunchOptions {
  sandboxPort: number;
  /** Reuse a profile (the restart test); a fresh one in the temp dir otherwise. */
  profileDir?: string;
  /** Install the build (the default); false for the same browser without it, as a benchmark's baseline. */
  extension?: boolean;
  /** Another build to install instead of `.output/firefox-mv2` (a benchmark comparing two). */
  build?: string;
}

const running = new Set<ChildProcess>();
/** Firefox runs in its own process group (content processes included): kill the group. */
function killGroup(child: ChildProcess): void {
  try {
    process.kill(-child.pid!, 'SIGKILL');
  } catch {
    child.kill('SIGKILL');
  }
}
// A test runner that ends or is stopped mid-suite must not leave Firefox behind.
process.once('exit', () => running.forEach(killGroup));
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, () => {
    running.forEach(killGroup);
    process.exit(130);
  });
}

function sleep(ms: number): Promise<void> {
  return new Promise((r) => setTimeout(r, ms));
}

/** WebDriver's codes for keys that type no character. */
export const KEYS = { escape: '\uE00C', shift: '\uE008', tab: '\uE004', enter: '\uE007' } as const;

export async function launchFirefox(opts: LaunchOptions): Promise<FirefoxSession> {
  const build = opts.build ?? FIREFOX_BUILD;
  if (!opts.build) ensureFirefoxBuild();
  else if (!existsSync(join(build, 'manifest.json'))) throw new Error(`no Firefox build in ${build}`);
  const profileDir = opts.profileDir ?? mkdtempSync(join(tmpdir(), 'cwr-firefox-profile-'));
  // A copy of the build: another build writing .output while a suite runs must not change what
  // the browser has loaded, and the restart test reinstalls the very same files.
  const addonDir = join(profileDir, 'addon-under-test');
  if (!existsSync(join(addonDir, 'manifest.json'))) cpSync(build, addonDir, { recursive: true });
  const addonId = geckoId(addonDir);
  const proxy = await startTunnelProxy(opts.sandboxPort);
  const marionettePort = await freePort();
  writeProfile(profileDir, { marionettePort, proxyPort: proxy.port, addonId });

  const child = spawn(FIREFOX, ['--headless', '--marionette', '-remote-allow-system-access', '--no-remote', '--profile', profileDir], {
    stdio: ['ignore', 'pipe', 'pipe'],
    env: { ...process.env, MOZ_HEADLESS: '1', MOZ_CRASHREPORTER_DISABLE: '1', MOZ_DISABLE_AUTO_SAFE_MODE: '1' },
    detached: true,
  });
  running.add(child);
  const output: string[] = [];
  const keep = (b: Buffer) => {
    output.push(b.toString());
    if (output.length > 200) output.shift();
  };
  child.stdout?.on('data', keep);
  child.stderr?.on('data', keep);
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  child.once('exit', () => running.delete(child));

  let marionette: Marionette | undefined;
  const kill = async () => {
    marionette?.close();
    if (child.exitCode === null && child.signalCode === null) {
      killGroup(child);
      await Promise.race([exited, sleep(10_000)]);
    }
    await proxy.close();
  };

  try {
    marionette = await Marionette.connect(marionettePort, 90_000);
    await marionette.send('WebDriver:NewSession', { acceptInsecureCerts: true, 'moz:webdriverClick': true });
    await marionette.send('WebDriver:SetTimeouts', { script: 60_000, pageLoad: 60_000, implicit: 0 });
    if (opts.extension !== false) await marionette.send('Addon:Install', { path: addonDir, temporary: true });
  } catch (err) {
    await kill();
    throw new Error(`Firefox did not start: ${(err as Error).message}\n${output.join('').slice(-3000)}`);
  }
  const m = marionette;

  let context: 'content' | 'chrome' = 'content';
  const setContext = async (value: 'content' | 'chrome') => {
    if (context === value) return;
    await m.send('Marionette:SetContext', { value });
    context = value;
  };
  let current = '';
  const select = async (handle: string) => {
    await setContext('content');
    if (current === handle) return;
    await m.send('WebDriver:SwitchToWindow', { handle, focus: true });
    current = handle;
  };
  const chrome = async <R>(body: string, args: unknown[] = []): Promise<R> => {
    await setContext('chrome');
    const r = await m.send<{ value: R }>('WebDriver:ExecuteScript', { script: body, args });
    return r.value;
  };
  const handles = async () => {
    await setContext('content');
    return m.send<string[]>('WebDriver:GetWindowHandles');
  };

  const tabOf = (handle: string): FirefoxTab => {
    const tab: FirefoxTab = {
      handle,
      async evaluate<R, A>(fn: (arg: A) => R | Promise<R>, arg?: A) {
        await select(handle);
        const script = `return (${fn.toString()})(arguments[0]);`;
        const r = await m.send<{ value: R }>('WebDriver:ExecuteScript', { script, args: [arg ?? null] });
        return r.value;
      },
      async navigate(url) {
        await select(handle);
        await m.send('WebDriver:Navigate', { url });
      },
      async url() {
        await select(handle);
        return (await m.send<{ value: string }>('WebDriver:GetCurrentURL')).value;
      },
      async mouseTo(x, y) {
        await select(handle);
        await m.send('WebDriver:PerformActions', {
          actions: [{ type: 'pointer', id: 'mouse', parameters: { pointerType: 'mouse' }, actions: [{ type: 'pointerMove', x: Math.round(x), y: Math.round(y), origin: 'viewport', duration: 50 }] }],
        });
      },
      async click(x, y) {
        await select(handle);
        await m.send('WebDriver:PerformActions', {
          actions: [
            {
              type: 'pointer',
              id: 'mouse',
              parameters: { pointerType: 'mouse' },
              actions: [
                { type: 'pointerMove', x: Math.round(x), y: Math.round(y), origin: 'viewport', duration: 0 },
                { type: 'pointerDown', button: 0 },
                { type: 'pointerUp', button: 0 },
              ],
            },
          ],
        });
      },
      async clickOn(selector, opts = {}) {
        const at = await tab.evaluate(
          ([sel, index]) => {
            const el = document.querySelectorAll<HTMLElement>(sel)[index];
            if (!el) return null;
            el.scrollIntoView({ block: 'nearest', inline: 'nearest' });
            const r = el.getBoundingClientRect();
            return { x: r.left + r.width / 2, y: r.top + r.height / 2 };
          },
          [selector, opts.index ?? 0] as const,
        );
        if (!at) throw new Error(`no element ${selector} number ${opts.index ?? 0} to click`);
        const pointer = [
          { type: 'pointerMove', x: Math.round(at.x), y: Math.round(at.y), origin: 'viewport', duration: 0 },
          { type: 'pointerDown', button: 0 },
          { type: 'pointerUp', button: 0 },
        ];
        const actions: object[] = [];
        if (opts.shift) {
          // One tick per action: Shift goes down before the pointer moves and up after it is released.
          actions.push({ type: 'key', id: 'keyboard', actions: [{ type: 'keyDown', value: KEYS.shift }, { type: 'pause' }, { type: 'pause' }, { type: 'pause' }, { type: 'keyUp', value: KEYS.shift }] });
          actions.push({ type: 'pointer', id: 'mouse', parameters: { pointerType: 'mouse' }, actions: [{ type: 'pause' }, ...pointer, { type: 'pause' }] });
        } else {
          actions.push({ type: 'pointer', id: 'mouse', parameters: { pointerType: 'mouse' }, actions: pointer });
        }
        await m.send('WebDriver:PerformActions', { actions });
        await m.send('WebDriver:ReleaseActions');
      },
      async press(...keys) {
        await select(handle);
        // A string of several characters types them one after another.
        const actions = keys.flatMap((k) => [...k].flatMap((c) => [{ type: 'keyDown', value: c }, { type: 'keyUp', value: c }]));
        await m.send('WebDriver:PerformActions', { actions: [{ type: 'key', id: 'keyboard', actions }] });
        await m.send('WebDriver:ReleaseActions');
      },
      async setFiles(selector, paths) {
        await select(handle);
        const found = await m.send<{ value: Record<string, string> }>('WebDriver:FindElement', { using: 'css selector', value: selector });
        const id = Object.values(found.value)[0];
        // Several files go as one text, a path a line, as WebDriver's file upload takes them.
        await m.send('WebDriver:ElementSendKeys', { id, text: paths.join('\n') });
      },
      async screenshot(name) {
        await select(handle);
        const r = await m.send<{ value: string }>('WebDriver:TakeScreenshot', { full: false });
        mkdirSync(SCREENSHOTS, { recursive: true });
        writeFileSync(join(SCREENSHOTS, `firefox-${name}.png`), Buffer.from(r.value, 'base64'));
      },
      async waitFor<R, A>(fn: (arg: A) => R | Promise<R>, arg?: A, what = 'condition', timeoutMs = 20_000) {
        const deadline = Date.now() + timeoutMs;
        let last: unknown;
        for (;;) {
          try {
            const v = await tab.evaluate(fn, arg as A);
            if (v) return v as NonNullable<R>;
            last = v;
          } catch (err) {
            last = err;
          }
          if (Date.now() > deadline) throw new Error(`timed out waiting for ${what} (last: ${String(last)})`);
          await sleep(100);
        }
      },
      async close() {
        await select(handle);
        await m.send('WebDriver:CloseWindow');
        current = '';
        const left = await handles();
        if (left[0]) await select(left[0]);
      },
    };
    return tab;
  };

  const openTab = async (url: string): Promise<FirefoxTab> => {
    const before = new Set(await handles());
    if (url.startsWith('moz-extension:')) {
      // Content-context navigation to an extension page is refused; the chrome context may.
      await chrome(
        `const tab = gBrowser.addTab(arguments[0], { triggeringPrincipal: Services.scriptSecurityManager.getSystemPrincipal() });
         gBrowser.selectedTab = tab;`,
        [url],
      );
    } else {
      await setContext('content');
      await m.send('WebDriver:NewWindow', { type: 'tab', focus: true });
    }
    let handle: string | undefined;
    const deadline = Date.now() + 30_000;
    while (!handle) {
      handle = (await handles()).find((h) => !before.has(h));
      if (!handle && Date.now() > deadline) throw new Error(`no new tab appeared for ${url}`);
      if (!handle) await sleep(100);
    }
    const tab = tabOf(handle);
    if (url.startsWith('moz-extension:')) await tab.waitFor(() => document.readyState === 'complete', undefined, `${url} to load`, 30_000);
    else await tab.navigate(url);
    return tab;
  };

  let extPage: FirefoxTab | undefined;
  const session: FirefoxSession = {
    handles,
    async newTab(before, what) {
      const known = new Set(before);
      const handle = await until(async () => (await handles()).find((h) => !known.has(h)), (h) => !!h, what);
      const tab = tabOf(handle!);
      await tab.waitFor(() => document.readyState === 'complete', undefined, `${what} to load`, 30_000);
      return tab;
    },
    async sizeViewport(tab, width, height) {
      await chrome(`SidebarController.hide(); document.documentElement.style.minWidth = '0px';`);
      await select(tab.handle);
      const rect = await m.send<{ width: number; height: number }>('WebDriver:GetWindowRect');
      const inner = await tab.evaluate(() => ({ width: innerWidth, height: innerHeight }));
      // The browser's own toolbars and borders take the difference between window and viewport.
      await m.send('WebDriver:SetWindowRect', { width: width + rect.width - inner.width, height: height + rect.height - inner.height });
      return tab.evaluate(() => ({ width: innerWidth, height: innerHeight }));
    },
    marionette: m,
    profileDir,
    addonId,
    async extensionPage() {
      if (extPage && (await handles()).includes(extPage.handle)) return extPage;
      extPage = await openTab(`${EXTENSION_ORIGIN}/sidepanel.html`);
      return extPage;
    },
    async send(type, payload) {
      const page = await session.extensionPage();
      const answer = (await page.evaluate(
        async ([t, p]) => (globalThis as unknown as { browser: { runtime: { sendMessage(m: unknown): Promise<unknown> } } }).browser.runtime.sendMessage({ ...(p as object), type: t }),
        [type, payload] as const,
      )) as { ok: boolean; value?: unknown; error?: { code: string; message: string } };
      if (!answer?.ok) throw new Error(`${type} failed: ${answer?.error?.code}: ${answer?.error?.message}`);
      return answer.value as ResponseOf<typeof type>;
    },
    openTab,
    chrome,
    async chromeScreenshot(name) {
      await setContext('chrome');
      const r = await m.send<{ value: string }>('WebDriver:TakeScreenshot', { full: false });
      mkdirSync(SCREENSHOTS, { recursive: true });
      writeFileSync(join(SCREENSHOTS, `firefox-${name}.png`), Buffer.from(r.value, 'base64'));
    },
    async close() {
      try {
        await Promise.race([m.send('Marionette:Quit', { flags: ['eAttemptQuit'] }), sleep(15_000)]);
        await Promise.race([exited, sleep(20_000)]);
      } catch {
        // Quitting drops the connection; the kill below makes sure the process is gone.
      }
      await kill();
    },
  };
  // The background page registers its listener a moment after the add-on installs.
  const deadline = Date.now() + 60_000;
  for (; opts.extension !== false; ) {
    try {
      await session.send('settings.get', {});
      break;
    } catch (err) {
      if (Date.now() > deadline) {
        await session.close();
        throw new Error(`the background never answered: ${(err as Error).message}`);
      }
      await sleep(250);
    }
  }
  return session;
}

export function removeProfile(dir: string): void {
  rmSync(dir, { recursive: true, force: true });
}

/** Polls `get` until `ok` holds for its value, which it returns; the last value names a timeout. */
export async function until<T>(get: () => Promise<T>, ok: (v: T) => boolean, what: string, timeoutMs = 20_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const v = await get();
    if (ok(v)) return v;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what} (last: ${JSON.stringify(v)})`);
    await sleep(150);
  }
}

/** The browser's tab id for a tab, found by its URL from the extension page. */
export async function tabIdOf(session: FirefoxSession, tab: FirefoxTab): Promise<number> {
  const url = await tab.url();
  const page = await session.extensionPage();
  const id = await page.evaluate(async (u) => {
    const tabs = await (globalThis as unknown as { browser: { tabs: { query(q: object): Promise<{ id?: number; url?: string }[]> } } }).browser.tabs.query({});
    return tabs.find((t) => t.url === u)?.id ?? null;
  }, url);
  if (id === null) throw new Error(`no tab shows ${url}`);
  return id;
}

/** Waits for the content script of a tab to have reported its screen to the background. */
export async function waitForScreen(session: FirefoxSession, tab: FirefoxTab, screen: string, timeoutMs = 30_000): Promise<number> {
  const tabId = await tabIdOf(session, tab);
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const context = await session.send('page.context', { tabId });
    if (context.reachable && context.screen === screen) return tabId;
    if (Date.now() > deadline) throw new Error(`tab ${tabId} never reported ${screen} (last: ${JSON.stringify(context)})`);
    await sleep(150);
  }
}

const axeSource = readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');
const COLOR_SCHEME_PREF = 'layout.css.prefers-color-scheme.content-override';

/**
 * axe-core in a tab, in light and in dark colour scheme: the serious and critical violations.
 * Marionette evaluates in a sandbox, so an extension page's CSP does not stand in the way.
 */
export async function seriousAxeViolations(session: FirefoxSession, tab: FirefoxTab): Promise<string[]> {
  const problems: string[] = [];
  for (const [scheme, value] of [['light', 1], ['dark', 0]] as const) {
    await session.chrome(`Services.prefs.setIntPref(arguments[0], arguments[1]);`, [COLOR_SCHEME_PREF, value]);
    await tab.waitFor((s) => matchMedia(`(prefers-color-scheme: ${s})`).matches, scheme, `${scheme} colour scheme`);
    await select(session, tab);
    const found = await session.marionette.send<{ value: string[] }>('WebDriver:ExecuteScript', {
      script: `${axeSource}
        return axe.run(document, { resultTypes: ['violations'] }).then((r) => r.violations
          .filter((v) => v.impact === 'serious' || v.impact === 'critical')
          .map((v) => v.id + ': ' + v.help + ' ' + v.nodes.map((n) => String(n.target)).join(' | ')));`,
      args: [],
    });
    problems.push(...found.value.map((p) => `${scheme}: ${p}`));
  }
  await session.chrome(`Services.prefs.clearUserPref(arguments[0]);`, [COLOR_SCHEME_PREF]);
  return problems;
}

/** Makes `tab` Marionette's current content tab (a cheap evaluate does the switching). */
async function select(_session: FirefoxSession, tab: FirefoxTab): Promise<void> {
  await tab.evaluate(() => true);
}
