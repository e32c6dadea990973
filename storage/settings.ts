import { storage } from 'wxt/utils/storage';
import type { WxtStorageItem } from 'wxt/utils/storage';
import { z } from 'zod';
import { resolveApiHost } from '../core/connectwise/hosts';
import { ReconcileConfig } from '../core/model';

/*
 * Small preferences live in `browser.storage.local` through WXT storage items, not IndexedDB.
 * Everything here is `local:`: host grants are per browser anyway, and the ConnectWise private
 * key must never reach `sync:` (DESIGN §6). The key has an item of its own so that reading the
 * connection to show it (or to export it) never loads the secret.
 */

export const TooltipPrefs = z.object({
  enabled: z.boolean(),
  /** Hosts where the user switched tooltips off (DESIGN §7 per-site off switch). */
  offHosts: z.array(z.string()),
});

export const Preferences = z.object({
  config: ReconcileConfig,
  /** Extra Platform hosts (custom domains) the user granted. */
  platformHosts: z.array(z.string()),
  /** Extra ConnectWise hosts (on-premise) the user granted. */
  cwHosts: z.array(z.string()),
  tooltips: TooltipPrefs,
});
export type Preferences = z.infer<typeof Preferences>;

/** Version 1 had one global tooltip switch. */
export interface PreferencesV1 {
  config: ReconcileConfig;
  platformHosts: string[];
  cwHosts: string[];
  tooltips: boolean;
}

export const PREFERENCES_VERSION = 2;

export const DEFAULT_PREFERENCES: Preferences = {
  config: {},
  platformHosts: [],
  cwHosts: [],
  tooltips: { enabled: true, offHosts: [] },
};

/** Append-only, like the database upgrades: key = the version migrated to. */
export const PREFERENCES_MIGRATIONS = {
  2: (old: PreferencesV1): Preferences => ({
    config: old.config,
    platformHosts: old.platformHosts,
    cwHosts: old.cwHosts,
    tooltips: { enabled: old.tooltips !== false, offHosts: [] },
  }),
};

/** The ConnectWise connection, without its private key. */
export const CwConnection = z.object({
  /** `https://na.myconnectwise.net` or an on-premise base URL. */
  site: z.string().min(1),
  companyId: z.string().min(1),
  publicKey: z.string().min(1),
  clientId: z.string().min(1),
});
export type CwConnection = z.infer<typeof CwConnection>;

export interface CwCredentials extends CwConnection {
  privateKey: string;
}

/**
 * The origin a site's API calls go to: what a private key is bound to. `na.myconnectwise.net`,
 * `https://na.myconnectwise.net/` and `api-na.myconnectwise.net` all name one host; a site that
 * cannot be resolved is compared as typed (lower case), so it never matches a usable one.
 */
export function keySiteOf(site: string): string {
  try {
    return resolveApiHost(site).origin;
  } catch {
    return `unusable:${site.trim().toLowerCase()}`;
  }
}

/** One field of the connection that an import (or a save) would change. */
export interface ConnectionChange {
  field: 'site' | 'companyId' | 'publicKey' | 'clientId' | 'connection';
  from: string | null;
  to: string | null;
}

/**
 * What replacing the stored connection by `next` changes, and whether the stored private key
 * goes with it: a key belongs to the site, company and public key it was entered for.
 */
export function connectionChanges(before: CwConnection | null, next: CwConnection | null, hasKey: boolean): { changes: ConnectionChange[]; keyDropped: boolean } {
  const changes: ConnectionChange[] = [];
  if (before === null || next === null) {
    if (before !== next) changes.push({ field: 'connection', from: before ? before.site : null, to: next ? next.site : null });
  } else {
    for (const field of ['site', 'companyId', 'publicKey', 'clientId'] as const) {
      if (before[field] !== next[field]) changes.push({ field, from: before[field], to: next[field] });
    }
  }
  const sameOwner =
    before !== null && next !== null && keySiteOf(before.site) === keySiteOf(next.site) && before.companyId === next.companyId && before.publicKey === next.publicKey;
  return { changes, keyDropped: hasKey && !sameOwner };
}

/** Settings that may leave the browser in a backup: no secrets. */
export interface ExportableSettings {
  preferences: Preferences;
  connection: CwConnection | null;
}

export interface Settings {
  /** The raw items, for `watch` in models. */
  items: {
    preferences: WxtStorageItem<Preferences, Record<string, never>>;
    connection: WxtStorageItem<CwConnection | null, Record<string, never>>;
    privateKey: WxtStorageItem<string | null, Record<string, never>>;
    /** The API origin the private key was entered for (`keySiteOf`). */
    keySite: WxtStorageItem<string | null, Record<string, never>>;
  };
  /** Stored preferences; a damaged field falls back to its default, the rest is kept. */
  getPreferences(): Promise<Preferences>;
  setPreferences(patch: Partial<Preferences>): Promise<Preferences>;
  /** Without the private key: safe to show in any extension page. */
  getConnection(): Promise<CwConnection | null>;
  /** Whether a private key is stored for the stored site (for the options page's "key saved" hint). */
  hasPrivateKey(): Promise<boolean>;
  /**
   * `privateKey` undefined keeps the stored key while the site stays the same (another site drops
   * it: it is asked for again); an empty string deletes it; a new key is bound to this site.
   */
  saveConnection(connection: CwConnection, privateKey?: string): Promise<{ keyDropped: boolean }>;
  /** Background only: the connection with its private key, or null when incomplete or not bound to this site. */
  getCredentials(): Promise<CwCredentials | null>;
  clearConnection(): Promise<void>;
  exportable(): Promise<ExportableSettings>;
  /** What `restore(snapshot)` would change in the connection, and whether it drops the key. */
  previewRestore(snapshot: ExportableSettings): Promise<{ changes: ConnectionChange[]; keyDropped: boolean }>;
  /** Restores an exported snapshot; the private key stays only while site, company and public key do. */
  restore(snapshot: ExportableSettings): Promise<{ keyDropped: boolean }>;
}

