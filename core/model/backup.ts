import { z } from 'zod';

/** A stored or imported record that cannot be taken as it is. */
export const RecordProblem = z.object({ store: z.string(), key: z.string(), message: z.string() });
export type RecordProblem = z.infer<typeof RecordProblem>;

/** What importing a backup would change in each store, worked out without changing anything. */
export const BackupPreview = z.object({
  mode: z.enum(['merge', 'replace']),
  exportedAt: z.string(),
  stores: z.record(
    z.string(),
    z.object({
      added: z.number().int().nonnegative(),
      updated: z.number().int().nonnegative(),
      unchanged: z.number().int().nonnegative(),
      removed: z.number().int().nonnegative(),
    }),
  ),
  /** Whether the file carries settings (restored along with the data). */
  settings: z.boolean(),
  /** Every change the file makes to the ConnectWise connection; keyDropped: the saved private key goes. */
  connection: z
    .object({
      changes: z.array(z.object({ field: z.string(), from: z.string().nullable(), to: z.string().nullable() })),
      keyDropped: z.boolean(),
    })
    .optional(),
  /** Records the file says were damaged at export, so it does not hold them. */
  damagedInFile: z.array(RecordProblem).optional(),
  /** Stored records that cannot be read. */
  unreadable: z.array(RecordProblem).optional(),
  /** The import would delete unreadable records: it must be confirmed. */
  needsConfirmation: z.boolean().optional(),
  /** Imported mappings not applied (id not matching its fields, or the user's own mapping kept). */
  conflicts: z.array(RecordProblem).optional(),
});
export type BackupPreview = z.infer<typeof BackupPreview>;
