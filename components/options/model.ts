import { computed, signal } from '@preact/signals';
import type { BaseChargeType, ReconcileConfig } from '../../core/model';
import { BASE_CHARGE_TYPES } from '../../core/model';
import { CW_CLOUD_REGIONS, CW_STAGING_HOST, cwRegionHost, type CwCloudRegion } from '../../core/shared/hosts';
import type { ConnectionResult, ImportPreview, OptionsApi, SettingsPatch, SettingsView } from '../api';

/** What each cloud region is called on the options page; the hosts themselves come from one list. */
const REGION_NAMES: Record<CwCloudRegion, string> = {
  na: 'North America',
  eu: 'Europe',
  au: 'Australia',
  aus: 'Australia South',
  za: 'South Africa',
};

export const REGIONS = [
  ...CW_CLOUD_REGIONS.map((id) => ({ id, label: `${REGION_NAMES[id]} (${cwRegionHost(id)})` })),
  { id: 'staging' as const, label: `Staging (${CW_STAGING_HOST})` },
  { id: 'custom' as const, label: 'On-premise or other host…' },
];
export type Region = (typeof REGIONS)[number]['id'];

/** The form's editable state: strings as typed, turned into settings on save. */
export interface OptionsDraft {
  region: Region;
  customHost: string;
  companyId: string;
  publicKey: string;
  clientId: string;
  /** Typed only to set or replace the key; never filled from storage. */
  privateKey: string;
  chargeTypeNames: Partial<Record<BaseChargeType, string>>;
  dateFormat: '' | NonNullable<ReconcileConfig['dateFormat']>;
  decimalSeparator: '.' | ',';
  revenue: 'total' | 'unit';
  defaultAgreementType: string;
  recurringEffectiveDate: 'latest' | 'earliest';
  lineRefField: string;
  companyRefField: string;
  agreementRefField: string;
  platformHosts: string;
  cwHosts: string;
  inPageEnabled: boolean;
  /** Host names where in-page help stays off, one per line. */
  offHosts: string;
}

function toDraft(s: SettingsView): OptionsDraft {
  const c = s.reconcile;
  return {
    region: s.cw.region,
    customHost: s.cw.customHost ?? '',
    companyId: s.cw.companyId ?? '',
    publicKey: s.cw.publicKey ?? '',
    clientId: s.cw.clientId ?? '',
    privateKey: '',
    chargeTypeNames: { ...(c.chargeTypeNames ?? {}) },
    dateFormat: c.dateFormat ?? '',
    decimalSeparator: c.decimalSeparator ?? '.',
    revenue: c.revenue ?? 'total',
    defaultAgreementType: c.defaultAgreementType ?? '',
    recurringEffectiveDate: c.recurringEffectiveDate ?? 'latest',
    lineRefField: c.lineRefField ?? '',
    companyRefField: c.companyRefField ?? '',
    agreementRefField: c.agreementRefField ?? '',
    platformHosts: (s.hosts.platform ?? []).join('\n'),
    cwHosts: (s.hosts.connectwise ?? []).join('\n'),
    inPageEnabled: s.inPage.enabled,
    offHosts: (s.inPage.offHosts ?? []).join('\n'),
  };
}

const MATCH_PATTERN = /^(https?|\*):\/\/(\*|(\*\.)?[a-z0-9.-]+(:\d+)?)\/.*$/i;

/** One host per line; each must be a match pattern such as `https://billing.example.com/*`. */
export function parseHostPatterns(text: string, field: string): { patterns: string[]; errors: string[] } {
  const patterns: string[] = [];
  const errors: string[] = [];
  text.split(/\r?\n/).forEach((raw, i) => {
    const line = raw.trim();
    if (!line) return;
    if (MATCH_PATTERN.test(line)) patterns.push(line);
    else errors.push(`${field}, line ${i + 1}: “${line}” is not a host pattern like https://billing.example.com/*`);
  });
  return { patterns, errors };
}

