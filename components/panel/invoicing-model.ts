import { batch, signal } from '@preact/signals';
import { endOfMonth } from '../../core/shared/dates';
import type { InvoicingReadiness, PanelApi } from '../api';

const DATE = /^\d{4}-\d{2}-\d{2}$/;
const MONTH = /^\d{4}-\d{2}$/;

/** The last day of a `YYYY-MM` month, or '' when there is no month yet. */
export function defaultThruDate(month: string | null | undefined): string {
  return month && MONTH.test(month) ? endOfMonth(`${month}-01`) : '';
}

/**
 * The Agreement Invoicing readiness view's state. The Thru Date starts at the end of the month
 * being worked on and then stays as the user set it.
 */
export function createInvoicingModel(api: Pick<PanelApi, 'invoicingReadiness'>, message: (e: unknown) => string) {
  const thruDate = signal('');
  const readiness = signal<InvoicingReadiness | null>(null);
  const loading = signal(false);
  const error = signal<string | null>(null);
  // Answers can arrive out of order when the user checks two dates quickly; only the last counts.
  let asked = 0;

  const model = {
    thruDate,
    readiness,
    loading,
    error,

    setThruDate(value: string) {
      thruDate.value = value.trim();
    },

    /**
     * Opens the view: takes the working month's last day unless the user already chose a date,
     * and asks again each time, since captures may have changed while the view was closed.
     */
    async open(month: string | null | undefined) {
      if (!thruDate.value) thruDate.value = defaultThruDate(month);
      if (!thruDate.value) {
        batch(() => {
          readiness.value = null;
          error.value = null;
        });
        return;
      }
      await model.check();
    },

    async check() {
      const date = thruDate.value;
      if (!DATE.test(date)) {
        error.value = 'Pick a Thru Date (the last day of the billing period), then press Check.';
        return;
      }
      const mine = ++asked;
      batch(() => {
        loading.value = true;
        error.value = null;
      });
      try {
        const answer = await api.invoicingReadiness(date);
        if (mine === asked) readiness.value = answer;
      } catch (e) {
        if (mine === asked) {
          batch(() => {
            readiness.value = null;
            error.value = message(e);
          });
        }
      } finally {
        if (mine === asked) loading.value = false;
      }
    },
  };
  return model;
}

export type InvoicingModel = ReturnType<typeof createInvoicingModel>;
