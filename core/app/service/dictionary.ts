import type { Handlers } from '../../protocol/router';
import type { ServiceContext } from './context';

/** The words of both systems side by side: the built-in entries and the user's own. */
export function dictionaryHandlers(ctx: ServiceContext): Handlers {
  const { ports, changed } = ctx;
  return {
    'dictionary.list': () => ports.dictionary.list(),
    'dictionary.add': async ({ entry }) => {
      const added = await ports.dictionary.add(entry);
      changed('dictionary');
      return added;
    },
    'dictionary.remove': async ({ id }) => {
      await ports.dictionary.remove(id);
      changed('dictionary');
      return { ok: true as const };
    },
  };
}
