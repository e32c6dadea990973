// @vitest-environment happy-dom
import { afterEach, describe, expect, it } from 'vitest';
import type { ConnectionResult, CwCredentialsDraft, OptionsApi, SettingsPatch, SettingsView } from '../../../components/api';
import { createOptionsModel, draftToPatch, normalizeHost, parseHostPatterns, previewBackup } from '../../../components/options/model';
import { OptionsApp } from '../../../components/options/OptionsApp';
import { seriousViolations } from './axe';
import { choose, click, mount, q, settle, type } from './render';

/**
 * An in-memory options backend that behaves like the background: the private key is stored
 * apart and only `hasPrivateKey` comes back; Test connection checks the keys it was given.
 */
function createOptionsBackend(grant = true) {
  let privateKey: string | null = null;
  let settings: SettingsView = {
    cw: { region: 'na', customHost: '', companyId: '', publicKey: '', clientId: '', hasPrivateKey: false },
    reconcile: {},
    hosts: { platform: [], connectwise: [] },
    inPage: { enabled: true, offHosts: [] },
  };
  const requested: string[][] = [];
  const patches: SettingsPatch[] = [];
  let cleared = 0;
  const imports: Array<{ json: string; mode: string }> = [];
  const previews: string[] = [];
  // Stored records by store and id, so a dry run has something real to compare the file with.
  const stored: Record<string, Map<string, string>> = {
    mappings: new Map([
      ['a', JSON.stringify({ id: 'a', cw: 'Acme' })],
      ['gone', JSON.stringify({ id: 'gone', cw: 'Gone Co' })],
    ]),
    runs: new Map(),
  };
  const plan = (json: string, mode: 'merge' | 'replace') => {
    const file = JSON.parse(json) as { exportedAt: string; data: Record<string, Array<{ id?: string }>> };
    const stores: Record<string, { added: number; updated: number; unchanged: number; removed: number }> = {};
    for (const [name, records] of Object.entries(file.data)) {
      const before = stored[name] ?? new Map<string, string>();
      const c = { added: 0, updated: 0, unchanged: 0, removed: 0 };
      records.forEach((r, i) => {
        if (!r.id) throw new Error(`This file cannot be imported: field data.${name}[${i}].id holds nothing. Nothing was changed.`);
        const old = before.get(r.id);
        if (old === undefined) c.added++;
        else if (old === JSON.stringify(r)) c.unchanged++;
        else c.updated++;
      });
      if (mode === 'replace') c.removed = [...before.keys()].filter((id) => !records.some((r) => r.id === id)).length;
      stores[name] = c;
    }
    return { mode, exportedAt: file.exportedAt, stores, settings: false };
  };
  const api: OptionsApi = {
    async getSettings() {
      return structuredClone(settings);
    },
    async saveSettings(patch) {
      patches.push(structuredClone(patch));
      const { privateKey: pk, ...cw } = patch.cw ?? {};
      if (pk !== undefined) privateKey = pk;
      settings = {
        ...settings,
        cw: { ...settings.cw, ...cw, hasPrivateKey: privateKey !== null },
        reconcile: patch.reconcile ?? settings.reconcile,
        hosts: { ...settings.hosts, ...patch.hosts },
        inPage: { ...settings.inPage, ...patch.inPage },
      };
      return structuredClone(settings);
    },
    async testConnection(draft?: CwCredentialsDraft): Promise<ConnectionResult> {
      const key = draft?.privateKey ?? privateKey;
      if (key !== 'good-secret') return { ok: false, message: 'ConnectWise answered 401: the keys were refused.', missingPermissions: [], checks: [] };
      if (draft?.companyId === 'limited') {
        return { ok: false, message: 'ConnectWise answered 403.', missingPermissions: ['Finance → Agreements (Inquire)', 'Procurement → Product Catalog (Inquire)'], checks: [] };
      }
      return { ok: true, message: 'Signed in to ConnectWise 2025.1.', missingPermissions: [], checks: [] };
    },
    async requestHostPermission(origins) {
      requested.push(origins);
      return grant;
    },
    async exportData() {
      return { filename: 'backup.json', json: '{}' };
    },
    async previewImport(json, mode) {
      previews.push(mode);
      return plan(json, mode);
    },
    async importData(json, mode) {
      imports.push({ json, mode });
      const changes = plan(json, mode);
      return Object.fromEntries(Object.entries(changes.stores).map(([name, c]) => [name, c.added + c.updated]));
    },
    async clearAll() {
      cleared++;
    },
  };
  return { api, requested, patches, imports, previews, get cleared() { return cleared; }, get privateKey() { return privateKey; } };
}

let cleanup: (() => void) | undefined;
afterEach(() => {
  cleanup?.();
  cleanup = undefined;
});

