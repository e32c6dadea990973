/**
 * A small renderer of ConnectWise's GWT Additions list view for tests: header strip as a sibling
 * of the rows table, rows with a leading checkbox and trailing filler cells, locale-formatted
 * dates and money, the banner and company field above.
 */
import type { CwAddition } from '../../../core/model';
import { formatNumber } from './render-platform';

export type CwColumn =
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
  | 'billCustomer'
  | 'agreementStatus';

export const CW_LABELS: Record<CwColumn, string> = {
  sequence: 'Sequence',
  effectiveDate: 'Effective',
  cancelledDate: 'Cancelled',
  product: 'Product ID',
  description: 'Description',
  productDescription: 'Product Description',
  invoiceDescription: 'Invoice Description',
  quantity: 'Quantity',
  lessIncluded: 'Less Included',
  unitPrice: 'Price',
  extPrice: 'Ext Price',
  billCustomer: 'Bill',
  agreementStatus: 'Agreement Status',
};

export const CW_DEFAULT_COLUMNS: CwColumn[] = ['effectiveDate', 'cancelledDate', 'product', 'description', 'quantity', 'unitPrice', 'extPrice', 'billCustomer'];

export interface CwRenderOptions {
  columns?: CwColumn[];
  labels?: Partial<Record<CwColumn, string>>;
  extra?: string[];
  dateOrder?: 'MDY' | 'DMY' | 'YMD';
  dateSep?: '/' | '.' | '-';
  pad?: boolean;
  decimal?: '.' | ',';
  thousands?: boolean;
  money?: 'plain' | 'symbol' | 'code';
  currency?: string;
  parens?: boolean;
  /** The header strip leaves out the checkbox column, or has a blank cell for it. */
  headerCheckbox?: 'missing' | 'blank';
  headerCellIndex?: boolean;
  fillers?: number;
  recordIds?: 'attr' | 'link' | 'none';
  banner?: string;
  companyId?: string;
  companyName?: string;
  lang?: string;
  savedFrom?: string;
  emptyMessage?: string;
  /** Bill as text (`Do Not Bill`) or as the list view's checkbox (checked = billable). */
  bill?: 'text' | 'checkbox';
  /** Breadcrumb labels (`navigationEntry`, sharing the banner's label class) before the banner label. */
  breadcrumbs?: string[];
}

const esc = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');

function date(iso: string | null | undefined, o: CwRenderOptions): string {
  if (!iso) return '';
  const [y = '', m = '', d = ''] = iso.slice(0, 10).split('-');
  const strip = (s: string) => (o.pad ? s : String(Number(s)));
  const sep = o.dateSep ?? '/';
  switch (o.dateOrder ?? 'MDY') {
    case 'YMD':
      return [y, m, d].join(sep);
    case 'DMY':
      return [strip(d), strip(m), y].join(sep);
    default:
      return [strip(m), strip(d), y].join(sep);
  }
}

const SYMBOL: Record<string, string> = { USD: '$', EUR: '€', GBP: '£' };

function money(n: number | null | undefined, o: CwRenderOptions): string {
  if (n === null || n === undefined) return '';
  const body = formatNumber(o.parens ? Math.abs(n) : n, o.decimal ?? '.', o.thousands ?? true);
  const cur = o.currency ?? 'USD';
  let text = body;
  if (o.money === 'symbol') text = o.decimal === ',' ? `${body} ${SYMBOL[cur] ?? cur}` : `${SYMBOL[cur] ?? cur}${body}`;
  if (o.money === 'code') text = `${cur} ${body}`;
  return o.parens && n < 0 ? `(${text})` : text;
}

function cell(a: CwAddition, c: CwColumn, o: CwRenderOptions, seq: number): string {
  switch (c) {
    case 'sequence':
      return String(seq);
    case 'effectiveDate':
      return date(a.effectiveDate, o);
    case 'cancelledDate':
      return date(a.cancelledDate, o);
    case 'product':
      return `<a class="multilineClickable">${esc(a.product.identifier)}</a>`;
    case 'quantity':
      return formatNumber(a.quantity, o.decimal ?? '.', o.thousands ?? true);
    case 'unitPrice':
      return money(a.unitPrice, o);
    case 'extPrice':
      return money(a.extPrice, o);
    case 'billCustomer':
      if (o.bill === 'checkbox') return `<input type="checkbox" class="gwt-CheckBox" disabled${a.billCustomer === 'Billable' ? ' checked' : ''}>`;
      return a.billCustomer === 'DoNotBill' ? 'Do Not Bill' : a.billCustomer === 'NoCharge' ? 'No Charge' : (a.billCustomer ?? '');
    case 'lessIncluded':
      return formatNumber(a.lessIncluded ?? 0, o.decimal ?? '.', o.thousands ?? true);
    // The list view's Description is the product invoice description (subscription name and label).
    case 'description':
      return esc(a.invoiceDescription ?? '');
    case 'productDescription':
      return esc(a.description ?? '');
    default:
      return esc(String(a[c] ?? ''));
  }
}

