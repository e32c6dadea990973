/**
 * `scrapePage`: tells which screen a document is (Platform invoices / organizations / products,
 * ConnectWise Additions) by the grids it holds, and reads it with the matching reader.
 */
import type { CwBundle, PlatformLine, ReconcileConfig, Screen, SkippedRow } from '../model';
import { InputError } from '../shared/errors';
import { cwScore, readCwAdditionsGrid, savedFromUrl, syntheticId, type CwAdditionsResult } from './cw-grid';
import { notFound, type GridDiagnostics } from './diagnostics';
import { findGrids } from './grid-dom';
import { PLATFORM_GRID_SCORES, rankScreens } from './screen-rank';
import { CW_ADDRESS } from '../sites/connectwise';
import { readPlatformGrid } from './platform-grid';
import {
  readPlatformOrganizations,
  readPlatformProducts,
  type PlatformOrganizationRow,
  type PlatformProductRow,
} from './platform-tabs';

/** The screens a grid tells apart, in the model's names; `none` when no grid is recognised. */
export type GridScreen = Extract<Screen, 'platform.invoices' | 'platform.organizations' | 'platform.products' | 'connectwise.additions' | 'none'>;

/** Each screen a grid tells apart, as an error message names it. */
export const GRID_SCREEN_WORDS: Record<GridScreen, string> = {
  'platform.invoices': "the Platform's Mapping → Invoices grid",
  'platform.organizations': "the Platform's Mapping → Organizations grid",
  'platform.products': "the Platform's Mapping → Products grid",
  'connectwise.additions': "a ConnectWise agreement's Additions tab",
  none: 'a page with no grid recognised',
};

export type ScrapeResult =
  | { screen: 'platform.invoices'; url?: string; lines: PlatformLine[]; skipped: SkippedRow[]; diagnostics: GridDiagnostics }
  | { screen: 'platform.organizations'; url?: string; rows: PlatformOrganizationRow[]; skipped: SkippedRow[]; diagnostics: GridDiagnostics }
  | { screen: 'platform.products'; url?: string; rows: PlatformProductRow[]; skipped: SkippedRow[]; diagnostics: GridDiagnostics }
  | ({ screen: 'connectwise.additions'; url?: string } & CwAdditionsResult)
  | { screen: 'none'; url?: string; diagnostics: GridDiagnostics };

export type CwAdditionsScrape = Extract<ScrapeResult, { screen: 'connectwise.additions' }>;

export function detectScreen(root: ParentNode, url?: string): GridScreen {
  const grids = findGrids(root);
  const best = (score: (h: string[]) => number) => Math.max(0, ...grids.map((g) => Math.max(score(g.headers), ...(g.alternatives ?? []).map(score))));
  const cw = best(cwScore) + (url && CW_ADDRESS.test(url) ? 1 : 0) + (grids.some((g) => g.layout === 'gwt') ? 1 : 0);
  return rankScreens([['connectwise.additions', cw], ...PLATFORM_GRID_SCORES.map(([screen, score]) => [screen, best(score)] as const)]) ?? 'none';
}

export function scrapePage(doc: Document, opts: { url?: string; config?: ReconcileConfig } = {}): ScrapeResult {
  const url = opts.url ?? savedFromUrl(doc);
  const withUrl = <T extends object>(r: T): T & { url?: string } => (url ? { ...r, url } : r);
  switch (detectScreen(doc, url)) {
    case 'platform.invoices':
      return withUrl({ screen: 'platform.invoices' as const, ...readPlatformGrid(doc, { config: opts.config }) });
    case 'platform.organizations':
      return withUrl({ screen: 'platform.organizations' as const, ...readPlatformOrganizations(doc) });
    case 'platform.products':
      return withUrl({ screen: 'platform.products' as const, ...readPlatformProducts(doc) });
    case 'connectwise.additions': {
      const cwOpts: Parameters<typeof readCwAdditionsGrid>[1] = {};
      if (url) cwOpts.url = url;
      if (opts.config?.dateFormat) cwOpts.dateFormat = opts.config.dateFormat;
      return withUrl({ screen: 'connectwise.additions' as const, ...readCwAdditionsGrid(doc, cwOpts) });
    }
    default:
      return withUrl({
        screen: 'none' as const,
        diagnostics: notFound(
          'recognisable grid',
          'expected the Platform Mapping → Invoices, Organizations or Products grid, or a ConnectWise agreement\'s Additions tab',
        ),
      });
  }
}

/**
 * A §4.2 bundle for the one agreement a saved Additions page shows. Ids the page does not carry
 * are synthetic (negative); `complete` follows the capture's diagnostics so a partial read never
 * makes lines look missing.
 */
export function cwBundleFromAdditionsPage(result: CwAdditionsResult, where: { page?: string } = {}): CwBundle {
  // A page that names no agreement cannot say whose Additions these are.
  if (result.unidentified || result.agreement?.id === undefined) {
    throw new InputError(result.unidentified ?? 'The ConnectWise page does not identify its agreement.', { file: where.page ?? (result as { url?: string }).url });
  }
  const c = result.company ?? {};
  const companyName = c.name ?? c.identifier ?? 'Unknown company';
  const companyId = c.id ?? syntheticId(`company|${c.identifier ?? ''}|${companyName}`, new Set());
  const companyRef: { id: number; name: string; identifier?: string } = { id: companyId, name: companyName };
  if (c.identifier) companyRef.identifier = c.identifier;
  const agreementId = result.agreement.id;
  const agreement: CwBundle['agreements'][number] = {
    id: agreementId,
    name: result.agreement?.name ?? `Agreement ${agreementId}`,
    company: companyRef,
  };
  if (result.agreement?.status) agreement.agreementStatus = result.agreement.status;
  if (result.currency) agreement.currency = { currencyCode: result.currency, currencyIdentifier: result.currency };
  const bundle: CwBundle = {
    companies: [{ ...companyRef }],
    agreements: [agreement],
    additions: result.additions.map((a) => ({ ...a, agreementId })),
    complete: result.diagnostics.complete,
  };
  if (!result.diagnostics.complete) bundle.incompleteAgreementIds = [agreementId];
  return bundle;
}
