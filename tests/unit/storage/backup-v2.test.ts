import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { fakeBrowser } from 'wxt/testing/fake-browser';
import { BACKUP_VERSION } from '../../../storage';
import { closeAll, line, open } from './helpers';

beforeEach(() => fakeBrowser.reset());
afterEach(closeAll);

const t = '2026-10-02T08:00:00.000Z';
const bundle = { companies: [], agreements: [], additions: [] };

function capture(id: string, kind: 'platform-lines' | 'cw-bundle', source: string) {
  return { id, kind, scope: `${kind}|${id}`, capturedAt: t, months: ['2026-10'], organizations: [], agreementIds: [], source, count: 1 };
}

/**
 * A version-2 backup as the extension wrote it before captures took the model's kind: records in
 * the model's field names, but each capture's kind named by what it held.
 */
const V2_FILE = JSON.stringify({
  format: 'cw-reconciler/backup',
  version: 2,
  exportedAt: t,
  data: {
    mappings: [],
    captures: [capture('lines', 'platform-lines', 'https://demo.rethinkportal.com/mapping/invoices'), capture('page', 'cw-bundle', 'file:page:cw.html'), capture('pull', 'cw-bundle', 'api')],
    captureData: [
      { id: 'lines', lines: [line()] },
      { id: 'page', bundle },
      { id: 'pull', bundle },
    ],
    runs: [],
    resolutions: [],
    dictionary: [],
  },
});

describe('a version-2 backup', () => {
  it('imports its captures with the model’s kinds, and exports again as the current version', async () => {
    const storage = await open();
    expect(BACKUP_VERSION).toBe(4);
    const preview = await storage.backup.preview(V2_FILE);
    expect(preview.stores.captures).toEqual({ added: 3, updated: 0, unchanged: 0, removed: 0 });
    await storage.backup.import(V2_FILE);

    expect((await storage.captures.list()).map((c) => [c.id, c.kind]).sort()).toEqual([
      ['lines', 'platform'],
      ['page', 'connectwise'],
      ['pull', 'api'],
    ]);
    expect((await storage.captures.get('lines')).lines).toEqual([line()]);

    const again = JSON.parse(await storage.backup.exportJson());
    expect(again.version).toBe(BACKUP_VERSION);
    expect(again.data.captures.map((c: { kind: string }) => c.kind).sort()).toEqual(['api', 'connectwise', 'platform']);
    expect((await storage.backup.preview(again)).stores.captures).toMatchObject({ added: 0, updated: 0 });
  });

  it('names the capture whose kind no version wrote', async () => {
    const storage = await open();
    const bad = JSON.parse(V2_FILE);
    bad.data.captures[1].kind = 'platform';
    await expect(storage.backup.import(bad)).rejects.toMatchObject({ code: 'invalid-import', message: /field data\.captures\[1\]\.kind holds "platform"/ });
    expect(await storage.captures.list()).toEqual([]);
  });
});
