/**
 * The ConnectWise Agreement → Additions list view (DESIGN §5, connectwise-api.md §6.2): a GWT
 * grid whose header strip is a sibling of the rows table, rows with a leading checkbox and
 * trailing filler cells, dates and money in the user's locale. Columns are mapped by header text;
 * the agreement and company come from the banner and form, the record id from the URL.
 */
import type { CwAddition, ReconcileConfig, SkippedRow } from '../model';
import { toCwDateTime, type IsoDate } from '../shared/dates';
import { compactKey } from '../shared/text';
import { diagnose, notFound, type GridDiagnostics } from './diagnostics';
import { findGrids, readCell, type RawGrid } from './grid-dom';
import { headerTable, mapHeaders } from './headers';
import { RowProblem } from './line';
import { cwAddress, readCwBanner } from '../sites/connectwise';
import { pickGrid } from './platform-grid';
import {
  configDateOrder,
  dateOrdersFitting,
  inferDecimalSeparator,
  localeDateOrder,
  localeDecimalSeparator,
  ordersAgree,
  parseDateInOrder,
  parseNumber,
  type DateOrder,
  type DecimalSeparator,
} from './values';

type CwField =
  | 'id'
  | 'sequence'
  | 'effectiveDate'
  | 'cancelledDate'
  | 'product'
  | 'description'
  | 'productDescription'
  | 'invoiceDescription'
  | 'quantity'
  | 'lessIncluded'
  | 'unitPrice'
  | 'extPrice'
  | 'unitCost'
  | 'billCustomer'
  | 'agreement'
  | 'agreementStatus';

const CW_TABLE = headerTable<CwField>([
  ['id', ['ID', 'Addition ID', 'Rec ID', 'Record ID']],
  ['sequence', ['Sequence', 'Seq', 'Seq #']],
  ['effectiveDate', ['Effective', 'Effective Date']],
  ['cancelledDate', ['Cancelled', 'Cancelled Date', 'Canceled', 'Canceled Date', 'Date Cancelled']],
  ['product', ['Product ID', 'Product', 'Item ID', 'Product Identifier', 'Item']],
  // The list view's Description is the product invoice description (DESIGN §5); a Product
  // Description column, when a user adds one, is the Addition's own description.
  ['description', ['Description']],
  ['productDescription', ['Product Description', 'Addition Description']],
  ['invoiceDescription', ['Invoice Description', 'Product Invoice Description', 'Customer Description']],
  ['quantity', ['Quantity', 'Qty']],
  ['lessIncluded', ['Less Included', 'Less Incl']],
  ['unitPrice', ['Price', 'Unit Price']],
  ['extPrice', ['Ext Price', 'Extended Price', 'Ext. Price']],
  ['unitCost', ['Cost', 'Unit Cost']],
  ['billCustomer', ['Bill', 'Bill Customer', 'Billable']],
  ['agreement', ['Agreement', 'Agreement Name']],
  ['agreementStatus', ['Agreement Status']],
]);

export interface CwAdditionsResult {
  additions: CwAddition[];
  /**
   * Set when the page names no agreement id (no `recid=`, no `rd` in its `#…state={…}`, none in
   * the banner): an error naming the page. Its additions must not be taken for any agreement.
   */
  unidentified?: string;
  agreement?: { id?: number; name?: string; status?: string };
  company?: { id?: number; name?: string; identifier?: string };
  /** A three-letter currency code the money cells carry, when they all agree. */
  currency?: string;
  skipped: SkippedRow[];
  diagnostics: GridDiagnostics;
}

export interface CwGridOptions {
  url?: string;
  dateFormat?: ReconcileConfig['dateFormat'];
  locale?: string;
  decimalSeparator?: ReconcileConfig['decimalSeparator'];
}

export function cwScore(headers: string[]): number {
  const m = mapHeaders(headers, CW_TABLE);
  return m.has('product') && m.has('quantity') && (m.has('effectiveDate') || m.has('unitPrice')) ? m.size : 0;
}

