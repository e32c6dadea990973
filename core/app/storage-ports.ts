import { BUILTIN_DICTIONARY } from '../dictionary';
import { ProtocolError } from '../protocol/messages';
import { Mapping, Resolution, type MappingConflict, type PublicSettings } from '../model';
import { DictionaryEntry } from '../dictionary/schema';
import type { ReconStorage, Settings } from '../../storage';
import { asModel, cwSourceOfInputs, type RunRecord } from '../../storage/records';
import type { MappingConflict as StoredConflict } from '../../storage/mappings';
import { connectionSite, regionOfSite } from './cw-site';
import { hostToMatchPattern } from './pages';
import { nameKey } from '../shared/text';
import type { BackupPort, CapturesPort, DictionaryPort, MappingsPort, ResolutionsPort, RunsPort, SettingsPort, StoredRun } from './ports';

/*
 * The storage repositories bound to the background's ports, where unit tests reach them over a
 * real (fake-indexeddb) database. Stored mappings, resolutions and dictionary entries are the
 * model's shapes plus their keys, so a port only leaves the keys behind (`asModel`); runs and
 * conflicts are grouped differently for the panel. entrypoints/background.ts only hands in how
 * to open storage.
 */

export type OpenStorage = () => Promise<ReconStorage>;

const toMapping = (r: Mapping): Mapping => asModel(Mapping, r);

/**
 * A user's mapping and the captured one it disagrees with, as the panel lists it: the Platform
 * name and the two ConnectWise names it is mapped to. Each candidate is one stored mapping.
 */
export function toMappingConflict(c: StoredConflict): MappingConflict {
  return {
    kind: c.kind,
    side: 'platform',
    name: c.user.platform,
    candidates: [
      { name: c.user.cw, source: 'user', count: 1 },
      { name: c.captured.cw, source: 'captured', count: 1 },
    ],
  };
}

const toDictionaryEntry = (r: DictionaryEntry): DictionaryEntry => asModel(DictionaryEntry, r);

export function builtinDictionaryEntry(e: DictionaryEntry): DictionaryEntry {
  return { ...e, origin: 'builtin' };
}

/**
 * The model has no stored-run concept of its own to share: a run record keeps storage's account
 * of what the run read (`inputs`, `settings`), and the service names those as it uses them
 * (`captureIds`, `cwSource`, `config`). What leaves the background is the model's (`RunSummary`,
 * `Report`, `SignOff`).
 */
export function runOfRecord(r: RunRecord): StoredRun {
  return {
    id: r.id,
    createdAt: r.createdAt,
    report: r.report,
    captureIds: r.inputs.captureIds,
    cwSource: cwSourceOfInputs(r.inputs),
    config: r.settings,
    ...(r.signOff ? { signOff: r.signOff } : {}),
  };
}

export function capturesPort(store: OpenStorage): CapturesPort {
  return {
    addLines: async (input) => (await store()).captures.addLines(input),
    addBundle: async (input) => (await store()).captures.addBundle(input),
    list: async (filter) => (await store()).captures.list(filter),
    current: async (filter) => (await store()).captures.current(filter),
    remove: async (id) => (await store()).captures.remove(id),
    purgeDeleted: async () => (await store()).captures.purgeDeleted(),
  };
}

export function mappingsPort(store: OpenStorage): MappingsPort {
  return {
    capture: async (inputs) => (await store()).mappings.capture(inputs),
    list: async (kind) => (await (await store()).mappings.list(kind)).map(toMapping),
    set: async ({ kind, platform, cw, cwId }) => toMapping(await (await store()).mappings.setUser({ kind, platform, cw, cwId })),
    remove: async (kind, platform) => (await store()).mappings.remove(kind, platform),
    conflicts: async () => (await (await store()).mappings.listConflicts()).map(toMappingConflict),
    resolveConflict: async (kind, platform, keep) => (await store()).mappings.resolveConflict(kind, platform, keep),
    reopenConflict: async (kind, platform) => (await store()).mappings.reopenConflict(kind, platform),
    async sides(kind, platform) {
      const conflict = (await (await store()).mappings.listConflicts()).find((c) => c.kind === kind && c.key === nameKey(platform));
      return conflict ? { user: toMapping(conflict.user), captured: toMapping(conflict.captured) } : {};
    },
    findByCw: async (kind, name) => (await (await store()).mappings.findByCw(kind, name)).map(toMapping),
  };
}

export function runsPort(store: OpenStorage): RunsPort {
  return {
    add: async (run) => runOfRecord(await (await store()).runs.add({ report: run.report, inputs: { captureIds: run.captureIds, bundleSource: run.cwSource }, settings: run.config })),
    list: async (limit) => (await (await store()).runs.listRecords(limit ? { limit } : undefined)).map(runOfRecord),
    async get(id) {
      try {
        return runOfRecord(await (await store()).runs.get(id));
      } catch {
        return undefined;
      }
    },
    remove: async (id) => (await store()).runs.remove(id),
    signOff: async (id, by, note, resolutions) => runOfRecord(await (await store()).runs.signOff(id, by, note, resolutions)),
  };
}