export function renderCwAdditions(additions: CwAddition[], o: CwRenderOptions = {}): string {
  const columns = o.columns ?? CW_DEFAULT_COLUMNS;
  const extra = o.extra ?? [];
  const labels = [...columns.map((c) => o.labels?.[c] ?? CW_LABELS[c]), ...extra];
  const fillers = o.fillers ?? 2;
  const offset = 1; // the rows' leading checkbox column
  const headerCells = labels.map((l, i) => `<td${o.headerCellIndex ? ` cellindex="${i + offset}"` : ''}><div class="GMDB3DUBHG"><span>${esc(l)}</span></div></td>`);
  if (o.headerCheckbox === 'blank') headerCells.unshift(`<td${o.headerCellIndex ? ' cellindex="0"' : ''}><div class="GMDB3DUBCB"></div></td>`);
  const rows = additions
    .map((a, i) => {
      const rec = o.recordIds === 'attr' ? ` data-recid="${a.id}"` : '';
      const cells = [
        `<td cellindex="0"><input type="checkbox" class="gwt-CheckBox"></td>`,
        ...columns.map((c, k) => `<td cellindex="${k + offset}"><div class="GMDB3DUBJG">${cell(a, c, o, i + 1)}</div></td>`),
        ...extra.map((e, k) => `<td cellindex="${columns.length + k + offset}"><div>${k % 2 ? 'No' : '0.00'}</div></td>`),
        ...Array.from({ length: fillers }, (_, k) => `<td cellindex="${columns.length + extra.length + k + offset}" class="GMDB3DUBFL">&nbsp;</td>`),
      ];
      if (o.recordIds === 'link') cells[1] = cells[1]?.replace('<div class="GMDB3DUBJG">', `<div class="GMDB3DUBJG"><a href="/v4_6_release/services/system_io/router/openrecord.rails?recordType=AdditionFV&recid=${a.id}"></a>`) ?? '';
      return `<tr class="cw-ml-row GMDB3DUBMF"${rec}>${cells.join('')}</tr>`;
    })
    .join('\n');
  const empty = additions.length === 0 && o.emptyMessage ? `<div class="GMDB3DUBEM">${esc(o.emptyMessage)}</div>` : '';
  const crumbs = (o.breadcrumbs ?? []).map((b) => `<span class="cw_CwLabel detailLabel navigationEntry">${esc(b)}</span>`).join('');
  const banner = o.banner ? `<div class="cw_BannerView GMDB3DUBBV">${crumbs}<div class="cw_CwLabel detailLabel">${esc(o.banner)}</div></div>` : '';
  const company =
    (o.companyId ? `<tr class="pod-element-row"><td><span class="cw_CwLabel">Company:</span></td><td><input class="cw_company GMDB3DUBIN" value="${esc(o.companyId)}"></td></tr>` : '') +
    (o.companyName ? `<tr class="pod-element-row"><td><span class="cw_CwLabel">Company Name</span></td><td><div class="gwt-Label">${esc(o.companyName)}</div></td></tr>` : '');
  const saved = o.savedFrom ? `<!-- saved from url=(${String(o.savedFrom.length).padStart(4, '0')})${o.savedFrom} -->\n` : '';
  return `${saved}<!DOCTYPE html><html${o.lang ? ` lang="${o.lang}"` : ''}><head><title>Agreement</title></head><body>
<div class="cw-main-banner">${banner}</div>
<div class="navigationEntry">Agreements &gt; Agreement</div>
<table class="pod">${company}</table>
<div class="cw_TabBar"><span>Agreement</span><span class="selected">Additions</span><span>Adjustment</span></div>
<div class="mm_grid GE0S-T1CX">
  <div class="cw-ml-header GMDB3DUBHF"><table><tbody><tr>${headerCells.join('')}</tr></tbody></table></div>
  <div class="GMDB3DUBKF"><table class="srboard-grid" cellspacing="0"><tbody>${rows}</tbody></table>${empty}</div>
</div></body></html>`;
}
