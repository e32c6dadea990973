import type { z } from 'zod';
import { CwAddition, CwAgreement, CwAgreementType, CwCatalogItem, CwCompany, type CwBundle, type CwDiagnostic } from '../model';
import { isBlank } from '../shared/text';
import type { CwClient, ListOptions, ListResult } from './client';
import { cond, type Condition } from './conditions';
import { CwApiError, isAbortError } from './errors';
import { FinanceCurrency, WireAddition, WireAgreement, WireAgreementType, WireCatalogItem, WireCompany, WireCompanyStatus } from './schemas';

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

/** Nothing answered at all: the host is unreachable or keeps failing. */
function isUnreachable(err: unknown): boolean {
  return err instanceof CwApiError && (err.code === 'Network' || err.code === 'Timeout');
}

type Raw = Record<string, unknown>;
/** A record the engine can use, or the field it lacks. */
type Converted<T> = { ok: T } | { field: string; message: string };

const isObject = (v: unknown): v is Raw => !!v && typeof v === 'object' && !Array.isArray(v);

/** A reference the model can hold: with an id. One without (the spec allows it) is left out. */
function ref(value: unknown): Raw | undefined {
  if (!isObject(value) || typeof value.id !== 'number') return undefined;
  const out: Raw = { ...value };
  for (const key of ['name', 'identifier']) if (out[key] === null) delete out[key];
  return out;
}

