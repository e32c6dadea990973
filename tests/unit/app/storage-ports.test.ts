import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { fakeBrowser } from 'wxt/testing/fake-browser';
import { connectionSite, cwSite, regionOfSite } from '../../../core/app/cw-site';
import { findingFingerprint } from '../../../core/model/fingerprint';
import { MESSAGES } from '../../../core/protocol/messages';
import { CW_REGIONS, type PublicSettings, type Resolution } from '../../../core/model';
import type { DictionaryEntry } from '../../../core/dictionary/schema';
import { closeAll, finding, line, report } from '../storage/helpers';
import { storageWorld } from './storage-world';
import { COBALT, cobaltConflict } from '../mapping-conflict';

/*
 * The translations between stored records and the protocol, which used to sit untested in the
 * background entrypoint, driven through the service over a real (fake-indexeddb) database.
 */

beforeEach(() => fakeBrowser.reset());
afterEach(closeAll);

describe('the ConnectWise site in both spellings', () => {
  it('turns every region into its site and back', () => {
    for (const region of CW_REGIONS.filter((r) => r !== 'custom')) {
      const site = connectionSite({ region, customHost: '' });
      expect(site).toBe(`https://${cwSite({ region, customHost: '' })}`);
      expect(regionOfSite(site)).toEqual({ region, customHost: '' });
      expect(regionOfSite(`${site}/`)).toEqual({ region, customHost: '' });
    }
    expect(connectionSite({ region: 'eu', customHost: '' })).toBe('https://eu.myconnectwise.net');
    expect(connectionSite({ region: 'custom', customHost: ' cw.example.com ' })).toBe('cw.example.com');
    expect(regionOfSite('cw.example.com')).toEqual({ region: 'custom', customHost: 'cw.example.com' });
    // A look-alike of a cloud host is a custom site, not that region.
    expect(regionOfSite('https://eu.myconnectwise.net.evil.example')).toMatchObject({ region: 'custom' });
    expect(regionOfSite('')).toEqual({ region: 'na', customHost: '' });
  });

  it('stores the site of the region the options page saves, and shows that region again', async () => {
    const w = await storageWorld();
    const cw = { region: 'au', customHost: '', companyId: ' acme ', publicKey: 'pub', clientId: 'cid', privateKey: 'secret' } as const;
    const shown = await w.call<PublicSettings>('settings.set', { patch: { cw } });
    expect(shown.cw).toEqual({ region: 'au', customHost: '', companyId: 'acme', publicKey: 'pub', clientId: 'cid', hasPrivateKey: true });
    expect((await w.settings.getConnection())?.site).toBe('https://au.myconnectwise.net');
    expect(JSON.stringify(shown)).not.toContain('secret');
    const custom = await w.call<PublicSettings>('settings.set', { patch: { cw: { region: 'custom', customHost: 'cw.example.com' } } });
    expect(custom.cw).toMatchObject({ region: 'custom', customHost: 'cw.example.com' });
    expect((await w.settings.getConnection())?.site).toBe('cw.example.com');
    await expect(w.call('settings.set', { patch: { cw: { companyId: '  ' } } })).rejects.toMatchObject({ code: 'invalid' });
  });
});

describe('resolutions: stored in the model\'s own shape', () => {
  it('stores what the panel sets and answers it as the panel named it', async () => {
    const w = await storageWorld();
    const f = finding();
    const run = await w.storage.runs.add({ report: report([f]), inputs: { captureIds: [] }, settings: {} });
    const fingerprint = findingFingerprint(f);
    const set = await w.call<Resolution>('resolution.set', { fingerprint, runId: run.id, status: 'resolved', note: 'credited' });
    expect(set).toMatchObject({ fingerprint, status: 'resolved', note: 'credited' });
    expect(await w.storage.resolutions.get(f)).toMatchObject({ status: 'resolved', note: 'credited' });
    await w.call('resolution.set', { fingerprint, runId: run.id, status: 'ignored' });
    expect(await w.call<Resolution[]>('resolutions.list')).toEqual([expect.objectContaining({ status: 'ignored', note: 'credited' })]);
    expect(await w.call('resolution.set', { fingerprint, runId: run.id, status: 'open', note: '' })).toBeNull();
    expect(await w.storage.resolutions.get(f)).toBeUndefined();
  });
});

