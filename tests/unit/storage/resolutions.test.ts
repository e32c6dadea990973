import { afterEach, describe, expect, it } from 'vitest';
import { findingFingerprint } from '../../../core/model/fingerprint';
import { closeAll, finding, open } from './helpers';

afterEach(closeAll);

describe('resolutions', () => {
  it('keeps a note and a status on a finding across re-runs that reword it', async () => {
    const { resolutions } = await open();
    const f = finding();
    await resolutions.update(f, { note: 'Asked the customer' });
    const saved = await resolutions.update(f, { status: 'ignored' });
    expect(saved).toMatchObject({ fingerprint: findingFingerprint(f), kind: 'quantity_mismatch', note: 'Asked the customer', status: 'ignored' });

    const nextRun = finding({ expected: 7, actual: 6, message: 'reworded' });
    expect(await resolutions.get(nextRun)).toEqual(saved);
    expect(await resolutions.get(finding({ lineId: 'other' }))).toBeUndefined();
  });

  it('clears the note with null and deletes a resolution left open with no note', async () => {
    const { resolutions } = await open();
    const f = finding();
    await resolutions.update(f, { note: 'n', status: 'resolved' });
    expect(await resolutions.update(f, { note: null })).toMatchObject({ status: 'resolved' });
    expect((await resolutions.get(f))?.note).toBeUndefined();
    expect(await resolutions.update(f, { status: 'open' })).toBeUndefined();
    expect(await resolutions.get(f)).toBeUndefined();
    expect(await resolutions.update(f, { note: '   ' })).toBeUndefined();
  });

  it('looks up resolutions for a report, lists and removes them', async () => {
    const { resolutions } = await open();
    const a = finding({ lineId: 'A' });
    const b = finding({ lineId: 'B' });
    const c = finding({ lineId: 'C' });
    await resolutions.update(a, { status: 'resolved' });
    await resolutions.update(c, { note: 'later' });
    const map = await resolutions.forFindings([a, b]);
    expect([...map.keys()]).toEqual([findingFingerprint(a)]);
    expect((await resolutions.list()).map((r) => r.fingerprint).sort()).toEqual([findingFingerprint(a), findingFingerprint(c)].sort());
    expect(await resolutions.remove(a)).toBe(true);
    expect(await resolutions.remove(a)).toBe(false);
    expect(await resolutions.list()).toHaveLength(1);
  });
});
