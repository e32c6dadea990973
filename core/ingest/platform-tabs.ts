/**
 * The Platform's Mapping → Organizations and Mapping → Products tabs: which Platform
 * organization maps to which ConnectWise company, which offer to which product. They feed the
 * stored mappings; the invoices grid is read by platform-grid.ts.
 */
import type { SkippedRow } from '../model';
import { compactKey } from '../shared/text';
import { diagnose, notFound, type GridDiagnostics } from './diagnostics';
import { PLATFORM_SCREENS } from '../sites/platform';
import { findGrids, readCell } from './grid-dom';
import { headerTable, mapHeaders, type HeaderTable } from './headers';
import { pickGrid } from './platform-grid';
import { parseYesNo, splitBadge } from './values';

export interface PlatformOrganizationRow {
  row: number;
  organization: string;
  organizationRef?: string;
  psaOrganizationName?: string;
  excluded: boolean;
  mappingStatus?: string;
}

export interface PlatformProductRow {
  row: number;
  offer: string;
  psaProductName?: string;
  mappingStatus?: string;
}

export interface TabResult<R> {
  rows: R[];
  skipped: SkippedRow[];
  diagnostics: GridDiagnostics;
}

type OrgField = 'organizationRef' | 'organization' | 'psaOrganizationName' | 'excluded' | 'mappingStatus' | 'chargeType';
type ProductField = 'offer' | 'psaProductName' | 'mappingStatus' | 'chargeType';

const ORG_TABLE = headerTable<OrgField>([
  ['organizationRef', ['Organization Reference #', 'Organization Reference', 'Org Ref']],
  ['organization', ['Organization', 'Organization Name', 'Customer']],
  ['psaOrganizationName', ['PSA Organization Name', 'PSA Organization', 'PSA Company']],
  ['excluded', ['Excluded from Sync', 'Excluded']],
  ['mappingStatus', ['Mapping Status', 'Status']],
  ['chargeType', ['Charge Type']],
]);

const PRODUCT_TABLE = headerTable<ProductField>([
  ['offer', ['Offer', 'Offer Name', 'Product', 'Product Name']],
  ['psaProductName', ['PSA Product Name', 'PSA Product']],
  ['mappingStatus', ['Mapping Status', 'Status']],
  ['chargeType', ['Charge Type']],
]);

const PLACEHOLDER = new Set(['clicktoselect', 'select', 'none', 'na']);

function value(text: string | undefined): string | undefined {
  const t = splitBadge(text ?? '').text;
  return t === '' || PLACEHOLDER.has(compactKey(t)) || /^[—–-]$/.test(t) ? undefined : t;
}

// A mapping tab has its own pair of key columns and, unlike the invoices grid, no Charge Type.
function tabScore<F extends string>(table: HeaderTable<F>, keys: F[]): (headers: string[]) => number {
  return (headers) => {
    const mapped = mapHeaders(headers, table);
    if (mapped.has('chargeType' as F) || !keys.every((k) => mapped.has(k))) return 0;
    return mapped.size;
  };
}

export const organizationsScore = tabScore(ORG_TABLE, ['organization', 'psaOrganizationName']);
export const productsScore = tabScore(PRODUCT_TABLE, ['offer', 'psaProductName']);

export function readPlatformOrganizations(root: ParentNode): TabResult<PlatformOrganizationRow> {
  const grid = pickGrid(findGrids(root), organizationsScore, 2);
  if (!grid) return { rows: [], skipped: [], diagnostics: notFound(PLATFORM_SCREENS['platform.organizations'].grid, 'looked for Organization and PSA Organization Name headers') };
  const cols = mapHeaders(grid.headers, ORG_TABLE);
  const rows: PlatformOrganizationRow[] = [];
  const skipped: SkippedRow[] = [];
  grid.rows.forEach((r, position) => {
    const row = (r.index ?? position) + 1;
    const cell = (f: OrgField) => {
      const i = cols.get(f);
      return i === undefined ? undefined : readCell(r.cells[i]);
    };
    const organization = value(cell('organization')?.text);
    if (!organization) {
      skipped.push({ row, column: 'Organization', value: '', message: 'Organization: is empty' });
      return;
    }
    const ex = cell('excluded');
    const excluded = ex ? (ex.checked ?? parseYesNo(ex.text)) : false;
    if (excluded === null) {
      skipped.push({ row, column: 'Excluded from Sync', value: ex?.text ?? '', message: 'Excluded from Sync: not Yes or No' });
      return;
    }
    const out: PlatformOrganizationRow = { row, organization, excluded };
    const ref = value(cell('organizationRef')?.text);
    if (ref) out.organizationRef = ref;
    const psa = value(cell('psaOrganizationName')?.text);
    if (psa) out.psaOrganizationName = psa;
    const status = statusText(cell('mappingStatus'));
    if (status) out.mappingStatus = status;
    rows.push(out);
  });
  return { rows, skipped, diagnostics: diagnose(grid, 'Organizations grid', [], rows.length, skipped.length) };
}

export function readPlatformProducts(root: ParentNode): TabResult<PlatformProductRow> {
  const grid = pickGrid(findGrids(root), productsScore, 2);
  if (!grid) return { rows: [], skipped: [], diagnostics: notFound(PLATFORM_SCREENS['platform.products'].grid, 'looked for Offer and PSA Product Name headers') };
  const cols = mapHeaders(grid.headers, PRODUCT_TABLE);
  const rows: PlatformProductRow[] = [];
  const skipped: SkippedRow[] = [];
  grid.rows.forEach((r, position) => {
    const row = (r.index ?? position) + 1;
    const cell = (f: ProductField) => {
      const i = cols.get(f);
      return i === undefined ? undefined : readCell(r.cells[i]);
    };
    const offer = value(cell('offer')?.text);
    if (!offer) {
      skipped.push({ row, column: 'Offer', value: '', message: 'Offer: is empty' });
      return;
    }
    const out: PlatformProductRow = { row, offer };
    const psa = value(cell('psaProductName')?.text);
    if (psa) out.psaProductName = psa;
    const status = statusText(cell('mappingStatus'));
    if (status) out.mappingStatus = status;
    rows.push(out);
  });
  return { rows, skipped, diagnostics: diagnose(grid, 'Products grid', [], rows.length, skipped.length) };
}

// The Response Error badge is the status on these tabs, so keep it as text.
function statusText(cell: { text: string } | undefined): string | undefined {
  const t = cell?.text.trim();
  return t ? t : undefined;
}
