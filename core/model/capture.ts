import { z } from 'zod';
import { MonthKey } from './calendar';

/** Where a capture's data came from: a Platform page or file, a ConnectWise page or file, the API. */
export const CaptureKind = z.enum(['platform', 'connectwise', 'api']);
export type CaptureKind = z.infer<typeof CaptureKind>;

/** What a file the user handed in held: a bundle file, a saved Additions page, or Platform exports. */
export const CaptureFileKind = z.enum(['bundle', 'page', 'lines']);
export type CaptureFileKind = z.infer<typeof CaptureFileKind>;

/**
 * A capture as the extension keeps and lists it: storage stores exactly this, plus its keys,
 * and the protocol and the panel show it as it is.
 */
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
  /**
   * What that file was. A bundle file lists companies and agreements, so it merges as a read of
   * them all; a saved Additions page is a read of its one agreement, as a captured page is.
   */
  fileKind: CaptureFileKind.optional(),
});
export type CaptureSummary = z.infer<typeof CaptureSummary>;

/**
 * What whoever stores a capture knows of it beyond its rows: where it was read (`url`, or `file`
 * and `fileKind`), how many rows the grid said it held, and whether the read finished (default:
 * yes). A capture that is not whole (`capturePartial`) never replaces one that is.
 */
export type CaptureOrigin = Partial<Pick<CaptureSummary, 'url' | 'file' | 'fileKind' | 'gridTotal' | 'complete'>>;

/**
 * Whether a capture read less than it was after: stopped part-way, or fewer rows than the grid
 * said it held. Such a capture sits beside the last whole capture of its scope and never replaces it.
 */
export function capturePartial(c: Pick<CaptureSummary, 'complete' | 'rows' | 'gridTotal'>): boolean {
  return !c.complete || (c.gridTotal !== undefined && c.rows < c.gridTotal);
}
