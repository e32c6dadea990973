import { afterEach, describe, expect, it } from 'vitest';
import { openDatabase } from '../../../storage/db';
import { openStorage } from '../../../storage';
import type { StorageError } from '../../../storage';
import { capturesOpenedTwice, closeAll, freshName, line, tickingClock, track } from './helpers';

/*
 * Schema v4 stores a capture's kind as the model names it (`platform`, `connectwise`, `api`)
 * instead of what it held (`platform-lines`, `cw-bundle`). A database left by v3 must open at v4
 * with each capture rewritten in place under its own key; one that is damaged stays as it was and
 * is reported when read.
 */

afterEach(closeAll);

const t = '2026-11-01T09:00:00.000Z';
const cwBundle = { companies: [], agreements: [], additions: [] };

function v3Capture(id: string, kind: 'platform-lines' | 'cw-bundle', source: string | undefined, extra: object = {}) {
  return {
    id,
    kind,
    scope: `${kind}|${id}`,
    capturedAt: t,
    months: ['2026-11'],
    organizations: [],
    agreementIds: kind === 'cw-bundle' ? [3001] : [],
    count: 1,
    ...(source === undefined ? {} : { source }),
    ...extra,
  };
}

/** A v3 database exactly as the v3 code wrote it: one capture of each source. */
async function seedV3(name: string) {
  const db = await openDatabase(name, { version: 3 });
  expect(db.version).toBe(3);
  await db.put('captures', v3Capture('lines', 'platform-lines', 'https://demo.rethinkportal.com/mapping/invoices'));
  await db.put('captureData', { id: 'lines', lines: [line()] });
  await db.put('captures', v3Capture('page', 'cw-bundle', 'https://na.myconnectwise.net/v4_6_release/agreement?id=3001', { partial: true }));
  await db.put('captureData', { id: 'page', bundle: cwBundle });
  await db.put('captures', v3Capture('pull', 'cw-bundle', 'api'));
  await db.put('captureData', { id: 'pull', bundle: cwBundle });
  await db.put('captures', v3Capture('file', 'cw-bundle', 'file:bundle:cw.json', { deletedAt: t }));
  await db.put('captureData', { id: 'file', bundle: cwBundle });
  return db;
}

describe('schema v3 → v4: captures take the model’s kind', () => {
  it('rewrites each capture’s kind in place, every other field and key unchanged', async () => {
    const name = freshName('v4');
    (await seedV3(name)).close();

    // Upgraded to v4 alone: later versions rename more, and have their own tests.
    const raw = await openDatabase(name, { version: 4 });
    expect(raw.version).toBe(4);
    expect(await raw.getAll('captures')).toEqual([
      v3Capture('file', 'cw-bundle', 'file:bundle:cw.json', { deletedAt: t, kind: 'connectwise' }),
      v3Capture('lines', 'platform-lines', 'https://demo.rethinkportal.com/mapping/invoices', { kind: 'platform' }),
      v3Capture('page', 'cw-bundle', 'https://na.myconnectwise.net/v4_6_release/agreement?id=3001', { partial: true, kind: 'connectwise' }),
      v3Capture('pull', 'cw-bundle', 'api', { kind: 'api' }),
    ]);
    expect(await raw.count('captureData')).toBe(4);
    raw.close();

    const problems: StorageError[] = [];
    const storage = track(await openStorage({ name, now: tickingClock().now, onCorrupt: (e) => problems.push(e) }));

    // Read as the model has them, by the model's kinds, with nothing reported damaged.
    expect((await storage.captures.current({ kind: 'platform' })).map((c) => c.id)).toEqual(['lines']);
    expect((await storage.captures.current({ kind: ['connectwise', 'api'] })).map((c) => c.id).sort()).toEqual(['page', 'pull']);
    expect((await storage.captures.list({ includeDeleted: true, kind: 'connectwise' })).map((c) => c.id).sort()).toEqual(['file', 'page']);
    expect(problems).toEqual([]);
  });

  it('opening again changes nothing', async () => {
    const name = freshName('v4-again');
    (await seedV3(name)).close();
    const [first, again] = await capturesOpenedTwice(name);
    expect(again).toEqual(first);
  });

  it('leaves a damaged capture as it was and reports it on read', async () => {
    const name = freshName('v4-damaged');
    const db = await seedV3(name);
    // No count: not a whole v3 record, so not the upgrade's to guess at.
    const { count: _count, ...damaged } = v3Capture('half', 'cw-bundle', 'api');
    await db.put('captures', damaged as never);
    // A kind no version ever wrote.
    const unknown = v3Capture('odd', 'cw-bundle', 'api', { kind: 'cw-lines' });
    await db.put('captures', unknown as never);
    db.close();

    const problems: StorageError[] = [];
    const storage = track(await openStorage({ name, onCorrupt: (e) => problems.push(e) }));
    const raw = await openDatabase(name);
    expect(await raw.get('captures', 'half')).toEqual(damaged);
    expect(await raw.get('captures', 'odd')).toEqual(unknown);
    raw.close();
    expect((await storage.captures.list()).map((c) => c.id).sort()).toEqual(['lines', 'page', 'pull']);
    expect(problems.map((p) => p.message).sort()).toEqual([
      expect.stringMatching(/captures record "half" is damaged/),
      expect.stringMatching(/captures record "odd" is damaged/),
    ]);
  });
});
