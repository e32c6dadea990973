/**
 * The private key against a host that is not its own, over real sockets: the background service
 * wired to the real settings storage, the real backup repository (fake-indexeddb) and the real
 * ConnectWise client with Node's fetch. The home site is the local ConnectWise sandbox; the
 * stand-in foreign host answers exactly like it (same data, same keys accepted) and records every
 * Authorization header it is sent. Each path that could carry the key there — options save, a
 * draft being tested, a pull, an edited backup imported by merge or replace — must leave it with
 * none, while the same paths against the home site do authenticate (so the channel is live).
 */
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { fakeBrowser } from 'wxt/testing/fake-browser';
import { createCwPort, engine } from '../../../core/app/cw';
import type { AppPorts } from '../../../core/app/ports';
import { createBackgroundService } from '../../../core/app/service';
import type { HandlerContext } from '../../../core/protocol/router';
import { settingsPort } from '../../../core/app/storage-ports';
import { getSettings, type ReconStorage } from '../../../storage';
import { createCwApi } from '../../sandbox/cw-api';
import { closeAll, open } from '../storage/helpers';
import { DEFAULT_CREDENTIALS, sandbox, smallBundle } from '../connectwise/helpers';

const PANEL: HandlerContext = { role: 'panel' };
const servers: Server[] = [];

beforeEach(() => fakeBrowser.reset());
afterEach(async () => {
  await closeAll();
  await Promise.all(servers.splice(0).map((s) => new Promise<void>((r) => s.close(() => r()))));
});

