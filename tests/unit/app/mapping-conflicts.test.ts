import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { fakeBrowser } from 'wxt/testing/fake-browser';
import type { Mapping, MappingConflict } from '../../../core/model';
import { closeAll } from '../storage/helpers';
import { lines, storageWorld } from './storage-world';

/*
 * Mapping conflicts through the service over real storage: a capture of the worked month teaches
 * the captured mappings, the user maps one organization elsewhere, and the panel settles it.
 */

beforeEach(() => fakeBrowser.reset());
afterEach(closeAll);

// The organization on the most lines of the worked month, and the ConnectWise company they name.
const byPair = new Map<string, { organization: string; company: string; lines: number }>();
for (const l of lines) {
  if (!l.psaOrganizationName) continue;
  const key = `${l.organization}|${l.psaOrganizationName}`;
  const held = byPair.get(key) ?? { organization: l.organization, company: l.psaOrganizationName, lines: 0 };
  held.lines++;
  byPair.set(key, held);
}
const busiest = [...byPair.values()].sort((a, b) => b.lines - a.lines)[0]!;

async function conflictWorld() {
  const w = await storageWorld();
  await w.call('capture.start', { tabId: 3, jobId: 'cap-1' });
  await w.call('mappings.set', { kind: 'organization', platform: busiest.organization, cw: 'Someone Else AB' });
  return w;
}

describe('mapping conflicts', () => {
  it('counts, for each side, the captured Platform lines that pair the name with it', async () => {
    expect(busiest.lines).toBeGreaterThan(1);
    const w = await conflictWorld();
    const conflicts = await w.call<MappingConflict[]>('mappings.conflicts');
    expect(conflicts).toEqual([
      {
        kind: 'organization',
        side: 'platform',
        name: busiest.organization,
        candidates: [
          { name: 'Someone Else AB', source: 'user', count: 0 },
          { name: busiest.company, source: 'captured', count: busiest.lines },
        ],
      },
    ]);
  });

  it('keeps the captured side, hands the user’s mapping back, and undoing restores it and the conflict', async () => {
    const w = await conflictWorld();
    const answer = await w.call<{ kept: Mapping; setAside: Mapping }>('mappings.resolveConflict', { kind: 'organization', platform: busiest.organization, keep: 'captured' });
    expect(answer.kept).toMatchObject({ source: 'captured', cw: busiest.company });
    expect(answer.setAside).toMatchObject({ source: 'user', cw: 'Someone Else AB' });
    expect(await w.call('mappings.conflicts')).toEqual([]);
    const inForce = (await w.call<Mapping[]>('mappings.list', {})).find((m) => m.platform === busiest.organization);
    expect(inForce).toMatchObject({ source: 'captured', cw: busiest.company });
    expect(w.events).toContainEqual({ event: 'data.changed', stores: ['mappings'] });

    await w.call('mappings.reopenConflict', { kind: 'organization', platform: busiest.organization, setAside: answer.setAside });
    expect((await w.call<MappingConflict[]>('mappings.conflicts')).map((c) => c.name)).toEqual([busiest.organization]);
    expect((await w.call<Mapping[]>('mappings.list', {})).find((m) => m.platform === busiest.organization)).toMatchObject({ source: 'user', cw: 'Someone Else AB' });
  });

  it('keeps the user’s side without deleting the captured one, and undoing makes it a conflict again', async () => {
    const w = await conflictWorld();
    const answer = await w.call<{ kept: Mapping; setAside: Mapping }>('mappings.resolveConflict', { kind: 'organization', platform: busiest.organization, keep: 'user' });
    expect(answer).toMatchObject({ kept: { source: 'user', cw: 'Someone Else AB' }, setAside: { source: 'captured', cw: busiest.company } });
    expect(await w.call('mappings.conflicts')).toEqual([]);
    expect(await w.storage.mappings.get('organization', busiest.organization)).toMatchObject({ source: 'user' });

    await w.call('mappings.reopenConflict', { kind: 'organization', platform: busiest.organization, setAside: answer.setAside });
    expect(await w.call<MappingConflict[]>('mappings.conflicts')).toHaveLength(1);
  });

  it('refuses to settle a name that has no conflict, changing nothing', async () => {
    const w = await storageWorld();
    await w.call('mappings.set', { kind: 'organization', platform: 'Acme Ltd', cw: 'Acme' });
    await expect(w.call('mappings.resolveConflict', { kind: 'organization', platform: 'Acme Ltd', keep: 'captured' })).rejects.toMatchObject({ code: 'not_found' });
    expect(await w.call<Mapping[]>('mappings.list', {})).toEqual([expect.objectContaining({ platform: 'Acme Ltd', source: 'user' })]);
  });
});
