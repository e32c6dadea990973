/**
 * Finds data grids in a page and reduces each to header labels plus rows of cell elements, the
 * same shape whatever the markup: an HTML table, an ARIA grid, an AG-Grid-style `div` grid
 * (`col-id`, `row-index`) or a ConnectWise GWT list view (`cw-ml-header` + `tr.cw-ml-row`).
 * Only the passed root is read; no globals, so it runs in any document (live, saved, happy-dom).
 */
import type { Badge } from '../model';
import type { Cell } from './line';
import { parseBadge } from './values';

export type GridLayout = 'table' | 'aria' | 'aggrid' | 'gwt';

export interface RawRow {
  element: Element;
  /** Cells aligned with the grid's headers (undefined where the row has none). */
  cells: Array<Element | undefined>;
  /** 0-based position in the whole data set when the markup says (paged / virtual grids). */
  index?: number;
  /** A record id the row carries (`data-recid`, `row-id`, a `recid=` link). */
  recordId?: string;
}

export interface RawGrid {
  layout: GridLayout;
  element: Element;
  headers: string[];
  rows: RawRow[];
  /** Header alignments to try when the markup leaves it open (GWT's checkbox offset). */
  alternatives?: string[][];
  /** Rows the markup holds but has not filled yet. */
  pendingRows: number;
  /** Text of an empty-grid message, when one is shown. */
  emptyMessage?: string;
  loading: boolean;
}

const ELEMENT = 1;
const TEXT = 3;

function attr(el: Element, name: string): string | null {
  return el.getAttribute(name);
}

function elementChildren(el: Element): Element[] {
  return Array.from(el.children);
}

function intAttr(el: Element, ...names: string[]): number | undefined {
  for (const n of names) {
    const v = attr(el, n);
    if (v !== null && /^-?\d+$/.test(v.trim())) return Number(v.trim());
  }
  return undefined;
}

const SKIP_TAGS = new Set(['SCRIPT', 'STYLE', 'TEMPLATE', 'NOSCRIPT']);

function isHidden(el: Element): boolean {
  return el.hasAttribute('hidden') || attr(el, 'aria-hidden') === 'true' || /display\s*:\s*none/i.test(attr(el, 'style') ?? '');
}

/** Visible text with element boundaries read as spaces and runs of white space folded. */
export function visibleText(el: Element, skip?: (e: Element) => boolean): string {
  const parts: string[] = [];
  const walk = (node: Node): void => {
    if (node.nodeType === TEXT) {
      parts.push(node.textContent ?? '');
      return;
    }
    if (node.nodeType !== ELEMENT) return;
    const e = node as Element;
    if (SKIP_TAGS.has(e.tagName) || isHidden(e) || skip?.(e)) return;
    if (e.tagName === 'INPUT' || e.tagName === 'SELECT' || e.tagName === 'TEXTAREA') {
      parts.push(' ', controlValue(e), ' ');
      return;
    }
    parts.push(' ');
    for (const child of Array.from(e.childNodes)) walk(child);
    parts.push(' ');
  };
  for (const child of Array.from(el.childNodes)) walk(child);
  return parts.join('').replace(/\s+/g, ' ').trim();
}

function controlValue(e: Element): string {
  const type = (attr(e, 'type') ?? '').toLowerCase();
  if (type === 'checkbox' || type === 'radio' || type === 'hidden' || type === 'button' || type === 'submit') return '';
  if (e.tagName === 'SELECT') {
    const options = Array.from(e.querySelectorAll('option'));
    const selected = options.find((o) => (o as unknown as { selected?: boolean }).selected) ?? options.find((o) => o.hasAttribute('selected'));
    return selected?.textContent?.trim() ?? '';
  }
  const live = (e as unknown as { value?: unknown }).value;
  return typeof live === 'string' ? live : (attr(e, 'value') ?? e.textContent ?? '');
}

function isChecked(e: Element): boolean {
  const live = (e as unknown as { checked?: unknown }).checked;
  if (typeof live === 'boolean') return live;
  return e.hasAttribute('checked') || attr(e, 'aria-checked') === 'true';
}

