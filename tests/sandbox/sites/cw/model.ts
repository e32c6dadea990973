import type { CwAddition, CwAgreement, CwBundle, CwCompany } from '../../../../core/model';
import { isoDatePart } from '../../../../core/shared/dates';
import type { CwColumn, CwListModel } from '../shared';
import type { CwFormat } from './format';

interface Money {
  code?: string;
  symbol?: string;
}
type AdditionCell = (a: CwAddition, f: CwFormat, currency: Money, seq: number) => { text: string; sort: string | number | null };

const BILL_LABELS: Record<string, string> = { Billable: 'Billable', DoNotBill: 'Do Not Bill', NoCharge: 'No Charge' };

function money(value: number | null | undefined, f: CwFormat, currency: Money) {
  return { text: f.money(value, currency.code, currency.symbol), sort: value ?? null };
}

function dateCell(value: string | null | undefined, f: CwFormat) {
  return { text: f.date(value), sort: isoDatePart(value) };
}

/** Every Additions column the look-alike can show, keyed for `?cols=`; labels as ConnectWise's. */
export const ADDITION_COLUMNS: Record<string, { label: string; right?: boolean; width?: number; link?: boolean; checkbox?: boolean; cell: AdditionCell }> = {
  sequence: { label: 'Sequence', right: true, width: 80, cell: (_a, f, _c, seq) => ({ text: f.number(seq), sort: seq }) },
  productId: { label: 'Product ID', link: true, cell: (a) => ({ text: a.product.identifier, sort: a.product.identifier }) },
  // As in Manage's list view: Description shows the product invoice description (DESIGN §5).
  description: { label: 'Description', width: 300, cell: (a) => ({ text: a.invoiceDescription ?? '', sort: a.invoiceDescription ?? '' }) },
  productDescription: { label: 'Product Description', width: 150, cell: (a) => ({ text: a.description ?? '', sort: a.description ?? '' }) },
  invoiceDescription: { label: 'Invoice Description', width: 300, cell: (a) => ({ text: a.invoiceDescription ?? '', sort: a.invoiceDescription ?? '' }) },
  effective: { label: 'Effective', width: 95, cell: (a, f) => dateCell(a.effectiveDate, f) },
  cancelled: { label: 'Cancelled', width: 95, cell: (a, f) => dateCell(a.cancelledDate, f) },
  quantity: { label: 'Quantity', right: true, width: 75, cell: (a, f) => ({ text: f.number(a.quantity), sort: a.quantity }) },
  lessIncluded: { label: 'Less Included', right: true, width: 100, cell: (a, f) => ({ text: f.number(a.lessIncluded ?? 0), sort: a.lessIncluded ?? 0 }) },
  unitPrice: { label: 'Unit Price', right: true, cell: (a, f, c) => money(a.unitPrice, f, c) },
  unitCost: { label: 'Unit Cost', right: true, cell: (a, f, c) => money(a.unitCost, f, c) },
  extPrice: {
    label: 'Ext Price',
    right: true,
    cell: (a, f, c) => money(a.extPrice ?? (a.unitPrice == null ? null : Math.round(a.unitPrice * (a.quantity - (a.lessIncluded ?? 0)) * 100) / 100), f, c),
  },
  bill: { label: 'Bill', width: 90, cell: (a) => ({ text: BILL_LABELS[a.billCustomer ?? ''] ?? a.billCustomer ?? '', sort: a.billCustomer ?? '' }) },
  /** Bill as Manage draws it: a checkbox, checked when billable. */
  billBox: { label: 'Bill', width: 50, checkbox: true, cell: (a) => ({ text: String(a.billCustomer === 'Billable'), sort: a.billCustomer ?? '' }) },
  agreementStatus: { label: 'Agreement Status', cell: (a) => ({ text: a.agreementStatus ?? '', sort: a.agreementStatus ?? '' }) },
};

export const DEFAULT_ADDITION_COLUMNS = ['productId', 'description', 'effective', 'cancelled', 'quantity', 'lessIncluded', 'unitPrice', 'extPrice', 'bill'];

/** The detail pod's fields: the form labels Manage uses, which differ from the list headers. */
const DETAIL: [string, string][] = [
  ['productId', 'Product ID'],
  ['productDescription', 'Description'],
  ['invoiceDescription', 'Invoice Description'],
  ['effective', 'Effective Date'],
  ['cancelled', 'Cancelled Date'],
  ['quantity', 'Quantity'],
  ['lessIncluded', 'Less Included'],
  ['unitPrice', 'Unit Price'],
  ['unitCost', 'Unit Cost'],
  ['extPrice', 'Ext Price'],
  ['bill', 'Bill Customer'],
  ['agreementStatus', 'Agreement Status'],
];

