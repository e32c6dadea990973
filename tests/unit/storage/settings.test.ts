import { beforeEach, describe, expect, it } from 'vitest';
import { fakeBrowser } from 'wxt/testing/fake-browser';
import { DEFAULT_PREFERENCES, defineSettings } from '../../../storage/settings';
import type { CwConnection, PreferencesV1 } from '../../../storage/settings';

beforeEach(() => fakeBrowser.reset());

const connection: CwConnection = {
  site: 'https://na.myconnectwise.net',
  companyId: 'acme',
  publicKey: 'PUB-1',
  clientId: 'client-uuid',
};

describe('settings', () => {
  it('starts from defaults and saves preference patches', async () => {
    const settings = defineSettings();
    expect(await settings.getPreferences()).toEqual(DEFAULT_PREFERENCES);
    const next = await settings.setPreferences({ config: { revenue: 'unit' }, platformHosts: ['billing.example.com'] });
    expect(next).toMatchObject({ config: { revenue: 'unit' }, platformHosts: ['billing.example.com'], tooltips: { enabled: true, offHosts: [] } });
    expect(await defineSettings().getPreferences()).toEqual(next);
    await expect(settings.setPreferences({ cwHosts: [42] as never })).rejects.toThrow();
  });

  it('migrates v1 preferences (one tooltip switch) to v2 (per-site switch)', async () => {
    const v1: PreferencesV1 = { config: { defaultAgreementType: 'Cloud' }, platformHosts: ['p.example'], cwHosts: [], tooltips: false };
    await fakeBrowser.storage.local.set({ preferences: v1 });
    const settings = defineSettings();
    expect(await settings.getPreferences()).toEqual({
      config: { defaultAgreementType: 'Cloud' },
      platformHosts: ['p.example'],
      cwHosts: [],
      tooltips: { enabled: false, offHosts: [] },
    });
    expect(await fakeBrowser.storage.local.get('preferences$')).toEqual({ preferences$: { v: 2 } });
  });

  it('falls back per field when stored preferences are damaged', async () => {
    await fakeBrowser.storage.local.set({ preferences: { config: { revenue: 'sometimes' }, platformHosts: ['ok.example'], tooltips: 'yes' }, preferences$: { v: 2 } });
    expect(await defineSettings().getPreferences()).toEqual({ ...DEFAULT_PREFERENCES, platformHosts: ['ok.example'] });
  });

  it('keeps the private key in local storage only, apart from the connection', async () => {
    const settings = defineSettings();
    expect(await settings.getCredentials()).toBeNull();
    await settings.saveConnection(connection, 'SECRET');
    expect(await settings.getConnection()).toEqual(connection);
    expect(JSON.stringify(await settings.getConnection())).not.toContain('SECRET');
    expect(await settings.getCredentials()).toEqual({ ...connection, privateKey: 'SECRET' });
    expect(await settings.hasPrivateKey()).toBe(true);
    expect(await fakeBrowser.storage.sync.get(null)).toEqual({});
    expect(JSON.stringify(await settings.exportable())).not.toContain('SECRET');

    await settings.saveConnection({ ...connection, clientId: 'other' });
    expect((await settings.getCredentials())?.privateKey).toBe('SECRET');
    await settings.saveConnection(connection, '');
    expect(await settings.hasPrivateKey()).toBe(false);
    expect(await settings.getCredentials()).toBeNull();

    await settings.saveConnection(connection, 'SECRET');
    await settings.clearConnection();
    expect(await settings.getConnection()).toBeNull();
    expect(await settings.hasPrivateKey()).toBe(false);
  });

  it('restores exported settings, dropping the key when the public key changes', async () => {
    const settings = defineSettings();
    await settings.saveConnection(connection, 'SECRET');
    const snapshot = await settings.exportable();
    await settings.restore({ ...snapshot, preferences: { ...snapshot.preferences, cwHosts: ['cw.local'] } });
    expect((await settings.getPreferences()).cwHosts).toEqual(['cw.local']);
    expect(await settings.hasPrivateKey()).toBe(true);
    await settings.restore({ ...snapshot, connection: { ...connection, publicKey: 'PUB-2' } });
    expect(await settings.hasPrivateKey()).toBe(false);
    await settings.restore({ ...snapshot, connection: null });
    expect(await settings.getConnection()).toBeNull();
  });

  it('ignores a damaged stored connection', async () => {
    await fakeBrowser.storage.local.set({ cwConnection: { site: '' } });
    expect(await defineSettings().getConnection()).toBeNull();
  });
});
