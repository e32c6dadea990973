import { beforeEach, afterEach, describe, expect, it } from 'vitest';
import { fakeBrowser } from 'wxt/testing/fake-browser';
import { BACKUP_FORMAT, BACKUP_VERSION, defineSettings, openStorage } from '../../../storage';
import type { ReconStorage, StorageError } from '../../../storage';
import { openDatabase } from '../../../storage/db';
import { bundle, closeAll, finding, freshName, line, open, report, tickingClock, track } from './helpers';

beforeEach(() => fakeBrowser.reset());
afterEach(closeAll);

/** A database with something in every store, including a conflict and a soft-deleted capture. */
async function populate(storage: ReconStorage) {
  await storage.mappings.capture([
    { kind: 'organization', platform: 'Acme Ltd', cw: 'Acme', cwId: 10 },
    { kind: 'offer', platform: 'Teams', cw: 'TEAMS-ESS' },
  ]);
  await storage.mappings.setUser({ kind: 'organization', platform: 'Acme Ltd', cw: 'Acme Corporation' });
  const lines = await storage.captures.addLines({ lines: [line({ lineId: 'L1' }), line({ lineId: 'L2', quantity: 2 })], url: 'grid' });
  await storage.captures.addLines({ lines: [line({ lineId: 'L3' })] });
  const deleted = await storage.captures.addBundle({ bundle: bundle([3001]), months: ['2026-11'] });
  await storage.captures.remove(deleted.id);
  await storage.captures.addBundle({ bundle: bundle([3001, 3002]) });
  await storage.runs.add({ report: report([finding(), finding({ lineId: 'L2' })]), inputs: { captureIds: [lines.id] }, settings: { revenue: 'total' } });
  await storage.resolutions.update(finding(), { note: 'called them', status: 'ignored' });
  await storage.dictionary.add({ platform: 'Tenant', connectwise: 'Company', explanation: 'customer' });
}

async function snapshot(storage: ReconStorage) {
  return (await storage.backup.export()).backup.data;
}

function quotaAfter(puts: number) {
  let seen = 0;
  return {
    beforeWrite() {
      seen += 1;
      if (seen > puts) throw new DOMException('The quota has been exceeded.', 'QuotaExceededError');
    },
  };
}

