import { extensionRelativePaths } from '../core/app/content-scripts';
import { browser } from 'wxt/browser';
import { defineBackground } from 'wxt/utils/define-background';
import { createCwPort, engine } from '../core/app/cw';
import { hostToMatchPattern, matchPatternToRegExp } from '../core/app/pages';
import type { AppPorts, DictionaryPort, MappingsPort, ResolutionsPort, RunsPort, SettingsPort, StoredRun } from '../core/app/ports';
import { createBackgroundService } from '../core/app/service';
import type { UndoStep } from '../core/app/undo';
import { eventEnvelope, isEventEnvelope } from '../core/protocol/client';
import { ProtocolError, type ProtocolEvent, type PublicSettings } from '../core/protocol/messages';
import { createRouter } from '../core/protocol/router';
import { BUILTIN_DICTIONARY } from '../core/dictionary';
import { getSettings, getStorage, type ReconStorage } from '../storage';
import type { MappingRecord } from '../storage/records';

/*
 * Thin wiring: real browser APIs and the storage repositories bound to the ports of
 * core/app/service.ts, and one runtime.onMessage listener that routes through the validating,
 * sender-checking router of core/protocol.
 */

const PANEL_PATHS = ['/sidepanel.html'];
const OPTIONS_PATHS = ['/options.html'];
const UNDO_KEY = 'resolutionUndo';
const CW_CLOUD = /^https:\/\/(na|eu|au|aus|za)\.myconnectwise\.net$/;

function log(message: string): void {
  console.info(`[cw-reconciler] ${message}`);
}

function toMapping(r: MappingRecord) {
  return { kind: r.kind, platform: r.platformName, cw: r.cwName, cwId: r.cwId, source: r.source, createdAt: r.createdAt, updatedAt: r.updatedAt };
}

/** A backup file's text, parsed; an unreadable file is the user's input error, not a failure. */
function backupJson(json: string): unknown {
  try {
    return JSON.parse(json);
  } catch {
    throw new ProtocolError('invalid', 'This file is not JSON, so it cannot be imported. Nothing was changed.');
  }
}

/** Exported for tests that drive the service over the real settings storage. */
export function settingsPort(): SettingsPort {
  const settings = getSettings();
  const view = async (): Promise<PublicSettings> => {
    const [prefs, connection, hasPrivateKey] = await Promise.all([settings.getPreferences(), settings.getConnection(), settings.hasPrivateKey()]);
    const site = connection?.site ?? '';
    const cloud = CW_CLOUD.exec(site.replace(/\/+$/, ''));
    const staging = /staging\.connectwisedev\.com/.test(site);
    return {
      cw: {
        region: cloud ? (cloud[1] as PublicSettings['cw']['region']) : staging ? 'staging' : site ? 'custom' : 'na',
        customHost: cloud || staging ? '' : site,
        companyId: connection?.companyId ?? '',
        publicKey: connection?.publicKey ?? '',
        clientId: connection?.clientId ?? '',
        hasPrivateKey,
      },
      reconcile: prefs.config,
      hosts: { platform: prefs.platformHosts, connectwise: prefs.cwHosts },
      inPage: { enabled: prefs.tooltips.enabled, offHosts: prefs.tooltips.offHosts },
    };
  };
  return {
    get: view,
    async patch(patch) {
      if (patch.reconcile || patch.hosts || patch.inPage) {
        const prefs = await settings.getPreferences();
        await settings.setPreferences({
          ...(patch.reconcile ? { config: patch.reconcile } : {}),
          ...(patch.hosts?.platform ? { platformHosts: patch.hosts.platform.map((h) => hostToMatchPattern(h) ?? h) } : {}),
          ...(patch.hosts?.connectwise ? { cwHosts: patch.hosts.connectwise.map((h) => hostToMatchPattern(h) ?? h) } : {}),
          ...(patch.inPage ? { tooltips: { ...prefs.tooltips, ...patch.inPage } } : {}),
        });
      }
      if (patch.cw) {
        const current = await view();
        const { privateKey, ...rest } = patch.cw;
        const next = { ...current.cw, ...rest };
        const site = next.region === 'custom' ? next.customHost.trim() : next.region === 'staging' ? 'https://staging.connectwisedev.com' : `https://${next.region}.myconnectwise.net`;
        const connection = { site, companyId: next.companyId.trim(), publicKey: next.publicKey.trim(), clientId: next.clientId.trim() };
        if (Object.values(connection).some((v) => v === '')) {
          throw new ProtocolError('invalid', 'Fill in the site, company ID, public key and client ID to save the connection.');
        }
        await settings.saveConnection(connection, privateKey === null ? '' : (privateKey ?? undefined));
      }
      return view();
    },
    privateKey: async () => (await settings.getCredentials())?.privateKey,
  };
}

