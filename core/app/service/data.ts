import type { Handlers } from '../../protocol/router';
import type { ServiceContext } from './context';

/** The whole store as one backup file: export, preview and import it, or clear everything. */
export function dataHandlers(ctx: ServiceContext): Handlers {
  const { ports, undo, changed } = ctx;
  return {
    'data.export': async () => ({ filename: `cw-reconciler-backup-${ports.now().toISOString().slice(0, 10)}.json`, json: await ports.backup.exportJson() }),
    'data.import': async ({ json, mode, deleteUnreadable }) => {
      const imported = await ports.backup.importJson(json, mode, deleteUnreadable);
      changed('captures', 'runs', 'resolutions', 'mappings', 'dictionary');
      return { imported };
    },
    'data.importPreview': ({ json, mode }) => ports.backup.previewJson(json, mode),
    'data.clear': async () => {
      await ports.backup.clear();
      // An undo step would bring back verdicts on findings that no longer exist anywhere.
      await undo.clear();
      changed('captures', 'runs', 'resolutions', 'mappings', 'dictionary');
      return { ok: true as const };
    },
  };
}