const DATE_LIKE = /^\s*\d{1,4}[./-]\d{1,2}[./-]\d{1,4}/;

/** Picks the header alignment under which the cells look like what their headers say. */
function bestAlignment(grid: RawGrid): string[] {
  const candidates = [grid.headers, ...(grid.alternatives ?? [])];
  let best = grid.headers;
  let bestScore = -1;
  for (const headers of candidates) {
    const cols = mapHeaders(headers, CW_TABLE);
    if (!cols.has('product') || !cols.has('quantity')) continue;
    let score = cols.size * 100;
    for (const r of grid.rows.slice(0, 25)) {
      const text = (f: CwField) => {
        const i = cols.get(f);
        return i === undefined ? undefined : (readCell(r.cells[i])?.text ?? '');
      };
      for (const f of ['effectiveDate', 'cancelledDate'] as const) {
        const t = text(f);
        if (t !== undefined) score += t === '' || DATE_LIKE.test(t) ? 1 : -2;
      }
      for (const f of ['quantity', 'unitPrice', 'extPrice'] as const) {
        const t = text(f);
        if (t !== undefined) score += parseNumber(t, '.') || parseNumber(t, ',') ? 1 : -2;
      }
      const p = text('product');
      if (p !== undefined) score += p !== '' && !DATE_LIKE.test(p) && !parseNumber(p) ? 1 : -2;
    }
    if (score > bestScore) [best, bestScore] = [headers, score];
  }
  return best;
}

function documentOf(root: ParentNode): Document | undefined {
  const node = root as unknown as Node;
  if (node.nodeType === 9) return node as Document;
  return node.ownerDocument ?? undefined;
}

/** The address a browser writes into a saved page: `<!-- saved from url=(0091)https://… -->`. */
export function savedFromUrl(root: ParentNode): string | undefined {
  const doc = documentOf(root);
  if (!doc) return undefined;
  const nodes = [...Array.from(doc.childNodes), ...Array.from(doc.documentElement?.childNodes ?? [])];
  const head = doc.head ? Array.from(doc.head.childNodes) : [];
  for (const n of [...nodes, ...head]) {
    if (n.nodeType !== 8) continue;
    const m = /saved from url=\(\d+\)\s*(\S+)/i.exec(n.textContent ?? '');
    if (m?.[1]) return m[1];
  }
  return undefined;
}

function htmlLang(root: ParentNode): string | undefined {
  const lang = documentOf(root)?.documentElement?.getAttribute('lang')?.trim();
  return lang ? lang : undefined;
}

interface DateChoice {
  order: DateOrder;
  problem?: string;
}

function chooseDateOrder(values: string[], opts: CwGridOptions, locale: string | undefined): DateChoice {
  const configured = configDateOrder(opts.dateFormat);
  if (configured) return { order: configured };
  const fitting = dateOrdersFitting(values);
  const fromLocale = locale ? localeDateOrder(locale) : undefined;
  if (fromLocale && fitting.includes(fromLocale)) return { order: fromLocale };
  if (fitting.length === 1) {
    const order = fitting[0] as DateOrder;
    return fromLocale ? { order, problem: `Dates do not fit the page locale "${locale}"; read as ${order}, the one order that fits every date.` } : { order };
  }
  if (fitting.length > 1) {
    if (ordersAgree(values, fitting)) return { order: fitting[0] as DateOrder };
    return {
      order: fromLocale ?? (fitting[0] as DateOrder),
      problem: `The dates read as ${fitting.join(' or ')}, and the page names no locale; set the date format in the options (config dateFormat).`,
    };
  }
  return { order: fromLocale ?? 'YMD' };
}

const BILL: Record<string, string> = { billable: 'Billable', yes: 'Billable', true: 'Billable', donotbill: 'DoNotBill', no: 'DoNotBill', false: 'DoNotBill', nocharge: 'NoCharge' };

