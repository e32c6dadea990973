import { engine } from '../../../core/app/cw';
import type { AppPorts } from '../../../core/app/ports';
import { createBackgroundService } from '../../../core/app/service';
import { storagePorts } from '../../../core/app/storage-ports';
import type { ProtocolEvent } from '../../../core/protocol/messages';
import type { HandlerContext } from '../../../core/protocol/router';
import { getSettings, type ReconStorage } from '../../../storage';
import { open, tickingClock } from '../storage/helpers';
import { workedMonth } from '../worked-month';

/*
 * The background service over the very ports entrypoints/background.ts binds for storage
 * (core/app/storage-ports.ts), on a real IndexedDB (fake-indexeddb) and WXT's fake
 * browser.storage. Only the tabs, the ConnectWise client and the panel are stand-ins.
 */

export const { config, lines, bundle } = workedMonth();

export const PANEL: HandlerContext = { role: 'panel' };

export async function storageWorld(opts: { undoWindowMs?: number } = {}) {
  const clock = tickingClock('2026-12-01T08:00:00.000Z');
  const storage: ReconStorage = await open({ now: clock.now, undoWindowMs: opts.undoWindowMs });
  const settings = getSettings();
  await settings.setPreferences({ config });
  const events: ProtocolEvent[] = [];
  const logs: string[] = [];
  let ids = 0;
  const ports: AppPorts = {
    now: clock.now,
    newId: () => `job-${++ids}`,
    log: (m) => logs.push(m),
    broadcast: (e) => events.push(e),
    tabs: {
      activeTabId: async () => 3,
      url: async () => 'https://demo.rethinkportal.com/mapping/invoices',
      send: async () => ({ ok: true, value: { app: 'platform', url: 'https://demo.rethinkportal.com/mapping/invoices', lines, skipped: [], gridTotal: lines.length, complete: true } }),
      runInPage: async () => undefined,
    },
    ...storagePorts(async () => storage, settings),
    engine,
    cw: { pull: async () => bundle, test: async () => ({ ok: true, message: 'Connected', missingPermissions: [], checks: [] }), health: async () => [] },
    hosts: { sync: async () => ({ registered: [], missing: [] }) },
    panel: { open: async () => undefined },
  };
  const service = createBackgroundService(ports);
  const h = service.handlers as unknown as Record<string, (request: object, ctx: HandlerContext) => Promise<unknown>>;
  const call = <T = unknown>(type: string, request: object = {}, ctx: HandlerContext = PANEL) => h[type]!(request, ctx) as Promise<T>;
  return { storage, settings, ports, service, call, events, logs, clock };
}
