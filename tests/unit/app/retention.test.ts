import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { fakeBrowser } from 'wxt/testing/fake-browser';
import { RETENTION, runsToPurge, type RetainedRun } from '../../../core/app/retention';
import { closeAll, finding, line, report } from '../storage/helpers';
import { bundle, storageWorld } from './storage-world';

beforeEach(() => fakeBrowser.reset());
afterEach(closeAll);

const at = (n: number) => new Date(Date.UTC(2026, 0, 1) + n * 3_600_000).toISOString();

describe('the retention rule', () => {
  it('keeps signed-off runs, the newest few of each month and the newest overall; purges the rest', () => {
    // 14 runs of October (r0 oldest, r13 newest), r2 signed off; then 3 of November.
    const runs: RetainedRun[] = [
      ...Array.from({ length: 14 }, (_, i) => ({ id: `oct${i}`, createdAt: at(i), months: ['2026-10'], signedOff: i === 2 })),
      ...Array.from({ length: 3 }, (_, i) => ({ id: `nov${i}`, createdAt: at(100 + i), months: ['2026-11'], signedOff: false })),
    ];
    const purged = runsToPurge(runs, { runsPerMonth: 3, newestRuns: 10 }).sort();
    // Kept: nov0–2 and oct7–13 (the 10 newest), oct2 (signed off). oct11–13 are also October's newest 3.
    expect(purged).toEqual(['oct0', 'oct1', 'oct3', 'oct4', 'oct5', 'oct6']);
  });

  it('keeps the newest runs of a month even when newer months fill the overall quota', () => {
    const runs: RetainedRun[] = [
      ...Array.from({ length: 5 }, (_, i) => ({ id: `sep${i}`, createdAt: at(i), months: ['2026-09'], signedOff: false })),
      ...Array.from({ length: 4 }, (_, i) => ({ id: `oct${i}`, createdAt: at(50 + i), months: ['2026-10'], signedOff: false })),
    ];
    expect(runsToPurge(runs, { runsPerMonth: 2, newestRuns: 3 }).sort()).toEqual(['oct0', 'sep0', 'sep1', 'sep2']);
  });

  it('counts a run under every month it reconciled, and never purges the newest run', () => {
    const two = [0, 1].map((n) => ({ id: `r${n}`, createdAt: at(n), months: [], signedOff: false }));
    expect(runsToPurge(two, { runsPerMonth: 0, newestRuns: 0 })).toEqual(['r0']);
    const runs: RetainedRun[] = [
      { id: 'both', createdAt: at(0), months: ['2026-10', '2026-11'], signedOff: false },
      { id: 'nov', createdAt: at(1), months: ['2026-11'], signedOff: false },
    ];
    // October has only "both", so it stays though November's quota of one is taken by "nov".
    expect(runsToPurge(runs, { runsPerMonth: 1, newestRuns: 0 })).toEqual([]);
  });
});

describe('purging in the product', () => {
  it('clears old runs on start-up but keeps signed-off runs, the newest per month, and every note', async () => {
    const w = await storageWorld();
    const runs = w.storage.runs;
    const ids: string[] = [];
    const f = finding({ lineId: 'L-noted' });
    for (let i = 0; i < RETENTION.newestRuns + 4; i++) {
      ids.push((await runs.add({ report: report([f]), inputs: { captureIds: [] }, settings: {} })).id);
    }
    await runs.signOff(ids[0]!, 'Dana', 'October closed');
    await w.storage.resolutions.update(f, { status: 'resolved', note: 'Credited on invoice 1182' });

    expect(await w.service.housekeep()).toEqual({ runs: 3, captures: 0 });

    // 14 runs of one month: the signed-off oldest and the 10 newest stay (3 of the month within them).
    const left = (await runs.list()).map((r) => r.id);
    expect(left).toEqual([...ids.slice(4)].reverse().concat(ids[0]!));
    expect(left).not.toContain(ids[1]);
    expect((await runs.get(ids[0]!)).signOff).toMatchObject({ by: 'Dana', note: 'October closed' });
    expect(await w.storage.resolutions.list()).toEqual([expect.objectContaining({ status: 'resolved', note: 'Credited on invoice 1182' })]);
    expect(w.events).toContainEqual({ event: 'data.changed', stores: ['runs'] });
    // A second pass finds nothing more to do.
    expect(await w.service.housekeep()).toEqual({ runs: 0, captures: 0 });
  });

  it('erases deleted captures only once their undo window has passed', async () => {
    const w = await storageWorld({ undoWindowMs: 60_000 });
    const captures = w.storage.captures;
    const old = await captures.addLines({ lines: [line({ lineId: 'OLD' })], scope: 'old' });
    const recent = await captures.addLines({ lines: [line({ lineId: 'RECENT' })], scope: 'recent' });
    const kept = await captures.addLines({ lines: [line({ lineId: 'KEPT' })], scope: 'kept' });
    await w.call('captures.delete', { id: old.id });
    w.clock.advance(120_000);
    const token = await captures.remove(recent.id);

    expect(await w.service.housekeep()).toEqual({ runs: 0, captures: 1 });
    await expect(captures.get(old.id)).rejects.toMatchObject({ code: 'not-found' });
    // Still inside its window: the user can take the delete back.
    expect((await captures.undoRemove(token)).id).toBe(recent.id);
    expect((await captures.get(kept.id)).lines?.[0]?.lineId).toBe('KEPT');
  });

  it('applies the rule after every stored run', async () => {
    const w = await storageWorld();
    const old: string[] = [];
    for (let i = 0; i < RETENTION.newestRuns + 2; i++) {
      old.push((await w.storage.runs.add({ report: report(), inputs: { captureIds: [] }, settings: {} })).id);
    }
    await w.call('capture.start', { tabId: 3 });
    await w.ports.captures.addBundle({ bundle, kind: 'api', scope: 'api', months: ['2026-11'] });
    const summary = await w.call<{ id: string }>('reconcile.start', { cwSource: 'auto' });

    const left = (await w.storage.runs.list()).map((r) => r.id);
    expect(left[0]).toBe(summary.id);
    expect(left).toHaveLength(RETENTION.newestRuns);
    expect(left).not.toContain(old[0]);
    expect(left).not.toContain(old[2]);
    expect(left).toContain(old.at(-1));
  });
});
