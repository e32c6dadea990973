import { afterEach, describe, expect, it } from 'vitest';
import { LATEST_VERSION, openDatabase } from '../../../storage/db';
import { openStorage } from '../../../storage';
import type { StorageError } from '../../../storage';
import { asModel, DATA_STORES } from '../../../storage/records';
import { Resolution } from '../../../core/model';
import { closeAll, finding, freshName, tickingClock, track } from './helpers';

/*
 * Schema v3 stores mappings, resolutions and dictionary entries in the model's field names. A
 * database left by v2 (old names) must open at v3 with each record renamed in place: the same
 * keys, no record lost, none overwritten where it already held a different value under a new name.
 */

afterEach(closeAll);

const t = '2026-11-01T09:00:00.000Z';
const fp = (lineId: string) => `quantity_mismatch|lineId=${lineId}`;

/** A v2 database exactly as the v2 code wrote it. */
async function seedV2(name: string) {
  const db = await openDatabase(name, { version: 2 });
  expect(db.version).toBe(2);
  const mapping = (kind: 'organization' | 'offer', key: string, platformName: string, cwName: string, source: 'user' | 'captured', extra: object = {}) =>
    db.put('mappings', { id: `${kind}|${key}|${source}`, kind, key, platformName, cwName, cwKey: cwName.toLowerCase(), source, createdAt: t, updatedAt: t, ...extra });
  await mapping('organization', 'acme ltd', 'Acme Ltd', 'Acme', 'captured', { cwId: 10, acknowledgedCwKey: 'acme' });
  await mapping('organization', 'acme ltd', 'Acme Ltd', 'Acme Corporation', 'user');
  await mapping('offer', 'teams', 'Teams', 'TEAMS-ESS', 'captured');
  const resolution = (lineId: string, extra: object) =>
    db.put('resolutions', { fingerprint: fp(lineId), kind: 'quantity_mismatch', createdAt: t, updatedAt: t, ...extra });
  await resolution('L1', { mark: 'fixed', note: 'credited' });
  await resolution('L2', { mark: 'ignored' });
  await resolution('L3', { note: 'asked the customer' });
  await db.put('dictionary', { id: 'd-p', term: 'Tenant', termKey: 'tenant', otherTerm: 'Company', explanation: 'a customer', side: 'platform', createdAt: t, updatedAt: t });
  await db.put('dictionary', { id: 'd-c', term: 'Addition', termKey: 'addition', otherTerm: 'Invoice line', explanation: '', side: 'connectwise', createdAt: t, updatedAt: t });
  return db;
}

async function dump(name: string) {
  const db = await openDatabase(name);
  const out = Object.fromEntries(await Promise.all(DATA_STORES.map(async (store) => [store, await db.getAll(store)] as const)));
  const version = db.version;
  db.close();
  return { version, out };
}

