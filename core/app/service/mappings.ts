import type { Handlers } from '../../protocol/router';
import type { ServiceContext } from './context';

/** Platform ↔ ConnectWise name mappings: listed, set by the user, deleted, and their conflicts. */
export function mappingHandlers(ctx: ServiceContext): Handlers {
  const { ports, changed } = ctx;
  return {
    'mappings.list': ({ kind }) => ports.mappings.list(kind),
    'mappings.set': async (input) => {
      const mapping = await ports.mappings.set({ kind: input.kind, platform: input.platform, cw: input.cw, cwId: input.cwId });
      changed('mappings');
      return mapping;
    },
    'mappings.delete': async ({ kind, platform }) => {
      await ports.mappings.remove(kind, platform);
      changed('mappings');
      return { ok: true as const };
    },
    'mappings.conflicts': () => ports.mappings.conflicts(),
  };
}