/** `?cols=effective,productId,...` picks and orders columns; unknown keys are ignored. */
export function additionColumnKeys(param: string | null, bill: 'text' | 'checkbox' = 'text'): string[] {
  const asked = (param ?? '').split(',').map((s) => s.trim()).filter((k) => k in ADDITION_COLUMNS);
  const keys = asked.length ? asked : DEFAULT_ADDITION_COLUMNS;
  return bill === 'checkbox' ? keys.map((k) => (k === 'bill' ? 'billBox' : k)) : keys;
}

export function currencyOf(agreement: CwAgreement): Money {
  const c = agreement.currency;
  const out: Money = {};
  const code = c?.currencyCode ?? c?.currencyIdentifier;
  if (code) out.code = code;
  if (c?.symbol) out.symbol = c.symbol;
  return out;
}

/**
 * The Additions rows of one agreement. Manage shows no record ids in the grid; `withIds` puts
 * each addition's id on its row (`data-recid`) for tests that want to match rows exactly.
 */
export function additionsModel(bundle: CwBundle, agreement: CwAgreement, f: CwFormat, keys: string[], withIds = false): CwListModel {
  const currency = currencyOf(agreement);
  const columns: CwColumn[] = keys.map((key) => {
    const def = ADDITION_COLUMNS[key];
    return {
      key,
      label: def?.label ?? key,
      ...(def?.right ? { align: 'right' as const } : {}),
      ...(def?.width ? { width: def.width } : {}),
      ...(def?.link ? { rowLink: true } : {}),
      ...(def?.checkbox ? { checkbox: true } : {}),
    };
  });
  const rows = bundle.additions
    .filter((a) => a.agreementId === agreement.id)
    .map((a, i) => {
      const cells: Record<string, string> = {};
      const sort: Record<string, string | number | null> = {};
      for (const key of keys) {
        const value = ADDITION_COLUMNS[key]?.cell(a, f, currency, i + 1);
        cells[key] = value?.text ?? '';
        sort[key] = value?.sort ?? null;
      }
      const detail = DETAIL.map(([key, label]): [string, string] => [label, ADDITION_COLUMNS[key]?.cell(a, f, currency, i + 1).text ?? '']);
      return withIds ? { cells, sort, detail, recid: a.id } : { cells, sort, detail };
    });
  return { columns, rows };
}

export function agreementListModel(agreements: CwAgreement[], f: CwFormat, link: (a: CwAgreement) => string): CwListModel {
  return {
    columns: [
      { key: 'name', label: 'Agreement Name', rowLink: true, width: 260 },
      { key: 'company', label: 'Company', width: 200 },
      { key: 'type', label: 'Agreement Type', width: 200 },
      { key: 'start', label: 'Start Date' },
      { key: 'end', label: 'End Date' },
      { key: 'status', label: 'Agreement Status' },
    ],
    rows: agreements.map((a) => ({
      href: link(a),
      cells: {
        name: a.name,
        company: a.company.name ?? a.company.identifier ?? String(a.company.id),
        type: a.type?.name ?? '',
        start: f.date(a.startDate),
        end: f.date(a.endDate),
        status: a.agreementStatus ?? (a.cancelledFlag ? 'Cancelled' : ''),
      },
      sort: { name: a.name, company: a.company.name ?? '', type: a.type?.name ?? '', start: isoDatePart(a.startDate), end: isoDatePart(a.endDate), status: a.agreementStatus ?? '' },
    })),
  };
}

export function companyListModel(companies: CwCompany[], link: (c: CwCompany) => string): CwListModel {
  return {
    columns: [
      { key: 'identifier', label: 'Company ID', width: 160 },
      { key: 'name', label: 'Company Name', rowLink: true, width: 260 },
      { key: 'status', label: 'Status' },
      { key: 'type', label: 'Type' },
    ],
    rows: companies.map((c) => ({
      href: link(c),
      cells: { identifier: c.identifier ?? '', name: c.name, status: c.status?.name ?? '', type: (c.types ?? []).map((t) => t.name).join(', ') },
      sort: { identifier: c.identifier ?? '', name: c.name, status: c.status?.name ?? '', type: '' },
    })),
  };
}
