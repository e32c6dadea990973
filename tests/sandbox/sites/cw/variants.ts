/**
 * The ways real ConnectWise draws an agreement's Additions list that the look-alike reproduces,
 * each chosen per page by query parameters: the classic record address or the single-page one,
 * Bill as text or as a checkbox, a plain banner or one led by breadcrumbs, and the user's column
 * choice (with or without Agreement Status, Invoice Description, Less Included and Sequence, in
 * any order). Tests, fixtures and the demo take them from here.
 */
export interface CwPageVariant {
  name: string;
  /** `record`: `…/openrecord.rails?…&recid=`; `single-page`: `…/ConnectWise.aspx?…#…state={…"rd":id…}`. */
  address: 'record' | 'single-page';
  bill: 'text' | 'checkbox';
  banner: 'plain' | 'breadcrumb';
  /** Column keys of `ADDITION_COLUMNS`, in order. */
  cols: string[];
}

export const CW_PAGE_VARIANTS: readonly CwPageVariant[] = [
  { name: 'classic', address: 'record', bill: 'text', banner: 'plain', cols: ['productId', 'description', 'effective', 'cancelled', 'quantity', 'lessIncluded', 'unitPrice', 'extPrice', 'bill'] },
  // What a stock list view looks like today: no status, no invoice description, no Less Included.
  { name: 'single-page', address: 'single-page', bill: 'checkbox', banner: 'breadcrumb', cols: ['productId', 'description', 'effective', 'cancelled', 'quantity', 'unitPrice', 'extPrice', 'bill'] },
  {
    name: 'full',
    address: 'record',
    bill: 'checkbox',
    banner: 'breadcrumb',
    cols: ['sequence', 'effective', 'cancelled', 'productId', 'description', 'invoiceDescription', 'productDescription', 'quantity', 'lessIncluded', 'unitPrice', 'extPrice', 'bill', 'agreementStatus'],
  },
  { name: 'reordered', address: 'single-page', bill: 'text', banner: 'plain', cols: ['extPrice', 'bill', 'quantity', 'cancelled', 'description', 'sequence', 'productId', 'agreementStatus', 'effective', 'unitPrice'] },
];

const ROUTER = '/v4_6_release/services/system_io/router/openrecord.rails';
const SINGLE_PAGE = '/v2025_1/ConnectWise.aspx';

/**
 * The address of one agreement's Additions tab drawn as `variant`. Browsers never send the part
 * after `#` to a server, so the single-page form also carries `sandboxRd` for the look-alike to
 * know which agreement to draw; the readers never look at it.
 */
export function variantAddress(variant: CwPageVariant, agreementId: number, locale = 'en_US', extra = ''): string {
  const query = `locale=${locale}&bill=${variant.bill}&banner=${variant.banner}&cols=${variant.cols.join(',')}${extra}`;
  if (variant.address === 'record') return `${ROUTER}?${query}&companyName=sandbox&recordType=AgreementFV&recid=${agreementId}`;
  const state = JSON.stringify({ p: 'agr100', s: { p: { pid: 184, rd: agreementId, screenid: 'agr100' } } });
  return `${SINGLE_PAGE}?${query}&sandboxRd=${agreementId}#startscreen=agr100&state=${state}`;
}
