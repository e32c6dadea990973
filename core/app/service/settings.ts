import type { Handlers } from '../../protocol/router';
import type { ServiceContext } from './context';

/** The settings the pages may read and change, and the custom hosts' content scripts. */
export function settingsHandlers(ctx: ServiceContext): Handlers {
  const { ports, changed } = ctx;
  return {
    'settings.get': () => ports.settings.get(),
    'settings.set': async ({ patch }) => {
      const settings = await ports.settings.patch(patch);
      await ctx.refreshHosts();
      if (patch.hosts) await ports.hosts.sync(settings.hosts).catch((e: unknown) => ports.log(`registering content scripts failed: ${String(e)}`));
      changed('settings');
      return settings;
    },
    'hosts.sync': async () => {
      const settings = await ctx.refreshHosts();
      return ports.hosts.sync(settings.hosts);
    },
  };
}