async function setup(grant = true) {
  const backend = createOptionsBackend(grant);
  const model = createOptionsModel(backend.api);
  const view = mount(<OptionsApp model={model} />);
  cleanup = view.unmount;
  await settle();
  return { backend, model, root: view.container };
}

describe('options page', () => {
  it('renders labelled controls with no serious accessibility problems', async () => {
    const { root } = await setup();
    expect(q(root, 'opt-region')).not.toBeNull();
    for (const input of root.querySelectorAll('input:not([type="file"]), select, textarea')) {
      const id = input.getAttribute('id');
      const labelled = (id && root.querySelector(`label[for="${id}"]`)) || input.closest('label');
      expect(labelled, `control ${input.outerHTML.slice(0, 80)} has a label`).toBeTruthy();
    }
    expect(await seriousViolations(root)).toEqual([]);
  });

  it('keeps the private key write-only: set, shown as set, never displayed', async () => {
    const { root, backend } = await setup();
    expect(q(root, 'private-key-state')?.getAttribute('data-set')).toBe('no');
    await type(q(root, 'opt-company-id')!, 'acme');
    await type(q(root, 'opt-public-key')!, 'pub');
    await type(q(root, 'opt-private-key')!, 'good-secret');
    await click(q(root, 'save-options'));
    await settle();
    expect(backend.privateKey).toBe('good-secret');
    const input = q(root, 'opt-private-key') as HTMLInputElement;
    expect(input.type).toBe('password');
    expect(input.value).toBe('');
    expect(input.placeholder).toContain('replace');
    expect(q(root, 'private-key-state')?.getAttribute('data-set')).toBe('yes');
    expect(root.innerHTML).not.toContain('good-secret');
    // saving again without typing leaves the key alone
    await click(q(root, 'save-options'));
    await settle();
    expect(backend.patches.at(-1)?.cw?.privateKey).toBeUndefined();
    expect(backend.privateKey).toBe('good-secret');
  });

  it('tests the connection: green when it works, red with the missing permissions named', async () => {
    const { root } = await setup();
    await type(q(root, 'opt-private-key')!, 'bad');
    await click(q(root, 'test-connection'));
    await settle();
    expect(q(root, 'connection-result')?.getAttribute('data-state')).toBe('fail');
    await type(q(root, 'opt-private-key')!, 'good-secret');
    await type(q(root, 'opt-company-id')!, 'limited');
    await click(q(root, 'test-connection'));
    await settle();
    expect(q(root, 'missing-permissions')?.textContent).toContain('Finance → Agreements (Inquire)');
    await type(q(root, 'opt-company-id')!, 'acme');
    await click(q(root, 'test-connection'));
    await settle();
    expect(q(root, 'connection-result')?.getAttribute('data-state')).toBe('ok');
    expect(await seriousViolations(root)).toEqual([]);
  });

  it('a red connection result does not outlive the field it was about: fixed and saved, it clears and is checked again', async () => {
    const { root } = await setup();
    await type(q(root, 'opt-company-id')!, 'acme');
    await type(q(root, 'opt-private-key')!, 'bad');
    await click(q(root, 'save-options'));
    await settle();
    await click(q(root, 'test-connection'));
    await settle();
    expect(q(root, 'connection-result')?.getAttribute('data-state')).toBe('fail');
    // Editing a connection field makes the old verdict stale: it is no longer shown.
    await type(q(root, 'opt-private-key')!, 'good-secret');
    expect(q(root, 'connection-result')).toBeNull();
    await click(q(root, 'save-options'));
    await settle();
    expect(q(root, 'connection-result')?.getAttribute('data-state')).toBe('ok');
  });

  it('asks for host permission for a custom ConnectWise host and says when it is refused', async () => {
    const { root, backend } = await setup(false);
    await choose(q(root, 'opt-region')!, 'custom');
    await settle();
    await type(q(root, 'opt-custom-host')!, 'https://cw.example.com/v4_6_release/');
    await click(q(root, 'save-options'));
    await settle();
    expect(backend.requested).toEqual([['https://cw.example.com/*']]);
    expect(backend.patches.at(-1)?.cw?.customHost).toBe('cw.example.com');
    expect(q(root, 'options-status')?.textContent).toContain('did not grant');
  });

  it('refuses bad host patterns, naming the line', async () => {
    const { root, backend } = await setup();
    await type(q(root, 'opt-platform-hosts')!, 'https://portal.example.com/*\nnot a host');
    await click(q(root, 'save-options'));
    await settle();
    expect(q(root, 'options-errors')?.textContent).toContain('line 2');
    expect(backend.patches).toHaveLength(0);
  });

  it('saves reconcile settings as config', async () => {
    const { root, backend } = await setup();
    await type(q(root, 'opt-charge-CycleFee')!, 'Monthly subscription');
    await choose(q(root, 'opt-decimal')!, ',');
    await choose(q(root, 'opt-date-format')!, 'DD/MM/YYYY');
    await type(q(root, 'opt-default-agreement')!, 'Microsoft 365 Monthly');
    await type(q(root, 'opt-company-ref')!, 'ERPId');
    await click(q(root, 'save-options'));
    await settle();
    // the connection did not change, so it is left out and other settings save on their own
    expect(backend.patches.at(-1)?.cw).toBeUndefined();
    expect(backend.patches.at(-1)?.reconcile).toEqual({
      chargeTypeNames: { CycleFee: 'Monthly subscription' },
      dateFormat: 'DD/MM/YYYY',
      decimalSeparator: ',',
      revenue: 'total',
      defaultAgreementType: 'Microsoft 365 Monthly',
      recurringEffectiveDate: 'latest',
      companyRefField: 'ERPId',
    });
  });

  it('previews an import through the background, per store and mode, before applying it, and confirms before clearing', async () => {
    const { root, backend, model } = await setup();
    const backup = (mappings: object[]) => JSON.stringify({ format: 'cw-reconciler/backup', version: 1, exportedAt: 'x', data: { mappings, runs: [] } });
    await model.chooseImport(backup([{ id: 'a', cw: 'Acme Ltd' }, { id: 'b', cw: 'Beta' }]));
    await settle();
    expect(q(root, 'import-preview')?.textContent).toContain('2 mappings');
    expect(backend.previews.sort()).toEqual(['merge', 'replace']);
    const row = q(root, 'import-changes')!.querySelector('tr[data-store="mappings"]')!;
    expect([...row.querySelectorAll('td')].map((td) => td.textContent)).toEqual(['1', '1', '0', '1']);
    expect(q(root, 'import-summary')?.textContent).toContain('Merging adds 1 and updates 1 records');
    expect(q(root, 'import-summary')?.textContent).toContain('Replacing also deletes 1 stored record');
    expect(backend.imports).toHaveLength(0);
    expect(await seriousViolations(root)).toEqual([]);
    await click(q(root, 'import-merge'));
    await settle();
    expect(backend.imports.map((i) => i.mode)).toEqual(['merge']);
    expect(q(root, 'options-status')?.textContent).toContain('Imported 2 records');

    // A file the background's dry run refuses never reaches the import buttons.
    await model.chooseImport(backup([{ cw: 'no id' }]));
    await settle();
    expect(q(root, 'import-preview')?.textContent).toContain('data.mappings[0].id');
    expect(q(root, 'import-merge')).toBeNull();
    await model.confirmImport('merge');
    expect(backend.imports).toHaveLength(1);
    await click(q(root, 'import-cancel'));
    expect(q(root, 'import-preview')).toBeNull();

    await click(q(root, 'clear-data'));
    expect(q(root, 'clear-confirm')).not.toBeNull();
    expect(backend.cleared).toBe(0);
    await click(q(root, 'clear-confirm-yes'));
    await settle();
    expect(backend.cleared).toBe(1);
  });
});

