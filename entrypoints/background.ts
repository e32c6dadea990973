import { extensionRelativePaths, scriptsFor, type ManifestContentScript } from '../core/app/content-scripts';
import { browser } from 'wxt/browser';
import { defineBackground } from 'wxt/utils/define-background';
import { createCwPort, engine } from '../core/app/cw';
import { hostToMatchPattern, matchPatternToRegExp } from '../core/app/pages';
import type { AppPorts } from '../core/app/ports';
import { createBackgroundService } from '../core/app/service';
import { storagePorts } from '../core/app/storage-ports';
import type { UndoStep } from '../core/app/undo';
import { eventEnvelope, isEventEnvelope } from '../core/protocol/client';
import type { ProtocolEvent } from '../core/protocol/messages';
import type { PublicSettings } from '../core/model';
import { createRouter } from '../core/protocol/router';
import { getSettings, getStorage } from '../storage';

/*
 * Thin wiring: real browser APIs and the storage repositories (core/app/storage-ports.ts) bound
 * to the ports of core/app/service, and one runtime.onMessage listener that routes through the
 * validating, sender-checking router of core/protocol.
 */

const PANEL_PATHS = ['/sidepanel.html'];
const OPTIONS_PATHS = ['/options.html'];
const UNDO_KEY = 'resolutionUndo';

function log(message: string): void {
  console.info(`[cw-reconciler] ${message}`);
}

async function activeTabId(): Promise<number | null> {
  // The side panel has no tab of its own; when the panel page is opened as a tab (tests), the
  // page the user means is the web page they looked at last.
  const tabs = await browser.tabs.query({});
  const web = tabs.filter((t) => t.id !== undefined && /^https?:/.test(t.url ?? ''));
  const focused = await browser.windows.getLastFocused().catch(() => undefined);
  const front = web.find((t) => t.active && t.windowId === focused?.id);
  if (front) return front.id!;
  const recent = web.sort((a, b) => (b.lastAccessed ?? 0) - (a.lastAccessed ?? 0))[0];
  return recent?.id ?? null;
}

type RunAt = 'document_start' | 'document_end' | 'document_idle';

async function syncHostScripts(hosts: PublicSettings['hosts']): Promise<{ registered: string[]; missing: string[] }> {
  const entries = (browser.runtime.getManifest().content_scripts ?? []) as ManifestContentScript[];
  const forApp = (probe: string) => scriptsFor(entries, (matches) => matches.some((m) => m.includes(probe)));
  const plan = [
    { id: 'custom-platform', script: forApp('rethinkportal'), patterns: hosts.platform },
    { id: 'custom-connectwise', script: forApp('myconnectwise'), patterns: hosts.connectwise },
  ];
  // A custom host gets what the manifest gives the app's own hosts, CSS and scripts each at its
  // own time (the CSS gets an id of its own when that time differs).
  const ids = plan.flatMap((p) => [p.id, `${p.id}-css`]);
  const registered: string[] = [];
  const missing: string[] = [];
  const existing = await browser.scripting.getRegisteredContentScripts().catch(() => []);
  const stale = existing.filter((s) => ids.includes(s.id)).map((s) => s.id);
  if (stale.length) await browser.scripting.unregisterContentScripts({ ids: stale });
  for (const { id, script, patterns } of plan) {
    const granted: string[] = [];
    for (const pattern of patterns.map((p) => hostToMatchPattern(p)).filter((p): p is string => p !== null)) {
      if (await browser.permissions.contains({ origins: [pattern] })) granted.push(pattern);
      else missing.push(pattern);
    }
    if (!script.js.length || granted.length === 0) continue;
    const together = script.cssRunAt === script.jsRunAt;
    await browser.scripting.registerContentScripts([
      { id, matches: granted, js: script.js, ...(together ? { css: script.css } : {}), runAt: script.jsRunAt as RunAt, persistAcrossSessions: true },
      ...(!together && script.css.length ? [{ id: `${id}-css`, matches: granted, css: script.css, runAt: script.cssRunAt as RunAt, persistAcrossSessions: true }] : []),
    ]);
    registered.push(...granted);
  }
  return { registered, missing };
}

async function reinject(): Promise<void> {
  const scripts = browser.runtime.getManifest().content_scripts ?? [];
  const tabs = await browser.tabs.query({});
  // Only the entries with scripts: the Firefox build's CSS has entries of its own.
  const patterns = scripts.filter((s) => s.js?.length).map((s) => ({ js: extensionRelativePaths(s.js), res: (s.matches ?? []).map(matchPatternToRegExp).filter((r): r is RegExp => r !== null) }));
  for (const tab of tabs) {
    const script = patterns.find((p) => p.res.some((re) => re.test(tab.url ?? '')));
    if (tab.id === undefined || !script?.js.length) continue;
    // The manifest's own paths; WXT types `files` as its public-path union, which these are.
    const execute = browser.scripting.executeScript as unknown as (o: { target: { tabId: number }; files: string[] }) => Promise<unknown>;
    await execute({ target: { tabId: tab.id }, files: script.js }).catch(() => undefined);
  }
}

