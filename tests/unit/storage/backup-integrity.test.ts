import { afterEach, describe, expect, it } from 'vitest';
import { openStorage } from '../../../storage';
import { openDatabase } from '../../../storage/db';
import { closeAll, finding, freshName, track } from './helpers';

afterEach(closeAll);

/** Storage holding a note on a finding whose record was then damaged (as a failed upgrade might). */
async function withDamagedResolution() {
  const name = freshName('damaged');
  const storage = track(await openStorage({ name }));
  await storage.dictionary.add({ platform: 'Tenant', connectwise: 'Company', explanation: 'customer' });
  const kept = await storage.resolutions.update(finding(), { note: 'customer agreed credit', status: 'ignored' });
  const raw = await openDatabase(name);
  await raw.put('resolutions', { ...kept, kind: 'not-a-kind' } as never);
  raw.close();
  return { storage, name, fingerprint: kept!.fingerprint };
}

async function rawResolutions(name: string) {
  const raw = await openDatabase(name);
  const all = await raw.getAll('resolutions');
  raw.close();
  return all;
}

describe('backups and damaged records', () => {
  it('the export file lists the damaged records it leaves out, and its preview shows them', async () => {
    const { storage, fingerprint } = await withDamagedResolution();
    const json = await storage.backup.exportJson();
    const file = JSON.parse(json) as { damaged?: { store: string; key: string; message: string }[]; data: { resolutions: unknown[] } };
    expect(file.data.resolutions).toEqual([]);
    expect(file.damaged).toEqual([{ store: 'resolutions', key: fingerprint, message: expect.stringMatching(/damaged \(field kind/) }]);

    const elsewhere = track(await openStorage({ name: freshName('target') }));
    const preview = await elsewhere.backup.preview(json);
    expect(preview.damagedInFile).toEqual(file.damaged);
  });

  it('a replace import never deletes a record it could not read unless told to', async () => {
    const { storage, name, fingerprint } = await withDamagedResolution();
    const json = await storage.backup.exportJson();

    const merge = await storage.backup.preview(json, { mode: 'merge' });
    expect(merge.unreadable).toEqual([{ store: 'resolutions', key: fingerprint, message: expect.stringMatching(/damaged/) }]);
    expect(merge.needsConfirmation).toBe(false);
    const replace = await storage.backup.preview(json, { mode: 'replace' });
    expect(replace.needsConfirmation).toBe(true);

    await expect(storage.backup.import(json, { mode: 'replace' })).rejects.toMatchObject({
      code: 'corrupt',
      message: expect.stringMatching(new RegExp(`would delete 1 stored record that cannot be read \\(resolutions "${fingerprint}"\\).*Nothing was changed`)),
    });
    expect(await rawResolutions(name)).toEqual([expect.objectContaining({ fingerprint, note: 'customer agreed credit' })]);

    // A merge keeps it; a confirmed replace deletes it, as the preview said it would.
    await storage.backup.import(json, { mode: 'merge' });
    expect(await rawResolutions(name)).toHaveLength(1);
    await storage.backup.import(json, { mode: 'replace', deleteUnreadable: true });
    expect(await rawResolutions(name)).toEqual([]);
  });
});

describe('imported mappings', () => {
  async function withUserMapping() {
    const storage = track(await openStorage({ name: freshName('mappings') }));
    await storage.mappings.setUser({ kind: 'organization', platform: 'Acme Ltd', cw: 'Acme Corporation' });
    const file = (await storage.backup.export()).backup;
    return { storage, file, mine: file.data.mappings[0]! };
  }

  it('a mapping whose id does not match its own fields is listed, not imported', async () => {
    const { storage, file, mine } = await withUserMapping();
    // Another mapping's fields stored under the user's mapping id: it would overwrite it.
    const forged = { ...mine, kind: 'offer' as const, key: 'teams', platform: 'Teams', cw: 'Evil Corp', cwKey: 'evil corp', source: 'captured' as const };
    const attack = { ...file, data: { ...file.data, mappings: [forged] } };
    for (const mode of ['merge', 'replace'] as const) {
      const preview = await storage.backup.preview(attack, { mode });
      expect(preview.conflicts).toEqual([{ store: 'mappings', key: mine.id, message: expect.stringMatching(/does not match its own kind, name and source/) }]);
      expect(preview.stores.mappings).toMatchObject({ added: 0, updated: 0, removed: 0 });
      await storage.backup.import(attack, { mode });
      expect(await storage.mappings.list()).toEqual([mine]);
    }
  });

  it('a merge never replaces the user’s own mapping: the conflict is listed and theirs kept', async () => {
    const { storage, file, mine } = await withUserMapping();
    const theirs = { ...mine, cw: 'Other Company', cwKey: 'other company' };
    const other = { ...file, data: { ...file.data, mappings: [theirs] } };
    const preview = await storage.backup.preview(other);
    expect(preview.conflicts).toEqual([{ store: 'mappings', key: mine.id, message: expect.stringContaining('"Acme Ltd" to "Acme Corporation" was kept') }]);
    await storage.backup.import(other);
    expect((await storage.mappings.list())[0]?.cw).toBe('Acme Corporation');
  });
});