function badgeOf(e: Element): Badge | undefined {
  const own = e.children.length === 0 ? (e.textContent ?? '').trim() : '';
  for (const candidate of [own, attr(e, 'data-badge') ?? '', attr(e, 'title') ?? '', attr(e, 'aria-label') ?? '']) {
    if (candidate === '') continue;
    const b = parseBadge(candidate);
    if (b) return b;
  }
  return undefined;
}

/** A cell's value: its text without badge chips, the badge, and a toggle's state. */
export function readCell(el: Element | undefined): Cell | undefined {
  if (!el) return undefined;
  if (el.tagName === 'INPUT' || el.tagName === 'SELECT' || el.tagName === 'TEXTAREA') {
    const type = (attr(el, 'type') ?? '').toLowerCase();
    return type === 'checkbox' ? { text: '', checked: isChecked(el) } : { text: controlValue(el).replace(/\s+/g, ' ').trim() };
  }
  let badge: Badge | undefined;
  const text = visibleText(el, (e) => {
    const b = badgeOf(e);
    if (b) badge = badge ?? b;
    return b !== undefined;
  });
  const toggle =
    el.matches('input[type=checkbox],[role=checkbox],[role=switch]') ? el : el.querySelector('input[type=checkbox],[role=checkbox],[role=switch]');
  const cell: Cell = { text };
  if (badge) cell.badge = badge;
  if (toggle && text === '') cell.checked = isChecked(toggle);
  return cell;
}

/** A header cell's label, without sort arrows, menu buttons or filters. */
function headerLabel(el: Element): string {
  const inner = el.querySelector('.ag-header-cell-text, [class*="header-cell-text"], [class*="header-text"]');
  return visibleText(inner ?? el, (e) => e.tagName === 'INPUT' || /\b(menu|filter|sort-?icon|resize)/i.test(attr(e, 'class') ?? ''));
}

const EMPTY_RE = /\b(no (rows|records|data|results|items|entries|invoice lines|lines|additions)( to (show|display))?( found)?|nothing to (show|display)|there are no (records|items|rows))\b/i;
const LOADING_RE = /\bloading\b/i;

function emptyMessage(el: Element): string | undefined {
  const text = visibleText(el);
  const m = EMPTY_RE.exec(text);
  return m ? m[0] : undefined;
}

/**
 * The record id a row carries: a record-id attribute, or a link to the record (`recid=`, as GWT
 * list views link their rows; `additionId=`; an element marked with the Addition's id).
 */
export function rowRecordId(row: Element): string | undefined {
  for (const name of ['data-addition-id', 'data-recid', 'data-record-id', 'data-id', 'row-id', 'data-row-id']) {
    const v = attr(row, name);
    if (v && /^\d+$/.test(v.trim())) return v.trim();
  }
  const link = row.querySelector('a[href*="recid=" i], a[href*="rec_id=" i], a[href*="additionId=" i], [data-addition-id]');
  if (!link) return undefined;
  const marked = attr(link, 'data-addition-id')?.trim();
  if (marked && /^\d+$/.test(marked)) return marked;
  return /(?:rec_?id|additionId)=(\d+)/i.exec(attr(link, 'href') ?? '')?.[1];
}

function isPending(cells: Array<Element | undefined>, row: Element): boolean {
  if (attr(row, 'aria-busy') === 'true' || /\b\S*(loading|skeleton)\S*\b/i.test(attr(row, 'class') ?? '')) return true;
  if (row.querySelector('[class*="skeleton"], [class*="loading"]')) return true;
  // Raw textContent is enough to tell blank from filled, and far cheaper on large grids.
  const texts = cells.map((c) => (c?.textContent ?? '').replace(/\s+/g, ' ').trim());
  // A row of blank cells is unfilled, unless it holds editors (blank inputs are real values).
  if (texts.every((t) => t === '')) return !cells.some((c) => c?.querySelector('input:not([type=checkbox]), select, textarea, [role=switch]'));
  return texts.some((t) => LOADING_RE.test(t)) && texts.filter((t) => t !== '').length <= 1;
}

