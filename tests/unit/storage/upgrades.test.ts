import { openDB } from 'idb';
import { afterEach, describe, expect, it } from 'vitest';
import { LATEST_VERSION, openDatabase } from '../../../storage/db';
import type { MappingRecordV1 } from '../../../storage/db';
import { openStorage } from '../../../storage';
import type { StorageError } from '../../../storage';
import { closeAll, finding, freshName, line, report, tickingClock, track } from './helpers';

afterEach(closeAll);

const t = '2026-11-01T09:00:00.000Z';

function v1Mapping(over: Partial<MappingRecordV1> & Pick<MappingRecordV1, 'kind' | 'key' | 'platformName' | 'cwName' | 'source'>): MappingRecordV1 {
  return { id: `${over.kind}|${over.key}|${over.source}`, createdAt: t, updatedAt: t, ...over };
}

/** Creates a database at schema v1, exactly as the v1 code left it, with one record per store. */
async function seedV1(name: string) {
  const db = await openDatabase(name, { version: 1 });
  expect(db.version).toBe(1);
  expect([...db.transaction('mappings').store.indexNames]).not.toContain('byCwKey');
  await db.put('mappings', v1Mapping({ kind: 'organization', key: 'acme ltd', platformName: 'Acme Ltd', cwName: 'Acme  Corp', source: 'captured', cwId: 10 }));
  await db.put('mappings', v1Mapping({ kind: 'organization', key: 'acme ltd', platformName: 'Acme Ltd', cwName: 'ACME', source: 'user' }));
  await db.put('mappings', v1Mapping({ kind: 'offer', key: 'teams', platformName: 'Teams', cwName: 'TEAMS-ESS', source: 'captured' }));
  await db.put('captures', {
    id: 'cap-1',
    kind: 'platform-lines',
    scope: 'platform|2026-11',
    capturedAt: t,
    months: ['2026-11'],
    organizations: ['acme ltd'],
    agreementIds: [],
    count: 1,
  });
  await db.put('captureData', { id: 'cap-1', lines: [line()] });
  await db.put('runs', { id: 'run-1', createdAt: t, report: report(), inputs: { captureIds: ['cap-1'] }, settings: {} });
  await db.put('resolutions', { fingerprint: 'quantity_mismatch|lineId=L00012', kind: 'quantity_mismatch', note: 'checked', createdAt: t, updatedAt: t });
  await db.put('dictionary', { id: 'd-1', term: 'Tenant', termKey: 'tenant', otherTerm: 'Company', explanation: '', side: 'platform', createdAt: t, updatedAt: t });
  db.close();
}