describe('options helpers', () => {
  it('parses host patterns', () => {
    expect(parseHostPatterns('https://a.example.com/*\n\n*://*.b.com/*', 'x')).toEqual({ patterns: ['https://a.example.com/*', '*://*.b.com/*'], errors: [] });
    expect(parseHostPatterns('ftp://a/*', 'Hosts').errors[0]).toContain('Hosts, line 1');
  });
  it('normalizes hosts', () => {
    expect(normalizeHost('cw.example.com')).toBe('cw.example.com');
    expect(normalizeHost('https://cw.example.com:8443/v4_6_release')).toBe('cw.example.com:8443');
    expect(normalizeHost('javascript:alert(1)')).toBeNull();
    expect(normalizeHost('')).toBeNull();
  });
  it('rejects files that are not backups', () => {
    expect(previewBackup('nope').ok).toBe(false);
    expect(previewBackup('{"format":"other"}').errors[0]).toContain('Not a CW Reconciler backup');
    expect(previewBackup('{"format":"cw-reconciler/backup","version":9,"data":{}}').errors[0]).toContain('version 9');
  });
  it('drops a blank private key from the patch', () => {
    const { patch } = draftToPatch({
      region: 'eu', customHost: '', companyId: ' acme ', publicKey: 'p', clientId: 'c', privateKey: '  ',
      chargeTypeNames: {}, dateFormat: '', decimalSeparator: '.', revenue: 'total', defaultAgreementType: '',
      recurringEffectiveDate: 'latest', lineRefField: '', companyRefField: '', agreementRefField: '', platformHosts: '', cwHosts: '',
      inPageEnabled: true, offHosts: '',
    });
    expect(patch.cw).toEqual({ region: 'eu', customHost: '', companyId: 'acme', publicKey: 'p', clientId: 'c' });
  });
});
