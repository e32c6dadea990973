import { afterEach, describe, expect, it } from 'vitest';
import { openDatabase } from '../../../storage/db';
import { openStorage } from '../../../storage';
import type { StorageError } from '../../../storage';
import { capturesOpenedTwice, closeAll, freshName, line, tickingClock, track } from './helpers';

/*
 * Schema v5 stores a capture as the model's `CaptureSummary` plus its keys, where v4 used
 * storage's own names (`capturedAt`, `count`, `partial`, and one `source` string for a page's
 * address, `file:<what>:<names>` or `api`). A database left by v4 must open at v5 with each
 * capture renamed in place under its own key, nothing dropped; one that is damaged, or that
 * already holds a new name with another value, stays as it was and is reported when read.
 */

afterEach(closeAll);

const t = '2026-11-01T09:00:00.000Z';
const later = '2026-11-02T09:00:00.000Z';
const cwBundle = { companies: [], agreements: [], additions: [] };
const skippedRows = [
  { row: 4, message: 'bad date' },
  { row: 9, message: 'no quantity' },
];

function v4Capture(id: string, kind: 'platform' | 'connectwise' | 'api', source: string | undefined, extra: object = {}) {
  return {
    id,
    kind,
    scope: `${kind}|${id}`,
    capturedAt: t,
    months: ['2026-11'],
    organizations: kind === 'platform' ? ['acme ltd'] : [],
    agreementIds: kind === 'platform' ? [] : [3001, 3002],
    count: 3,
    ...(source === undefined ? {} : { source }),
    ...extra,
  };
}

/** The same capture at v5: the model's names, the keys as they were. */
function v5Capture(id: string, kind: 'platform' | 'connectwise' | 'api', extra: object) {
  return {
    id,
    kind,
    scope: `${kind}|${id}`,
    createdAt: t,
    months: ['2026-11'],
    organizations: kind === 'platform' ? ['acme ltd'] : [],
    agreementIds: kind === 'platform' ? [] : [3001, 3002],
    rows: 3,
    skipped: 0,
    complete: true,
    ...(kind === 'connectwise' ? { agreementId: 3001 } : {}),
    ...extra,
  };
}

const PAGE = 'https://na.myconnectwise.net/v4_6_release/agreement?id=3001';
const INVOICES = 'https://demo.rethinkportal.com/mapping/invoices';

/** A v4 database exactly as the v4 code wrote it: one capture of each origin, two of one scope. */
async function seedV4(name: string) {
  const db = await openDatabase(name, { version: 4 });
  expect(db.version).toBe(4);
  const put = async (capture: { id: string }, data: object) => {
    await db.put('captures', capture as never);
    await db.put('captureData', { id: capture.id, ...data });
  };
  await put(v4Capture('lines', 'platform', INVOICES, { extraNote: 'kept as it was' }), { lines: [line()], skippedRows });
  await put(v4Capture('page', 'connectwise', PAGE, { partial: true }), { bundle: cwBundle });
  await put(v4Capture('pull', 'api', 'api'), { bundle: cwBundle });
  await put(v4Capture('file', 'connectwise', 'file:bundle:cw.json', { deletedAt: t }), { bundle: cwBundle });
  await put(v4Capture('saved', 'connectwise', 'file:page:Additions, 3001.html'), { bundle: cwBundle });
  await put(v4Capture('exports', 'platform', 'file:lines:nov.csv, dec.csv', { partial: false }), { lines: [line()] });
  // A newer whole capture of the `lines` scope, and a newer stopped one of the `page` scope.
  await put(v4Capture('lines-2', 'platform', INVOICES, { scope: 'platform|lines', capturedAt: later }), { lines: [line()] });
  await put(v4Capture('page-2', 'connectwise', PAGE, { scope: 'connectwise|page', capturedAt: later, partial: true }), { bundle: cwBundle });
  return db;
}

const MIGRATED = [
  v5Capture('exports', 'platform', { file: 'nov.csv, dec.csv', fileKind: 'lines' }),
  v5Capture('file', 'connectwise', { file: 'cw.json', fileKind: 'bundle', deletedAt: t }),
  v5Capture('lines', 'platform', { url: INVOICES, skipped: 2, extraNote: 'kept as it was' }),
  v5Capture('lines-2', 'platform', { url: INVOICES, scope: 'platform|lines', createdAt: later }),
  v5Capture('page', 'connectwise', { url: PAGE, complete: false }),
  v5Capture('page-2', 'connectwise', { url: PAGE, scope: 'connectwise|page', createdAt: later, complete: false }),
  v5Capture('pull', 'api', {}),
  v5Capture('saved', 'connectwise', { file: 'Additions, 3001.html', fileKind: 'page' }),
];

