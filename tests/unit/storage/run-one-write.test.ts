import { afterEach, describe, expect, it } from 'vitest';
import { closeAll, finding, open, report } from './helpers';

afterEach(closeAll);

/**
 * A finished run is written whole or not at all: findings, coverage and the summary read from them
 * travel in one record put in one transaction, so a reader never sees half a run.
 */
describe('storing a finished run', () => {
  it('writes one record for the whole run, however many findings it has', async () => {
    const writes: string[] = [];
    const { runs } = await open({ hooks: { beforeWrite: (store) => void writes.push(store) } });
    const findings = Array.from({ length: 5_000 }, (_, n) => finding({ lineId: `L${n}`, severity: n % 3 ? 'warn' : 'error' }));
    const saved = await runs.add({ report: report(findings), inputs: { captureIds: ['c1'] }, settings: {} });
    expect(writes).toEqual(['runs']);
    const read = await runs.get(saved.id);
    expect(read.report.findings).toHaveLength(5_000);
    expect(read.report.coverage).toEqual(report(findings).coverage);
  });

  it('leaves nothing behind when the write fails', async () => {
    const { runs } = await open({
      hooks: {
        beforeWrite: (store) => {
          if (store === 'runs') throw new DOMException('The disk is full', 'QuotaExceededError');
        },
      },
    });
    await expect(runs.add({ report: report([finding()]), inputs: {}, settings: {} })).rejects.toBeTruthy();
    expect(await runs.list()).toEqual([]);
  });
});
