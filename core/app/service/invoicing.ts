import { invoicingReadiness } from '../../invoicing';
import type { Handlers } from '../../protocol/router';
import type { ServiceContext } from './context';

/** Whether the month is ready for ConnectWise's Agreement Invoicing, over the reconcile's working set. */
export function invoicingHandlers(ctx: ServiceContext): Handlers {
  return {
    'invoicing.readiness': async ({ thruDate }) => {
      const { settings, input, bundle } = await ctx.workingSet(undefined, 'auto');
      const readiness = invoicingReadiness({ lines: input.lines, bundle, config: settings.reconcile, thruDate });
      return { ...readiness, steps: [...readiness.steps] };
    },
  };
}
