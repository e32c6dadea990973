import { CwAddition, CwAgreement, CwAgreementType, CwCatalogItem, CwCompany, type CwBundle } from '../model';
import type { CwClient } from './client';
import { cond, type Condition } from './conditions';
import { CwApiError, isAbortError } from './errors';
import { FinanceCurrency } from './schemas';

export interface PullProgress {
  done: number;
  total: number;
  stage: 'companies' | 'agreements' | 'additions' | 'catalog' | 'currencies' | 'done';
}

export interface PullOptions {
  /** Company names or identifiers (e.g. the lines' PSA Organization Names); all companies when absent. */
  companies?: string[];
  /** Product IDs the lines name, so the catalog check sees them even before any Addition exists. */
  products?: string[];
  /** Only Additions that can fall in this window (DESIGN §3.5): smaller pulls, same findings. */
  window?: { from: string; to: string };
  signal?: AbortSignal;
  onProgress?: (p: PullProgress) => void;
  now: Date;
}

/** Only the fields the engine and the health checks read: keeps 20,000-Addition pulls small. */
export const COMPANY_FIELDS = ['id', 'identifier', 'name', 'status', 'types', 'site', 'deletedFlag', 'customFields'];
export const AGREEMENT_FIELDS = [
  'id', 'name', 'type', 'company', 'startDate', 'endDate', 'noEndingDateFlag', 'agreementStatus', 'cancelledFlag',
  'billProducts', 'billingCycle', 'currency', 'autoInvoiceFlag', 'customFields',
];
export const ADDITION_FIELDS = [
  'id', 'agreementId', 'product', 'quantity', 'lessIncluded', 'unitPrice', 'unitCost', 'extPrice', 'billCustomer',
  'effectiveDate', 'cancelledDate', 'description', 'invoiceDescription', 'agreementStatus', 'customFields',
];
export const CATALOG_FIELDS = ['id', 'identifier', 'description', 'inactiveFlag', 'productClass', 'type', 'price', 'integrationXRef'];

/** Keeps each `in (…)` list well under ConnectWise's ~2,000-character URL limit. */
const CHUNK = 60;

function chunks<T>(values: readonly T[], size = CHUNK): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < values.length; i += size) out.push(values.slice(i, i + size));
  return out;
}

const byId = <T extends { id: number }>(a: T, b: T) => a.id - b.id;

function uniqueById<T extends { id: number }>(items: T[]): T[] {
  return [...new Map(items.map((i) => [i.id, i])).values()].sort(byId);
}