function splitRows(rows: RawRow[]): { rows: RawRow[]; pending: number } {
  const kept: RawRow[] = [];
  let pending = 0;
  for (const r of rows) {
    if (isPending(r.cells, r.element)) pending++;
    else kept.push(r);
  }
  return { rows: kept, pending };
}

// ---- HTML tables ---------------------------------------------------------------------------

function tableRows(table: Element): Element[] {
  const out: Element[] = [];
  for (const child of elementChildren(table)) {
    if (child.tagName === 'TR') out.push(child);
    else if (['THEAD', 'TBODY', 'TFOOT'].includes(child.tagName)) for (const r of elementChildren(child)) if (r.tagName === 'TR') out.push(r);
  }
  return out;
}

function rowCells(tr: Element): Element[] {
  return elementChildren(tr).filter((c) => c.tagName === 'TD' || c.tagName === 'TH');
}

function readTable(table: Element): RawGrid | undefined {
  const trs = tableRows(table);
  let headerRows = trs.filter((tr) => tr.parentElement?.tagName === 'THEAD' || (rowCells(tr).length > 0 && rowCells(tr).every((c) => c.tagName === 'TH')));
  // Tables styled without <th>: the first row is the header if its labels match (callers score it).
  if (headerRows.length === 0 && trs[0]) headerRows = [trs[0]];
  const headerRow = headerRows[headerRows.length - 1];
  if (!headerRow) return undefined;
  const headers = rowCells(headerRow).flatMap((c) => Array.from({ length: Math.max(1, intAttr(c, 'colspan') ?? 1) }, () => headerLabel(c)));
  let message: string | undefined;
  const rows: RawRow[] = [];
  for (const tr of trs) {
    if (headerRows.includes(tr) || tr.parentElement?.tagName === 'TFOOT') continue;
    const cells = rowCells(tr);
    if (cells.length === 1 && headers.length > 1 && (intAttr(cells[0] as Element, 'colspan') ?? 1) > 1) {
      message = message ?? emptyMessage(tr) ?? (LOADING_RE.test(visibleText(tr)) ? undefined : visibleText(tr));
      continue;
    }
    const row: RawRow = { element: tr, cells };
    const index = dataIndex(tr);
    if (index !== undefined) row.index = index;
    const rec = rowRecordId(tr);
    if (rec) row.recordId = rec;
    rows.push(row);
  }
  const split = splitRows(rows);
  return finish({ layout: 'table', element: table, headers, rows: split.rows, pendingRows: split.pending, emptyMessage: message });
}

function dataIndex(el: Element): number | undefined {
  const i = intAttr(el, 'data-row-index', 'data-index', 'row-index');
  if (i !== undefined) return i;
  const aria = intAttr(el, 'aria-rowindex');
  return aria === undefined ? undefined : aria - 2; // aria-rowindex is 1-based and counts the header row
}

// ---- ARIA grids ------------------------------------------------------------------------------

const ARIA_GRID = '[role=grid], [role=treegrid], [role=table]';
const ARIA_CELL = '[role=gridcell], [role=cell], [role=rowheader]';

function ownedBy(el: Element, grid: Element, selector: string): boolean {
  return el.parentElement?.closest(selector) === grid || el.closest(selector) === grid;
}

