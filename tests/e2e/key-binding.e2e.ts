/**
 * The private key is bound to the site it was entered for (DESIGN §6), in the browser: the
 * production build in Chromium, the home site the local ConnectWise sandbox (`na`), and a second
 * local server standing in for a foreign host under real host names — another cloud region
 * (`eu`, inside the shipped host permissions) and an on-premise-style custom host (answering CORS
 * preflights as an attacker's host would, so the extension could reach it). The stand-in answers
 * like ConnectWise and records every request. Each path that could carry the key there — options
 * save with a changed site, Test connection on an unsaved draft, a pull, a backup edited to name
 * another site and imported by merge or replace — must leave it without any Authorization, while
 * the same calls at home authenticate, and a key typed for the stand-in does reach it (so the
 * channel to it is live).
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { createServer } from 'node:https';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createCwApi, DEFAULT_CREDENTIALS } from '../sandbox/cw-api';
import type { Sandbox } from '../sandbox/server';
import { generateCert } from '../sandbox/tls';
import { exampleMonth, launchExtension, removeProfile, startTlsSandbox, type ExtensionSession } from './harness';

const FOREIGN_REGION_WEB = 'eu.myconnectwise.net';
const FOREIGN_REGION_API = 'api-eu.myconnectwise.net';
const FOREIGN_CUSTOM = 'cw.foreign-partner.test';

interface Seen {
  host: string;
  method: string;
  path: string;
  authorization?: string;
}

/** A ConnectWise look-alike on its own TLS port that remembers every request it was sent. */
async function foreignHost(month: ReturnType<typeof exampleMonth>) {
  const api = createCwApi({ bundle: month.bundle, credentials: DEFAULT_CREDENTIALS });
  const seen: Seen[] = [];
  const tls = await generateCert([FOREIGN_REGION_WEB, FOREIGN_REGION_API, FOREIGN_CUSTOM, '127.0.0.1']);
  const server = createServer(tls, (req: IncomingMessage, res: ServerResponse) => {
    seen.push({ host: String(req.headers.host ?? ''), method: req.method ?? '', path: req.url ?? '', ...(req.headers.authorization ? { authorization: req.headers.authorization } : {}) });
    res.setHeader('Access-Control-Allow-Origin', String(req.headers.origin ?? '*'));
    res.setHeader('Access-Control-Allow-Headers', String(req.headers['access-control-request-headers'] ?? '*'));
    res.setHeader('Access-Control-Allow-Methods', 'GET, POST, OPTIONS');
    if (req.method === 'OPTIONS') {
      res.writeHead(204);
      res.end();
      return;
    }
    if (!api.handle(req, res)) {
      res.writeHead(404);
      res.end();
    }
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  const { port } = server.address() as AddressInfo;
  return {
    port,
    seen,
    /** Requests that carried an Authorization header (the key's only vehicle). */
    authorizations: () => seen.filter((s) => s.authorization !== undefined),
    close: () => new Promise<void>((r) => server.close(() => r())),
  };
}

describe('the private key never reaches another host, in the browser', () => {
  const month = exampleMonth();
  let sandbox: Sandbox;
  let foreign: Awaited<ReturnType<typeof foreignHost>>;
  let session: ExtensionSession;
  const { companyId, publicKey, clientId, privateKey } = DEFAULT_CREDENTIALS;

  beforeAll(async () => {
    sandbox = await startTlsSandbox(month);
    foreign = await foreignHost(month);
    const hostMap = Object.fromEntries([FOREIGN_REGION_WEB, FOREIGN_REGION_API, FOREIGN_CUSTOM].map((h) => [h, foreign.port]));
    session = await launchExtension({ port: sandbox.port, hostMap });
  }, 180_000);
  afterAll(async () => {
    await session?.close();
    if (session) removeProfile(session.userDataDir);
    await foreign?.close();
    await sandbox?.close();
  });

  /** Saves the home connection with its key and proves the key works there. */
  beforeEach(async () => {
    const saved = await session.send('settings.set', { patch: { cw: { region: 'na', companyId, publicKey, clientId, privateKey } } });
    expect(saved.cw.hasPrivateKey).toBe(true);
    expect(await session.send('cw.test', {})).toMatchObject({ ok: true });
  });

  it('options save: a new site drops the key, so Test connection and a pull send nothing there', async () => {
    const saved = await session.send('settings.set', { patch: { cw: { region: 'eu' } } });
    expect(saved.cw.hasPrivateKey).toBe(false);
    expect(await session.send('cw.test', {})).toMatchObject({ ok: false, message: expect.stringMatching(/private key/i) });
    await expect(session.send('cw.pull', { jobId: 'save-pull' })).rejects.toThrow(/Set up the ConnectWise connection/);
    expect(foreign.authorizations()).toEqual([]);
  });

  it('Test connection: an unsaved draft naming another custom host or region does not borrow the saved key', async () => {
    const custom = await session.send('cw.test', { draft: { region: 'custom', customHost: `https://${FOREIGN_CUSTOM}` } });
    expect(custom).toMatchObject({ ok: false, message: expect.stringContaining('not sent to another site') });
    const region = await session.send('cw.test', { draft: { region: 'eu' } });
    expect(region).toMatchObject({ ok: false });
    expect(foreign.authorizations()).toEqual([]);
    // The saved connection is untouched by a draft, and still authenticates at home.
    expect((await session.send('settings.get', {})).cw.hasPrivateKey).toBe(true);
    expect(await session.send('cw.test', { draft: { region: 'na' } })).toMatchObject({ ok: true });
  });

  it('pull: a connection re-pointed behind the options\' back loses its key before any request is built', async () => {
    const pulled = await session.send('cw.pull', { jobId: 'home-pull' });
    expect(pulled.complete).toBe(true);
    const page = await session.panel();
    // Storage edited directly (as another extension page or a tampered profile could): the
    // connection names the foreign host while the key item still holds the home key.
    await page.evaluate(async (site) => {
      const local = (globalThis as unknown as { chrome: { storage: { local: { get(k: string): Promise<Record<string, { site?: string }>>; set(v: object): Promise<void> } } } }).chrome.storage.local;
      const { cwConnection } = await local.get('cwConnection');
      await local.set({ cwConnection: { ...cwConnection, site } });
    }, `https://${FOREIGN_CUSTOM}`);
    await expect(session.send('cw.pull', { jobId: 'tampered-pull' })).rejects.toThrow(/Set up the ConnectWise connection/);
    expect(foreign.authorizations()).toEqual([]);
    expect((await session.send('settings.get', {})).cw.hasPrivateKey).toBe(false);
  });

  for (const [mode, site] of [
    ['merge', FOREIGN_REGION_WEB],
    ['replace', `https://${FOREIGN_CUSTOM}`],
  ] as const) {
    it(`backup import (${mode}): an export edited to name ${site} drops the key, the preview says so, nothing reaches it`, async () => {
      const { json } = await session.send('data.export', {});
      expect(json).not.toContain(privateKey);
      const edited = JSON.parse(json) as { settings: { connection: { site: string } } };
      const home = edited.settings.connection.site;
      edited.settings.connection.site = site;
      const text = JSON.stringify(edited);

      const preview = await session.send('data.importPreview', { json: text, mode });
      expect(preview.connection).toEqual({ changes: [{ field: 'site', from: home, to: site }], keyDropped: true });
      await session.send('data.import', { json: text, mode, deleteUnreadable: false });
      expect((await session.send('settings.get', {})).cw.hasPrivateKey).toBe(false);
      expect(await session.send('cw.test', {})).toMatchObject({ ok: false });
      await expect(session.send('cw.pull', { jobId: `import-${mode}` })).rejects.toThrow(/Set up the ConnectWise connection/);
      expect(foreign.authorizations()).toEqual([]);
    });
  }

  it('the stand-in is reachable: a key typed for it, and only then, reaches it on both host names', async () => {
    expect(foreign.authorizations()).toEqual([]);
    const typed = await session.send('cw.test', { draft: { region: 'custom', customHost: `https://${FOREIGN_CUSTOM}`, companyId, publicKey, clientId, privateKey } });
    expect(typed).toMatchObject({ ok: true });
    await session.send('settings.set', { patch: { cw: { region: 'eu', privateKey } } });
    expect(await session.send('cw.test', {})).toMatchObject({ ok: true });
    const hosts = new Set(foreign.authorizations().map((s) => s.host.replace(/:\d+$/, '')));
    expect(hosts).toEqual(new Set([FOREIGN_CUSTOM, FOREIGN_REGION_API]));
  });
});
