import { afterEach, describe, expect, it } from 'vitest';
import { openStorage } from '../../../storage';
import { closeAll, finding, freshName, line, tickingClock, track } from './helpers';

afterEach(closeAll);

/** Two tabs: two connections to one database, each with its own write queue. */
async function twoTabs() {
  const name = freshName('tabs');
  const clock = tickingClock();
  const a = track(await openStorage({ name, now: clock.now }));
  const b = track(await openStorage({ name, now: clock.now }));
  return { a, b };
}

describe('concurrent writers', () => {
  it('loses no field when two tabs patch the same resolutions at once', async () => {
    const { a, b } = await twoTabs();
    const findings = Array.from({ length: 40 }, (_, i) => finding({ lineId: `L${i}` }));
    await Promise.all(
      findings.flatMap((f, i) => [a.resolutions.update(f, { note: `note ${i}` }), b.resolutions.update(f, { status: 'resolved' })]),
    );
    const all = await a.resolutions.list();
    expect(all).toHaveLength(40);
    for (const [i, f] of findings.entries()) {
      expect(await b.resolutions.get(f)).toMatchObject({ note: `note ${i}`, status: 'resolved' });
    }
  });

  it('keeps both the user mapping and the captured one when a capture races an edit', async () => {
    const { a, b } = await twoTabs();
    const names = Array.from({ length: 30 }, (_, i) => `Org ${i}`);
    await Promise.all([
      ...names.map((n) => a.mappings.setUser({ kind: 'organization', platform: n, cw: `User ${n}` })),
      ...names.map((n) => b.mappings.capture([{ kind: 'organization', platform: n, cw: `Captured ${n}` }])),
    ]);
    const inForce = await b.mappings.list('organization');
    expect(inForce).toHaveLength(30);
    expect(inForce.every((m) => m.source === 'user')).toBe(true);
    expect(await a.mappings.listConflicts()).toHaveLength(30);
  });

  it('adds every capture from both tabs and leaves exactly one current per scope', async () => {
    const { a, b } = await twoTabs();
    const added = await Promise.all(
      Array.from({ length: 20 }, (_, i) => (i % 2 ? a : b).captures.addLines({ lines: [line({ lineId: `L${i}` })] })),
    );
    const listed = await a.captures.list();
    expect(listed.map((c) => c.id).sort()).toEqual(added.map((c) => c.id).sort());
    expect(listed.filter((c) => c.current)).toHaveLength(1);
    expect(listed[0]?.current).toBe(true);
    // Every capture's rows landed together with its listing.
    for (const c of listed) expect((await b.captures.get(c.id)).lines).toHaveLength(1);
  });

  it('serialises one tab\'s writes in the order they were asked for', async () => {
    const { a, b } = await twoTabs();
    const f = finding();
    const writes = Array.from({ length: 25 }, (_, i) => a.resolutions.update(f, { note: `v${i}` }));
    await Promise.all([...writes, b.dictionary.add({ platform: 'Tenant', connectwise: 'Company' })]);
    expect((await b.resolutions.get(f))?.note).toBe('v24');
    expect(await a.dictionary.list()).toHaveLength(1);
  });
});