/** A custom ConnectWise host as typed (with or without scheme or path) → its host name, or null. */
export function normalizeHost(text: string): string | null {
  const t = text.trim();
  if (!t) return null;
  try {
    const u = new URL(/^[a-z]+:\/\//i.test(t) ? t : `https://${t}`);
    if (u.protocol !== 'https:' && u.protocol !== 'http:') return null;
    return u.host || null;
  } catch {
    return null;
  }
}

function optional(v: string): string | undefined {
  const t = v.trim();
  return t ? t : undefined;
}

export function draftToPatch(d: OptionsDraft): { patch: SettingsPatch; errors: string[] } {
  const errors: string[] = [];
  const platform = parseHostPatterns(d.platformHosts, 'Platform hosts');
  const cw = parseHostPatterns(d.cwHosts, 'ConnectWise hosts');
  errors.push(...platform.errors, ...cw.errors);
  let customHost = '';
  if (d.region === 'custom') {
    const host = normalizeHost(d.customHost);
    if (!host) errors.push(`ConnectWise host: “${d.customHost}” is not a host name like cw.example.com`);
    else customHost = host;
  }
  const names: Partial<Record<BaseChargeType, string>> = {};
  for (const t of BASE_CHARGE_TYPES) {
    const v = d.chargeTypeNames[t]?.trim();
    if (v) names[t] = v;
  }
  const reconcile: ReconcileConfig = {
    chargeTypeNames: Object.keys(names).length ? names : undefined,
    dateFormat: d.dateFormat || undefined,
    decimalSeparator: d.decimalSeparator,
    revenue: d.revenue,
    defaultAgreementType: optional(d.defaultAgreementType),
    recurringEffectiveDate: d.recurringEffectiveDate,
    lineRefField: optional(d.lineRefField),
    companyRefField: optional(d.companyRefField),
    agreementRefField: optional(d.agreementRefField),
  };
  for (const k of Object.keys(reconcile) as Array<keyof ReconcileConfig>) if (reconcile[k] === undefined) delete reconcile[k];
  const patch: SettingsPatch = {
    cw: {
      region: d.region,
      customHost,
      companyId: d.companyId.trim(),
      publicKey: d.publicKey.trim(),
      clientId: d.clientId.trim(),
      ...(d.privateKey.trim() ? { privateKey: d.privateKey.trim() } : {}),
    },
    reconcile,
    hosts: { platform: platform.patterns, connectwise: cw.patterns },
    inPage: {
      enabled: d.inPageEnabled,
      offHosts: d.offHosts
        .split(/\r?\n/)
        .map((h) => normalizeHost(h))
        .filter((h): h is string => h !== null),
    },
  };
  return { patch, errors };
}

/** Origins whose permission a save needs: the custom ConnectWise host (web and api) and extra hosts. */
export function originsToRequest(patch: SettingsPatch): string[] {
  const out = new Set<string>();
  const host = patch.cw?.region === 'custom' ? patch.cw.customHost : '';
  if (host) out.add(`https://${host}/*`);
  for (const p of [...(patch.hosts?.platform ?? []), ...(patch.hosts?.connectwise ?? [])]) out.add(p);
  return [...out];
}

/** Dry run of an import: what the backup file holds, read in the page without touching storage. */
export function previewBackup(text: string): ImportPreview {
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (e) {
    return { ok: false, counts: {}, errors: [`Not a JSON file: ${e instanceof Error ? e.message : String(e)}`] };
  }
  const file = data as { format?: unknown; version?: unknown; data?: Record<string, unknown>; settings?: unknown };
  if (typeof data !== 'object' || data === null || file.format !== 'cw-reconciler/backup') {
    return { ok: false, counts: {}, errors: ['Not a CW Reconciler backup (its "format" is not cw-reconciler/backup).'] };
  }
  const errors: string[] = [];
  if (file.version !== 1) errors.push(`Backup version ${String(file.version)} is not supported by this version of the extension.`);
  const counts: Record<string, number> = {};
  for (const [store, records] of Object.entries(file.data ?? {})) {
    if (Array.isArray(records)) counts[store] = records.length;
    else errors.push(`The "${store}" section is not a list.`);
  }
  if (file.settings) counts.settings = 1;
  return { ok: errors.length === 0, counts, errors };
}

function message(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}

/** The form fields a connection test depends on. */
const CONNECTION_FIELDS = ['region', 'customHost', 'companyId', 'publicKey', 'clientId', 'privateKey'] as const;

export function createOptionsModel(api: OptionsApi) {
  const settings = signal<SettingsView | null>(null);
  const draft = signal<OptionsDraft | null>(null);
  const status = signal<{ kind: 'ok' | 'error' | 'info'; text: string } | null>(null);
  const errors = signal<string[]>([]);
  const connection = signal<ConnectionResult | 'testing' | null>(null);
  const importText = signal<string | null>(null);
  const importPreview = signal<ImportPreview | null>(null);
  const busy = signal(false);
  /** A failed test whose fields were then edited: saving them tests the connection again. */
  let failedBeforeEdit = false;

  const dirty = computed(() => {
    const s = settings.value;
    const d = draft.value;
    return !!s && !!d && JSON.stringify(toDraft(s)) !== JSON.stringify(d);
  });

  const model = {
    settings,
    draft,
    status,
    errors,
    connection,
    importPreview,
    busy,
    dirty,

    async load() {
      try {
        const s = await api.getSettings();
        settings.value = s;
        draft.value = toDraft(s);
      } catch (e) {
        status.value = { kind: 'error', text: `Could not load the settings: ${message(e)}` };
      }
    },

    update(patch: Partial<OptionsDraft>) {
      if (!draft.value) return;
      draft.value = { ...draft.value, ...patch };
      // A test result speaks for the fields it was made with: once one of them changes, it is stale.
      if (CONNECTION_FIELDS.some((k) => k in patch) && connection.value !== null && connection.value !== 'testing') {
        if (!connection.value.ok) failedBeforeEdit = true;
        connection.value = null;
      }
    },

    setChargeTypeName(type: BaseChargeType, label: string) {
      if (draft.value) draft.value = { ...draft.value, chargeTypeNames: { ...draft.value.chargeTypeNames, [type]: label } };
    },

    /**
     * Saves the form. Must be called straight from the click: the browser's permission prompt for
     * a custom host needs the user's gesture, so it is asked before anything is awaited.
     */
    async save(): Promise<boolean> {
      const d = draft.value;
      if (!d) return false;
      const { patch, errors: problems } = draftToPatch(d);
      errors.value = problems;
      if (problems.length) {
        status.value = { kind: 'error', text: 'Not saved: fix the fields listed.' };
        return false;
      }
      const current = settings.value;
      // Leave the connection out when it did not change, so other settings save on their own.
      if (current && patch.cw && !('privateKey' in patch.cw)) {
        const same = (['region', 'customHost', 'companyId', 'publicKey', 'clientId'] as const).every((k) => (patch.cw?.[k] ?? '') === (current.cw[k] ?? ''));
        if (same) delete patch.cw;
      }
      const needed = originsToRequest(patch).filter((o) => {
        const known = [...(current?.hosts.platform ?? []), ...(current?.hosts.connectwise ?? [])];
        const host = current?.cw.region === 'custom' && current.cw.customHost ? `https://${current.cw.customHost}/*` : null;
        return !known.includes(o) && o !== host;
      });
      const permission = needed.length ? api.requestHostPermission(needed) : Promise.resolve(true);
      busy.value = true;
      try {
        const granted = await permission;
        const saved = await api.saveSettings(patch);
        const retest = !!patch.cw && (failedBeforeEdit || (connection.value !== null && connection.value !== 'testing' && !connection.value.ok));
        if (patch.cw) failedBeforeEdit = false;
        settings.value = saved;
        // A new connection saved: the last test's verdict was for the old one.
        if (patch.cw && connection.value !== 'testing') connection.value = null;
        draft.value = toDraft(saved);
        // A key belongs to the site it was entered for: another site drops it until it is typed again.
        const keyDropped = !!current?.cw.hasPrivateKey && !saved.cw.hasPrivateKey && !patch.cw?.privateKey;
        status.value = keyDropped
          ? { kind: 'info', text: 'Settings saved. The saved private key belonged to the previous ConnectWise site and was removed: enter the private key for the new site.' }
          : granted
          ? { kind: 'ok', text: 'Settings saved.' }
          : { kind: 'error', text: 'Settings saved, but the browser did not grant access to the new hosts: capture and API calls there will fail until you save again and allow it.' };
        // The red result the user just fixed is checked again against what was saved.
        if (retest) void model.testConnection();
        return true;
      } catch (e) {
        status.value = { kind: 'error', text: `Not saved: ${message(e)}` };
        return false;
      } finally {
        busy.value = false;
      }
    },

    async clearPrivateKey() {
      try {
        settings.value = await api.saveSettings({ cw: { privateKey: null } });
        status.value = { kind: 'ok', text: 'Private key removed.' };
      } catch (e) {
        status.value = { kind: 'error', text: `Could not remove the key: ${message(e)}` };
      }
    },

    /** Tests what the form holds (saved or not); the typed private key is sent only to the background. */
    async testConnection() {
      const d = draft.value;
      if (!d) return;
      connection.value = 'testing';
      try {
        const host = d.region === 'custom' ? normalizeHost(d.customHost) ?? d.customHost : undefined;
        connection.value = await api.testConnection({
          region: d.region,
          customHost: host,
          companyId: d.companyId.trim(),
          publicKey: d.publicKey.trim(),
          clientId: d.clientId.trim(),
          ...(d.privateKey.trim() ? { privateKey: d.privateKey.trim() } : {}),
        });
      } catch (e) {
        connection.value = { ok: false, message: message(e), missingPermissions: [], checks: [] };
      }
    },

    async exportData(): Promise<{ filename: string; json: string } | null> {
      try {
        return await api.exportData();
      } catch (e) {
        status.value = { kind: 'error', text: `Export failed: ${message(e)}` };
        return null;
      }
    },

    /**
     * Reads a chosen backup: first a quick look in the page (is it a backup at all?), then a dry
     * run in the background that says, per store, what each import mode would change.
     */
    async chooseImport(text: string) {
      const local = previewBackup(text);
      importText.value = text;
      importPreview.value = local;
      if (!local.ok) return;
      busy.value = true;
      try {
        const [merge, replace] = await Promise.all([api.previewImport(text, 'merge'), api.previewImport(text, 'replace')]);
        if (importText.value === text) importPreview.value = { ...local, changes: { merge, replace } };
      } catch (e) {
        if (importText.value === text) importPreview.value = { ok: false, counts: local.counts, errors: [message(e)] };
      } finally {
        busy.value = false;
      }
    },

    cancelImport() {
      importText.value = null;
      importPreview.value = null;
    },

    async confirmImport(mode: 'merge' | 'replace') {
      const text = importText.value;
      // Only once the background's dry run has said what would change.
      if (!text || !importPreview.value?.ok || !importPreview.value.changes) return;
      busy.value = true;
      try {
        // The replace button says so when it would delete unreadable records: pressing it is the consent.
        const deleteUnreadable = mode === 'replace' && !!importPreview.value.changes.replace.needsConfirmation;
        const imported = await api.importData(text, mode, deleteUnreadable || undefined);
        const total = Object.values(imported).reduce((a, b) => a + b, 0);
        status.value = { kind: 'ok', text: `Imported ${total} records.` };
        model.cancelImport();
        await model.load();
      } catch (e) {
        status.value = { kind: 'error', text: `Import failed, nothing was changed: ${message(e)}` };
      } finally {
        busy.value = false;
      }
    },

    async clearAll() {
      busy.value = true;
      try {
        await api.clearAll();
        status.value = { kind: 'ok', text: 'All captures, runs, mappings, notes and dictionary entries were deleted.' };
        await model.load();
      } catch (e) {
        status.value = { kind: 'error', text: `Could not clear the data: ${message(e)}` };
      } finally {
        busy.value = false;
      }
    },
  };
  return model;
}

export type OptionsModel = ReturnType<typeof createOptionsModel>;