function field<T>(schema: z.ZodType<T>, value: unknown, fallback: T): T {
  const parsed = schema.safeParse(value);
  return parsed.success ? parsed.data : fallback;
}

function sanitisePreferences(value: unknown): Preferences {
  const raw = (value && typeof value === 'object' ? value : {}) as Record<string, unknown>;
  return {
    config: field(ReconcileConfig, raw.config, DEFAULT_PREFERENCES.config),
    platformHosts: field(z.array(z.string()), raw.platformHosts, DEFAULT_PREFERENCES.platformHosts),
    cwHosts: field(z.array(z.string()), raw.cwHosts, DEFAULT_PREFERENCES.cwHosts),
    tooltips: field(TooltipPrefs, raw.tooltips, DEFAULT_PREFERENCES.tooltips),
  };
}

/**
 * Defines the settings items. WXT runs an item's migrations when it is defined, so call this once
 * per context (entrypoints use `getSettings()`); tests call it after seeding old values.
 */
export function defineSettings(): Settings {
  const preferences = storage.defineItem<Preferences>('local:preferences', {
    fallback: DEFAULT_PREFERENCES,
    version: PREFERENCES_VERSION,
    migrations: PREFERENCES_MIGRATIONS,
  });
  const connection = storage.defineItem<CwConnection | null>('local:cwConnection', { fallback: null, version: 1 });
  const privateKey = storage.defineItem<string | null>('local:cwPrivateKey', { fallback: null, version: 1 });
  const keySite = storage.defineItem<string | null>('local:cwPrivateKeySite', { fallback: null, version: 1 });

  const getPreferences = async () => sanitisePreferences(await preferences.getValue());
  const getConnection = async () => {
    const stored = await connection.getValue();
    if (stored === null) return null;
    const parsed = CwConnection.safeParse(stored);
    return parsed.success ? parsed.data : null;
  };

  const dropKey = () => Promise.all([privateKey.removeValue(), keySite.removeValue()]);

  /** The stored key while it belongs to the stored connection's site; a key for another site is dropped. */
  async function boundKey(conn: CwConnection | null): Promise<string | null> {
    const key = await privateKey.getValue();
    if (typeof key !== 'string' || key === '' || conn === null) return null;
    const site = await keySite.getValue();
    const current = keySiteOf(conn.site);
    if (site === null) {
      // Stored before keys were bound: it was entered with this connection, so bind it to its site.
      await keySite.setValue(current);
      return key;
    }
    if (site !== current) {
      await dropKey();
      return null;
    }
    return key;
  }

  return {
    items: { preferences, connection, privateKey, keySite },
    getPreferences,
    async setPreferences(patch) {
      const next = Preferences.parse({ ...(await getPreferences()), ...patch });
      await preferences.setValue(next);
      return next;
    },
    getConnection,
    async hasPrivateKey() {
      return (await boundKey(await getConnection())) !== null;
    },
    async saveConnection(next, key) {
      const parsed = CwConnection.parse(next);
      const before = await getConnection();
      const hadKey = (await boundKey(before)) !== null;
      await connection.setValue(parsed);
      if (key === '') {
        await dropKey();
        return { keyDropped: hadKey };
      }
      if (key !== undefined) {
        await privateKey.setValue(key);
        await keySite.setValue(keySiteOf(parsed.site));
        return { keyDropped: false };
      }
      // No key typed: it stays only on the site it was entered for.
      if (before === null || keySiteOf(before.site) !== keySiteOf(parsed.site)) {
        // Also a key left without a connection: it must never bind itself to the new site.
        await dropKey();
        return { keyDropped: hadKey };
      }
      return { keyDropped: false };
    },
    async getCredentials() {
      const conn = await getConnection();
      const key = await boundKey(conn);
      if (conn === null || key === null) return null;
      return { ...conn, privateKey: key };
    },
    async clearConnection() {
      await Promise.all([connection.removeValue(), dropKey()]);
    },
    async exportable() {
      return { preferences: await getPreferences(), connection: await getConnection() };
    },
    async previewRestore(snapshot) {
      const before = await getConnection();
      return connectionChanges(before, snapshot.connection, (await boundKey(before)) !== null);
    },
    async restore(snapshot) {
      const before = await getConnection();
      const { keyDropped } = connectionChanges(before, snapshot.connection, (await boundKey(before)) !== null);
      const next = snapshot.connection === null ? null : CwConnection.parse(snapshot.connection);
      const prefs = Preferences.parse(snapshot.preferences);
      // The key goes first: a failure part-way must never leave it next to another site.
      if (keyDropped || next === null || before === null) await dropKey();
      await preferences.setValue(prefs);
      if (next === null) await connection.removeValue();
      else await connection.setValue(next);
      return { keyDropped };
    },
  };
}

let shared: Settings | undefined;

/** The settings of this extension context, defined on first use. */
export function getSettings(): Settings {
  shared ??= defineSettings();
  return shared;
}