export default defineBackground(() => {
  const store = () => getStorage();
  // Filled right after the ports exist; broadcast only runs once it is.
  const late: { service?: ReturnType<typeof createBackgroundService> } = {};

  const broadcast = (event: ProtocolEvent) => {
    const envelope = eventEnvelope(event);
    // No page open is the normal case, not an error.
    browser.runtime.sendMessage(envelope).catch(() => undefined);
    if (event.event === 'data.changed' || event.event === 'panel.focus') {
      void browser.tabs.query({}).then((tabs) => {
        for (const tab of tabs) {
          if (tab.id !== undefined && tab.url && late.service?.appOf(tab.url)) browser.tabs.sendMessage(tab.id, envelope).catch(() => undefined);
        }
      });
    }
  };

  const ports: AppPorts = {
    now: () => new Date(),
    newId: () => crypto.randomUUID(),
    log,
    broadcast,
    tabs: {
      activeTabId,
      url: async (tabId) => (await browser.tabs.get(tabId).catch(() => undefined))?.url ?? null,
      send: (tabId, message) => browser.tabs.sendMessage(tabId, message, { frameId: 0 }),
      // entrypoints/inpage.ts, fetched only when the page's loader asks for it.
      runInPage: async (tabId, frameId) => {
        await browser.scripting.executeScript({ target: { tabId, frameIds: [frameId] }, files: ['/inpage.js'] });
      },
    },
    ...storagePorts(store, getSettings()),
    engine,
    cw: createCwPort({ fetch: (input, init) => fetch(input, init) }),
    hosts: { sync: syncHostScripts },
    // Undo steps outlive the service worker: kept beside the settings in extension storage.
    undo: {
      async load() {
        const got = await browser.storage.local.get(UNDO_KEY);
        const steps = got[UNDO_KEY];
        return Array.isArray(steps) ? (steps as UndoStep[]) : [];
      },
      save: (steps) => browser.storage.local.set({ [UNDO_KEY]: steps }),
    },
    panel: {
      async open(tabId) {
        if (browser.sidePanel?.open && tabId !== undefined) await browser.sidePanel.open({ tabId });
        else await (browser as unknown as { sidebarAction?: { open(): Promise<void> } }).sidebarAction?.open();
      },
    },
  };

  const app = createBackgroundService(ports);
  late.service = app;
  void app.refreshHosts().catch((e: unknown) => log(`reading settings failed: ${String(e)}`));
  // Old runs and expired deleted captures are cleared out on every start, as after every run.
  void app.housekeep();

  const route = createRouter(
    app.handlers,
    { extensionId: browser.runtime.id, extensionOrigin: new URL(browser.runtime.getURL('/')).origin, pages: { panel: PANEL_PATHS, options: OPTIONS_PATHS } },
    log,
  );

  browser.runtime.onMessage.addListener((message: unknown, sender) => {
    if (isEventEnvelope(message)) return undefined;
    const type = typeof message === 'object' && message !== null ? (message as { type?: unknown }).type : undefined;
    // Messages meant for content scripts or another page are not ours to answer.
    if (typeof type === 'string' && type.startsWith('content.')) return undefined;
    if (typeof type !== 'string') return undefined;
    return route(message, sender);
  });

  // Chrome opens the side panel from the toolbar button; Firefox toggles its sidebar.
  if (browser.sidePanel?.setPanelBehavior) {
    void browser.sidePanel.setPanelBehavior({ openPanelOnActionClick: true }).catch((e: unknown) => log(String(e)));
  } else {
    const sidebar = (browser as unknown as { sidebarAction?: { toggle(): Promise<void> } }).sidebarAction;
    const action = browser.action ?? (browser as unknown as { browserAction?: typeof browser.action }).browserAction;
    action?.onClicked.addListener(() => void sidebar?.toggle());
  }

  browser.tabs.onActivated.addListener(({ tabId }) => void app.tabChanged(tabId));
  browser.tabs.onUpdated.addListener((tabId, change) => {
    if (change.url) void app.tabChanged(tabId);
  });
  browser.tabs.onRemoved.addListener((tabId) => app.tabClosed(tabId));
  // After an install, update or reload, open tabs still run the old (now orphaned) content
  // script or none; inject the new one so the panel works there without a page reload. WXT's
  // context makes the orphaned copy stand down, so nothing runs twice.
  browser.runtime.onInstalled.addListener(() => {
    void reinject().catch((e: unknown) => log(`re-injecting content scripts failed: ${String(e)}`));
  });
  browser.permissions.onAdded.addListener(() => {
    void ports.settings.get().then((s) => syncHostScripts(s.hosts)).catch((e: unknown) => log(`registering content scripts failed: ${String(e)}`));
  });
});