/** A ConnectWise look-alike on its own port that remembers what it was sent. */
async function foreignHost() {
  const api = createCwApi({ bundle: smallBundle(), credentials: DEFAULT_CREDENTIALS });
  const seen: { path: string; authorization?: string }[] = [];
  const server = createServer((req: IncomingMessage, res) => {
    seen.push({ path: req.url ?? '', authorization: req.headers.authorization });
    if (!api.handle(req, res)) {
      res.writeHead(404);
      res.end();
    }
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  servers.push(server);
  const { port } = server.address() as AddressInfo;
  return { url: `http://127.0.0.1:${port}`, seen, authorizations: () => seen.filter((s) => s.authorization !== undefined) };
}

async function world() {
  const storage: ReconStorage = await open();
  const settings = getSettings();
  let ids = 0;
  const unused = () => {
    throw new Error('not used by these tests');
  };
  const ports = {
    now: () => new Date('2026-12-01T08:00:00Z'),
    newId: () => `id-${++ids}`,
    log: () => undefined,
    broadcast: () => undefined,
    tabs: { activeTabId: async () => null, url: async () => null, send: unused },
    captures: storage.captures,
    settings: settingsPort(getSettings()),
    backup: {
      exportJson: () => storage.backup.exportJson({ settings }),
      async importJson(json: string, mode: 'merge' | 'replace') {
        const preview = await storage.backup.import(JSON.parse(json), { mode, settings });
        return Object.fromEntries(Object.entries(preview.stores).map(([name, c]) => [name, c.added + c.updated]));
      },
      previewJson: (json: string, mode: 'merge' | 'replace') => storage.backup.preview(JSON.parse(json), { mode, settings }),
      clear: unused,
    },
    engine,
    cw: createCwPort({ fetch: (input, init) => fetch(input, init) }),
    hosts: { sync: async () => ({ registered: [], missing: [] }) },
    panel: { open: async () => undefined },
  } as unknown as AppPorts;
  const service = createBackgroundService(ports);
  const h = service.handlers as unknown as Record<string, (request: object, ctx: HandlerContext) => Promise<unknown>>;
  const call = <T = Record<string, unknown>>(name: string, request: object = {}) => h[name]!(request, PANEL) as Promise<T>;
  return { call, storage, settings };
}

/** Saves the home connection with its key and proves the key works there. */
async function connectedHome(w: Awaited<ReturnType<typeof world>>, home: string) {
  const { companyId, publicKey, clientId, privateKey } = DEFAULT_CREDENTIALS;
  await w.call('settings.set', { patch: { cw: { region: 'custom', customHost: home, companyId, publicKey, clientId, privateKey } } });
  expect(await w.call('cw.test', {})).toMatchObject({ ok: true });
}

describe('the private key never reaches another host', () => {
  it('options save: a new site drops the key, so test and pull send nothing there', async () => {
    const home = await sandbox();
    const foreign = await foreignHost();
    const w = await world();
    await connectedHome(w, home.url);

    const saved = await w.call<{ cw: { hasPrivateKey: boolean } }>('settings.set', { patch: { cw: { region: 'custom', customHost: foreign.url } } });
    expect(saved.cw.hasPrivateKey).toBe(false);
    expect(await w.call('cw.test', {})).toMatchObject({ ok: false, message: expect.stringMatching(/private key/) });
    await expect(w.call('cw.pull', {})).rejects.toThrow(/Set up the ConnectWise connection/);
    expect(foreign.authorizations()).toEqual([]);

    // Typing the key for the new site binds it there: now that host is the key's own.
    await w.call('settings.set', { patch: { cw: { privateKey: DEFAULT_CREDENTIALS.privateKey } } });
    expect(await w.call('cw.test', {})).toMatchObject({ ok: true });
    expect(foreign.authorizations().length).toBeGreaterThan(0);
  });

  it('test connection: a draft naming another host does not borrow the saved key', async () => {
    const home = await sandbox();
    const foreign = await foreignHost();
    const w = await world();
    await connectedHome(w, home.url);

    const result = await w.call('cw.test', { draft: { region: 'custom', customHost: foreign.url } });
    expect(result).toMatchObject({ ok: false, message: expect.stringContaining('not sent to another site') });
    expect(foreign.seen).toEqual([]);
    // The same draft pointed home still authenticates with the saved key.
    expect(await w.call('cw.test', { draft: { region: 'custom', customHost: home.url } })).toMatchObject({ ok: true });
  });

  it('pull: a connection re-pointed behind the options loses its key before any request is built', async () => {
    const home = await sandbox();
    const foreign = await foreignHost();
    const w = await world();
    await connectedHome(w, home.url);
    expect(await w.call('cw.pull', {})).toMatchObject({ kind: 'api' });
    const before = home.requests.length;
    expect(before).toBeGreaterThan(0);

    // Storage tampered behind the options' back: the connection names the foreign host, the key
    // item still holds the key. The binding check drops it before any request is built.
    const conn = await w.settings.getConnection();
    await w.settings.items.connection.setValue({ ...conn!, site: foreign.url });
    await expect(w.call('cw.pull', {})).rejects.toThrow(/Set up the ConnectWise connection/);
    expect(foreign.authorizations()).toEqual([]);
    expect(await w.settings.items.privateKey.getValue()).toBeNull();
  });

  for (const mode of ['merge', 'replace'] as const) {
    it(`import (${mode}): an exported backup edited to name another host drops the key and says so`, async () => {
      const home = await sandbox();
      const foreign = await foreignHost();
      const w = await world();
      await connectedHome(w, home.url);

      const { json } = await w.call<{ json: string }>('data.export', {});
      const edited = JSON.parse(json) as { settings: { connection: { site: string } } };
      edited.settings.connection.site = foreign.url;
      const text = JSON.stringify(edited);

      const preview = await w.call<{ connection?: { changes: { field: string; from: string | null; to: string | null }[]; keyDropped: boolean } }>(
        'data.importPreview',
        { json: text, mode },
      );
      expect(preview.connection).toEqual({ changes: [{ field: 'site', from: home.url, to: foreign.url }], keyDropped: true });

      await w.call('data.import', { json: text, mode });
      expect(await w.settings.hasPrivateKey()).toBe(false);
      expect(await w.call('cw.test', {})).toMatchObject({ ok: false });
      await expect(w.call('cw.pull', {})).rejects.toThrow(/Set up the ConnectWise connection/);
      expect(foreign.authorizations()).toEqual([]);
    });
  }
});
