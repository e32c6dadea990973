import { afterEach, describe, expect, it } from 'vitest';
import { openStorage } from '../../../storage';
import type { StorageError } from '../../../storage';
import { openDatabase } from '../../../storage/db';
import { toStorageError } from '../../../storage/errors';
import { inTransaction } from '../../../storage/context';
import { WriteQueue } from '../../../storage/queue';
import { closeAll, finding, freshName, line, track } from './helpers';

afterEach(closeAll);

describe('storage failures', () => {
  it('saves nothing of a capture when the disk fills between its listing and its rows', async () => {
    const name = freshName('quota-capture');
    let full = false;
    const storage = track(
      await openStorage({
        name,
        hooks: {
          beforeWrite(store) {
            if (full && store === 'captures') throw new DOMException('full', 'QuotaExceededError');
          },
        },
      }),
    );
    const kept = await storage.captures.addLines({ lines: [line()] });
    full = true;
    await expect(storage.captures.addLines({ lines: [line({ lineId: 'L2' })] })).rejects.toMatchObject({
      code: 'quota',
      message: /saving the capture was cancelled and nothing was changed/,
    });
    full = false;
    expect((await storage.captures.list()).map((c) => c.id)).toEqual([kept.id]);
    const raw = await openDatabase(name);
    expect(await raw.getAllKeys('captureData')).toEqual([kept.id]);
    raw.close();
    // The queue keeps going after a failed write.
    expect((await storage.captures.addLines({ lines: [line({ lineId: 'L3' })] })).current).toBe(true);
  });

  it('reports a corrupt record clearly, skips it in lists and keeps it stored', async () => {
    const name = freshName('corrupt');
    const problems: StorageError[] = [];
    const storage = track(await openStorage({ name, onCorrupt: (e) => problems.push(e) }));
    await storage.runs.add({ report: { schema: 'cw-reconciler/report@1', generatedAt: 'x', window: { from: null, to: null }, coverage: { linesRead: 0, linesCompared: 0, linesSkipped: {}, additionsRead: 0, additionsInScope: 0, additionsMatched: 0, cwComplete: true, invoiceMonths: [], skippedRows: [], warnings: [] }, findings: [] }, inputs: {}, settings: {} });
    await storage.resolutions.update(finding({ lineId: 'ok' }), { note: 'fine' });
    const raw = await openDatabase(name);
    await raw.put('runs', { id: 'broken', createdAt: '2026-01-01T00:00:00.000Z', report: { schema: 'other' } } as never);
    await raw.put('resolutions', { fingerprint: 'x', kind: 'not-a-kind', status: 'open', createdAt: 'a', updatedAt: 'b' } as never);

    await expect(storage.runs.get('broken')).rejects.toMatchObject({
      code: 'corrupt',
      message: /stored runs record "broken" is damaged.*field report\.schema.*left as it is/,
    });
    expect(await storage.runs.list()).toHaveLength(1);
    expect(await storage.resolutions.list()).toHaveLength(1);
    expect(problems.map((p) => p.message)).toEqual([expect.stringMatching(/runs record "broken"/), expect.stringMatching(/resolutions record "x".*kind/)]);
    expect(await raw.get('runs', 'broken')).toMatchObject({ id: 'broken' });
    raw.close();
  });

  it('says the rows are missing when a capture lost its data record', async () => {
    const name = freshName('lost-rows');
    const storage = track(await openStorage({ name }));
    const saved = await storage.captures.addLines({ lines: [line()] });
    const raw = await openDatabase(name);
    await raw.delete('captureData', saved.id);
    raw.close();
    await expect(storage.captures.get(saved.id)).rejects.toMatchObject({ code: 'corrupt', message: /rows of capture .* are missing/ });
  });

  it('refuses work on a closed connection with a clear message', async () => {
    const storage = await openStorage({ name: freshName('closed') });
    storage.close();
    await expect(storage.dictionary.list()).rejects.toMatchObject({ code: 'closed' });
    await expect(storage.dictionary.add({ platform: 'a', connectwise: 'b' })).rejects.toMatchObject({ code: 'closed' });
  });

  it('maps IndexedDB failures to codes', () => {
    expect(toStorageError(new DOMException('x', 'QuotaExceededError'), 'saving').code).toBe('quota');
    expect(toStorageError(new DOMException('x', 'VersionError'), 'opening').code).toBe('version');
    expect(toStorageError(new DOMException('x', 'InvalidStateError'), 'saving').code).toBe('closed');
    const other = toStorageError(new Error('boom'), 'saving the run');
    expect(other).toMatchObject({ code: 'failed', message: 'Storage failed while saving the run: boom. Nothing was changed.' });
  });

  it('keeps the write queue running after a failure and reports when idle', async () => {
    const queue = new WriteQueue();
    const order: number[] = [];
    const failing = queue.run(async () => {
      order.push(1);
      throw new Error('no');
    });
    const next = queue.run(async () => {
      order.push(2);
      return 'ok';
    });
    await expect(failing).rejects.toThrow('no');
    expect(await next).toBe('ok');
    await queue.idle();
    expect(order).toEqual([1, 2]);
  });
});

describe('inTransaction', () => {
  it('reports the transaction\'s own error (a full disk) over the requests\' "aborted"', async () => {
    const quota = new DOMException('full', 'QuotaExceededError');
    const done = Promise.reject(quota);
    done.catch(() => undefined);
    const tx = { done, abort() {} };
    await expect(
      inTransaction(tx, async () => {
        throw new DOMException('aborted', 'AbortError');
      }),
    ).rejects.toBe(quota);
  });

  it('keeps the body\'s own error when the transaction merely aborted', async () => {
    const done = Promise.reject(new DOMException('aborted', 'AbortError'));
    done.catch(() => undefined);
    const boom = new Error('boom');
    await expect(inTransaction({ done, abort() {} }, async () => Promise.reject(boom))).rejects.toBe(boom);
  });
});
