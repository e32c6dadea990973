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
  /**
   * What an unseen kind shows as instead: a product_mismatch is paired through the Addition's
   * line-reference custom field, which a page lacks, so the line looks missing and the Addition
   * orphaned.
   */
  becomes?: Partial<Record<FindingKind, readonly ('missing_addition' | 'orphan_addition')[]>>;
  /**
   * Unseen kinds a page still shows when the user's Additions list has the optional column that
   * carries their fact (keyed by the page reader's column name): Agreement Status repeats the
   * agreement's own status on every row.
   */
  shownWithColumn?: Partial<Record<FindingKind, string>>;
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
];

const NO_LINE_REFERENCE = { product_mismatch: ['missing_addition', 'orphan_addition'] } as const;

export const PATH_LIMITS: Readonly<Record<CwPath, PathLimits>> = {
  bundle: { unseen: [], additionIds: true, why: 'the REST API returns every record with its own id' },
  'pages+bundle': {
    unseen: ['product_mismatch'],
    becomes: NO_LINE_REFERENCE,
    additionIds: false,
    why: 'the Additions list view shows no record id and no custom field; the bundle gives agreements and companies',
  },
  pages: {
    unseen: AGREEMENT_RECORD_KINDS,
    becomes: NO_LINE_REFERENCE,
    shownWithColumn: { agreement_not_active: 'agreementStatus' },
    additionIds: false,
    why: 'pages carry no Addition ids and no agreement status, company list or custom fields',
  },
};

type Seen = Pick<Finding, 'kind' | 'lineId' | 'additionId' | 'agreementId' | 'productIdentifier' | 'field' | 'actual'>;

/**
 * The findings a path can show, out of those a complete bundle gives (unseen kinds as what they
 * become); `columns` are the optional Additions-list columns the pages had.
 */
export function seenOn<T extends Seen>(path: CwPath, findings: readonly T[], columns: readonly string[] = []): T[] {
  const limits = PATH_LIMITS[path];
  const shown = Object.entries(limits.shownWithColumn ?? {}).filter(([, column]) => columns.includes(column)).map(([kind]) => kind);
  const unseen = new Set(limits.unseen.filter((kind) => !shown.includes(kind)));
  const out: T[] = [];
  for (const f of findings) {
    if (!unseen.has(f.kind)) {
      out.push(f);
      continue;
    }
    for (const kind of limits.becomes?.[f.kind] ?? []) {
      const { field: _field, actual, additionId, lineId, ...rest } = f;
      if (kind === 'missing_addition') out.push({ ...rest, kind, ...(lineId !== undefined ? { lineId } : {}) } as T);
      else out.push({ ...rest, kind, ...(additionId !== undefined ? { additionId } : {}), ...(typeof actual === 'string' ? { productIdentifier: actual } : {}) } as T);
    }
  }
  return out;
}