/** Stops the pull outright: wrong keys, missing permissions or a wrong site fail every request alike. */
function isFatal(err: unknown): boolean {
  return err instanceof CwApiError && (err.status === 401 || err.status === 403 || err.code === 'InvalidSite' || (err.status === 404 && !err.path?.match(/\/\d+\//)));
}

/**
 * Fetches what a reconciliation needs (DESIGN §4.2). `complete` is true only when every page of
 * every list arrived; otherwise the agreements whose Additions were not fully read are listed, so
 * the engine calls nothing on them missing. Auth, permission and address errors throw instead.
 */
export async function pullBundle(client: CwClient, opts: PullOptions): Promise<CwBundle> {
  const { signal } = opts;
  const progress = (stage: PullProgress['stage'], done: number, total: number) => opts.onProgress?.({ stage, done, total });
  let complete = true;
  /** Companies or agreements not fully listed: no one can say which agreements were missed. */
  let unknownGaps = false;
  const incomplete = new Set<number>();

  /** A list that may fail without sinking the whole pull (transient errors, cancellation). */
  async function soft<T>(run: () => Promise<T[]>): Promise<T[] | undefined> {
    try {
      return await run();
    } catch (err) {
      if (isFatal(err) && !signal?.aborted) throw err;
      if (!(err instanceof CwApiError) && !isAbortError(err)) throw err;
      complete = false;
      return undefined;
    }
  }

  progress('companies', 0, 1);
  const wanted = [...new Set((opts.companies ?? []).map((c) => c.trim()).filter(Boolean))];
  const companyFilters: (Condition | undefined)[] = opts.companies ? chunks(wanted).map((names) => cond.or(cond.in('name', names), cond.in('identifier', names))) : [undefined];
  const [companyPages, typeList] = await Promise.all([
    Promise.all(companyFilters.map((conditions) => soft(() => client.list('/company/companies', { schema: CwCompany, conditions, fields: COMPANY_FIELDS, signal })))),
    soft(() => client.list('/finance/agreements/types', { schema: CwAgreementType, signal })),
  ]);
  const companies = uniqueById(companyPages.flatMap((p) => p ?? []));
  if (companyPages.some((p) => p === undefined)) unknownGaps = true;
  progress('companies', 1, 1);

  progress('agreements', 0, 1);
  let agreements: CwAgreement[] = [];
  if (!opts.companies) {
    const all = await soft(() => client.list('/finance/agreements', { schema: CwAgreement, fields: AGREEMENT_FIELDS, signal }));
    if (!all) unknownGaps = true;
    agreements = all ?? [];
  } else if (companies.length) {
    const pages = await Promise.all(
      chunks(companies.map((c) => c.id)).map((ids) => soft(() => client.list('/finance/agreements', { schema: CwAgreement, conditions: cond.in('company/id', ids), fields: AGREEMENT_FIELDS, signal }))),
    );
    if (pages.some((p) => p === undefined)) unknownGaps = true;
    agreements = pages.flatMap((p) => p ?? []);
  }
  agreements = uniqueById(agreements);
  progress('agreements', 1, 1);

  const additionFilter = opts.window ? cond.and(cond.le('effectiveDate', new Date(`${opts.window.to}T23:59:59Z`)), cond.or(cond.eq('cancelledDate', null), cond.ge('cancelledDate', new Date(`${opts.window.from}T00:00:00Z`)))) : undefined;
  let done = 0;
  progress('additions', 0, agreements.length);
  const perAgreement = await Promise.all(
    agreements.map(async (agreement) => {
      const list = await soft(() =>
        client.list(`/finance/agreements/${agreement.id}/additions`, {
          schema: CwAddition,
          conditions: additionFilter,
          fields: ADDITION_FIELDS,
          signal,
          // The nested endpoint may leave out the parent id; the path already names it.
          prepare: (raw) => (raw && typeof raw === 'object' && (raw as { agreementId?: unknown }).agreementId == null ? { ...raw, agreementId: agreement.id } : raw),
        }),
      );
      if (!list) incomplete.add(agreement.id);
      progress('additions', ++done, agreements.length);
      return list ?? [];
    }),
  );
  const additions = perAgreement.flat().sort(byId);

  const productIds = [...new Set(additions.map((a) => a.product.id).filter((id): id is number => typeof id === 'number'))].sort((a, b) => a - b);
  const productNames = [...new Set([...(opts.products ?? []), ...additions.filter((a) => a.product.id === undefined).map((a) => a.product.identifier)])];
  const catalogFilters = [...chunks(productIds).map((ids) => cond.in('id', ids)), ...chunks(productNames).map((names) => cond.in('identifier', names))];
  progress('catalog', 0, catalogFilters.length);
  const catalogPages = await Promise.all(catalogFilters.map((conditions) => soft(() => client.list('/procurement/catalog', { schema: CwCatalogItem, conditions, fields: CATALOG_FIELDS, signal }))));
  const catalog = uniqueById(catalogPages.flatMap((p) => p ?? []));
  progress('catalog', catalogFilters.length, catalogFilters.length);

  await fillCurrencyCodes(client, agreements, signal);

  if (!complete || incomplete.size) complete = false;
  progress('done', 1, 1);
  const bundle: CwBundle = { companies, agreements, additions, agreementTypes: uniqueById(typeList ?? []), catalog, fetchedAt: opts.now.toISOString(), complete };
  // An empty list tells the engine that any agreement may be unread (DESIGN §5: never "missing").
  if (!complete) bundle.incompleteAgreementIds = unknownGaps ? [] : [...incomplete].sort((a, b) => a - b);
  return bundle;
}

/**
 * An agreement's currency reference may carry only the id; the currency table has the ISO code the
 * engine compares with the lines' Currency. Best effort: a role without table access just leaves
 * the references as they were.
 */
async function fillCurrencyCodes(client: CwClient, agreements: CwAgreement[], signal?: AbortSignal): Promise<void> {
  const ids = [...new Set(agreements.filter((a) => a.currency && !a.currency.currencyCode && typeof a.currency.id === 'number').map((a) => a.currency!.id as number))];
  if (!ids.length) return;
  try {
    const currencies = (await Promise.all(chunks(ids).map((chunk) => client.list('/finance/currencies', { schema: FinanceCurrency, conditions: cond.in('id', chunk), signal })))).flat();
    const code = new Map(currencies.map((c) => [c.id, c.currencyCode?.name ?? c.currencyIdentifier ?? undefined]));
    for (const a of agreements) {
      const found = a.currency?.id !== undefined ? code.get(a.currency.id) : undefined;
      if (a.currency && found) a.currency.currencyCode = found;
    }
  } catch (err) {
    if (isAbortError(err)) return;
    if (!(err instanceof CwApiError)) throw err;
  }
}
