import { z } from 'zod';

export const ResolutionStatus = z.enum(['open', 'resolved', 'ignored']);
export type ResolutionStatus = z.infer<typeof ResolutionStatus>;

/** A user's verdict on a finding, keyed by a fingerprint that is stable across runs. */
export const Resolution = z.object({
  fingerprint: z.string(),
  status: ResolutionStatus,
  /**
   * The user's words, kept whole however long: a note stored before any length bound existed is
   * read and shown as written. The messages that set a note bound what is typed (4,000 characters).
   */
  note: z.string().optional(),
  updatedAt: z.string(),
});
export type Resolution = z.infer<typeof Resolution>;
