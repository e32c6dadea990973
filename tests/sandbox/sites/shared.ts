import { readFileSync } from 'node:fs';
import type { ServerResponse } from 'node:http';
import { runInNewContext } from 'node:vm';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** A grid cell as the pages carry it: display text plus an optional Platform badge. */
export interface Cell {
  t: string;
  b?: string;
  /** Placeholder text of an empty editable cell (`Click to select`). */
  p?: 1;
}
export interface Column {
  key: string;
  label: string;
}
export interface PlatformGridModel {
  grid: string;
  title: string;
  unit: string;
  units: string;
  /** What the grid says when it has no rows. */
  empty: string;
  columns: Column[];
  rows: { key: string; cells: Record<string, Cell | undefined> }[];
  virtual: { count: number; rowHeight: number; viewportHeight: number };
}
export type PlatformLayout = 'table' | 'aria' | 'aggrid' | 'virtual';
export interface PlatformGridState {
  layout: PlatformLayout;
  page: number;
  pageSize: number;
  hidden: string[];
  first?: number;
}
export interface CwColumn extends Column {
  align?: 'right';
  rowLink?: boolean;
  /** Column width in pixels (default 110). */
  width?: number;
  /** Cells are a checkbox, checked when the cell text is `true` (ConnectWise's Bill column). */
  checkbox?: boolean;
}
export interface CwListModel {
  columns: CwColumn[];
  rows: {
    cells: Record<string, string>;
    sort: Record<string, string | number | null>;
    href?: string;
    recid?: number;
    /** Label/value pairs of the row's detail pod (Additions only). */
    detail?: [string, string][];
  }[];
}
export interface CwSort {
  key: string;
  dir: 1 | -1;
}

interface Renderer {
  esc(value: unknown): string;
  platformGrid(model: PlatformGridModel, state: PlatformGridState): string;
  clampPage(model: PlatformGridModel, page: number, pageSize: number): number;
  cwColgroup(model: CwListModel): string;
  cwHeader(model: CwListModel, sort: CwSort | null): string;
  cwRows(model: CwListModel, order: number[]): string;
  cwDetail(model: CwListModel, rowIndex: number): string;
  cwOrder(model: CwListModel, sort: CwSort | null): number[];
}

function clientFile(name: string): string {
  // A path, not a URL object: under a DOM test environment the global URL is the DOM's own.
  return readFileSync(join(dirname(fileURLToPath(import.meta.url)), 'client', name), 'utf8');
}

/** Client scripts, inlined into pages so saved pages and happy-dom need no further requests. */
export const CLIENT = {
  render: clientFile('render.js'),
  platform: clientFile('platform.js'),
  cw: clientFile('cw.js'),
};

/** The same builders the pages run, evaluated here so server output and client output agree. */
export const render = runInNewContext(`${CLIENT.render}\nSandboxRender;`) as Renderer;
export const esc = (value: unknown): string => render.esc(value);

/** JSON safe to place inside a <script> element. */
export function scriptJson(value: unknown): string {
  return JSON.stringify(value).replace(/</g, '\\u003c').replace(/\u2028/g, '\\u2028').replace(/\u2029/g, '\\u2029');
}

export function sendHtml(res: ServerResponse, html: string, status = 200): void {
  res.writeHead(status, { 'content-type': 'text/html; charset=utf-8', 'cache-control': 'no-store' });
  res.end(html);
}

export function redirect(res: ServerResponse, location: string): void {
  res.writeHead(302, { location, 'cache-control': 'no-store' });
  res.end();
}

export function sendText(res: ServerResponse, status: number, text: string, headers: Record<string, string> = {}): void {
  res.writeHead(status, { 'content-type': 'text/plain; charset=utf-8', 'cache-control': 'no-store', ...headers });
  res.end(text);
}

/** Formats a number with `,` thousands and at least two decimals, without rounding it. */
export function plainMoney(value: number): string {
  const negative = value < 0;
  const [int = '0', frac = ''] = String(Math.abs(value)).split('.');
  if (/e/i.test(int)) return String(value);
  const grouped = int.replace(/\B(?=(\d{3})+(?!\d))/g, ',');
  return `${negative ? '-' : ''}${grouped}.${frac.padEnd(2, '0')}`;
}