function readAria(grid: Element): RawGrid | undefined {
  const rowEls = Array.from(grid.querySelectorAll('[role=row]')).filter((r) => ownedBy(r, grid, ARIA_GRID));
  const headerRowEls = rowEls.filter((r) => r.querySelector('[role=columnheader]'));
  const headerEls = headerRowEls.length
    ? Array.from((headerRowEls[headerRowEls.length - 1] as Element).querySelectorAll('[role=columnheader]'))
    : Array.from(grid.querySelectorAll('[role=columnheader]')).filter((h) => ownedBy(h, grid, ARIA_GRID));
  if (headerEls.length === 0) return undefined;
  const byColIndex = headerEls.every((h) => intAttr(h, 'aria-colindex') !== undefined);
  const colIndexes = headerEls.map((h, i) => (byColIndex ? (intAttr(h, 'aria-colindex') as number) : i + 1));
  const headers = headerEls.map(headerLabel);
  const rows: RawRow[] = [];
  let message: string | undefined;
  for (const r of rowEls) {
    if (headerRowEls.includes(r)) continue;
    const cellEls = Array.from(r.querySelectorAll(ARIA_CELL)).filter((c) => c.closest('[role=row]') === r);
    if (cellEls.length === 0) {
      message = message ?? emptyMessage(r);
      continue;
    }
    const cells = colIndexes.map((ci, i) =>
      byColIndex && cellEls.every((c) => intAttr(c, 'aria-colindex') !== undefined) ? cellEls.find((c) => intAttr(c, 'aria-colindex') === ci) : cellEls[i],
    );
    const row: RawRow = { element: r, cells };
    const index = dataIndex(r);
    if (index !== undefined) row.index = index;
    const rec = rowRecordId(r);
    if (rec) row.recordId = rec;
    rows.push(row);
  }
  if (rows.length === 0) message = message ?? emptyMessage(grid);
  const split = splitRows(rows);
  const loading = attr(grid, 'aria-busy') === 'true';
  const g = finish({ layout: 'aria', element: grid, headers, rows: split.rows, pendingRows: split.pending, emptyMessage: message });
  g.loading = g.loading || loading;
  return g;
}

// ---- AG-Grid-style div grids -----------------------------------------------------------------

function aggridContainers(root: ParentNode): Element[] {
  const wrappers = Array.from(root.querySelectorAll('.ag-root-wrapper'));
  if (wrappers.length) return wrappers;
  const heads = Array.from(root.querySelectorAll('[col-id]')).filter((h) => !h.closest('[row-index]'));
  const out = new Set<Element>();
  for (const h of heads) {
    const c = h.closest('.ag-root, [role=grid], [role=treegrid]') ?? commonGridAncestor(h);
    if (c) out.add(c);
  }
  return [...out];
}

function commonGridAncestor(header: Element): Element | null {
  let cur = header.parentElement;
  while (cur && !cur.querySelector('[row-index] [col-id], [row-index][col-id]')) cur = cur.parentElement;
  return cur;
}

function readAgGrid(container: Element): RawGrid | undefined {
  const headEls = Array.from(container.querySelectorAll('[col-id]')).filter(
    (h) => !h.closest('[row-index]') && !/group/i.test(attr(h, 'class') ?? '') && !/filter/i.test(attr(h, 'class') ?? ''),
  );
  const ids: string[] = [];
  const labels = new Map<string, string>();
  for (const h of headEls) {
    const id = attr(h, 'col-id') ?? '';
    const label = headerLabel(h);
    if (!labels.has(id)) ids.push(id);
    if (!labels.get(id)) labels.set(id, label);
  }
  if (ids.length === 0) return undefined;
  const byIndex = new Map<string, { element: Element; cells: Map<string, Element> }>();
  const order: string[] = [];
  for (const r of Array.from(container.querySelectorAll('[row-index]'))) {
    if (r.parentElement?.closest('[row-index]')) continue;
    const key = attr(r, 'row-index') ?? '';
    let entry = byIndex.get(key);
    if (!entry) {
      entry = { element: r, cells: new Map() };
      byIndex.set(key, entry);
      order.push(key);
    }
    for (const c of Array.from(r.querySelectorAll('[col-id]'))) {
      const id = attr(c, 'col-id') ?? '';
      if (!entry.cells.has(id)) entry.cells.set(id, c);
    }
  }
  const rows: RawRow[] = order.map((key) => {
    const entry = byIndex.get(key) as { element: Element; cells: Map<string, Element> };
    const row: RawRow = { element: entry.element, cells: ids.map((id) => entry.cells.get(id)) };
    if (/^\d+$/.test(key)) row.index = Number(key);
    const rec = rowRecordId(entry.element);
    if (rec) row.recordId = rec;
    return row;
  });
  const split = splitRows(rows);
  const overlay = container.querySelector('.ag-overlay-no-rows-center, [class*="no-rows"], [class*="empty"]');
  const loadingEl = container.querySelector('.ag-overlay-loading-center, [class*="overlay-loading"]');
  const g = finish({
    layout: 'aggrid',
    element: container,
    headers: ids.map((id) => labels.get(id) ?? id),
    rows: split.rows,
    pendingRows: split.pending,
    emptyMessage: overlay && !isHidden(overlay) ? visibleText(overlay) || 'no rows' : rows.length === 0 ? emptyMessage(container) : undefined,
  });
  g.loading = g.loading || Boolean(loadingEl && !isHidden(loadingEl) && visibleText(loadingEl) !== '');
  return g;
}

