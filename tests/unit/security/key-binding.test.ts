import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { fakeBrowser } from 'wxt/testing/fake-browser';
import { createCwClient, CwApiError } from '../../../core/connectwise';
import { defineSettings, keySiteOf } from '../../../storage/settings';
import type { CwConnection } from '../../../storage/settings';
import { closeAll, open } from '../storage/helpers';

beforeEach(() => fakeBrowser.reset());
afterEach(closeAll);

const home: CwConnection = { site: 'https://na.myconnectwise.net', companyId: 'acme', publicKey: 'PUB-1', clientId: 'client-1' };
const KEY = 'PRIVATE-bound-to-na';

describe('the private key is bound to the site it was entered for', () => {
  it('names one API origin for every spelling of a site', () => {
    expect(keySiteOf('na.myconnectwise.net')).toBe('https://api-na.myconnectwise.net');
    expect(keySiteOf('https://api-na.myconnectwise.net/v4_6_release/')).toBe('https://api-na.myconnectwise.net');
    expect(keySiteOf('https://eu.myconnectwise.net')).not.toBe(keySiteOf('na.myconnectwise.net'));
  });

  it('options save: another site without a key drops the key; the same site in another spelling keeps it', async () => {
    const settings = defineSettings();
    await settings.saveConnection(home, KEY);
    expect(await settings.saveConnection({ ...home, site: 'na.myconnectwise.net/' })).toEqual({ keyDropped: false });
    expect((await settings.getCredentials())?.privateKey).toBe(KEY);

    expect(await settings.saveConnection({ ...home, site: 'https://evil.example.com' })).toEqual({ keyDropped: true });
    expect(await settings.hasPrivateKey()).toBe(false);
    expect(await settings.getCredentials()).toBeNull();
    // Going back does not bring it back: it was deleted, not hidden.
    await settings.saveConnection(home);
    expect(await settings.getCredentials()).toBeNull();
    expect(await settings.items.privateKey.getValue()).toBeNull();
  });

  it('a key typed with a new site is bound to that site', async () => {
    const settings = defineSettings();
    await settings.saveConnection(home, KEY);
    await settings.saveConnection({ ...home, site: 'https://cw.example.com' }, 'OTHER-KEY');
    expect(await settings.getCredentials()).toMatchObject({ site: 'https://cw.example.com', privateKey: 'OTHER-KEY' });
    expect(await settings.items.keySite.getValue()).toBe('https://cw.example.com');
  });

  it('a connection changed behind the settings API (storage edited) loses its key on the next read', async () => {
    const settings = defineSettings();
    await settings.saveConnection(home, KEY);
    await settings.items.connection.setValue({ ...home, site: 'https://evil.example.com' });
    expect(await settings.getCredentials()).toBeNull();
    expect(await settings.items.privateKey.getValue()).toBeNull();
  });

  it('a key stored before keys were bound is bound to the connection it was stored with', async () => {
    await fakeBrowser.storage.local.set({ cwConnection: home, cwPrivateKey: KEY });
    const settings = defineSettings();
    expect((await settings.getCredentials())?.privateKey).toBe(KEY);
    expect(await settings.items.keySite.getValue()).toBe('https://api-na.myconnectwise.net');
    await settings.items.connection.setValue({ ...home, site: 'eu.myconnectwise.net' });
    expect(await settings.getCredentials()).toBeNull();
  });

  it('a stray key with no connection never binds itself to the next site saved or restored', async () => {
    await fakeBrowser.storage.local.set({ cwPrivateKey: KEY });
    const settings = defineSettings();
    await settings.saveConnection({ ...home, site: 'https://evil.example.com' });
    expect(await settings.getCredentials()).toBeNull();

    await fakeBrowser.storage.local.set({ cwPrivateKey: KEY });
    await settings.clearConnection();
    await fakeBrowser.storage.local.set({ cwPrivateKey: KEY });
    await settings.restore({ preferences: await settings.getPreferences(), connection: { ...home, site: 'https://evil.example.com' } });
    expect(await settings.getCredentials()).toBeNull();
  });

  it('restore: a changed site, company or public key drops the key; the client id alone keeps it', async () => {
    const settings = defineSettings();
    const preferences = await settings.getPreferences();
    for (const change of [{ site: 'https://evil.example.com' }, { companyId: 'other' }, { publicKey: 'PUB-2' }]) {
      await settings.saveConnection(home, KEY);
      const next = { ...home, ...change };
      expect(await settings.previewRestore({ preferences, connection: next })).toMatchObject({ keyDropped: true });
      expect(await settings.restore({ preferences, connection: next })).toEqual({ keyDropped: true });
      expect(await settings.getCredentials()).toBeNull();
    }
    await settings.saveConnection(home, KEY);
    expect(await settings.restore({ preferences, connection: { ...home, clientId: 'client-2' } })).toEqual({ keyDropped: false });
    expect((await settings.getCredentials())?.privateKey).toBe(KEY);
  });

  it('the import preview lists every change to the connection', async () => {
    const settings = defineSettings();
    await settings.saveConnection(home, KEY);
    const storage = await open();
    const file = JSON.parse(await storage.backup.exportJson({ settings }));
    file.settings.connection = { site: 'https://evil.example.com', companyId: 'acme2', publicKey: 'PUB-1', clientId: 'client-9' };
    for (const mode of ['merge', 'replace'] as const) {
      const preview = await storage.backup.preview(file, { mode, settings });
      expect(preview.connection).toEqual({
        changes: [
          { field: 'site', from: home.site, to: 'https://evil.example.com' },
          { field: 'companyId', from: 'acme', to: 'acme2' },
          { field: 'clientId', from: 'client-1', to: 'client-9' },
        ],
        keyDropped: true,
      });
    }
    const same = JSON.parse(await storage.backup.exportJson({ settings }));
    expect((await storage.backup.preview(same, { settings })).connection).toEqual({ changes: [], keyDropped: false });
    file.settings.connection = null;
    expect((await storage.backup.preview(file, { settings })).connection).toEqual({
      changes: [{ field: 'connection', from: home.site, to: null }],
      keyDropped: true,
    });
  });

  it('the client refuses a key bound to another site, before any request', async () => {
    let requests = 0;
    const fetch = (async () => {
      requests++;
      return new Response('[]');
    }) as typeof globalThis.fetch;
    const creds = { companyId: 'acme', publicKey: 'p', privateKey: KEY, clientId: 'c', fetch };
    let error: unknown;
    try {
      createCwClient({ ...creds, site: 'https://evil.example.com', keySite: 'na.myconnectwise.net' });
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(CwApiError);
    expect(error).toMatchObject({ code: 'KeyNotForSite' });
    expect((error as Error).message).not.toContain(KEY);
    expect(requests).toBe(0);
    // Same origin in another spelling is the key's own site.
    expect(() => createCwClient({ ...creds, site: 'https://api-na.myconnectwise.net', keySite: 'na.myconnectwise.net' })).not.toThrow();
  });
});
