/**
 * What each way of giving ConnectWise data cannot show. Every path reconciles through the same
 * merge and engine, so their findings agree except where a path lacks the data a kind needs; those
 * exceptions are declared here, once, and the path-equivalence tests read them.
 */
import type { Finding, FindingKind } from '../model';

/**
 * `bundle`: a bundle file or an API pull (every field, every id). `pages+bundle`: captured or
 * saved Additions pages of every agreement plus a bundle without Additions (the agreements and
 * companies). `pages`: Additions pages alone.
 */
export type CwPath = 'bundle' | 'pages+bundle' | 'pages';

export interface PathLimits {
  /** Kinds this path never reports, because no source on it carries what they are judged on. */
  unseen: readonly FindingKind[];
  /** Whether Addition ids are ConnectWise's own; without them a reader makes ids up. */
  additionIds: boolean;
  why: string;
}

/** Kinds judged on agreement or company records, which an Additions page does not show. */
const AGREEMENT_RECORD_KINDS: readonly FindingKind[] = [
  // Status, Bill Products and end date are on the agreement's own tab, not its Additions tab.
  'agreement_not_active',
  'agreement_not_billable',
  'agreement_ended',
  // A page names its own company and agreement only: no list of companies, nor of a company's
  // agreements, to call a name unknown against (such lines stay unverified instead).
  'company_not_found',
  'agreement_not_found',
  // Custom fields (company, agreement, Addition) and the product catalog are not in the list view.
  'company_reference_mismatch',
  'agreement_reference_mismatch',
  'product_reference_mismatch',
  'product_mismatch',
  // The list view shows Less Included only when a user adds the column.
  'less_included',
];

export const PATH_LIMITS: Readonly<Record<CwPath, PathLimits>> = {
  bundle: { unseen: [], additionIds: true, why: 'the REST API returns every record with its own id' },
  'pages+bundle': {
    unseen: ['product_mismatch', 'less_included'],
    additionIds: false,
    why: 'the Additions list view shows no record id, custom fields or Less Included; the bundle gives agreements and companies',
  },
  pages: { unseen: AGREEMENT_RECORD_KINDS, additionIds: false, why: 'pages carry no Addition ids and no agreement status, company list or custom fields' },
};

/** The findings a path can show, out of those a complete bundle gives. */
export function seenOn(path: CwPath, findings: readonly Finding[]): Finding[] {
  const unseen = new Set(PATH_LIMITS[path].unseen);
  return findings.filter((f) => !unseen.has(f.kind));
}
