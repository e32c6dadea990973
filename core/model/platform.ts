import { z } from 'zod';

const isoDate = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'a YYYY-MM-DD date');

/** How a line stands in the PSA sync (column *Status in PSA*); absent when the column is. */
export const SyncStatus = z.enum(['Synced', 'Not Synced', 'Error', 'Response Error']);
export type SyncStatus = z.infer<typeof SyncStatus>;

/** Badges the Platform shows beside adjusted dates and renamed charge types. */
export const Badge = z.enum(['System Updated', 'User Updated']);
export type Badge = z.infer<typeof Badge>;

/**
 * One Platform invoice line, as read from a CSV export or a scraped grid (DESIGN §4.1), values
 * already parsed: dates are `YYYY-MM-DD`, numbers are numbers, empty cells are absent.
 */
export const PlatformLine = z.object({
  lineId: z.string().min(1),
  /** 1-based data row in the source, for messages that point back at the file or grid. */
  row: z.number().int().positive().optional(),
  invoiceNumber: z.string().optional(),
  invoiceDate: isoDate,
  organization: z.string(),
  organizationRef: z.string().optional(),
  subscription: z.string().optional(),
  offer: z.string().optional(),
  contractId: z.string().optional(),
  currency: z.string().optional(),
  /** The label as displayed (a base type or a partner's custom name). */
  chargeType: z.string().min(1),
  chargeTypeBadge: Badge.optional(),
  chargeStartDate: isoDate,
  chargeStartDateBadge: Badge.optional(),
  chargeEndDate: isoDate.optional(),
  chargeEndDateBadge: Badge.optional(),
  quantity: z.number(),
  cost: z.number().optional(),
  revenue: z.number(),
  psaOrganizationName: z.string().optional(),
  psaProductName: z.string().optional(),
  psaAgreementName: z.string().optional(),
  status: SyncStatus.optional(),
  excluded: z.boolean().default(false),
});
export type PlatformLine = z.infer<typeof PlatformLine>;
export type PlatformLineInput = z.input<typeof PlatformLine>;

/** A row the reader could not use, kept so the report can list it (`--skip-invalid`). */
export const SkippedRow = z.object({
  file: z.string().optional(),
  row: z.number().int(),
  column: z.string().optional(),
  value: z.string().optional(),
  message: z.string(),
});
export type SkippedRow = z.infer<typeof SkippedRow>;