describe('schema v2 → v3: records take the model’s field names', () => {
  it('renames every record in place, keys unchanged, and serves the new dictionary index', async () => {
    const name = freshName('v3');
    (await seedV2(name)).close();

    const { version, out } = await dump(name);
    expect(version).toBe(LATEST_VERSION);
    expect(out.mappings).toEqual([
      { id: 'offer|teams|captured', kind: 'offer', key: 'teams', platform: 'Teams', cw: 'TEAMS-ESS', cwKey: 'teams-ess', source: 'captured', createdAt: t, updatedAt: t },
      { id: 'organization|acme ltd|captured', kind: 'organization', key: 'acme ltd', platform: 'Acme Ltd', cw: 'Acme', cwKey: 'acme', cwId: 10, acknowledgedCwKey: 'acme', source: 'captured', createdAt: t, updatedAt: t },
      { id: 'organization|acme ltd|user', kind: 'organization', key: 'acme ltd', platform: 'Acme Ltd', cw: 'Acme Corporation', cwKey: 'acme corporation', source: 'user', createdAt: t, updatedAt: t },
    ]);
    expect(out.resolutions).toEqual([
      { fingerprint: fp('L1'), kind: 'quantity_mismatch', status: 'resolved', note: 'credited', createdAt: t, updatedAt: t },
      { fingerprint: fp('L2'), kind: 'quantity_mismatch', status: 'ignored', createdAt: t, updatedAt: t },
      { fingerprint: fp('L3'), kind: 'quantity_mismatch', status: 'open', note: 'asked the customer', createdAt: t, updatedAt: t },
    ]);
    expect(out.dictionary).toEqual([
      { id: 'd-c', kind: 'field', platform: 'Invoice line', connectwise: 'Addition', explanation: '', guideSection: '', origin: 'user', termKeys: ['invoice line', 'addition'], createdAt: t, updatedAt: t },
      { id: 'd-p', kind: 'field', platform: 'Tenant', connectwise: 'Company', explanation: 'a customer', guideSection: '', origin: 'user', termKeys: ['tenant', 'company'], createdAt: t, updatedAt: t },
    ]);

    // The repositories read them as the model has them, with nothing reported damaged.
    const problems: StorageError[] = [];
    const storage = track(await openStorage({ name, now: tickingClock().now, onCorrupt: (e) => problems.push(e) }));
    expect((await storage.mappings.get('organization', 'Acme Ltd'))?.cw).toBe('Acme Corporation');
    expect((await storage.mappings.findByCw('offer', 'teams-ess')).map((m) => m.platform)).toEqual(['Teams']);
    expect(await storage.mappings.listConflicts()).toEqual([]); // the user had kept their own over "Acme"
    expect((await storage.resolutions.get(finding({ lineId: 'L1' })))?.status).toBe('resolved');
    // Either side's term finds an entry, whichever side it was first written for.
    expect((await storage.dictionary.findByTerm('addition')).map((d) => d.id)).toEqual(['d-c']);
    expect((await storage.dictionary.findByTerm('invoice line')).map((d) => d.id)).toEqual(['d-c']);
    expect((await storage.dictionary.findByTerm('company')).map((d) => d.id)).toEqual(['d-p']);
    expect(problems).toEqual([]);
  });

  it('keeps a note longer than the panel lets anyone type whole, and reads it without a problem', async () => {
    const name = freshName('v3-long-note');
    const db = await seedV2(name);
    // Version 2 stored notes of any length: none may be cut or reported damaged for it now.
    const long = `${'Credit note 4411 agreed with finance. '.repeat(150)}End.`;
    expect(long.length).toBeGreaterThan(4000);
    await db.put('resolutions', { fingerprint: fp('L9'), kind: 'quantity_mismatch', mark: 'fixed', note: long, createdAt: t, updatedAt: t } as never);
    db.close();

    const problems: StorageError[] = [];
    const storage = track(await openStorage({ name, onCorrupt: (e) => problems.push(e) }));
    const stored = await storage.resolutions.get(finding({ lineId: 'L9' }));
    expect(stored).toMatchObject({ status: 'resolved', note: long });
    expect((await storage.resolutions.list()).find((r) => r.fingerprint === fp('L9'))?.note).toBe(long);
    // The model's shape, which the protocol's answers and the panel use, holds it as it is.
    expect(Resolution.parse(asModel(Resolution, stored!)).note).toBe(long);
    expect(problems).toEqual([]);
  });

  it('opening again changes nothing', async () => {
    const name = freshName('v3-again');
    (await seedV2(name)).close();
    const first = await dump(name);
    const storage = track(await openStorage({ name }));
    storage.close();
    const second = await dump(name);
    expect(second).toEqual(first);
  });

  it('leaves a record that already holds a different value under a new name, and reports it', async () => {
    const name = freshName('v3-clash');
    const db = await seedV2(name);
    // Both names, two values: which one is right is not the upgrade's to decide.
    const clash = { id: 'offer|zed|user', kind: 'offer', key: 'zed', platformName: 'Zed', cwName: 'Z-OLD', cw: 'Z-NEW', platform: 'Zed', cwKey: 'z-old', source: 'user', createdAt: t, updatedAt: t };
    await db.put('mappings', clash as never);
    // Damaged before the upgrade (no ConnectWise name): kept as it was.
    const damaged = { id: 'offer|half|user', kind: 'offer', key: 'half', platformName: 'Half', source: 'user', createdAt: t, updatedAt: t };
    await db.put('mappings', damaged as never);
    const before = await db.count('mappings');
    db.close();

    const problems: StorageError[] = [];
    const storage = track(await openStorage({ name, onCorrupt: (e) => problems.push(e) }));
    const raw = await openDatabase(name);
    expect(await raw.count('mappings')).toBe(before);
    expect(await raw.get('mappings', 'offer|zed|user')).toEqual(clash);
    expect(await raw.get('mappings', 'offer|half|user')).toEqual(damaged);
    raw.close();
    expect((await storage.mappings.list()).map((m) => m.platform)).toEqual(['Teams', 'Acme Ltd']);
    expect(problems.map((p) => p.message)).toEqual([
      expect.stringMatching(/mappings record "offer\|half\|user" is damaged/),
      expect.stringMatching(/mappings record "offer\|zed\|user" is damaged .*field platformName: platformName is an earlier version's field, not migrated/),
    ]);
  });
});
