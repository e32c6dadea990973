import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { fakeBrowser } from 'wxt/testing/fake-browser';
import { BACKUP_VERSION } from '../../../storage';
import { closeAll, finding, open } from './helpers';

beforeEach(() => fakeBrowser.reset());
afterEach(closeAll);

const t = '2026-10-02T08:00:00.000Z';

/**
 * A version-1 backup as the extension wrote it before stored records took the model's field
 * names: mappings with platformName/cwName, resolutions with a `mark`, dictionary entries with
 * term/otherTerm/side.
 */
const V1_FILE = JSON.stringify({
  format: 'cw-reconciler/backup',
  version: 1,
  exportedAt: t,
  data: {
    mappings: [
      { id: 'organization|acme ltd|user', kind: 'organization', key: 'acme ltd', platformName: 'Acme Ltd', cwName: 'Acme Corporation', cwKey: 'acme corporation', cwId: 11, source: 'user', createdAt: t, updatedAt: t },
      { id: 'offer|teams|captured', kind: 'offer', key: 'teams', platformName: 'Teams', cwName: 'TEAMS-ESS', cwKey: 'teams-ess', source: 'captured', createdAt: t, updatedAt: t },
    ],
    captures: [],
    captureData: [],
    runs: [],
    resolutions: [
      { fingerprint: 'quantity_mismatch|lineId=L00012', kind: 'quantity_mismatch', note: 'credited', mark: 'fixed', createdAt: t, updatedAt: t },
      { fingerprint: 'quantity_mismatch|lineId=L7', kind: 'quantity_mismatch', note: 'asked', createdAt: t, updatedAt: t },
    ],
    dictionary: [{ id: 'd-1', term: 'Addition', termKey: 'addition', otherTerm: 'Invoice line', explanation: 'one billed item', side: 'connectwise', createdAt: t, updatedAt: t }],
  },
});

describe('a version-1 backup', () => {
  it('previews and imports into the current record shapes', async () => {
    const storage = await open();
    expect(BACKUP_VERSION).toBeGreaterThan(1);
    const preview = await storage.backup.preview(V1_FILE);
    expect(preview.stores.mappings).toEqual({ added: 2, updated: 0, unchanged: 0, removed: 0 });
    expect(preview.stores.resolutions).toEqual({ added: 2, updated: 0, unchanged: 0, removed: 0 });
    expect(preview.stores.dictionary).toEqual({ added: 1, updated: 0, unchanged: 0, removed: 0 });
    expect(await storage.backup.import(V1_FILE)).toEqual(preview);

    expect(await storage.mappings.get('organization', 'Acme Ltd')).toMatchObject({ platform: 'Acme Ltd', cw: 'Acme Corporation', cwId: 11, source: 'user' });
    expect((await storage.mappings.findByCw('offer', 'TEAMS-ESS')).map((m) => m.platform)).toEqual(['Teams']);
    expect(await storage.resolutions.get(finding())).toMatchObject({ status: 'resolved', note: 'credited' });
    expect(await storage.resolutions.get(finding({ lineId: 'L7' }))).toMatchObject({ status: 'open', note: 'asked' });
    expect(await storage.dictionary.list()).toEqual([
      expect.objectContaining({ id: 'd-1', platform: 'Invoice line', connectwise: 'Addition', explanation: 'one billed item', origin: 'user' }),
    ]);
    expect((await storage.dictionary.findByTerm('invoice line')).map((d) => d.id)).toEqual(['d-1']);

    // Exported again, it is the current version, and importing that changes nothing.
    const again = JSON.parse(await storage.backup.exportJson());
    expect(again.version).toBe(BACKUP_VERSION);
    expect(again.data.mappings[0]).not.toHaveProperty('platformName');
    const noChange = await storage.backup.preview(again);
    for (const store of ['mappings', 'resolutions', 'dictionary'] as const) expect(noChange.stores[store]).toMatchObject({ added: 0, updated: 0 });
  });

  it('names the field of an old record that is not valid', async () => {
    const storage = await open();
    const bad = JSON.parse(V1_FILE);
    bad.data.resolutions[0].mark = 'done';
    await expect(storage.backup.import(bad)).rejects.toMatchObject({ code: 'invalid-import', message: /field data\.resolutions\[0\]\.mark holds "done"/ });
    expect(await storage.resolutions.list()).toEqual([]);
  });
});
