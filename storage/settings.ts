import { storage } from 'wxt/utils/storage';
import type { WxtStorageItem } from 'wxt/utils/storage';
import { z } from 'zod';
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
  };
  /** Stored preferences; a damaged field falls back to its default, the rest is kept. */
  getPreferences(): Promise<Preferences>;
  setPreferences(patch: Partial<Preferences>): Promise<Preferences>;
  /** Without the private key: safe to show in any extension page. */
  getConnection(): Promise<CwConnection | null>;
  /** Whether a private key is stored (for the options page's "key saved" hint). */
  hasPrivateKey(): Promise<boolean>;
  /** `privateKey` undefined keeps the stored key; an empty string deletes it. */
  saveConnection(connection: CwConnection, privateKey?: string): Promise<void>;
  /** Background only: the connection with its private key, or null when incomplete. */
  getCredentials(): Promise<CwCredentials | null>;
  clearConnection(): Promise<void>;
  exportable(): Promise<ExportableSettings>;
  /** Restores an exported snapshot; the stored private key is left alone. */
  restore(snapshot: ExportableSettings): Promise<void>;
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

  const getPreferences = async () => sanitisePreferences(await preferences.getValue());
  const getConnection = async () => {
    const stored = await connection.getValue();
    if (stored === null) return null;
    const parsed = CwConnection.safeParse(stored);
    return parsed.success ? parsed.data : null;
  };

  return {
    items: { preferences, connection, privateKey },
    getPreferences,
    async setPreferences(patch) {
      const next = Preferences.parse({ ...(await getPreferences()), ...patch });
      await preferences.setValue(next);
      return next;
    },
    getConnection,
    async hasPrivateKey() {
      const key = await privateKey.getValue();
      return typeof key === 'string' && key !== '';
    },
    async saveConnection(next, key) {
      await connection.setValue(CwConnection.parse(next));
      if (key === '') await privateKey.removeValue();
      else if (key !== undefined) await privateKey.setValue(key);
    },
    async getCredentials() {
      const [conn, key] = await Promise.all([getConnection(), privateKey.getValue()]);
      if (conn === null || typeof key !== 'string' || key === '') return null;
      return { ...conn, privateKey: key };
    },
    async clearConnection() {
      await Promise.all([connection.removeValue(), privateKey.removeValue()]);
    },
    async exportable() {
      return { preferences: await getPreferences(), connection: await getConnection() };
    },
    async restore(snapshot) {
      const before = await getConnection();
      await preferences.setValue(Preferences.parse(snapshot.preferences));
      if (snapshot.connection === null) await connection.removeValue();
      else await connection.setValue(CwConnection.parse(snapshot.connection));
      // A private key belongs to its public key: keep it only while that stays the same.
      if (before?.publicKey !== snapshot.connection?.publicKey) await privateKey.removeValue();
    },
  };
}

let shared: Settings | undefined;

/** The settings of this extension context, defined on first use. */
export function getSettings(): Settings {
  shared ??= defineSettings();
  return shared;
}
