/**
 * Small renderers of Platform invoice grids for tests: the same lines as an HTML table, an ARIA
 * grid or an AG-Grid-style div grid, with the display variations a real page has (column order,
 * hidden and extra columns, badges as chips or text, localized dates and numbers, pagers).
 */
import type { PlatformLine } from '../../../core/model';
import { LINE_HEADERS, type LineField } from '../../../core/ingest/headers';

export type PlatformLayout = 'table' | 'aria' | 'aggrid';

export interface RenderOptions {
  /** Columns in display order (default: every canonical column except the badge columns). */
  columns?: LineField[];
  /** Header label per field (default: canonical). */
  labels?: Partial<Record<LineField, string>>;
  /** Extra columns the reader must ignore. */
  extra?: string[];
  dates?: 'iso' | 'dotted';
  decimal?: '.' | ',';
  thousands?: boolean;
  /** Put a currency symbol or the line's code beside money. */
  money?: 'plain' | 'symbol' | 'code';
  /** Badges as chip elements inside the cell, or as `(System Updated)` text. */
  badges?: 'chip' | 'text' | 'title';
  excluded?: 'checkbox' | 'text';
  /** Total shown by the grid: a pager text, aria-rowcount, or none. */
  total?: { shown: number; style: 'pager' | 'summary' | 'aria'; page?: [number, number] };
  /** Shuffle the DOM order of rows (virtual grids render out of order). */
  shuffle?: boolean;
  /** Absolute index of the first row (a later page or scrolled window). */
  firstIndex?: number;
  emptyMessage?: string;
}

export const DEFAULT_COLUMNS: LineField[] = LINE_HEADERS.map(([f]) => f).filter((f) => !f.endsWith('Badge'));

const esc = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');

export function formatNumber(n: number, decimal: '.' | ',', thousands: boolean): string {
  const fixed = Math.abs(n).toFixed(Number.isInteger(n) ? 0 : 2);
  const [int = '0', frac] = fixed.split('.');
  const grouped = thousands ? int.replace(/\B(?=(\d{3})+(?!\d))/g, decimal === '.' ? ',' : '.') : int;
  return (n < 0 ? '-' : '') + grouped + (frac ? decimal + frac : '');
}

function formatDate(iso: string, style: 'iso' | 'dotted'): string {
  if (style === 'iso') return iso;
  const [y, m, d] = iso.split('-');
  return `${d}.${m}.${y}`;
}

const SYMBOLS: Record<string, string> = { EUR: '€', GBP: '£', USD: '$' };

function money(n: number, line: PlatformLine, o: RenderOptions): string {
  const body = formatNumber(n, o.decimal ?? '.', o.thousands ?? false);
  if (o.money === 'symbol') return `${SYMBOLS[line.currency ?? ''] ?? '€'}${body}`;
  if (o.money === 'code' && line.currency) return `${body} ${line.currency}`;
  return body;
}

function badgeHtml(badge: string | undefined, o: RenderOptions): string {
  if (!badge) return '';
  if (o.badges === 'text') return ` (${badge})`;
  if (o.badges === 'title') return ` <i class="icon-info" title="${badge}"></i>`;
  return ` <span class="badge badge-info">${badge}</span>`;
}

/** The inner HTML of one cell. */
export function cellHtml(line: PlatformLine, field: LineField, o: RenderOptions): string {
  const dates = o.dates ?? 'iso';
  switch (field) {
    case 'lineId':
      return esc(line.lineId);
    case 'invoiceDate':
      return formatDate(line.invoiceDate, dates);
    case 'chargeStartDate':
      return formatDate(line.chargeStartDate, dates) + badgeHtml(line.chargeStartDateBadge, o);
    case 'chargeEndDate':
      return (line.chargeEndDate ? formatDate(line.chargeEndDate, dates) : '') + badgeHtml(line.chargeEndDateBadge, o);
    case 'chargeType':
      return esc(line.chargeType) + badgeHtml(line.chargeTypeBadge, o);
    case 'quantity':
      return formatNumber(line.quantity, o.decimal ?? '.', o.thousands ?? false);
    case 'cost':
      return line.cost === undefined ? '' : money(line.cost, line, o);
    case 'revenue':
      return money(line.revenue, line, o);
    case 'excluded':
      return o.excluded === 'text'
        ? line.excluded
          ? 'Yes'
          : 'No'
        : `<label class="switch"><input type="checkbox"${line.excluded ? ' checked' : ''}><span class="slider"></span></label>`;
    case 'psaOrganizationName':
    case 'psaProductName':
    case 'psaAgreementName': {
      const v = line[field];
      return v ? `<span class="editable">${esc(v)}</span>` : '<span class="placeholder">Click to select</span>';
    }
    case 'status':
      return line.status ? `<span class="status-chip">${line.status}</span>` : '';
    case 'chargeTypeBadge':
    case 'chargeStartDateBadge':
    case 'chargeEndDateBadge':
      return line[field] ?? '';
    default: {
      const v = line[field];
      return v === undefined ? '' : esc(String(v));
    }
  }
}

function labelOf(field: LineField, o: RenderOptions): string {
  return o.labels?.[field] ?? LINE_HEADERS.find(([f]) => f === field)?.[1][0] ?? field;
}

function order<T>(items: T[], shuffle: boolean | undefined): Array<[T, number]> {
  const indexed = items.map((x, i) => [x, i] as [T, number]);
  if (!shuffle) return indexed;
  // Deterministic interleave: odd positions first, then even, reversed.
  return [...indexed.filter((_, i) => i % 2 === 1), ...indexed.filter((_, i) => i % 2 === 0).reverse()];
}