/** Bill as text (`Billable`, `Do Not Bill`) or as the list view's checkbox (checked = billable). */
function billOf(cell: Element | undefined, shown: boolean): string | undefined {
  if (!shown) return undefined;
  const read = readCell(cell);
  if (read?.text) return BILL[compactKey(read.text)] ?? read.text;
  if (read?.checked !== undefined) return read.checked ? 'Billable' : 'DoNotBill';
  return undefined;
}

/**
 * The charge-type label at the end of a product invoice description the Platform wrote
 * (`<subscription> - <label>`); undefined when the text is not in that form.
 */
function labelOf(invoiceDescription: string | undefined): string | undefined {
  if (!invoiceDescription) return undefined;
  const cut = invoiceDescription.lastIndexOf(' - ');
  const label = cut > 0 ? invoiceDescription.slice(cut + 3).trim() : '';
  return label || undefined;
}

/** FNV-1a, for synthetic ids that stay the same each time the same page is read. */
function hash(text: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return h >>> 0;
}

export function syntheticId(seed: string, taken: ReadonlySet<number>): number {
  let id = -(1 + (hash(seed) % 0x3fffffff));
  while (taken.has(id)) id = id === -1 ? -0x3fffffff : id + 1;
  return id;
}

/** A form field's value by its label (`Company:`, `Company ID`), as GWT pods lay them out. */
function labelledValue(root: ParentNode, labels: string[]): string | undefined {
  const elements = Array.from(root.querySelectorAll('label, [class*="Label"], [class*="label"], td, th, span, div')).filter((e) => e.children.length === 0);
  for (const wanted of labels.map(compactKey)) {
    for (const label of elements.filter((e) => compactKey(e.textContent ?? '') === wanted)) {
      const forId = label.getAttribute('for');
      const target = forId ? root.querySelector(`#${cssEscape(forId)}`) : null;
      if (target) return readCell(target)?.text || undefined;
      const v = valueBeside(label);
      if (v) return v;
    }
  }
  return undefined;
}

// The value sits in a later sibling of the label or of one of its wrappers, within the form row.
function valueBeside(label: Element): string | undefined {
  let node: Element | null = label;
  for (let depth = 0; node && depth < 4 && node.tagName !== 'TR'; depth++, node = node.parentElement) {
    for (let sib = node.nextElementSibling; sib; sib = sib.nextElementSibling) {
      const v = readCell(sib.matches('input, select, textarea') ? sib : (sib.querySelector('input:not([type=hidden]):not([type=checkbox]), select, textarea') ?? sib))?.text;
      if (v) return v;
    }
  }
  return undefined;
}

function cssEscape(id: string): string {
  return id.replace(/([^a-zA-Z0-9_-])/g, '\\$1');
}

function readCompany(root: ParentNode, banner: { companyName?: string }): { name?: string; identifier?: string } {
  const input = root.querySelector('input[class*="cw_company"]');
  const fromInput = input ? readCell(input)?.text : undefined;
  const identifier = fromInput || labelledValue(root, ['Company ID', 'Company ID:', 'Company Identifier']);
  const name = banner.companyName ?? labelledValue(root, ['Company Name', 'Company Name:', 'Company', 'Company:']);
  const out: { name?: string; identifier?: string } = {};
  if (identifier) out.identifier = identifier;
  if (name && name !== identifier) out.name = name;
  else if (name && !identifier) out.name = name;
  return out;
}

/** The grid row each read Addition came from, for callers that work on the live page. */
const ROW_OF = new WeakMap<CwAddition, Element>();

export function additionRowElement(addition: CwAddition): Element | undefined {
  return ROW_OF.get(addition);
}

