import type { CaptureSummary } from '../core/model';

/**
 * How the panel names a capture: the months of a Platform capture, the company and agreement of
 * a ConnectWise one, the file it came from, and whether the read stopped part-way.
 */
export function captureLabel(c: CaptureSummary): string {
  const label =
    c.kind === 'platform'
      ? `invoice lines ${c.months.join(', ')}`.trim()
      : c.kind === 'api'
        ? 'API pull'
        : [c.companyName, c.agreementName ?? (c.agreementId !== undefined ? `agreement ${c.agreementId} (name not read)` : undefined)]
            .filter(Boolean)
            .join(' · ') || 'Additions';
  // A file's capture says which file; a bundle file's own name is the best label it has.
  const named = c.file ? (c.kind === 'connectwise' && label === 'Additions' ? `file ${c.file}` : `${label} from ${c.file}`) : label;
  return c.complete ? named : `${named} (stopped part-way)`;
}

/** Rows the grid said it held and the capture did not read, when it said. */
export function captureShort(c: CaptureSummary): boolean {
  return c.gridTotal !== undefined && c.rows < c.gridTotal;
}
