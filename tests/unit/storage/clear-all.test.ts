import { openDB } from 'idb';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { fakeBrowser } from 'wxt/testing/fake-browser';
import type { PublicSettings } from '../../../core/model';
import { LATEST_VERSION, openStorage } from '../../../storage';
import { bundle, storageWorld } from '../app/storage-world';
import { closeAll, freshName, track } from './helpers';

/*
 * Clearing all data empties every IndexedDB store at once, on real IndexedDB semantics
 * (fake-indexeddb): whatever stores the schema has, nothing is left, and the database opens
 * and takes writes afterwards.
 */

beforeEach(() => fakeBrowser.reset());
afterEach(closeAll);

/** Puts one record in every store the database has, keyed however that store is keyed. */
async function fillEveryStore(name: string): Promise<string[]> {
  const db = await openDB(name);
  const names = [...db.objectStoreNames];
  const tx = db.transaction(names, 'readwrite');
  for (const store of names) {
    const keyPath = tx.objectStore(store).keyPath;
    if (typeof keyPath === 'string') await tx.objectStore(store).put({ [keyPath]: `seed-${store}` });
    else await tx.objectStore(store).put({ seed: store }, `seed-${store}`);
  }
  await tx.done;
  db.close();
  return names;
}

async function countsOf(name: string): Promise<Record<string, number>> {
  const db = await openDB(name);
  const names = [...db.objectStoreNames];
  const counts = Object.fromEntries(await Promise.all(names.map(async (n) => [n, await db.count(n)] as const)));
  db.close();
  return counts;
}

describe('clearing all data', () => {
  it('empties every store of the database, and the database opens and takes writes again', async () => {
    const name = freshName('clear');
    const storage = track(await openStorage({ name }));
    const stores = await fillEveryStore(name);
    expect(stores.length).toBeGreaterThanOrEqual(6);
    expect(Object.values(await countsOf(name)).every((n) => n === 1)).toBe(true);

    await storage.clearAll();

    expect(await countsOf(name)).toEqual(Object.fromEntries(stores.map((s) => [s, 0])));
    storage.close();

    const reopened = track(await openStorage({ name }));
    expect(await reopened.runs.list()).toEqual([]);
    expect(await reopened.mappings.list()).toEqual([]);
    const db = await openDB(name);
    expect(db.version).toBe(LATEST_VERSION);
    db.close();
    await fillEveryStore(name);
    expect(Object.values(await countsOf(name)).every((n) => n === 1)).toBe(true);
  });

  it('waits for the writes queued before it: nothing written earlier survives the clear', async () => {
    const w = await storageWorld();
    const pending = w.storage.mappings.setUser({ kind: 'organization', platform: 'Acme Ltd', cw: 'Acme' });
    const cleared = w.storage.clearAll();
    await Promise.all([pending, cleared]);
    expect(await w.call('mappings.list', {})).toEqual([]);
  });

  it('through data.clear: the stores, the undo log and nothing of the settings or the key', async () => {
    const w = await storageWorld();
    await w.call('settings.set', { patch: { cw: { region: 'eu', customHost: '', companyId: 'acme', publicKey: 'pub', clientId: 'cid', privateKey: 'secret' } } });
    await w.call('mappings.set', { kind: 'organization', platform: 'Acme Ltd', cw: 'Acme' });
    await w.call('dictionary.add', { entry: { platform: 'Invoice lines', connectwise: 'Additions', kind: 'field', explanation: 'x' } });
    await w.call('capture.start', { tabId: 3, jobId: 'cap-1' });
    await w.ports.captures.addBundle({ bundle, kind: 'api', scope: 'api', months: ['2026-11'] });
    const summary = await w.call<{ id: string }>('reconcile.start', { cwSource: 'auto' });
    const run = await w.call<{ findings: { fingerprint: string }[] }>('runs.get', { runId: summary.id });
    const fingerprint = run.findings[0]!.fingerprint;
    await w.call('resolutions.apply', { runId: summary.id, label: 'Marked resolved: 1 finding', changes: [{ fingerprint, status: 'resolved', note: 'credited' }] });
    expect(await w.call('resolutions.undoable')).toEqual({ label: 'Marked resolved: 1 finding' });

    await w.call('data.clear', { confirm: true });

    expect(await w.call('runs.list')).toEqual([]);
    expect(await w.call('resolutions.list')).toEqual([]);
    expect(await w.call('mappings.list', {})).toEqual([]);
    expect((await w.call<{ origin: string }[]>('dictionary.list')).filter((e) => e.origin === 'user')).toEqual([]);
    expect(await w.storage.captures.list({ includeDeleted: true })).toEqual([]);
    expect(await w.call('resolutions.undoable')).toEqual({ label: null });
    expect((await w.call<PublicSettings>('settings.get')).cw).toMatchObject({ region: 'eu', companyId: 'acme', hasPrivateKey: true });
    expect(await w.settings.getCredentials()).toMatchObject({ privateKey: 'secret' });
  });
});
