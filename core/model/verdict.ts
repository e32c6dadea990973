import { z } from 'zod';

/** Per-row verdict on a ConnectWise Additions grid. */
export const AdditionVerdict = z.object({
  additionId: z.number().int(),
  verdict: z.enum(['matched', 'mismatch', 'orphan', 'duplicate']),
  /** Fields that differ, for `mismatch`. */
  fields: z.array(z.string()).default([]),
  lineId: z.string().optional(),
  fingerprints: z.array(z.string()).default([]),
  /*
   * What the Addition looked like in the run, so a grid row that shows no record id can still be
   * told apart by its cells (product, dates, quantity, price).
   */
  productIdentifier: z.string().optional(),
  /** `YYYY-MM-DD`. */
  effectiveDate: z.string().optional(),
  /** `YYYY-MM-DD`, or null when not cancelled. */
  cancelledDate: z.string().nullable().optional(),
  quantity: z.number().optional(),
  unitPrice: z.number().optional(),
});
export type AdditionVerdict = z.infer<typeof AdditionVerdict>;