export function readCwAdditionsGrid(root: ParentNode, opts: CwGridOptions = {}): CwAdditionsResult {
  const grid = pickGrid(findGrids(root), cwScore, 3);
  if (!grid) {
    return {
      additions: [],
      skipped: [],
      diagnostics: notFound('ConnectWise Additions grid', 'looked for a list view with Product ID, Quantity and Effective headers; open the agreement\'s Additions tab'),
    };
  }
  const headers = bestAlignment(grid);
  const cols = mapHeaders(headers, CW_TABLE);
  const missing: string[] = [];
  if (!cols.has('product')) missing.push('Product ID');
  if (!cols.has('quantity')) missing.push('Quantity');
  if (!cols.has('effectiveDate')) missing.push('Effective');
  if (!cols.has('unitPrice') && !cols.has('extPrice')) missing.push('Price');

  const url = opts.url ?? savedFromUrl(root);
  const facts = cwAddress(url);
  const locale = opts.locale ?? facts.locale ?? htmlLang(root);
  const banner = readCwBanner(root);
  const company = readCompany(root, banner);
  const problems: string[] = [];

  const cellText = (r: RawGrid['rows'][number], f: CwField) => {
    const i = cols.get(f);
    return i === undefined ? undefined : (readCell(r.cells[i])?.text ?? '');
  };
  const dateValues = grid.rows.flatMap((r) => [cellText(r, 'effectiveDate') ?? '', cellText(r, 'cancelledDate') ?? '']).filter((v) => v !== '');
  const dates = chooseDateOrder(dateValues, opts, locale);
  if (dates.problem) problems.push(dates.problem);
  const moneyValues = grid.rows.flatMap((r) => (['quantity', 'unitPrice', 'extPrice', 'unitCost', 'lessIncluded'] as const).map((f) => cellText(r, f) ?? ''));
  const decimal: DecimalSeparator = opts.decimalSeparator ?? (locale ? localeDecimalSeparator(locale) : undefined) ?? inferDecimalSeparator(moneyValues);

  const agreementId = facts.recid !== undefined && (!facts.recordType || /agreement|state/i.test(facts.recordType)) ? facts.recid : banner.agreementId;
  const agreementNames = new Set(grid.rows.map((r) => cellText(r, 'agreement') ?? '').filter((v) => v !== ''));
  const agreementName = banner.agreementName ?? (agreementNames.size === 1 ? [...agreementNames][0] : undefined);
  if (agreementNames.size > 1) problems.push(`The grid lists additions of ${agreementNames.size} agreements; a saved Additions page should show one.`);
  // Never a guess: Additions taken for the wrong agreement would be reported as that one's.
  const unidentified =
    agreementId === undefined
      ? `The ConnectWise page ${url ? `"${url}" ` : ''}does not identify its agreement${agreementName ? ` ("${agreementName}")` : ''}: its address has no recid= and no "rd" in its #…state={…} part, and the banner shows no agreement number. Open the agreement from its record link and capture or save it again.`
      : undefined;
  if (unidentified) problems.push(unidentified);
  const agreementKey = agreementId ?? syntheticId(`agreement|${company.identifier ?? company.name ?? ''}|${agreementName ?? ''}`, new Set());

  const additions: CwAddition[] = [];
  const skipped: SkippedRow[] = [];
  const taken = new Set<number>();
  const currencies = new Set<string>();
  let synthetic = 0;
  if (missing.length === 0) {
    grid.rows.forEach((r, position) => {
      const row = position + 1;
      const fail = (f: CwField, message: string): never => {
        throw new RowProblem(message, headers[cols.get(f) ?? -1] ?? f, cellText(r, f) ?? '');
      };
      const date = (f: CwField): IsoDate | null => {
        const t = cellText(r, f) ?? '';
        if (t === '') return null;
        return parseDateInOrder(t, dates.order) ?? fail(f, `not a date (read as ${dates.order})`);
      };
      const money = (f: CwField): number | undefined => {
        const t = cellText(r, f);
        if (t === undefined || t === '') return undefined;
        const n = parseNumber(t, decimal) ?? fail(f, `not a number (decimal separator "${decimal}")`);
        if (n.currency) currencies.add(n.currency);
        return n.value;
      };
      try {
        const product = cellText(r, 'product') || fail('product', 'is empty');
        const quantity = money('quantity') ?? fail('quantity', 'is empty');
        const effective = date('effectiveDate') ?? fail('effectiveDate', 'is empty');
        const cancelled = date('cancelledDate');
        const ext = money('extPrice');
        let unitPrice = money('unitPrice');
        if (unitPrice === undefined && ext !== undefined) unitPrice = quantity !== 0 ? Math.round((ext / quantity) * 1e6) / 1e6 : 0;
        const shownId = cellText(r, 'id');
        const recordId = shownId && /^\d+$/.test(shownId) ? Number(shownId) : r.recordId ? Number(r.recordId) : undefined;
        const id =
          recordId ??
          syntheticId(`${agreementKey}|${position}|${product}|${effective}|${quantity}|${unitPrice ?? ''}|${cellText(r, 'sequence') ?? ''}`, taken);
        if (recordId === undefined) synthetic++;
        taken.add(id);
        const a: CwAddition = {
          id,
          agreementId: agreementKey,
          product: { identifier: product },
          quantity,
          effectiveDate: toCwDateTime(effective),
          cancelledDate: cancelled ? toCwDateTime(cancelled) : null,
        };
        if (unitPrice !== undefined) a.unitPrice = unitPrice;
        if (ext !== undefined) a.extPrice = ext;
        const cost = money('unitCost');
        if (cost !== undefined) a.unitCost = cost;
        const less = money('lessIncluded');
        if (less !== undefined) a.lessIncluded = less;
        // Description shows the product invoice description; an Invoice Description column,
        // when shown too, says the same thing by name and wins.
        const invoiceDescription = cellText(r, 'invoiceDescription') || cellText(r, 'description');
        if (invoiceDescription) a.invoiceDescription = invoiceDescription;
        const description = cols.has('productDescription') ? cellText(r, 'productDescription') : labelOf(invoiceDescription);
        if (description) a.description = description;
        const bill = billOf(r.cells[cols.get('billCustomer') ?? -1], cols.has('billCustomer'));
        if (bill) a.billCustomer = bill;
        const status = cellText(r, 'agreementStatus');
        if (status) a.agreementStatus = status;
        additions.push(a);
        ROW_OF.set(a, r.element);
      } catch (err) {
        if (!(err instanceof RowProblem)) throw err;
        skipped.push({ row, column: err.column, value: err.value, message: `${err.column}: ${err.message}` });
      }
    });
  }
  if (synthetic > 0) problems.push(`${synthetic} addition${synthetic > 1 ? 's show' : ' shows'} no record id; deterministic synthetic negative ids are used.`);
  const diagnostics = diagnose({ ...grid, headers }, 'Additions grid', missing, additions.length, skipped.length);
  for (const p of problems) diagnostics.problems.push(p);
  if (dates.problem && /set the date format/.test(dates.problem)) diagnostics.complete = false;

  if (unidentified) diagnostics.complete = false;
  const result: CwAdditionsResult = { additions, skipped, diagnostics };
  if (unidentified) result.unidentified = unidentified;
  const agreement: { id?: number; name?: string; status?: string } = {};
  if (agreementId !== undefined) agreement.id = agreementKey;
  if (agreementName) agreement.name = agreementName;
  const statuses = new Set(additions.map((a) => a.agreementStatus).filter((s): s is string => Boolean(s)));
  if (statuses.size === 1) agreement.status = [...statuses][0];
  if (Object.keys(agreement).length) result.agreement = agreement;
  if (company.name || company.identifier) result.company = company;
  if (currencies.size === 1) result.currency = [...currencies][0];
  return result;
}
