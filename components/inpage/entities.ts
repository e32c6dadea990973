import type { MappingKind, Site } from './types';

/**
 * Entity tooltips: a cell is a company / product / organization / offer name when its column
 * header says so. Header labels are compared as lower-case letters and digits only.
 */
const KIND_BY_HEADER: Record<Site, Record<string, MappingKind>> = {
  connectwise: {
    company: 'organization',
    companyname: 'organization',
    productid: 'offer',
    product: 'offer',
    agreement: 'contract',
    agreementname: 'contract',
  },
  platform: {
    organization: 'organization',
    organizationname: 'organization',
    customer: 'organization',
    offer: 'offer',
    offername: 'offer',
    contract: 'contract',
    contractid: 'contract',
    invoicecontract: 'contract',
  },
};

const CELL = 'td, th, [role="gridcell"], [role="cell"], [col-id]';

function quoted(value: string): string {
  return `"${value.replace(/["\\]/g, '\\$&')}"`;
}

function key(label: string): string {
  return label.toLowerCase().replace(/[^\p{L}\p{N}]+/gu, '');
}

function labelOf(el: Element): string {
  return (el.textContent ?? '').replace(/\s+/g, ' ').trim();
}

function centreX(el: Element): number | undefined {
  const r = el.getBoundingClientRect();
  return r.width > 0 ? (r.left + r.right) / 2 : undefined;
}

/**
 * GWT list views keep headers in a sibling strip (`.cw-ml-header`), not a thead, and rows carry
 * a leading checkbox column, so indexes are off by one. Match by horizontal position where there
 * is layout, else by the `cellindex` attribute the two strips share.
 */
function gwtHeader(cell: Element, row: Element): string | undefined {
  let scope: Element | null = row.parentElement;
  let strip: Element | null = null;
  while (scope && !strip) {
    strip = scope.querySelector('.cw-ml-header');
    scope = scope.parentElement;
  }
  if (!strip) return undefined;
  const heads = Array.from(strip.querySelectorAll('td'));
  const r = cell.getBoundingClientRect();
  if (r.width > 0) {
    const hit = heads.find((h) => {
      const x = centreX(h);
      return x !== undefined && x >= r.left && x <= r.right;
    });
    if (hit) return labelOf(hit);
  }
  const index = cell.getAttribute('cellindex');
  const same = index === null ? undefined : heads.find((h) => h.getAttribute('cellindex') === index);
  return same ? labelOf(same) : undefined;
}

function cellsOf(row: Element): Element[] {
  return Array.from(row.children).filter((c) => c.tagName === 'TD' || c.tagName === 'TH');
}

const span = (c: Element): number => Number(c.getAttribute('colspan')) || 1;

function tableHeader(cell: Element): string | undefined {
  const table = cell.closest('table');
  const row = cell.parentElement;
  if (!table || !row) return undefined;
  let col = 0;
  for (const c of cellsOf(row)) {
    if (c === cell) break;
    col += span(c);
  }
  const headRow =
    table.querySelector('thead tr') ?? Array.from(table.querySelectorAll('tr')).find((r) => cellsOf(r).some((c) => c.tagName === 'TH'));
  if (!headRow || headRow === row) return undefined;
  let at = 0;
  for (const h of cellsOf(headRow)) {
    if (col >= at && col < at + span(h)) return labelOf(h);
    at += span(h);
  }
  return undefined;
}

function ariaHeader(cell: Element): string | undefined {
  const grid = cell.closest('[role="grid"], [role="treegrid"], [role="table"], .ag-root, [class*="grid"]');
  if (!grid) return undefined;
  const colId = cell.getAttribute('col-id');
  if (colId !== null) {
    const h = grid.querySelector(`[role="columnheader"][col-id=${quoted(colId)}], .ag-header-cell[col-id=${quoted(colId)}]`);
    if (h) return labelOf(h);
  }
  const colIndex = cell.getAttribute('aria-colindex');
  if (colIndex !== null) {
    const h = grid.querySelector(`[role="columnheader"][aria-colindex=${quoted(colIndex)}]`);
    if (h) return labelOf(h);
  }
  return undefined;
}

export function columnHeaderOf(cell: Element): string | undefined {
  const row = cell.parentElement;
  if (row && row.matches('tr.cw-ml-row') && cell.hasAttribute('cellindex')) return gwtHeader(cell, row);
  if (cell.tagName === 'TD' || cell.tagName === 'TH') {
    return tableHeader(cell) ?? ariaHeader(cell);
  }
  return ariaHeader(cell);
}

export interface EntityTarget {
  kind: MappingKind;
  name: string;
  cell: Element;
}

/** The entity a node sits in, if its cell's column names one. */
export function entityAt(node: Node, site: Site): EntityTarget | undefined {
  const el = node.nodeType === 1 ? (node as Element) : node.parentElement;
  const cell = el?.closest(CELL);
  if (!cell) return undefined;
  const header = columnHeaderOf(cell);
  if (!header) return undefined;
  const kind = KIND_BY_HEADER[site][key(header)];
  if (!kind) return undefined;
  const name = labelOf(cell);
  if (name === '' || name.length > 200) return undefined;
  return { kind, name, cell };
}
