import { afterEach, describe, expect, it } from 'vitest';
import { closeAll, finding, open, report } from './helpers';

afterEach(closeAll);

describe('runs', () => {
  it('stores a run with its report, inputs and settings', async () => {
    const { runs } = await open();
    const r = report([finding(), finding({ kind: 'orphan_addition', severity: 'info', lineId: undefined, additionId: 5 })]);
    const saved = await runs.add({ report: r, inputs: { captureIds: ['c1', 'c2'], bundleSource: 'api' }, settings: { revenue: 'unit' } });
    const read = await runs.get(saved.id);
    expect(read.report).toEqual(r);
    expect(read.inputs).toEqual({ captureIds: ['c1', 'c2'], bundleSource: 'api' });
    expect(read.settings).toEqual({ revenue: 'unit' });
    await expect(runs.get('missing')).rejects.toMatchObject({ code: 'not-found' });
  });

  it('lists newest first with finding counts, returns the latest, removes and prunes', async () => {
    const { runs } = await open();
    expect(await runs.latest()).toBeUndefined();
    const ids: string[] = [];
    for (let i = 0; i < 4; i++) {
      const findings = Array.from({ length: i }, (_, n) => finding({ lineId: `L${n}`, severity: n % 2 ? 'warn' : 'error' }));
      ids.push((await runs.add({ report: report(findings), inputs: {}, settings: {} })).id);
    }
    const listed = await runs.list();
    expect(listed.map((s) => s.id)).toEqual([...ids].reverse());
    expect(listed[0]?.counts).toEqual({ error: 2, warn: 1, info: 0 });
    expect(listed[0]?.captureIds).toEqual([]);
    expect((await runs.list({ limit: 2 })).map((s) => s.id)).toEqual([ids[3], ids[2]]);
    expect((await runs.latest())?.id).toBe(ids[3]);

    expect(await runs.remove(ids[3]!)).toBe(true);
    expect(await runs.remove(ids[3]!)).toBe(false);
    expect((await runs.latest())?.id).toBe(ids[2]);

    expect(await runs.prune(1)).toBe(2);
    expect((await runs.list()).map((s) => s.id)).toEqual([ids[2]]);
  });
});
