import type { Handlers } from '../../protocol/router';
import { appOfUrl } from '../pages';
import type { AppPorts } from '../ports';
import { captureHandlers } from './captures';
import { connectwiseHandlers } from './connectwise';
import { createServiceContext } from './context';
import { dataHandlers } from './data';
import { dictionaryHandlers } from './dictionary';
import { fileHandlers } from './files';
import { helpHandlers } from './help';
import { invoicingHandlers } from './invoicing';
import { mappingHandlers } from './mappings';
import { pageHandlers } from './page';
import { resolutionHandlers } from './resolutions';
import { runHandlers } from './runs';
import { settingsHandlers } from './settings';

export { BUILTIN_HOSTS, cwSite, helpOn, runSummary } from './context';
export type { ServiceContext } from './context';

/**
 * Creates the background's handler table over its ports; entrypoints/background.ts routes to it.
 * Each domain's handlers live in their own file over one shared context; a message type is
 * handled by exactly one of them.
 */
export function createBackgroundService(ports: AppPorts) {
  const ctx = createServiceContext(ports);
  const handlers: Handlers = {
    ...pageHandlers(ctx),
    ...captureHandlers(ctx),
    ...fileHandlers(ctx),
    ...runHandlers(ctx),
    ...resolutionHandlers(ctx),
    ...mappingHandlers(ctx),
    ...settingsHandlers(ctx),
    ...connectwiseHandlers(ctx),
    ...invoicingHandlers(ctx),
    ...dataHandlers(ctx),
    ...dictionaryHandlers(ctx),
    ...helpHandlers(ctx),
  };

  return {
    handlers,
    jobs: ctx.jobs,
    /** Clears out old runs and expired deleted captures (core/app/retention.ts); call on start-up. */
    housekeep: ctx.housekeep,
    /** Call on start and whenever host settings change. */
    refreshHosts: ctx.refreshHosts,
    /** The active tab changed or navigated: tell open panels what it shows now. */
    async tabChanged(tabId: number) {
      ports.broadcast({ event: 'page.changed', context: ctx.pages.get(tabId, await ports.tabs.url(tabId)) });
    },
    tabClosed(tabId: number) {
      ctx.pages.forget(tabId);
    },
    appOf: (url: string) => appOfUrl(url, ctx.compiled()),
  };
}

export type BackgroundService = ReturnType<typeof createBackgroundService>;
