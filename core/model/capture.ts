import { z } from 'zod';
import { MonthKey } from './calendar';

/** Where a capture's data came from: a Platform page or file, a ConnectWise page or file, the API. */
export const CaptureKind = z.enum(['platform', 'connectwise', 'api']);
export type CaptureKind = z.infer<typeof CaptureKind>;

export const CaptureSummary = z.object({
  id: z.string(),
  kind: CaptureKind,
  createdAt: z.string(),
  url: z.string().optional(),
  /** Platform captures: the invoice months the lines fall in. */
  months: z.array(MonthKey).default([]),
  agreementId: z.number().int().optional(),
  agreementName: z.string().optional(),
  companyName: z.string().optional(),
  rows: z.number().int().nonnegative(),
  skipped: z.number().int().nonnegative().default(0),
  /** Rows the grid said it held, when it said. */
  gridTotal: z.number().int().optional(),
  /** False when the capture was cancelled or stopped part-way. */
  complete: z.boolean(),
  /** The file (or files) it was read from, when the user handed in files rather than a page. */
  file: z.string().optional(),
});
export type CaptureSummary = z.infer<typeof CaptureSummary>;
