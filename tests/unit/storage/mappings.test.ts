import { afterEach, describe, expect, it } from 'vitest';
import { closeAll, open } from './helpers';

afterEach(closeAll);

describe('mappings', () => {
  it('stores captured mappings and reports what changed on the next capture', async () => {
    const { mappings } = await open();
    const first = await mappings.capture([
      { kind: 'organization', platform: 'Acme Ltd', cw: 'Acme' },
      { kind: 'offer', platform: 'Microsoft 365 Business Basic', cw: 'M365-BB' },
      { kind: 'organization', platform: '  ', cw: 'Blank' },
    ]);
    expect(first).toEqual({ added: 2, updated: 0, unchanged: 0, conflicts: 0 });

    const second = await mappings.capture([
      { kind: 'organization', platform: 'ACME LTD', cw: 'acme', cwId: 10 },
      { kind: 'offer', platform: 'Microsoft 365 Business Basic', cw: 'M365-BB' },
    ]);
    expect(second).toEqual({ added: 0, updated: 1, unchanged: 1, conflicts: 0 });

    const acme = await mappings.get('organization', 'acme ltd');
    expect(acme).toMatchObject({ source: 'captured', cw: 'acme', cwId: 10, platform: 'ACME LTD' });
    // The id learnt once stays while later captures name the same target without it.
    await mappings.capture([{ kind: 'organization', platform: 'ACME LTD', cw: 'acme' }]);
    expect((await mappings.get('organization', 'Acme Ltd'))?.cwId).toBe(10);
  });

  it('lets a user mapping win and never lets a capture overwrite it', async () => {
    const { mappings } = await open();
    await mappings.setUser({ kind: 'organization', platform: 'Acme Ltd', cw: 'Acme Corporation', cwId: 11 });
    const result = await mappings.capture([{ kind: 'organization', platform: 'Acme Ltd', cw: 'Acme' }]);
    expect(result.conflicts).toBe(1);

    expect(await mappings.get('organization', 'Acme Ltd')).toMatchObject({ source: 'user', cw: 'Acme Corporation', cwId: 11 });
    const listed = await mappings.list('organization');
    expect(listed).toHaveLength(1);
    expect(listed[0]).toMatchObject({ source: 'user' });

    const conflicts = await mappings.listConflicts();
    expect(conflicts).toHaveLength(1);
    expect(conflicts[0]).toMatchObject({
      kind: 'organization',
      key: 'acme ltd',
      user: { cw: 'Acme Corporation' },
      captured: { cw: 'Acme' },
    });
  });

  it('sees no conflict when the capture agrees with the user', async () => {
    const { mappings } = await open();
    await mappings.setUser({ kind: 'contract', platform: 'C-1', cw: 'Monthly Cloud' });
    const result = await mappings.capture([{ kind: 'contract', platform: 'c-1', cw: 'monthly  cloud' }]);
    expect(result.conflicts).toBe(0);
    expect(await mappings.listConflicts()).toEqual([]);
  });

  it('resolves a conflict by keeping the user mapping until a capture names yet another target', async () => {
    const { mappings } = await open();
    await mappings.setUser({ kind: 'organization', platform: 'Acme Ltd', cw: 'Acme Corporation' });
    await mappings.capture([{ kind: 'organization', platform: 'Acme Ltd', cw: 'Acme' }]);
    await mappings.resolveConflict('organization', 'Acme Ltd', 'user');
    expect(await mappings.listConflicts()).toEqual([]);

    await mappings.capture([{ kind: 'organization', platform: 'Acme Ltd', cw: 'Acme' }]);
    expect(await mappings.listConflicts()).toEqual([]);

    await mappings.capture([{ kind: 'organization', platform: 'Acme Ltd', cw: 'Acme Holdings' }]);
    expect(await mappings.listConflicts()).toHaveLength(1);
    expect((await mappings.get('organization', 'Acme Ltd'))?.cw).toBe('Acme Corporation');
  });

  it('resolves a conflict by taking the captured mapping', async () => {
    const { mappings } = await open();
    await mappings.setUser({ kind: 'offer', platform: 'Teams', cw: 'TEAMS-OLD' });
    await mappings.capture([{ kind: 'offer', platform: 'Teams', cw: 'TEAMS-ESS' }]);
    await mappings.resolveConflict('offer', 'teams', 'captured');
    expect(await mappings.listConflicts()).toEqual([]);
    expect(await mappings.get('offer', 'Teams')).toMatchObject({ source: 'captured', cw: 'TEAMS-ESS' });
    await expect(mappings.resolveConflict('offer', 'teams', 'captured')).rejects.toMatchObject({ code: 'not-found' });
  });

  it('finds Platform names from the ConnectWise side, only among mappings in force', async () => {
    const { mappings } = await open();
    await mappings.capture([
      { kind: 'organization', platform: 'Acme Ltd', cw: 'Acme' },
      { kind: 'organization', platform: 'Acme GmbH', cw: 'ACME' },
      { kind: 'organization', platform: 'Beta', cw: 'Acme' },
      { kind: 'offer', platform: 'Acme', cw: 'Acme' },
    ]);
    await mappings.setUser({ kind: 'organization', platform: 'Beta', cw: 'Beta Inc' });
    const found = await mappings.findByCw('organization', ' acme ');
    expect(found.map((m) => m.platform)).toEqual(['Acme GmbH', 'Acme Ltd']);
    expect((await mappings.findByCw('organization', 'Beta Inc')).map((m) => m.source)).toEqual(['user']);
  });

  it('lists every kind sorted, removes one side at a time, and rejects blank user mappings', async () => {
    const { mappings } = await open();
    await mappings.capture([
      { kind: 'offer', platform: 'Zed', cw: 'Z' },
      { kind: 'organization', platform: 'Beta', cw: 'B' },
      { kind: 'organization', platform: 'Alpha', cw: 'A' },
    ]);
    await mappings.setUser({ kind: 'organization', platform: 'Alpha', cw: 'A2' });
    expect((await mappings.list()).map((m) => `${m.kind}:${m.key}:${m.source}`)).toEqual([
      'offer:zed:captured',
      'organization:alpha:user',
      'organization:beta:captured',
    ]);
    expect(await mappings.remove('organization', 'Alpha')).toBe(true);
    expect(await mappings.remove('organization', 'Alpha')).toBe(false);
    expect((await mappings.get('organization', 'alpha'))?.source).toBe('captured');
    expect(await mappings.remove('organization', 'Alpha', 'captured')).toBe(true);
    expect(await mappings.get('organization', 'alpha')).toBeUndefined();
    await expect(mappings.setUser({ kind: 'offer', platform: '', cw: 'X' })).rejects.toThrow(/Platform name/);
  });

  it('keeps createdAt and refreshes updatedAt when the user edits a mapping', async () => {
    const { mappings } = await open();
    const first = await mappings.setUser({ kind: 'contract', platform: 'C-9', cw: 'Cloud', cwId: 7 });
    const second = await mappings.setUser({ kind: 'contract', platform: 'C-9', cw: 'Cloud' });
    expect(second.createdAt).toBe(first.createdAt);
    expect(second.updatedAt > first.updatedAt).toBe(true);
    expect(second.cwId).toBe(7);
    const third = await mappings.setUser({ kind: 'contract', platform: 'C-9', cw: 'Other' });
    expect(third.cwId).toBeUndefined();
  });
});
