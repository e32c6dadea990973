import { afterEach, describe, expect, it } from 'vitest';
import { closeAll, open } from './helpers';

afterEach(closeAll);

describe('mappings', () => {
  it('stores captured mappings and reports what changed on the next capture', async () => {
    const { mappings } = await open();
    const first = await mappings.capture([
      { kind: 'organization', platformName: 'Acme Ltd', cwName: 'Acme' },
      { kind: 'offer', platformName: 'Microsoft 365 Business Basic', cwName: 'M365-BB' },
      { kind: 'organization', platformName: '  ', cwName: 'Blank' },
    ]);
    expect(first).toEqual({ added: 2, updated: 0, unchanged: 0, conflicts: 0 });

    const second = await mappings.capture([
      { kind: 'organization', platformName: 'ACME LTD', cwName: 'acme', cwId: 10 },
      { kind: 'offer', platformName: 'Microsoft 365 Business Basic', cwName: 'M365-BB' },
    ]);
    expect(second).toEqual({ added: 0, updated: 1, unchanged: 1, conflicts: 0 });

    const acme = await mappings.get('organization', 'acme ltd');
    expect(acme).toMatchObject({ source: 'captured', cwName: 'acme', cwId: 10, platformName: 'ACME LTD' });
    // The id learnt once stays while later captures name the same target without it.
    await mappings.capture([{ kind: 'organization', platformName: 'ACME LTD', cwName: 'acme' }]);
    expect((await mappings.get('organization', 'Acme Ltd'))?.cwId).toBe(10);
  });

  it('lets a user mapping win and never lets a capture overwrite it', async () => {
    const { mappings } = await open();
    await mappings.setUser({ kind: 'organization', platformName: 'Acme Ltd', cwName: 'Acme Corporation', cwId: 11 });
    const result = await mappings.capture([{ kind: 'organization', platformName: 'Acme Ltd', cwName: 'Acme' }]);
    expect(result.conflicts).toBe(1);

    expect(await mappings.get('organization', 'Acme Ltd')).toMatchObject({ source: 'user', cwName: 'Acme Corporation', cwId: 11 });
    const listed = await mappings.list('organization');
    expect(listed).toHaveLength(1);
    expect(listed[0]).toMatchObject({ source: 'user' });

    const conflicts = await mappings.listConflicts();
    expect(conflicts).toHaveLength(1);
    expect(conflicts[0]).toMatchObject({
      kind: 'organization',
      key: 'acme ltd',
      user: { cwName: 'Acme Corporation' },
      captured: { cwName: 'Acme' },
    });
  });

  it('sees no conflict when the capture agrees with the user', async () => {
    const { mappings } = await open();
    await mappings.setUser({ kind: 'contract', platformName: 'C-1', cwName: 'Monthly Cloud' });
    const result = await mappings.capture([{ kind: 'contract', platformName: 'c-1', cwName: 'monthly  cloud' }]);
    expect(result.conflicts).toBe(0);
    expect(await mappings.listConflicts()).toEqual([]);
  });

  it('resolves a conflict by keeping the user mapping until a capture names yet another target', async () => {
    const { mappings } = await open();
    await mappings.setUser({ kind: 'organization', platformName: 'Acme Ltd', cwName: 'Acme Corporation' });
    await mappings.capture([{ kind: 'organization', platformName: 'Acme Ltd', cwName: 'Acme' }]);
    await mappings.resolveConflict('organization', 'Acme Ltd', 'user');
    expect(await mappings.listConflicts()).toEqual([]);

    await mappings.capture([{ kind: 'organization', platformName: 'Acme Ltd', cwName: 'Acme' }]);
    expect(await mappings.listConflicts()).toEqual([]);

    await mappings.capture([{ kind: 'organization', platformName: 'Acme Ltd', cwName: 'Acme Holdings' }]);
    expect(await mappings.listConflicts()).toHaveLength(1);
    expect((await mappings.get('organization', 'Acme Ltd'))?.cwName).toBe('Acme Corporation');
  });

  it('resolves a conflict by taking the captured mapping', async () => {
    const { mappings } = await open();
    await mappings.setUser({ kind: 'offer', platformName: 'Teams', cwName: 'TEAMS-OLD' });
    await mappings.capture([{ kind: 'offer', platformName: 'Teams', cwName: 'TEAMS-ESS' }]);
    await mappings.resolveConflict('offer', 'teams', 'captured');
    expect(await mappings.listConflicts()).toEqual([]);
    expect(await mappings.get('offer', 'Teams')).toMatchObject({ source: 'captured', cwName: 'TEAMS-ESS' });
    await expect(mappings.resolveConflict('offer', 'teams', 'captured')).rejects.toMatchObject({ code: 'not-found' });
  });

  it('finds Platform names from the ConnectWise side, only among mappings in force', async () => {
    const { mappings } = await open();
    await mappings.capture([
      { kind: 'organization', platformName: 'Acme Ltd', cwName: 'Acme' },
      { kind: 'organization', platformName: 'Acme GmbH', cwName: 'ACME' },
      { kind: 'organization', platformName: 'Beta', cwName: 'Acme' },
      { kind: 'offer', platformName: 'Acme', cwName: 'Acme' },
    ]);
    await mappings.setUser({ kind: 'organization', platformName: 'Beta', cwName: 'Beta Inc' });
    const found = await mappings.findByCw('organization', ' acme ');
    expect(found.map((m) => m.platformName)).toEqual(['Acme GmbH', 'Acme Ltd']);
    expect((await mappings.findByCw('organization', 'Beta Inc')).map((m) => m.source)).toEqual(['user']);
  });

  it('lists every kind sorted, removes one side at a time, and rejects blank user mappings', async () => {
    const { mappings } = await open();
    await mappings.capture([
      { kind: 'offer', platformName: 'Zed', cwName: 'Z' },
      { kind: 'organization', platformName: 'Beta', cwName: 'B' },
      { kind: 'organization', platformName: 'Alpha', cwName: 'A' },
    ]);
    await mappings.setUser({ kind: 'organization', platformName: 'Alpha', cwName: 'A2' });
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
    await expect(mappings.setUser({ kind: 'offer', platformName: '', cwName: 'X' })).rejects.toThrow(/Platform name/);
  });

  it('keeps createdAt and refreshes updatedAt when the user edits a mapping', async () => {
    const { mappings } = await open();
    const first = await mappings.setUser({ kind: 'contract', platformName: 'C-9', cwName: 'Cloud', cwId: 7 });
    const second = await mappings.setUser({ kind: 'contract', platformName: 'C-9', cwName: 'Cloud' });
    expect(second.createdAt).toBe(first.createdAt);
    expect(second.updatedAt > first.updatedAt).toBe(true);
    expect(second.cwId).toBe(7);
    const third = await mappings.setUser({ kind: 'contract', platformName: 'C-9', cwName: 'Other' });
    expect(third.cwId).toBeUndefined();
  });
});