function mappingsPort(store: () => Promise<ReconStorage>): MappingsPort {
  return {
    capture: async (inputs) => (await store()).mappings.capture(inputs),
    list: async (kind) => (await (await store()).mappings.list(kind)).map(toMapping),
    set: async ({ kind, platform, cw, cwId }) => toMapping(await (await store()).mappings.setUser({ kind, platformName: platform, cwName: cw, cwId })),
    remove: async (kind, platform) => (await store()).mappings.remove(kind, platform),
    conflicts: async () =>
      (await (await store()).mappings.listConflicts()).map((c) => ({
        kind: c.kind,
        side: 'platform' as const,
        name: c.user.platformName,
        candidates: [
          { name: c.user.cwName, source: 'user' as const, count: 1 },
          { name: c.captured.cwName, source: 'captured' as const, count: 1 },
        ],
      })),
    findByCw: async (kind, name) => (await (await store()).mappings.findByCw(kind, name)).map(toMapping),
  };
}

function runsPort(store: () => Promise<ReconStorage>): RunsPort {
  const fromRecord = (r: Awaited<ReturnType<ReconStorage['runs']['get']>>): StoredRun => ({
    id: r.id,
    createdAt: r.createdAt,
    report: r.report,
    captureIds: r.inputs.captureIds,
    cwSource: r.inputs.bundleSource === 'api' || r.inputs.bundleSource === 'mixed' ? r.inputs.bundleSource : 'captures',
    config: r.settings,
    ...(r.signOff ? { signOff: r.signOff } : {}),
  });
  return {
    add: async (run) => fromRecord(await (await store()).runs.add({ report: run.report, inputs: { captureIds: run.captureIds, bundleSource: run.cwSource }, settings: run.config })),
    async list(limit) {
      const runs = (await store()).runs;
      const summaries = await runs.list(limit ? { limit } : undefined);
      return Promise.all(summaries.map(async (s) => fromRecord(await runs.get(s.id))));
    },
    async get(id) {
      try {
        return fromRecord(await (await store()).runs.get(id));
      } catch {
        return undefined;
      }
    },
    remove: async (id) => (await store()).runs.remove(id),
    signOff: async (id, by, note) => fromRecord(await (await store()).runs.signOff(id, by, note)),
  };
}

function resolutionsPort(store: () => Promise<ReconStorage>): ResolutionsPort {
  type Rec = { fingerprint: string; note?: string; mark?: 'ignored' | 'fixed'; updatedAt: string };
  const view = (r: Rec | undefined) =>
    r ? { fingerprint: r.fingerprint, status: r.mark === 'fixed' ? ('resolved' as const) : r.mark === 'ignored' ? ('ignored' as const) : ('open' as const), note: r.note, updatedAt: r.updatedAt } : null;
  return {
    list: async () => (await (await store()).resolutions.list()).map((r) => view(r)!),
    get: async (finding) => view(await (await store()).resolutions.get(finding)),
    put: async (finding, state) =>
      view(
        await (await store()).resolutions.update(finding, {
          mark: state.status === 'resolved' ? 'fixed' : state.status === 'ignored' ? 'ignored' : null,
          note: state.note ?? null,
        }),
      ),
  };
}

