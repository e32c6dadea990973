import { z } from 'zod';

export const ResolutionStatus = z.enum(['open', 'resolved', 'ignored']);
export type ResolutionStatus = z.infer<typeof ResolutionStatus>;

/** A user's verdict on a finding, keyed by a fingerprint that is stable across runs. */
export const Resolution = z.object({
  fingerprint: z.string(),
  status: ResolutionStatus,
  /**
   * The user's words, kept whole however long: no length bound on reading, storing or setting a
   * note, so a long note is never refused at save (which would lose it) or cut.
   */
  note: z.string().optional(),
  updatedAt: z.string(),
});
export type Resolution = z.infer<typeof Resolution>;