function totalHtml(o: RenderOptions, rows: number): string {
  if (!o.total || o.total.style === 'aria') return '';
  const first = (o.firstIndex ?? 0) + 1;
  const page = o.total.page ? ` <span class="page">Page ${o.total.page[0]} of ${o.total.page[1]}</span>` : '';
  if (o.total.style === 'summary') return `<div class="grid-summary">Total: ${o.total.shown} rows</div>`;
  return `<div class="pagination"><button>‹</button><span>${first}–${first + rows - 1} of ${o.total.shown}</span>${page}<button>›</button></div>`;
}

export function renderPlatformGrid(lines: PlatformLine[], layout: PlatformLayout, o: RenderOptions = {}): string {
  // Lines without a status come from a grid whose Status in PSA column is hidden.
  const columns = o.columns ?? (lines.some((l) => l.status) ? DEFAULT_COLUMNS : DEFAULT_COLUMNS.filter((c) => c !== 'status'));
  const extra = o.extra ?? [];
  const first = o.firstIndex ?? 0;
  const headerCells = [...columns.map((f) => labelOf(f, o)), ...extra];
  const cells = (line: PlatformLine) => [...columns.map((f) => cellHtml(line, f, o)), ...extra.map((e, i) => `${esc(e)} ${i}`)];
  const toolbar = '<div class="toolbar"><button>Columns</button><button>Export</button></div>';
  const empty = lines.length === 0 && o.emptyMessage;

  if (layout === 'table') {
    const head = headerCells.map((h) => `<th><span>${esc(h)}</span><span class="sort-icon" aria-hidden="true">▲</span></th>`).join('');
    const body = order(lines, o.shuffle)
      .map(([l, i]) => `<tr data-row-index="${first + i}">${cells(l).map((c) => `<td>${c}</td>`).join('')}</tr>`)
      .join('\n');
    const emptyRow = empty ? `<tr><td colspan="${headerCells.length}">${o.emptyMessage}</td></tr>` : '';
    return `${toolbar}<table class="invoice-grid"><thead><tr>${head}</tr></thead><tbody>${body}${emptyRow}</tbody></table>${totalHtml(o, lines.length)}`;
  }

  if (layout === 'aria') {
    const rowcount = o.total?.style === 'aria' ? ` aria-rowcount="${o.total.shown + 1}"` : '';
    const head = headerCells.map((h, c) => `<div role="columnheader" aria-colindex="${c + 1}" class="hdr">${esc(h)}</div>`).join('');
    const body = order(lines, o.shuffle)
      .map(([l, i]) => {
        const cs = cells(l).map((c, ci) => `<div role="gridcell" aria-colindex="${ci + 1}">${c}</div>`);
        // Cells in reverse DOM order: aria-colindex, not position, says where they belong.
        return `<div role="row" aria-rowindex="${first + i + 2}">${cs.reverse().join('')}</div>`;
      })
      .join('\n');
    const emptyRow = empty ? `<div class="no-rows">${o.emptyMessage}</div>` : '';
    return `${toolbar}<div role="grid" class="grid"${rowcount}><div role="rowgroup"><div role="row" aria-rowindex="1">${head}</div></div><div role="rowgroup">${body}</div>${emptyRow}</div>${totalHtml(o, lines.length)}`;
  }

  // AG-Grid style: pinned-left container holds the first two columns, the centre the rest.
  const ids = [...columns.map(String), ...extra.map((_, i) => `extra${i}`)];
  const pinned = 2;
  const header = headerCells
    .map(
      (h, c) =>
        `<div class="ag-header-cell" col-id="${ids[c]}" role="columnheader"><div class="ag-cell-label-container"><span class="ag-header-cell-menu-button">☰</span><span class="ag-header-cell-text">${esc(h)}</span></div></div>`,
    )
    .join('');
  const rowHtml = (l: PlatformLine, i: number, from: number, to: number) =>
    `<div class="ag-row" role="row" row-index="${first + i}">${cells(l)
      .slice(from, to)
      .map((c, k) => `<div class="ag-cell" role="gridcell" col-id="${ids[from + k]}">${c}</div>`)
      .join('')}</div>`;
  const ordered = order(lines, o.shuffle);
  const left = ordered.map(([l, i]) => rowHtml(l, i, 0, pinned)).join('');
  const center = ordered.map(([l, i]) => rowHtml(l, i, pinned, ids.length)).join('');
  const overlay = empty ? `<div class="ag-overlay"><span class="ag-overlay-no-rows-center">${o.emptyMessage}</span></div>` : '';
  const paging =
    o.total && o.total.style !== 'aria'
      ? `<div class="ag-paging-panel"><span class="ag-paging-row-summary-panel">${first + 1} to ${first + lines.length} of ${o.total.shown}</span></div>`
      : '';
  return `${toolbar}<div class="ag-root-wrapper" role="grid"><div class="ag-header" role="rowgroup"><div class="ag-header-row" role="row">${header}</div></div><div class="ag-body"><div class="ag-pinned-left-cols-container">${left}</div><div class="ag-center-cols-container">${center}</div></div>${overlay}${paging}</div>`;
}

export function page(body: string, lang = 'en'): string {
  return `<!DOCTYPE html><html lang="${lang}"><head><meta charset="utf-8"><title>Mapping · Invoices</title></head><body><nav class="left-nav"><a>Dashboard</a><a>Mapping</a></nav><main><h1>Mapping</h1><div class="tabs"><a>Organizations</a><a>Products</a><a class="active">Invoices</a></div><div class="show-invoices">Show invoices: <select><option selected>November 2026</option></select></div>${body}</main></body></html>`;
}