// ---- ConnectWise GWT list views --------------------------------------------------------------

function leafCells(el: Element): Element[] {
  return Array.from(el.querySelectorAll('td')).filter((td) => !td.querySelector('td'));
}

function gwtRowsFor(header: Element): Element[] {
  let scope: Element | null = header.parentElement;
  for (let depth = 0; scope && depth < 8; depth++, scope = scope.parentElement) {
    const rows = Array.from(scope.querySelectorAll('tr[class*="cw-ml-row"]'));
    if (rows.length) return rows;
    if (scope.querySelectorAll('[class*="cw-ml-header"]').length > 1) break;
  }
  return [];
}

function gwtCells(tr: Element): Element[] {
  const tds = elementChildren(tr).filter((c) => c.tagName === 'TD');
  const withIndex = tds.filter((td) => intAttr(td, 'cellindex') !== undefined);
  if (withIndex.length === 0) return tds;
  const out: Element[] = [];
  for (const td of withIndex) out[intAttr(td, 'cellindex') as number] = td;
  return out;
}

function hasCheckbox(el: Element | undefined): boolean {
  return Boolean(el && (el.querySelector('input[type=checkbox], [role=checkbox]') || /check/i.test(attr(el, 'class') ?? '')));
}

function readGwt(header: Element): RawGrid | undefined {
  const headerCells = leafCells(header);
  if (headerCells.length === 0) return undefined;
  const labels = headerCells.map(headerLabel);
  const trs = gwtRowsFor(header);
  const rowsCells = trs.map(gwtCells);
  // A reduce, not a spread: a spread's arguments live on the call stack, and rows come from outside.
  const width = rowsCells.reduce((w, c) => Math.max(w, c.length), labels.length);
  const align = (offset: number): string[] => {
    const out = Array.from({ length: width }, () => '');
    labels.forEach((l, i) => {
      if (i + offset >= 0 && i + offset < width) out[i + offset] = l;
    });
    return out;
  };
  let headers: string[];
  const alternatives: string[][] = [];
  if (headerCells.every((h) => intAttr(h, 'cellindex') !== undefined)) {
    headers = Array.from({ length: width }, () => '');
    headerCells.forEach((h, i) => (headers[intAttr(h, 'cellindex') as number] = labels[i] ?? ''));
  } else {
    // The header strip often lacks the rows' leading checkbox column: shift by one when the
    // rows start with a checkbox and the strip starts with a real label.
    const leadingBox = rowsCells.length > 0 && rowsCells.every((c) => hasCheckbox(c[0]));
    const preferred = leadingBox && (labels[0] ?? '') !== '' ? 1 : 0;
    headers = align(preferred);
    for (const o of [0, 1, -1, 2]) if (o !== preferred) alternatives.push(align(o));
  }
  let message: string | undefined;
  const rows: RawRow[] = [];
  trs.forEach((tr, i) => {
    const row: RawRow = { element: tr, cells: rowsCells[i] ?? [] };
    const rec = rowRecordId(tr);
    if (rec) row.recordId = rec;
    rows.push(row);
  });
  if (rows.length === 0) {
    const scope = header.parentElement;
    message = scope ? emptyMessage(scope) : undefined;
  }
  const split = splitRows(rows);
  const container = header.parentElement ?? header;
  return finish({ layout: 'gwt', element: container, headers, rows: split.rows, pendingRows: split.pending, emptyMessage: message, alternatives });
}