/** Custom fields by caption; one without a caption cannot be asked for, one without a value is empty. */
function customFields(value: unknown): Raw[] | undefined {
  if (!Array.isArray(value)) return undefined;
  const out: Raw[] = [];
  for (const field of value) {
    if (!isObject(field) || typeof field.caption !== 'string') continue;
    const v = field.value;
    out.push({ ...field, value: typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean' ? v : null });
  }
  return out;
}

function withRefs(record: Raw, keys: readonly string[]): Raw {
  const out: Raw = { ...record };
  for (const key of keys) {
    if (!(key in out)) continue;
    const r = ref(out[key]);
    if (r) out[key] = r;
    else delete out[key];
  }
  if ('customFields' in out) {
    const fields = customFields(out.customFields);
    if (fields) out.customFields = fields;
    else delete out.customFields;
  }
  return out;
}

function finish<T>(schema: { safeParse(v: unknown): { success: true; data: T } | { success: false; error: { issues: { path: PropertyKey[]; message: string }[] } } }, record: Raw): Converted<T> {
  const parsed = schema.safeParse(record);
  if (parsed.success) return { ok: parsed.data };
  const issue = parsed.error.issues[0];
  return { field: issue?.path.map(String).join('.') ?? '', message: issue?.message ?? 'invalid' };
}

const lacks = (field: string): { field: string; message: string } => ({ field, message: 'is missing' });

function toCompany(w: WireCompany): Converted<CwCompany> {
  if (typeof w.id !== 'number') return lacks('id');
  if (isBlank(w.name) && isBlank(w.identifier)) return lacks('name');
  const record = withRefs(w as Raw, ['status', 'site']);
  // A company the spec lets go nameless is still found by its identifier.
  if (isBlank(w.name)) record.name = w.identifier;
  if (Array.isArray(w.types)) record.types = w.types.map(ref).filter((t): t is Raw => !!t);
  return finish(CwCompany, record);
}

function toAgreement(w: WireAgreement): Converted<CwAgreement> {
  if (typeof w.id !== 'number') return lacks('id');
  if (isBlank(w.name)) return lacks('name');
  if (typeof w.company?.id !== 'number') return lacks('company.id');
  const record = withRefs(w as Raw, ['type', 'billingCycle']);
  record.company = ref(w.company);
  if (isObject(w.currency)) {
    const currency: Raw = { ...w.currency };
    if (currency.id === null) delete currency.id;
    record.currency = currency;
  }
  return finish(CwAgreement, record);
}

function toAddition(w: WireAddition): Converted<CwAddition> {
  if (typeof w.id !== 'number') return lacks('id');
  if (typeof w.agreementId !== 'number') return lacks('agreementId');
  if (isBlank(w.product?.identifier)) return lacks(w.product ? 'product.identifier' : 'product');
  if (typeof w.quantity !== 'number') return lacks('quantity');
  const record: Raw = { ...w, product: { ...w.product, ...(typeof w.product?.id === 'number' ? {} : { id: undefined }) } };
  const fields = customFields(w.customFields);
  if (fields) record.customFields = fields;
  else delete record.customFields;
  return finish(CwAddition, record);
}

function toAgreementType(w: z.infer<typeof WireAgreementType>): Converted<CwAgreementType> {
  if (typeof w.id !== 'number') return lacks('id');
  if (isBlank(w.name)) return lacks('name');
  return finish(CwAgreementType, withRefs(w as Raw, ['billingCycle']));
}

function toCatalogItem(w: z.infer<typeof WireCatalogItem>): Converted<CwCatalogItem> {
  if (typeof w.id !== 'number') return lacks('id');
  if (isBlank(w.identifier)) return lacks('identifier');
  return finish(CwCatalogItem, withRefs(w as Raw, ['type']));
}

/**
 * Fetches what a reconciliation needs (DESIGN §4.2). `complete` is true only when every list was
 * read whole (its count confirmed) and every record was usable; otherwise the agreements left
 * partly read are listed, so the engine calls nothing on them missing, and `diagnostics` say why,
 * naming agreement, record and field. Auth, permission and address errors throw, and so does a
 * host that cannot be reached at all.
 */
export async function pullBundle(client: CwClient, opts: PullOptions): Promise<CwBundle> {
  const { signal } = opts;
  const progress = (stage: PullProgress['stage'], done: number, total: number) => opts.onProgress?.({ stage, done, total });
  let complete = true;
  /** Companies or agreements not fully listed: no one can say which agreements were missed. */
  let unknownGaps = false;
  const incomplete = new Set<number>();
  const diagnostics: CwDiagnostic[] = [];

  /**
   * A list read record by record: what converts is kept, what does not becomes a diagnostic. A
   * list that fails or stops early comes back `partial` without sinking the whole pull.
   */
  async function soft<W, T>(
    path: string,
    options: Omit<ListOptions<W>, 'schema' | 'signal'> & { schema: z.ZodType<W> },
    convert: (w: W) => Converted<T>,
    about: (w: W | undefined) => Pick<CwDiagnostic, 'agreementId' | 'companyId'> = () => ({}),
  ): Promise<{ items: T[]; partial: boolean; failed?: unknown }> {
    let result: ListResult<W>;
    try {
      result = await client.read(path, { ...options, signal });
    } catch (err) {
      if (isFatal(err) && !signal?.aborted) throw err;
      if (!(err instanceof CwApiError) && !isAbortError(err)) throw err;
      complete = false;
      if (err instanceof CwApiError && err.code !== 'Aborted') diagnostics.push({ message: err.userMessage, path, ...about(undefined) });
      return { items: [], partial: true, failed: err };
    }
    const items: T[] = [];
    let partial = !result.complete;
    for (const problem of result.problems) diagnostics.push({ message: problem, path, ...about(undefined) });
    for (const r of result.rejected) {
      partial = true;
      diagnostics.push({ message: `Record ${r.id ?? `#${r.index + 1}`} from ${path}: field "${r.field}" ${r.message}.`, path, record: r.id === undefined ? `#${r.index + 1}` : String(r.id), field: r.field, ...about(undefined) });
    }
    result.items.forEach((w) => {
      const converted = convert(w);
      if ('ok' in converted) {
        items.push(converted.ok);
        return;
      }
      partial = true;
      const id = (w as { id?: unknown }).id;
      const record = typeof id === 'number' ? String(id) : undefined;
      const where = about(w);
      const owner = where.agreementId !== undefined ? `agreement ${where.agreementId}, ` : where.companyId !== undefined ? `company ${where.companyId}, ` : '';
      diagnostics.push({
        message: `ConnectWise sent a record from ${path} (${owner}record ${record ?? 'without id'}) whose field "${converted.field}" ${converted.message}; it was left out.`,
        path,
        ...where,
        ...(record ? { record } : {}),
        field: converted.field,
      });
    });
    if (partial) complete = false;
    return { items, partial };
  }

  progress('companies', 0, 1);
  const wanted = [...new Set((opts.companies ?? []).map((c) => c.trim()).filter(Boolean))];
  const companyFilters: (Condition | undefined)[] = opts.companies ? chunks(wanted).map((names) => cond.or(cond.in('name', names), cond.in('identifier', names))) : [undefined];
  const companyAbout = (w: WireCompany | undefined) => (typeof w?.id === 'number' ? { companyId: w.id } : {});
  const [companyPages, typeList] = await Promise.all([
    Promise.all(companyFilters.map((conditions) => soft('/company/companies', { schema: WireCompany, conditions, fields: COMPANY_FIELDS }, toCompany, companyAbout))),
    soft('/finance/agreements/types', { schema: WireAgreementType }, toAgreementType),
  ]);
  // Not one answer from the host: nothing was pulled, and an empty bundle would read as "no data".
  const failures = [...companyPages, typeList].map((p) => p.failed);
  if (failures.every((f) => isUnreachable(f))) throw failures[0];
  const companies = uniqueById(companyPages.flatMap((p) => p.items));
  if (companyPages.some((p) => p.partial)) unknownGaps = true;
  // The status table needs only the companies: read it while the agreements are listed, so it
  // costs no round trip of its own.
  const statuses = markInactiveStatuses(client, companies, signal);
  // Awaited below; a fatal error in the agreements stage must not leave it rejecting unheard.
  statuses.catch(() => undefined);
  progress('companies', 1, 1);

  progress('agreements', 0, 1);
  const agreementAbout = (w: WireAgreement | undefined) => (typeof w?.id === 'number' ? { agreementId: w.id } : {});
  let agreements: CwAgreement[] = [];
  if (!opts.companies) {
    const all = await soft('/finance/agreements', { schema: WireAgreement, fields: AGREEMENT_FIELDS }, toAgreement, agreementAbout);
    if (all.partial) unknownGaps = true;
    agreements = all.items;
  } else if (companies.length) {
    const pages = await Promise.all(
      chunks(companies.map((c) => c.id)).map((ids) => soft('/finance/agreements', { schema: WireAgreement, conditions: cond.in('company/id', ids), fields: AGREEMENT_FIELDS }, toAgreement, agreementAbout)),
    );
    if (pages.some((p) => p.partial)) unknownGaps = true;
    agreements = pages.flatMap((p) => p.items);
  }
  agreements = uniqueById(agreements);
  await statuses;
  progress('agreements', 1, 1);

  const additionFilter = opts.window ? cond.and(cond.le('effectiveDate', new Date(`${opts.window.to}T23:59:59Z`)), cond.or(cond.eq('cancelledDate', null), cond.ge('cancelledDate', new Date(`${opts.window.from}T00:00:00Z`)))) : undefined;
  let done = 0;
  progress('additions', 0, agreements.length);
  const perAgreement = await Promise.all(
    agreements.map(async (agreement) => {
      const list = await soft(
        `/finance/agreements/${agreement.id}/additions`,
        {
          schema: WireAddition,
          conditions: additionFilter,
          fields: ADDITION_FIELDS,
          // The nested endpoint may leave out the parent id; the path already names it.
          prepare: (raw) => (isObject(raw) && raw.agreementId == null ? { ...raw, agreementId: agreement.id } : raw),
        },
        toAddition,
        () => ({ agreementId: agreement.id }),
      );
      if (list.partial) incomplete.add(agreement.id);
      progress('additions', ++done, agreements.length);
      return list.items;
    }),
  );
  const additions: CwAddition[] = [];
  for (const list of perAgreement) for (const a of list) additions.push(a);
  additions.sort(byId);

  const productIds = [...new Set(additions.map((a) => a.product.id).filter((id): id is number => typeof id === 'number'))].sort((a, b) => a - b);
  const productNames = [...new Set([...(opts.products ?? []), ...additions.filter((a) => a.product.id === undefined).map((a) => a.product.identifier)])];
  const catalogFilters = [...chunks(productIds).map((ids) => cond.in('id', ids)), ...chunks(productNames).map((names) => cond.in('identifier', names))];
  progress('catalog', 0, catalogFilters.length);
  const catalogPages = await Promise.all(catalogFilters.map((conditions) => soft('/procurement/catalog', { schema: WireCatalogItem, conditions, fields: CATALOG_FIELDS }, toCatalogItem)));
  const catalog = uniqueById(catalogPages.flatMap((p) => p.items));
  progress('catalog', catalogFilters.length, catalogFilters.length);

  await fillCurrencyCodes(client, agreements, signal);

  if (!complete || incomplete.size) complete = false;
  progress('done', 1, 1);
  const bundle: CwBundle = { companies, agreements, additions, agreementTypes: uniqueById(typeList.items), catalog, fetchedAt: opts.now.toISOString(), complete };
  // An empty list tells the engine that any agreement may be unread (DESIGN §5: never "missing").
  if (!complete) bundle.incompleteAgreementIds = unknownGaps ? [] : [...incomplete].sort((a, b) => a - b);
  if (diagnostics.length) bundle.diagnostics = diagnostics;
  return bundle;
}

/**
 * Company status names are each tenant's own ("Credit Hold"); whether one counts as active is the
 * status table's `inactiveFlag`, copied onto each company's status reference. Best effort: a role
 * without access to the table leaves the references as they were.
 */
async function markInactiveStatuses(client: CwClient, companies: CwCompany[], signal?: AbortSignal): Promise<void> {
  const ids = [...new Set(companies.map((c) => c.status?.id).filter((id): id is number => typeof id === 'number'))];
  if (!ids.length) return;
  try {
    const r = await client.read('/company/companies/statuses', { schema: WireCompanyStatus, conditions: cond.in('id', ids.slice(0, CHUNK * 4)), signal });
    const flags = new Map(r.items.map((s) => [s.id, s.inactiveFlag ?? undefined]));
    for (const c of companies) {
      const flag = c.status ? flags.get(c.status.id) : undefined;
      if (c.status && flag !== undefined) c.status = { ...c.status, inactiveFlag: flag };
    }
  } catch (err) {
    if (isAbortError(err)) return;
    if (!(err instanceof CwApiError)) throw err;
  }
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