export function resolutionsPort(store: OpenStorage): ResolutionsPort {
  const view = (r: Resolution | undefined): Resolution | null => (r ? asModel(Resolution, r) : null);
  return {
    list: async () => (await (await store()).resolutions.list()).map((r) => view(r)!),
    get: async (finding) => view(await (await store()).resolutions.get(finding)),
    put: async (finding, state) => view(await (await store()).resolutions.update(finding, { status: state.status, note: state.note ?? null })),
  };
}

export function dictionaryPort(store: OpenStorage): DictionaryPort {
  return {
    async list() {
      return [...BUILTIN_DICTIONARY.map(builtinDictionaryEntry), ...(await (await store()).dictionary.list()).map(toDictionaryEntry)];
    },
    add: async (entry) => toDictionaryEntry(await (await store()).dictionary.add(entry)),
    remove: async (id) => (await store()).dictionary.remove(id),
  };
}

/** A backup file's text, parsed; an unreadable file is the user's input error, not a failure. */
function backupJson(json: string): unknown {
  try {
    return JSON.parse(json);
  } catch {
    throw new ProtocolError('invalid', 'This file is not JSON, so it cannot be imported. Nothing was changed.');
  }
}

export function backupPort(store: OpenStorage, settings: Settings): BackupPort {
  return {
    exportJson: async () => (await store()).backup.exportJson({ settings }),
    async importJson(json, mode, deleteUnreadable) {
      const preview = await (await store()).backup.import(backupJson(json), { mode, settings, deleteUnreadable });
      return Object.fromEntries(Object.entries(preview.stores).map(([name, c]) => [name, c.added + c.updated]));
    },
    previewJson: async (json, mode) => (await store()).backup.preview(backupJson(json), { mode, settings }),
    /** Every IndexedDB store emptied at once; the settings and the key live elsewhere and stay. */
    clear: async () => (await store()).clearAll(),
  };
}

/** The settings as the pages may see them (never the private key), and the patch they may send. */
export function settingsPort(settings: Settings): SettingsPort {
  const view = async (): Promise<PublicSettings> => {
    const [prefs, connection, hasPrivateKey] = await Promise.all([settings.getPreferences(), settings.getConnection(), settings.hasPrivateKey()]);
    return {
      cw: {
        ...regionOfSite(connection?.site ?? ''),
        companyId: connection?.companyId ?? '',
        publicKey: connection?.publicKey ?? '',
        clientId: connection?.clientId ?? '',
        hasPrivateKey,
      },
      reconcile: prefs.config,
      hosts: { platform: prefs.platformHosts, connectwise: prefs.cwHosts },
      inPage: { enabled: prefs.tooltips.enabled, offHosts: prefs.tooltips.offHosts },
    };
  };
  return {
    get: view,
    async patch(patch) {
      if (patch.reconcile || patch.hosts || patch.inPage) {
        const prefs = await settings.getPreferences();
        await settings.setPreferences({
          ...(patch.reconcile ? { config: patch.reconcile } : {}),
          ...(patch.hosts?.platform ? { platformHosts: patch.hosts.platform.map((h) => hostToMatchPattern(h) ?? h) } : {}),
          ...(patch.hosts?.connectwise ? { cwHosts: patch.hosts.connectwise.map((h) => hostToMatchPattern(h) ?? h) } : {}),
          ...(patch.inPage ? { tooltips: { ...prefs.tooltips, ...patch.inPage } } : {}),
        });
      }
      if (patch.cw) {
        const current = await view();
        const { privateKey, ...rest } = patch.cw;
        const next = { ...current.cw, ...rest };
        const connection = { site: connectionSite(next), companyId: next.companyId.trim(), publicKey: next.publicKey.trim(), clientId: next.clientId.trim() };
        if (Object.values(connection).some((v) => v === '')) {
          throw new ProtocolError('invalid', 'Fill in the site, company ID, public key and client ID to save the connection.');
        }
        await settings.saveConnection(connection, privateKey === null ? '' : (privateKey ?? undefined));
      }
      return view();
    },
    privateKey: async () => (await settings.getCredentials())?.privateKey,
  };
}

/** Every storage-backed port over one way of opening the database. */
export function storagePorts(store: OpenStorage, settings: Settings) {
  return {
    captures: capturesPort(store),
    mappings: mappingsPort(store),
    runs: runsPort(store),
    resolutions: resolutionsPort(store),
    dictionary: dictionaryPort(store),
    settings: settingsPort(settings),
    backup: backupPort(store, settings),
  };
}