describe('schema v4 → v5: a stored capture is the model’s summary plus its keys', () => {
  it('renames each capture in place under its own key, every value kept', async () => {
    const name = freshName('v5');
    (await seedV4(name)).close();

    const problems: StorageError[] = [];
    const storage = track(await openStorage({ name, now: tickingClock().now, onCorrupt: (e) => problems.push(e) }));
    const raw = await openDatabase(name, { version: 5 });
    expect(raw.version).toBe(5);
    expect(await raw.getAll('captures')).toEqual(MIGRATED);
    // No capture and no row lost: every capture still has its data under the same key.
    expect(await raw.getAllKeys('captureData')).toEqual(MIGRATED.map((c) => c.id));
    raw.close();

    // Read through the new scope index: the newer whole capture replaces the older one; of two
    // stopped reads with nothing whole beside them, the newer is current.
    const current = await storage.captures.current({ kind: 'platform' });
    expect(current.map((c) => c.id).sort()).toEqual(['exports', 'lines-2']);
    expect((await storage.captures.list({ kind: 'connectwise' })).map((c) => [c.id, c.current])).toEqual([
      ['page-2', true],
      ['saved', true],
      ['page', false],
    ]);
    expect((await storage.captures.get('lines')).skippedRows).toEqual(skippedRows);
    expect(problems).toEqual([]);

    // A capture written after the upgrade joins its scope through the same index.
    const next = await storage.captures.addLines({ lines: [line()], scope: 'platform|lines', url: INVOICES });
    expect((await storage.captures.current({ kind: 'platform' })).map((c) => c.id).sort()).toEqual(['exports', next.id].sort());
  });

  it('opening again changes nothing', async () => {
    const name = freshName('v5-again');
    (await seedV4(name)).close();
    const [first, again] = await capturesOpenedTwice(name);
    expect(again).toEqual(first);
    expect(first).toEqual(MIGRATED);
  });

  it('leaves a damaged or conflicting capture as it was and reports it on read', async () => {
    const name = freshName('v5-damaged');
    const db = await seedV4(name);
    // No count: not a whole v4 record, so not the upgrade's to guess at.
    const { count: _count, ...half } = v4Capture('half', 'platform', INVOICES);
    // Already holds the new name with another time: renaming would overwrite one of them.
    const both = v4Capture('both', 'api', 'api', { createdAt: later });
    // A month the model cannot hold: renamed, it would be a record no read accepts.
    const odd = v4Capture('odd', 'platform', INVOICES, { months: ['Nov 2026'] });
    for (const record of [half, both, odd]) {
      await db.put('captures', record as never);
      await db.put('captureData', { id: record.id, lines: [line()] });
    }
    db.close();

    const problems: StorageError[] = [];
    const storage = track(await openStorage({ name, onCorrupt: (e) => problems.push(e) }));
    const raw = await openDatabase(name);
    expect(await raw.get('captures', 'half')).toEqual(half);
    expect(await raw.get('captures', 'both')).toEqual(both);
    expect(await raw.get('captures', 'odd')).toEqual(odd);
    // Their rows stay too, and every other capture was migrated.
    expect(await raw.count('captureData')).toBe(MIGRATED.length + 3);
    expect((await raw.getAll('captures')).filter((c) => !['half', 'both', 'odd'].includes(c.id))).toEqual(MIGRATED);
    raw.close();

    expect((await storage.captures.list()).map((c) => c.id).sort()).toEqual(['exports', 'lines', 'lines-2', 'page', 'page-2', 'pull', 'saved']);
    expect(problems.map((p) => p.message).sort()).toEqual([
      expect.stringMatching(/captures record "both" is damaged .*It was left as it is/),
      expect.stringMatching(/captures record "half" is damaged .*It was left as it is/),
      expect.stringMatching(/captures record "odd" is damaged .*It was left as it is/),
    ]);
  });
});