function dictionaryPort(store: () => Promise<ReconStorage>): DictionaryPort {
  return {
    async list() {
      const builtin = BUILTIN_DICTIONARY.map((e) => ({
        id: e.id,
        platform: e.platform,
        connectwise: e.connectwise,
        kind: e.kind,
        explanation: e.explanation,
        section: e.guideSection || undefined,
        source: 'builtin' as const,
      }));
      const user = (await (await store()).dictionary.list()).map((r) => ({
        id: r.id,
        platform: r.side === 'platform' ? r.term : r.otherTerm,
        connectwise: r.side === 'platform' ? r.otherTerm : r.term,
        kind: 'field' as const,
        explanation: r.explanation,
        source: 'user' as const,
      }));
      return [...builtin, ...user];
    },
    async add(entry) {
      const r = await (await store()).dictionary.add({ term: entry.platform, otherTerm: entry.connectwise, explanation: entry.explanation, side: 'platform' });
      return { id: r.id, platform: r.term, connectwise: r.otherTerm, kind: entry.kind, explanation: r.explanation, source: 'user' };
    },
    remove: async (id) => (await store()).dictionary.remove(id),
  };
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

async function syncHostScripts(hosts: PublicSettings['hosts']): Promise<{ registered: string[]; missing: string[] }> {
  const manifest = browser.runtime.getManifest();
  const scripts = manifest.content_scripts ?? [];
  const forApp = (probe: string) => scripts.find((s) => s.matches?.some((m) => m.includes(probe)));
  const plan = [
    { id: 'custom-platform', script: forApp('rethinkportal'), patterns: hosts.platform },
    { id: 'custom-connectwise', script: forApp('myconnectwise'), patterns: hosts.connectwise },
  ];
  const registered: string[] = [];
  const missing: string[] = [];
  const existing = await browser.scripting.getRegisteredContentScripts().catch(() => []);
  const stale = existing.filter((s) => plan.some((p) => p.id === s.id)).map((s) => s.id);
  if (stale.length) await browser.scripting.unregisterContentScripts({ ids: stale });
  for (const { id, script, patterns } of plan) {
    const granted: string[] = [];
    for (const pattern of patterns.map((p) => hostToMatchPattern(p)).filter((p): p is string => p !== null)) {
      if (await browser.permissions.contains({ origins: [pattern] })) granted.push(pattern);
      else missing.push(pattern);
    }
    if (!script?.js?.length || granted.length === 0) continue;
    await browser.scripting.registerContentScripts([
      { id, matches: granted, js: extensionRelativePaths(script.js), css: extensionRelativePaths(script.css), runAt: 'document_idle', persistAcrossSessions: true },
    ]);
    registered.push(...granted);
  }
  return { registered, missing };
}

async function reinject(): Promise<void> {
  const scripts = browser.runtime.getManifest().content_scripts ?? [];
  const tabs = await browser.tabs.query({});
  const patterns = scripts.map((s) => ({ js: extensionRelativePaths(s.js), res: (s.matches ?? []).map(matchPatternToRegExp).filter((r): r is RegExp => r !== null) }));
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
    },
    captures: {
      addLines: async (input) => (await store()).captures.addLines(input),
      addBundle: async (input) => (await store()).captures.addBundle(input),
      list: async (filter) => (await store()).captures.list(filter),
      current: async (filter) => (await store()).captures.current(filter),
      remove: async (id) => (await store()).captures.remove(id),
    },
    mappings: mappingsPort(store),
    runs: runsPort(store),
    resolutions: resolutionsPort(store),
    dictionary: dictionaryPort(store),
    settings: settingsPort(),
    backup: {
      exportJson: async () => (await store()).backup.exportJson({ settings: getSettings() }),
      async importJson(json, mode, deleteUnreadable) {
        const preview = await (await store()).backup.import(backupJson(json), { mode, settings: getSettings(), deleteUnreadable });
        return Object.fromEntries(Object.entries(preview.stores).map(([name, c]) => [name, c.added + c.updated]));
      },
      previewJson: async (json, mode) => (await store()).backup.preview(backupJson(json), { mode, settings: getSettings() }),
      async clear() {
        const data = { mappings: [], captures: [], captureData: [], runs: [], resolutions: [], dictionary: [] };
        await (await store()).backup.import({ format: 'cw-reconciler/backup', version: 1, exportedAt: new Date().toISOString(), data }, { mode: 'replace' });
      },
    },
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