describe('backup export and import', () => {
  it('round-trips every store into an equal database', async () => {
    const source = await open();
    await populate(source);
    const json = await source.backup.exportJson();
    expect(JSON.parse(json)).toMatchObject({ format: BACKUP_FORMAT, version: BACKUP_VERSION });

    const target = await open();
    const preview = await target.backup.import(json, { mode: 'replace' });
    expect(preview.stores.mappings).toEqual({ added: 3, updated: 0, unchanged: 0, removed: 0 });
    expect(preview.stores.captures.added).toBe(4);

    expect(await snapshot(target)).toEqual(await snapshot(source));
    // The repositories see the same things, not only the raw records.
    expect(await target.mappings.listConflicts()).toEqual(await source.mappings.listConflicts());
    expect(await target.captures.list({ includeDeleted: true })).toEqual(await source.captures.list({ includeDeleted: true }));
    expect(await target.runs.list()).toEqual(await source.runs.list());
    expect(await target.resolutions.get(finding())).toMatchObject({ note: 'called them', status: 'ignored' });
  });

  it('previews without changing anything, then merges or replaces as previewed', async () => {
    const source = await open();
    await populate(source);
    const file = (await source.backup.export()).backup;

    const target = await open();
    await target.dictionary.add({ platform: 'X', connectwise: 'Local only' });
    await target.resolutions.update(finding(), { note: 'different note' });
    const before = await snapshot(target);

    const merge = await target.backup.preview(file);
    expect(merge.mode).toBe('merge');
    expect(merge.stores.dictionary).toEqual({ added: 1, updated: 0, unchanged: 0, removed: 0 });
    expect(merge.stores.resolutions).toEqual({ added: 0, updated: 1, unchanged: 0, removed: 0 });
    const replace = await target.backup.preview(file, { mode: 'replace' });
    expect(replace.stores.dictionary).toEqual({ added: 1, updated: 0, unchanged: 0, removed: 1 });
    expect(await snapshot(target)).toEqual(before);

    expect(await target.backup.import(file)).toEqual(merge);
    expect((await target.dictionary.list()).map((d) => d.platform)).toEqual(['Tenant', 'X']);
    expect((await target.resolutions.get(finding()))?.note).toBe('called them');

    const again = await target.backup.preview(file);
    expect(again.stores.runs).toEqual({ added: 0, updated: 0, unchanged: 1, removed: 0 });
    const replaceNow = await target.backup.preview(file, { mode: 'replace' });
    expect(replaceNow.stores.dictionary).toEqual({ added: 0, updated: 0, unchanged: 1, removed: 1 });
    expect(await target.backup.import(file, { mode: 'replace' })).toEqual(replaceNow);
    expect((await target.dictionary.list()).map((d) => d.platform)).toEqual(['Tenant']);
  });

  it.each([
    ['text that is not JSON', '{"format": ', /not valid JSON/],
    ['JSON of something else', JSON.stringify({ hello: 'world' }), /not a CW Reconciler backup/],
    ['a bad version field', JSON.stringify({ format: BACKUP_FORMAT, version: 'one' }), /field version holds "one"/],
  ])('rejects %s and changes nothing', async (_label, text, message) => {
    const storage = await open();
    await populate(storage);
    const before = await snapshot(storage);
    await expect(storage.backup.preview(text)).rejects.toMatchObject({ code: 'invalid-import', message });
    await expect(storage.backup.import(text, { mode: 'replace' })).rejects.toMatchObject({ code: 'invalid-import', message });
    expect(await snapshot(storage)).toEqual(before);
  });

  it('rejects a record that fails validation, naming the field and value', async () => {
    const storage = await open();
    await populate(storage);
    const before = await snapshot(storage);
    const file = (await storage.backup.export()).backup;
    const broken = structuredClone(file) as { data: { mappings: { source: string }[] } };
    broken.data.mappings[1]!.source = 'robot';
    await expect(storage.backup.import(JSON.stringify(broken), { mode: 'replace' })).rejects.toMatchObject({
      code: 'invalid-import',
      message: /field data\.mappings\[1\]\.source holds "robot"/,
    });
    const orphanRows = structuredClone(file);
    orphanRows.data.captures = orphanRows.data.captures.slice(1);
    await expect(storage.backup.import(orphanRows)).rejects.toMatchObject({ message: /captureData\[\d\].*no matching data\.captures/ });
    expect(await snapshot(storage)).toEqual(before);
  });

  it('rejects a backup from a newer version and changes nothing', async () => {
    const storage = await open();
    await populate(storage);
    const before = await snapshot(storage);
    const file = { ...(await storage.backup.export()).backup, version: BACKUP_VERSION + 1 };
    await expect(storage.backup.import(JSON.stringify(file), { mode: 'replace' })).rejects.toMatchObject({
      code: 'future-version',
      message: expect.stringContaining(`newer version of CW Reconciler (backup version ${BACKUP_VERSION + 1}; this one reads up to ${BACKUP_VERSION})`),
    });
    expect(await snapshot(storage)).toEqual(before);
  });

  it.each(['merge', 'replace'] as const)('rolls a %s import back when storage runs out half-way', async (mode) => {
    const source = await open();
    await populate(source);
    const file = (await source.backup.export()).backup;

    const name = freshName('quota');
    const clock = tickingClock();
    const seed = track(await openStorage({ name, now: clock.now }));
    await seed.dictionary.add({ platform: 'Keep me', connectwise: 'Y' });
    await seed.mappings.setUser({ kind: 'offer', platform: 'Teams', cw: 'MINE' });
    const before = await snapshot(seed);

    const full = track(await openStorage({ name, now: clock.now, hooks: quotaAfter(5) }));
    await expect(full.backup.import(file, { mode })).rejects.toMatchObject({ code: 'quota', message: /storage .* is full.*nothing was changed/ });
    expect(await snapshot(seed)).toEqual(before);
    expect(await snapshot(full)).toEqual(before);
  });

  it('never puts the private key in an export, and keeps it when importing settings', async () => {
    const settings = defineSettings();
    const secret = 'PRIVATE-KEY-zq81-never-export';
    await settings.saveConnection({ site: 'https://na.myconnectwise.net', companyId: 'acme', publicKey: 'PUB-123', clientId: 'client-1' }, secret);
    await settings.setPreferences({ cwHosts: ['cw.example.com'] });

    const storage = await open();
    await populate(storage);
    const json = await storage.backup.exportJson({ settings });
    expect(json).not.toContain(secret);
    expect(json).toContain('PUB-123');
    expect(JSON.parse(json).settings.preferences.cwHosts).toEqual(['cw.example.com']);

    await settings.setPreferences({ cwHosts: [] });
    const preview = await storage.backup.import(json, { settings });
    expect(preview.settings).toBe(true);
    expect((await settings.getPreferences()).cwHosts).toEqual(['cw.example.com']);
    expect((await settings.getCredentials())?.privateKey).toBe(secret);
  });

  it('refuses to export when a note holds the private key', async () => {
    const settings = defineSettings();
    const secret = 'PRIVATE-KEY-pasted-by-mistake';
    await settings.saveConnection({ site: 'https://na.myconnectwise.net', companyId: 'acme', publicKey: 'PUB', clientId: 'c' }, secret);
    const storage = await open();
    await storage.resolutions.update(finding(), { note: `key is ${secret}` });
    await expect(storage.backup.exportJson({ settings })).rejects.toThrow(/contains the ConnectWise private key/);
  });

  it('exports the sound records and lists damaged ones it left out', async () => {
    const name = freshName('damaged-export');
    const storage = track(await openStorage({ name }));
    await populate(storage);
    const raw = await openDatabase(name);
    await raw.put('dictionary', { id: 'bad', term: 42 } as never);
    raw.close();
    const { backup, problems } = await storage.backup.export();
    expect(backup.data.dictionary).toHaveLength(1);
    expect(problems.map((p: StorageError) => p.code)).toEqual(['corrupt']);
    expect(problems[0]?.message).toMatch(/dictionary record "bad"/);
  });
});