describe('schema upgrades', () => {
  it('v1 → latest keeps every record, backfills cwKey and serves the new index', async () => {
    const name = freshName('upgrade');
    await seedV1(name);

    const storage = track(await openStorage({ name, now: tickingClock().now }));
    const raw = await openDatabase(name);
    expect(raw.version).toBe(LATEST_VERSION);
    expect([...raw.transaction('mappings').store.indexNames]).toContain('byCwKey');
    expect(await raw.get('mappings', 'organization|acme ltd|captured')).toEqual({
      id: 'organization|acme ltd|captured',
      kind: 'organization',
      key: 'acme ltd',
      platform: 'Acme Ltd',
      cw: 'Acme  Corp',
      cwKey: 'acme corp',
      cwId: 10,
      source: 'captured',
      createdAt: t,
      updatedAt: t,
    });
    raw.close();

    expect((await storage.mappings.findByCw('offer', 'teams-ess')).map((m) => m.platform)).toEqual(['Teams']);
    expect((await storage.mappings.findByCw('organization', 'acme')).map((m) => m.source)).toEqual(['user']);
    expect(await storage.mappings.listConflicts()).toHaveLength(1);
    expect((await storage.captures.get('cap-1')).lines).toEqual([line()]);
    expect((await storage.captures.list()).map((c) => [c.id, c.current])).toEqual([['cap-1', true]]);
    expect((await storage.runs.get('run-1')).inputs.captureIds).toEqual(['cap-1']);
    expect((await storage.resolutions.get(finding()))?.note).toBe('checked');
    expect((await storage.dictionary.findByTerm('tenant')).map((d) => d.id)).toEqual(['d-1']);

    // New writes after the upgrade use the new index too.
    await storage.mappings.setUser({ kind: 'contract', platform: 'C-1', cw: 'Cloud Monthly' });
    expect(await storage.mappings.findByCw('contract', 'cloud monthly')).toHaveLength(1);
  });

  it('leaves a damaged v1 record in place through the upgrade and reports it', async () => {
    const name = freshName('upgrade-damaged');
    const db = await openDatabase(name, { version: 1 });
    await db.put('mappings', { id: 'organization|x|captured', kind: 'organization', key: 'x', source: 'captured' } as never);
    db.close();

    const problems: StorageError[] = [];
    const storage = track(await openStorage({ name, onCorrupt: (e) => problems.push(e) }));
    expect(await storage.mappings.list()).toEqual([]);
    expect(problems[0]?.code).toBe('corrupt');
    expect(problems[0]?.message).toMatch(/mappings record "organization\|x\|captured".*platform/);
    const raw = await openDatabase(name);
    expect(await raw.get('mappings', 'organization|x|captured')).toMatchObject({ key: 'x' });
    raw.close();
  });

  it('refuses to open a database written by a newer version, without touching it', async () => {
    const name = freshName('newer');
    const future = await openDB(name, LATEST_VERSION + 1, {
      upgrade(db) {
        db.createObjectStore('mappings', { keyPath: 'id' }).put({ id: 'keep-me' });
      },
    });
    future.close();
    await expect(openStorage({ name })).rejects.toMatchObject({ code: 'version', message: /newer version/ });
    const again = await openDB(name);
    expect(again.version).toBe(LATEST_VERSION + 1);
    expect(await again.get('mappings', 'keep-me')).toEqual({ id: 'keep-me' });
    again.close();
  });

  it('reports a blocked upgrade while an old tab holds v1 open, and upgrades once it closes', async () => {
    const name = freshName('blocked');
    await seedV1(name);
    // An old tab that ignores versionchange: plain idb, no `blocking` handler.
    const oldTab = await openDB(name, 1);
    await expect(openStorage({ name })).rejects.toMatchObject({ code: 'blocked', message: /another tab/ });
    expect(await oldTab.get('runs', 'run-1')).toMatchObject({ id: 'run-1' });
    oldTab.close();

    const storage = track(await openStorage({ name }));
    expect((await storage.runs.get('run-1')).id).toBe('run-1');
    expect(await storage.mappings.findByCw('organization', 'acme corp')).toHaveLength(0); // the user mapping wins
    expect((await storage.mappings.get('organization', 'Acme Ltd'))?.cwKey).toBe('acme');
  });

  it('steps aside when a newer version opens elsewhere, then refuses work with a clear message', async () => {
    const name = freshName('newer-elsewhere');
    const reasons: string[] = [];
    const storage = track(await openStorage({ name, onClosed: (reason) => reasons.push(reason) }));
    await storage.dictionary.add({ platform: 'Tenant', connectwise: 'Company' });
    const newer = await openDB(name, LATEST_VERSION + 1);
    expect(reasons).toEqual(['newer-version']);
    await expect(storage.dictionary.list()).rejects.toMatchObject({ code: 'closed', message: /newer version .* reload this page/ });
    expect(await newer.count('dictionary')).toBe(1);
    newer.close();
  });

  it('closes an old connection that is in the way of an upgrade, and says so', async () => {
    const name = freshName('blocking');
    const reasons: string[] = [];
    const old = await openDatabase(name, { version: 1, onClosed: (reason) => reasons.push(reason) });
    const storage = track(await openStorage({ name }));
    expect(reasons).toEqual(['newer-version']);
    expect(await storage.mappings.list()).toEqual([]);
    old.close();
  });
});