describe('dictionary entries', () => {
  it('lists a stored entry with its terms on their own sides, as the model names them', async () => {
    const w = await storageWorld();
    await w.storage.dictionary.add({ platform: 'Invoice lines', connectwise: 'Additions', explanation: 'cw side' });
    const added = await w.call<DictionaryEntry>('dictionary.add', { entry: { platform: 'Reseller', connectwise: 'Vendor', kind: 'field', explanation: 'platform side' } });
    const listed = await w.call<DictionaryEntry[]>('dictionary.list');
    const user = listed.filter((e) => e.origin === 'user');
    expect(user).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ platform: 'Invoice lines', connectwise: 'Additions', explanation: 'cw side' }),
        expect.objectContaining({ platform: 'Reseller', connectwise: 'Vendor', explanation: 'platform side' }),
      ]),
    );
    expect(user).toHaveLength(2);
    // What add answers is what the list shows for it.
    expect(user).toContainEqual(added);
    expect(listed.some((e) => e.origin === 'builtin')).toBe(true);
    for (const e of listed) expect(MESSAGES['dictionary.list'].response.element.parse(e)).toEqual(e);
  });
});

describe('mapping conflicts: one rule, the store\'s', () => {
  it('answers a user mapping and the captured one it disagrees with until the user keeps one', async () => {
    const w = await storageWorld();
    await w.call('mappings.set', { kind: COBALT.kind, platform: COBALT.platform, cw: COBALT.user });
    expect(await w.call('mappings.conflicts')).toEqual([]);
    // Captured under another spelling of the same Platform name.
    await w.storage.mappings.capture([{ kind: COBALT.kind, platform: COBALT.platform.toLowerCase(), cw: COBALT.captured }]);
    const conflicts = await w.call('mappings.conflicts');
    // No Platform lines are captured here, so neither side is carried by any line.
    expect(MESSAGES['mappings.conflicts'].response.parse(conflicts)).toEqual([cobaltConflict(0)]);
    await w.storage.mappings.resolveConflict(COBALT.kind, COBALT.platform, 'user');
    expect(await w.call('mappings.conflicts')).toEqual([]);
  });
});

describe('runs', () => {
  it('lists whole runs, newest first, in one read instead of one more read per run', async () => {
    const w = await storageWorld();
    const ids: string[] = [];
    for (let i = 0; i < 4; i++) ids.push((await w.storage.runs.add({ report: report([finding({ lineId: `L${i}` })]), inputs: { captureIds: [`c${i}`], bundleSource: 'api' }, settings: {} })).id);
    let reads = 0;
    const get = w.storage.runs.get.bind(w.storage.runs);
    w.storage.runs.get = (id) => {
      reads++;
      return get(id);
    };
    const listed = await w.ports.runs.list(3);
    expect(listed.map((r) => r.id)).toEqual([ids[3], ids[2], ids[1]]);
    expect(listed[0]).toMatchObject({ captureIds: ['c3'], cwSource: 'api' });
    expect(listed[0]!.report.findings[0]!.lineId).toBe('L3');
    expect(reads).toBe(0);
    expect((await w.call<unknown[]>('runs.list', {})).length).toBe(4);
    expect(reads).toBe(0);
  });
});

describe('data.clear', () => {
  it('empties every store and keeps the settings and the connection', async () => {
    const w = await storageWorld();
    await w.call('settings.set', { patch: { cw: { region: 'eu', customHost: '', companyId: 'acme', publicKey: 'pub', clientId: 'cid', privateKey: 'secret' } } });
    const f = finding();
    await w.storage.captures.addLines({ lines: [line()], scope: 'x' });
    await w.storage.runs.add({ report: report([f]), inputs: { captureIds: [] }, settings: {} });
    await w.storage.resolutions.update(f, { note: 'n' });
    await w.storage.mappings.setUser({ kind: 'organization', platform: 'Acme Ltd', cw: 'Acme' });
    await w.storage.dictionary.add({ platform: 'A', connectwise: 'B' });

    await w.call('data.clear', { confirm: true });

    expect(await w.storage.captures.list({ includeDeleted: true })).toEqual([]);
    expect(await w.storage.runs.list()).toEqual([]);
    expect(await w.storage.resolutions.list()).toEqual([]);
    expect(await w.storage.mappings.list()).toEqual([]);
    expect(await w.storage.dictionary.list()).toEqual([]);
    expect((await w.call<PublicSettings>('settings.get')).cw).toMatchObject({ region: 'eu', companyId: 'acme', hasPrivateKey: true });
    expect(w.events).toContainEqual({ event: 'data.changed', stores: ['captures', 'runs', 'resolutions', 'mappings', 'dictionary'] });
  });
});
