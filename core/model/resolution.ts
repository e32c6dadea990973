import { z } from 'zod';

export const ResolutionStatus = z.enum(['open', 'resolved', 'ignored']);
export type ResolutionStatus = z.infer<typeof ResolutionStatus>;

/** A user's verdict on a finding, keyed by a fingerprint that is stable across runs. */
export const Resolution = z.object({
  fingerprint: z.string(),
  status: ResolutionStatus,
  note: z.string().max(4000).optional(),
  updatedAt: z.string(),
});
export type Resolution = z.infer<typeof Resolution>;
