import { z } from 'zod';
import { CalendarDate } from '../model/calendar';

export const Blocker = z.enum(['not_active', 'not_billable', 'currency_differs', 'no_billable_additions']);
export type Blocker = z.infer<typeof Blocker>;

/** One agreement in the Agreement Invoicing readiness list. */
export const InvoicingRow = z.object({
  agreementId: z.number().int(),
  agreementName: z.string(),
  companyId: z.number().int(),
  companyName: z.string().optional(),
  currency: z.string().nullable(),
  /** Billable Additions active in the Thru Date's billing month. */
  additionsToBill: z.number().int().nonnegative(),
  /** What those Additions bill: (quantity − less included) × unit price, rounded per currency. */
  amount: z.number(),
  invoicing: z.enum(['automatic', 'manual']),
  blockers: z.array(z.object({ code: Blocker, message: z.string() })),
  ready: z.boolean(),
  lineIds: z.array(z.string()),
});
export type InvoicingRow = z.infer<typeof InvoicingRow>;

export const InvoicingReadiness = z.object({
  thruDate: CalendarDate,
  agreements: z.array(InvoicingRow),
  /** Ready rows' amounts per currency; never added across currencies. */
  totals: z.record(z.string(), z.number()),
  /** The setup guide's Agreement Invoicing steps, in order. */
  steps: z.array(z.string()),
});
export type InvoicingReadiness = z.infer<typeof InvoicingReadiness>;