function finish(g: Omit<RawGrid, 'loading'> & { emptyMessage?: string | undefined; alternatives?: string[][] }): RawGrid {
  // Virtual and recycled grids render rows out of order; the data order is the row index.
  const rows = g.rows.every((r) => r.index !== undefined) ? [...g.rows].sort((a, b) => (a.index as number) - (b.index as number)) : g.rows;
  const out: RawGrid = { layout: g.layout, element: g.element, headers: g.headers, rows, pendingRows: g.pendingRows, loading: false };
  if (g.emptyMessage) out.emptyMessage = g.emptyMessage;
  if (g.alternatives?.length) out.alternatives = g.alternatives;
  if (g.rows.length === 0 && !g.emptyMessage && LOADING_RE.test(visibleText(g.element).slice(0, 2000))) out.loading = true;
  return out;
}

/** Every grid in the page, most specific markup first (AG-Grid and GWT also use tables/roles). */
export function findGrids(root: ParentNode): RawGrid[] {
  const grids: RawGrid[] = [];
  const claimed = new Set<Element>();
  const claim = (g: RawGrid | undefined) => {
    if (!g) return;
    grids.push(g);
    claimed.add(g.element);
  };
  for (const header of Array.from(root.querySelectorAll('[class*="cw-ml-header"]'))) claim(readGwt(header));
  for (const c of aggridContainers(root)) claim(readAgGrid(c));
  const insideClaimed = (el: Element) => [...claimed].some((c) => c.contains(el));
  for (const g of Array.from(root.querySelectorAll(ARIA_GRID))) {
    if (insideClaimed(g) || (g.tagName === 'TABLE' && !g.querySelector('[role=row]'))) continue;
    claim(readAria(g));
  }
  for (const t of Array.from(root.querySelectorAll('table'))) {
    if (insideClaimed(t) || /cw-ml/.test(attr(t, 'class') ?? '')) continue;
    claim(readTable(t));
  }
  return grids;
}

// ---- totals and page indicators --------------------------------------------------------------

export interface GridTotals {
  total?: number;
  from?: number;
  to?: number;
  page?: number;
  pages?: number;
}

const num = (s: string | undefined): number => Number((s ?? '').replace(/[\s,.\u00a0']/g, ''));

export function parseTotals(text: string): GridTotals {
  const out: GridTotals = {};
  const range = /(\d[\d,.\u00a0 ]*?)\s*(?:[-–—]|to)\s*(\d[\d,.\u00a0 ]*?)\s+(?:of|från|von|av|sur|van|de)\s+(?:about\s+)?(\d[\d,.\u00a0']*)/i.exec(text);
  if (range) Object.assign(out, { from: num(range[1]), to: num(range[2]), total: num(range[3]) });
  const page = /page\s+(\d+)\s+(?:of|\/)\s+(\d+)/i.exec(text);
  if (page) Object.assign(out, { page: num(page[1]), pages: num(page[2]) });
  if (out.total === undefined) {
    const t =
      /(?:total|rows|records|items|lines|count)\s*(?:rows|records|lines|items)?\s*[:=]\s*(\d[\d,.\u00a0']*)/i.exec(text) ??
      /(\d[\d,.\u00a0']*)\s+(?:rows|records|items|lines|results|entries|invoice lines)\b/i.exec(text);
    if (t) out.total = num(t[1]);
  }
  return out;
}

/** The grid's own total: `aria-rowcount`, or a pager/summary near the grid. */
export function findTotals(grid: RawGrid): GridTotals {
  const rowCount = intAttr(grid.element, 'aria-rowcount');
  if (rowCount !== undefined && rowCount >= 0 && grid.layout === 'aria') {
    const headerRows = grid.element.querySelectorAll('[role=row] [role=columnheader]').length > 0 ? 1 : 0;
    return { total: rowCount - headerRows };
  }
  let scope: Element | null = grid.element;
  for (let depth = 0; scope && depth < 4; depth++, scope = scope.parentElement) {
    const candidates = Array.from(
      scope.querySelectorAll('[class*="pag"], [class*="total"], [class*="count"], [class*="summary"], [class*="footer"], [role=status], nav, tfoot'),
    ).filter((e) => !grid.rows.some((r) => r.element.contains(e)));
    for (const c of candidates) {
      const t = parseTotals(visibleText(c));
      if (t.total !== undefined || t.pages !== undefined) return t;
    }
  }
  return {};
}
