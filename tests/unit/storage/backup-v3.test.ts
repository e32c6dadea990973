import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { fakeBrowser } from 'wxt/testing/fake-browser';
import { BACKUP_VERSION } from '../../../storage';
import { closeAll, line, open } from './helpers';

beforeEach(() => fakeBrowser.reset());
afterEach(closeAll);

const t = '2026-10-02T08:00:00.000Z';
const bundle = { companies: [], agreements: [], additions: [] };
const INVOICES = 'https://demo.rethinkportal.com/mapping/invoices';
const skippedRows = [{ row: 7, message: 'bad date' }];

function capture(id: string, kind: 'platform' | 'connectwise' | 'api', source: string, extra: object = {}) {
  return { id, kind, scope: `${kind}|${id}`, capturedAt: t, months: ['2026-10'], organizations: [], agreementIds: kind === 'platform' ? [] : [3001], source, count: 4, ...extra };
}

/**
 * A version-3 backup as the extension wrote it before a stored capture became the model's
 * summary: kinds in the model's names, the other fields in storage's (`capturedAt`, `count`,
 * `partial`, one `source` string).
 */
const V3_FILE = {
  format: 'cw-reconciler/backup',
  version: 3,
  exportedAt: t,
  data: {
    mappings: [],
    captures: [
      capture('lines', 'platform', INVOICES, { partial: true }),
      capture('saved', 'connectwise', 'file:page:cw.html'),
      capture('file', 'connectwise', 'file:bundle:cw.json', { deletedAt: t }),
      capture('pull', 'api', 'api'),
    ],
    captureData: [
      { id: 'lines', lines: [line()], skippedRows },
      { id: 'saved', bundle },
      { id: 'file', bundle },
      { id: 'pull', bundle },
    ],
    runs: [],
    resolutions: [],
    dictionary: [],
  },
};

describe('a version-3 backup', () => {
  it('imports each capture under the model’s names with every value kept, and exports again as the current version', async () => {
    const storage = await open();
    expect(BACKUP_VERSION).toBe(4);
    const preview = await storage.backup.preview(JSON.stringify(V3_FILE));
    expect(preview.stores.captures).toEqual({ added: 4, updated: 0, unchanged: 0, removed: 0 });
    await storage.backup.import(JSON.stringify(V3_FILE));

    const keys = { months: ['2026-10'], organizations: [], createdAt: t, rows: 4 };
    const byId = new Map((await storage.captures.list({ includeDeleted: true })).map((c) => [c.id, c]));
    expect(byId.get('lines')).toEqual({ ...keys, id: 'lines', kind: 'platform', scope: 'platform|lines', agreementIds: [], url: INVOICES, skipped: 1, complete: false, current: true });
    expect(byId.get('saved')).toEqual({ ...keys, id: 'saved', kind: 'connectwise', scope: 'connectwise|saved', agreementIds: [3001], agreementId: 3001, file: 'cw.html', fileKind: 'page', skipped: 0, complete: true, current: true });
    expect(byId.get('file')).toEqual({ ...keys, id: 'file', kind: 'connectwise', scope: 'connectwise|file', agreementIds: [3001], agreementId: 3001, file: 'cw.json', fileKind: 'bundle', skipped: 0, complete: true, deletedAt: t, current: false });
    expect(byId.get('pull')).toEqual({ ...keys, id: 'pull', kind: 'api', scope: 'api|pull', agreementIds: [3001], skipped: 0, complete: true, current: true });
    expect((await storage.captures.get('lines')).skippedRows).toEqual(skippedRows);

    const again = JSON.parse(await storage.backup.exportJson());
    expect(again.version).toBe(BACKUP_VERSION);
    expect(again.data.captures.every((c: object) => !('capturedAt' in c) && !('count' in c) && !('source' in c) && !('partial' in c))).toBe(true);
    expect((await storage.backup.preview(again)).stores.captures).toMatchObject({ added: 0, updated: 0, unchanged: 4 });
  });

  it('names the capture that would not be a valid record once read as the current version', async () => {
    const storage = await open();
    const bad = structuredClone(V3_FILE);
    bad.data.captures[2]!.months = ['Oct 2026'];
    await expect(storage.backup.import(bad)).rejects.toMatchObject({ code: 'invalid-import', message: /field data\.captures\[2\]\.months\[0\] holds "Oct 2026" once read as the current version/ });
    expect(await storage.captures.list({ includeDeleted: true })).toEqual([]);
  });

  it('refuses a current-version file that still carries a capture field of version 3', async () => {
    const storage = await open();
    const current = JSON.parse(await storage.backup.exportJson());
    current.data.captures = [{ id: 'c', kind: 'api', scope: 'api', createdAt: t, capturedAt: t, months: [], organizations: [], agreementIds: [], rows: 0, complete: true }];
    current.data.captureData = [{ id: 'c', bundle }];
    await expect(storage.backup.import(current)).rejects.toMatchObject({ code: 'invalid-import', message: /field data\.captures\[0\]\.capturedAt/ });
  });
});
