import { z } from 'zod';
import { MonthKey } from './calendar';

/** The two systems whose pages the extension reads. */
export const App = z.enum(['platform', 'connectwise']);
export type App = z.infer<typeof App>;

/** Which screen a tab shows. */
export const Screen = z.enum([
  'platform.invoices',
  'platform.organizations',
  'platform.products',
  'platform.other',
  'connectwise.company',
  'connectwise.agreement',
  'connectwise.additions',
  'connectwise.other',
  'none',
]);
export type Screen = z.infer<typeof Screen>;

/** What the page in a tab offers, as its content script detected it. */
export const PageContext = z.object({
  tabId: z.number().int().nullable(),
  url: z.string(),
  app: App.nullable(),
  screen: Screen,
  title: z.string().optional(),
  /** True when this screen has a grid the content script can capture. */
  capturable: z.boolean(),
  /** Rows the grid says it holds in total, when it shows a count. */
  gridTotal: z.number().int().optional(),
  /** ConnectWise: the record the screen shows. */
  agreement: z.object({ id: z.number().int().optional(), name: z.string().optional() }).optional(),
  company: z.object({ id: z.number().int().optional(), name: z.string().optional() }).optional(),
  /** Platform invoices: the invoice month the grid is filtered to, when it says. */
  period: MonthKey.optional(),
  /** False when the extension cannot reach the tab (no permission, a browser page). */
  reachable: z.boolean(),
});
export type PageContext = z.infer<typeof PageContext>;

/** Where deep links point: `openrecord.rails` on the ConnectWise web host, the Platform portal. */
export const LinkBases = z.object({
  /** ConnectWise web host origin, e.g. `https://na.myconnectwise.net`. */
  cwWebOrigin: z.string().optional(),
  /** ConnectWise login company id, needed by `openrecord.rails`. */
  cwCompanyId: z.string().optional(),
  /** Platform origin, e.g. `https://demo.rethinkportal.com`. */
  platformOrigin: z.string().optional(),
});
export type LinkBases = z.infer<typeof LinkBases>;
