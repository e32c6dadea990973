import { afterEach, describe, expect, it } from 'vitest';
import { bundle, closeAll, line, open, tickingClock } from './helpers';

afterEach(closeAll);

describe('captures', () => {
  it('stores Platform lines with their months and organizations, and reads them back', async () => {
    const { captures } = await open();
    const lines = [line({ lineId: 'L1' }), line({ lineId: 'L2', organization: 'Beta  GmbH', invoiceDate: '2026-10-31' })];
    const saved = await captures.addLines({ lines, skippedRows: [{ row: 4, message: 'bad date' }], url: 'https://demo.rethinkportal.com/invoices', gridTotal: 3 });
    expect(saved).toMatchObject({ kind: 'platform', months: ['2026-10', '2026-11'], organizations: ['acme ltd', 'beta gmbh'], rows: 2, skipped: 1, gridTotal: 3, complete: true, current: true });

    const read = await captures.get(saved.id);
    expect(read.lines).toEqual(lines);
    expect(read.skippedRows).toEqual([{ row: 4, message: 'bad date' }]);
    expect(read.url).toBe('https://demo.rethinkportal.com/invoices');
    await expect(captures.get('nope')).rejects.toMatchObject({ code: 'not-found' });
  });

  it('stores a CW bundle indexed by agreement and company', async () => {
    const { captures } = await open();
    const b = bundle([3001, 3002], 'Acme Corp');
    const saved = await captures.addBundle({ bundle: b, months: ['2026-11'], kind: 'api' });
    expect(saved).toMatchObject({ kind: 'api', agreementIds: [3001, 3002], organizations: ['acme corp'], rows: 2, complete: true, scope: 'cw|3001,3002' });
    expect(saved.agreementId).toBeUndefined();
    expect((await captures.get(saved.id)).bundle).toEqual(b);

    expect((await captures.list({ agreementId: 3002 })).map((c) => c.id)).toEqual([saved.id]);
    expect(await captures.list({ agreementId: 4000 })).toEqual([]);
    expect((await captures.list({ organization: 'ACME corp' })).map((c) => c.id)).toEqual([saved.id]);
    expect((await captures.list({ month: '2026-11', kind: 'api' })).map((c) => c.id)).toEqual([saved.id]);
    expect((await captures.list({ month: '2026-11', kind: ['connectwise', 'api'] })).map((c) => c.id)).toEqual([saved.id]);
    expect(await captures.list({ month: '2026-11', kind: 'connectwise' })).toEqual([]);
    expect(await captures.list({ month: '2026-11', kind: 'platform' })).toEqual([]);
  });

  it('keeps an older capture of the same scope listed while the newest is current', async () => {
    const { captures } = await open();
    const old = await captures.addLines({ lines: [line({ lineId: 'L1' })] });
    const newer = await captures.addLines({ lines: [line({ lineId: 'L1' }), line({ lineId: 'L2' })] });
    const other = await captures.addLines({ lines: [line({ lineId: 'X', invoiceDate: '2026-10-31' })] });

    const listed = await captures.list();
    expect(listed.map((c) => [c.id, c.current])).toEqual([
      [other.id, true],
      [newer.id, true],
      [old.id, false],
    ]);
    expect((await captures.get(old.id)).current).toBe(false);

    const current = await captures.current({ month: '2026-11' });
    expect(current.map((c) => c.id)).toEqual([newer.id]);
    expect(current[0]?.lines).toHaveLength(2);
  });

  it('keeps a partial read beside the complete one it never replaces', async () => {
    const { captures } = await open();
    const complete = await captures.addBundle({ bundle: bundle([3001, 3002], 'Acme Corp'), scope: 'api', kind: 'api' });
    // The read said it finished, but the bundle says it is not whole: it is not.
    const stopped = await captures.addBundle({ bundle: { ...bundle([3001], 'Acme Corp'), complete: false }, scope: 'api', kind: 'api', complete: true });
    expect(stopped.complete).toBe(false);
    expect(complete.complete).toBe(true);
    const current = await captures.current({ kind: 'api' });
    expect(current.map((c) => [c.id, c.complete]).sort()).toEqual([[complete.id, true], [stopped.id, false]].sort());
    // A later complete read makes the stopped one history.
    const again = await captures.addBundle({ bundle: bundle([3001, 3002], 'Acme Corp'), scope: 'api', kind: 'api' });
    expect((await captures.current({ kind: 'api' })).map((c) => c.id)).toEqual([again.id]);

    const lines = await captures.addLines({ lines: [line({ lineId: 'L1' }), line({ lineId: 'L2' })] });
    const stoppedLines = await captures.addLines({ lines: [line({ lineId: 'L1' })], complete: false });
    expect((await captures.current({ kind: 'platform' })).map((c) => c.id).sort()).toEqual([lines.id, stoppedLines.id].sort());
    // A read that finished with fewer rows than the grid said is not whole either.
    const short = await captures.addLines({ lines: [line({ lineId: 'L1' })], gridTotal: 2 });
    expect(short.complete).toBe(true);
    expect((await captures.current({ kind: 'platform' })).map((c) => c.id).sort()).toEqual([lines.id, short.id].sort());
  });

  it('judges "current" over the whole scope even when a filter matches only the older capture', async () => {
    const { captures } = await open();
    await captures.addLines({ lines: [line({ organization: 'Gone Ltd' })] });
    await captures.addLines({ lines: [line({ organization: 'Acme Ltd' })] });
    expect(await captures.current({ organization: 'Gone Ltd' })).toEqual([]);
    expect((await captures.list({ organization: 'Gone Ltd' }))[0]?.current).toBe(false);
  });

  it('honours an explicit scope', async () => {
    const { captures } = await open();
    const a = await captures.addLines({ lines: [line()], scope: 'acme-only' });
    const b = await captures.addLines({ lines: [line()] });
    expect((await captures.current()).map((c) => c.id).sort()).toEqual([a.id, b.id].sort());
  });

  it('deletes softly: the older capture becomes current again, and undo restores the deleted one', async () => {
    const { captures } = await open();
    const old = await captures.addLines({ lines: [line({ lineId: 'L1' })] });
    const newer = await captures.addLines({ lines: [line({ lineId: 'L2' })] });

    const token = await captures.remove(newer.id);
    expect((await captures.list()).map((c) => [c.id, c.current])).toEqual([[old.id, true]]);
    expect((await captures.list({ includeDeleted: true })).map((c) => c.id)).toContain(newer.id);
    expect(await captures.remove(newer.id)).toEqual(token);

    const restored = await captures.undoRemove(token);
    expect(restored).toMatchObject({ id: newer.id, current: true });
    expect(restored.deletedAt).toBeUndefined();
    expect((await captures.current()).map((c) => c.id)).toEqual([newer.id]);
    await expect(captures.undoRemove(token)).rejects.toMatchObject({ code: 'not-found' });
    await expect(captures.remove('missing')).rejects.toMatchObject({ code: 'not-found' });
  });

  it('refuses undo after the window and purges only expired deletions', async () => {
    const clock = tickingClock();
    const { captures } = await open({ now: clock.now, undoWindowMs: 60_000 });
    const a = await captures.addLines({ lines: [line({ lineId: 'A' })], scope: 'a' });
    const b = await captures.addLines({ lines: [line({ lineId: 'B' })], scope: 'b' });
    const tokenA = await captures.remove(a.id);
    clock.advance(120_000);
    const tokenB = await captures.remove(b.id);

    await expect(captures.undoRemove(tokenA)).rejects.toMatchObject({ code: 'not-found' });
    expect(await captures.purgeDeleted()).toBe(1);
    await expect(captures.get(a.id)).rejects.toMatchObject({ code: 'not-found' });
    expect((await captures.undoRemove(tokenB)).id).toBe(b.id);
    expect(await captures.purgeDeleted()).toBe(0);
    expect((await captures.get(b.id)).lines?.[0]?.lineId).toBe('B');
  });
});
