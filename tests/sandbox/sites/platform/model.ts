import type { PlatformLine } from '../../../../core/model';
import { monthOf } from '../../../../core/shared/dates';
import type { Cell, Column, PlatformGridModel } from '../shared';
import { plainMoney } from '../shared';

export type DateStyle = 'iso' | 'dmy';

export const INVOICE_COLUMNS: Column[] = [
  { key: 'lineId', label: 'Line ID' },
  { key: 'invoiceNumber', label: 'Invoice #' },
  { key: 'invoiceDate', label: 'Invoice Date' },
  { key: 'organization', label: 'Organization' },
  { key: 'organizationRef', label: 'Organization Reference #' },
  { key: 'subscription', label: 'Subscription' },
  { key: 'offer', label: 'Offer' },
  { key: 'contractId', label: 'Contract ID' },
  { key: 'currency', label: 'Currency' },
  { key: 'chargeType', label: 'Charge Type' },
  { key: 'chargeStartDate', label: 'Charge Start Date' },
  { key: 'chargeEndDate', label: 'Charge End Date' },
  { key: 'quantity', label: 'Quantity' },
  { key: 'cost', label: 'Cost' },
  { key: 'revenue', label: 'Revenue' },
  { key: 'psaOrganizationName', label: 'PSA Organization Name' },
  { key: 'psaProductName', label: 'PSA Product Name' },
  { key: 'psaAgreementName', label: 'PSA Agreement Name' },
  { key: 'status', label: 'Status in PSA' },
  { key: 'excluded', label: 'Excluded from Sync' },
];

const VIRTUAL = { count: 30, rowHeight: 32, viewportHeight: 640 };

function date(value: string | undefined, style: DateStyle): string {
  if (!value) return '';
  return style === 'dmy' ? `${value.slice(8, 10)}.${value.slice(5, 7)}.${value.slice(0, 4)}` : value;
}

/** Quantities keep their own decimals; thousands are grouped as the Platform displays them. */
function quantity(value: number): string {
  const text = plainMoney(value);
  return Number.isInteger(value) ? text.slice(0, -3) : text.replace(/0$/, '');
}

function cell(t: string | undefined, b?: string): Cell | undefined {
  if (t === undefined || t === '') return b ? { t: '', b } : undefined;
  return b ? { t, b } : { t };
}

/** An unmapped PSA cell shows the picker's prompt, as the Platform's mapping grids do. */
function pick(value: string | undefined): Cell {
  return value ? { t: value } : { t: 'Click to select', p: 1 };
}

function invoiceCells(line: PlatformLine, style: DateStyle): Record<string, Cell | undefined> {
  return {
    lineId: cell(line.lineId),
    invoiceNumber: cell(line.invoiceNumber),
    invoiceDate: cell(date(line.invoiceDate, style)),
    organization: cell(line.organization),
    organizationRef: cell(line.organizationRef),
    subscription: cell(line.subscription),
    offer: cell(line.offer),
    contractId: cell(line.contractId),
    currency: cell(line.currency),
    chargeType: cell(line.chargeType, line.chargeTypeBadge),
    chargeStartDate: cell(date(line.chargeStartDate, style), line.chargeStartDateBadge),
    chargeEndDate: cell(date(line.chargeEndDate, style), line.chargeEndDateBadge),
    quantity: cell(quantity(line.quantity)),
    cost: cell(line.cost === undefined ? undefined : plainMoney(line.cost)),
    revenue: cell(plainMoney(line.revenue)),
    psaOrganizationName: cell(line.psaOrganizationName),
    psaProductName: cell(line.psaProductName),
    psaAgreementName: cell(line.psaAgreementName),
    status: cell(line.status),
    excluded: cell(line.excluded ? 'Yes' : 'No'),
  };
}

/** Months that have lines, newest first, capped at the 15 the Show invoices switch offers. */
export function invoiceMonths(lines: PlatformLine[]): string[] {
  return [...new Set(lines.map((l) => monthOf(l.invoiceDate)))].sort().reverse().slice(0, 15);
}

export function linesOfMonth(lines: PlatformLine[], month: string): PlatformLine[] {
  return lines.filter((l) => monthOf(l.invoiceDate) === month);
}

export function invoiceModel(lines: PlatformLine[], style: DateStyle, columns: Column[] = INVOICE_COLUMNS): PlatformGridModel {
  return {
    grid: 'invoices',
    title: 'Invoice lines',
    unit: 'line',
    units: 'lines',
    empty: 'No lines for this period.',
    columns,
    rows: lines.map((l) => ({ key: l.lineId, cells: invoiceCells(l, style) })),
    virtual: VIRTUAL,
  };
}

function mostCommon(values: (string | undefined)[]): string | undefined {
  const counts = new Map<string, number>();
  for (const v of values) if (v) counts.set(v, (counts.get(v) ?? 0) + 1);
  let best: string | undefined;
  for (const [v, n] of counts) if (best === undefined || n > (counts.get(best) ?? 0)) best = v;
  return best;
}

function groupBy<T>(items: T[], key: (item: T) => string): Map<string, T[]> {
  const groups = new Map<string, T[]>();
  for (const item of items) {
    const k = key(item);
    const list = groups.get(k);
    if (list) list.push(item);
    else groups.set(k, [item]);
  }
  return groups;
}

/** One row per organization seen on the lines; excluded only when all its lines are. */
export function organizationModel(lines: PlatformLine[]): PlatformGridModel {
  const groups = groupBy(lines, (l) => `${l.organizationRef ?? ''}\u0000${l.organization}`);
  const rows = [...groups.values()]
    .map((group) => {
      const first = group[0] as PlatformLine;
      return {
        key: first.organizationRef ?? first.organization,
        cells: {
          organizationRef: cell(first.organizationRef),
          organization: cell(first.organization),
          psaOrganizationName: pick(mostCommon(group.map((l) => l.psaOrganizationName))),
          excluded: cell(group.every((l) => l.excluded) ? 'Yes' : 'No'),
        },
      };
    })
    .sort((a, b) => (a.cells.organization?.t ?? '').localeCompare(b.cells.organization?.t ?? '') || a.key.localeCompare(b.key));
  return {
    grid: 'organizations',
    title: 'Organizations',
    unit: 'organization',
    units: 'organizations',
    empty: 'No organizations to show.',
    columns: [
      { key: 'organizationRef', label: 'Organization Reference #' },
      { key: 'organization', label: 'Organization' },
      { key: 'psaOrganizationName', label: 'PSA Organization Name' },
      { key: 'excluded', label: 'Excluded from Sync' },
    ],
    rows,
    virtual: VIRTUAL,
  };
}

/** One row per offer seen on the lines, with the catalog item it is mapped to. */
export function productModel(lines: PlatformLine[]): PlatformGridModel {
  const groups = groupBy(
    lines.filter((l) => l.offer),
    (l) => l.offer as string,
  );
  const rows = [...groups.entries()]
    .map(([offer, group]) => ({
      key: offer,
      cells: { offer: cell(offer), psaProductName: pick(mostCommon(group.map((l) => l.psaProductName))) },
    }))
    .sort((a, b) => a.key.localeCompare(b.key));
  return {
    grid: 'products',
    title: 'Products',
    unit: 'product',
    units: 'products',
    empty: 'No products to show.',
    columns: [
      { key: 'offer', label: 'Offer' },
      { key: 'psaProductName', label: 'PSA Product Name' },
    ],
    rows,
    virtual: VIRTUAL,
  };
}
