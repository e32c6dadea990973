import type { IncomingMessage, ServerResponse } from 'node:http';
import type { PlatformLine } from '../../../../core/model';
import type { PlatformGridModel, PlatformGridState, PlatformLayout } from '../shared';
import { CLIENT, esc, redirect, render, scriptJson, sendHtml, sendText } from '../shared';
import { linesToCsv } from './export';
import type { DateStyle } from './model';
import { invoiceModel, invoiceMonths, linesOfMonth, organizationModel, productModel } from './model';
import { PLATFORM_CSS } from './styles';

export interface SiteRequest {
  req: IncomingMessage;
  res: ServerResponse;
  /** Path prefix the site is mounted under ('' on its own host name, '/platform' on loopback). */
  base: string;
  /** Path below the base, always starting with '/'. */
  path: string;
  url: URL;
}

const LAYOUTS: PlatformLayout[] = ['table', 'aria', 'aggrid', 'virtual'];
const NAV = [
  ['dashboard', 'Dashboard'],
  ['mapping', 'Mapping'],
  ['system-logs', 'System Logs'],
  ['settings', 'Settings'],
] as const;
const TABS = [
  ['organizations', 'Organizations'],
  ['products', 'Products'],
  ['invoices', 'Invoices'],
] as const;
const MONTH_NAMES = ['January', 'February', 'March', 'April', 'May', 'June', 'July', 'August', 'September', 'October', 'November', 'December'];

function monthLabel(month: string): string {
  return `${MONTH_NAMES[Number(month.slice(5, 7)) - 1] ?? month} ${month.slice(0, 4)}`;
}

/** Query parameters that survive moving between tabs. */
function carried(url: URL): string {
  const keep = new URLSearchParams();
  for (const name of ['layout', 'pageSize', 'dates']) {
    const v = url.searchParams.get(name);
    if (v) keep.set(name, v);
  }
  const s = keep.toString();
  return s ? `?${s}` : '';
}

function gridState(url: URL, model: PlatformGridModel): PlatformGridState {
  const layoutParam = url.searchParams.get('layout') as PlatformLayout | null;
  const layout = layoutParam && LAYOUTS.includes(layoutParam) ? layoutParam : 'table';
  const size = Number(url.searchParams.get('pageSize') ?? 25);
  const pageSize = Number.isInteger(size) && size >= 1 ? Math.min(size, 100_000) : 25;
  // Columns may be named by key or by label, so a test can write `hide=Cost,Currency`.
  const hide = (url.searchParams.get('hide') ?? '').split(',').map((s) => s.trim().toLowerCase()).filter(Boolean);
  const hidden = model.columns.filter((c) => hide.includes(c.key.toLowerCase()) || hide.includes(c.label.toLowerCase())).map((c) => c.key);
  const page = render.clampPage(model, Number(url.searchParams.get('page') ?? 1) || 1, pageSize);
  return { layout, page, pageSize, hidden, first: 0 };
}

function shell(r: SiteRequest, title: string, active: string, body: string, script = ''): string {
  const q = carried(r.url);
  const nav = NAV.map(
    ([slug, label]) => `<li><a href="${r.base}/${slug}${q}"${slug === active ? ' aria-current="page"' : ''}>${label}</a></li>`,
  ).join('');
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>${esc(title)} · Demo Seller Platform</title>
<meta name="viewport" content="width=device-width, initial-scale=1">
<style>${PLATFORM_CSS}</style></head>
<body class="px" data-app="platform">
<header class="px-top"><span class="px-logo">Demo Seller <b>Platform</b></span><span class="px-user">billing.admin@demo-seller.example</span></header>
<div class="px-shell">
<nav class="px-nav" aria-label="Main"><ul>${nav}</ul></nav>
<main class="px-main" id="main">${body}</main>
</div>${script}
</body></html>`;
}

function toolbarColumns(model: PlatformGridModel, state: PlatformGridState): string {
  const boxes = model.columns
    .map((c) => `<label><input type="checkbox" data-col="${esc(c.key)}"${state.hidden.includes(c.key) ? '' : ' checked'}> ${esc(c.label)}</label>`)
    .join('');
  return `<div class="px-columns"><button type="button" class="px-btn" id="px-columns-toggle" aria-expanded="false" aria-controls="px-columns-menu">☰ Columns</button>
<div class="px-columns-menu" id="px-columns-menu" hidden>${boxes}<div style="padding-top:6px"><button type="button" class="px-btn" id="px-columns-reset">Reset</button></div></div></div>`;
}

function gridPage(r: SiteRequest, tab: (typeof TABS)[number][0], model: PlatformGridModel, toolbar: string, extra: Record<string, unknown> = {}): string {
  const state = gridState(r.url, model);
  const q = carried(r.url);
  const tabs = TABS.map(
    ([slug, label]) => `<a role="tab" href="${r.base}/mapping/${slug}${q}" aria-selected="${slug === tab}">${label}</a>`,
  ).join('');
  const grid = render.platformGrid(model, state);
  const body = `<div class="px-crumbs">Settings › Integrations › PSA Tools › ConnectWise</div>
<h1>Mapping</h1>
<div class="px-tabs" role="tablist" aria-label="Mapping">${tabs}</div>
<section class="px-panel" aria-label="${esc(model.title)}">
<div class="px-toolbar"><h2 class="px-panel-title">${esc(model.title)}</h2>${toolbar}<span class="px-spacer"></span>${toolbarColumns(model, state)}${extra.exportHref ? `<a class="px-btn" id="px-export" href="${esc(extra.exportHref)}" download="${esc(extra.exportName)}">↓ Export</a>` : ''}</div>
<div class="px-scroll" id="px-grid-area" data-layout="${state.layout}">${grid}</div>
</section>`;
  const script = `
<script type="application/json" id="px-state">${scriptJson({ model, state })}</script>
<script>${CLIENT.render}</script>
<script>${CLIENT.platform}</script>`;
  return shell(r, model.title, 'mapping', body, script);
}

function invoicesPage(r: SiteRequest, lines: PlatformLine[]): void {
  const months = invoiceMonths(lines);
  const asked = r.url.searchParams.get('month');
  const month = asked && /^\d{4}-\d{2}$/.test(asked) ? asked : (months[0] ?? '');
  const style: DateStyle = r.url.searchParams.get('dates') === 'dmy' ? 'dmy' : 'iso';
  const model = invoiceModel(linesOfMonth(lines, month), style);
  const options = (months.includes(month) || !month ? months : [month, ...months])
    .map((m) => `<option value="${m}"${m === month ? ' selected' : ''}>${monthLabel(m)}</option>`)
    .join('');
  const toolbar = `<label for="px-show-invoices">Show invoices</label><select id="px-show-invoices">${options}</select>
<button type="button" class="px-btn px-btn-primary" disabled title="Not available in the sandbox">Load Invoices</button>`;
  const exportHref = `${r.base}/mapping/invoices/export.csv?month=${month}`;
  sendHtml(r.res, gridPage(r, 'invoices', model, toolbar, { exportHref, exportName: `invoice-lines-${month}.csv` }));
}

function placeholder(r: SiteRequest, slug: string, title: string): void {
  const body = `<h1>${esc(title)}</h1><section class="px-panel"><p class="px-note">This screen is not part of the sandbox. Open <a href="${r.base}/mapping/invoices${carried(r.url)}">Mapping → Invoices</a>.</p></section>`;
  sendHtml(r.res, shell(r, title, slug, body));
}

/** Serves the Platform look-alike; every path under its base is answered here. */
export function platformSite(lines: PlatformLine[]): (r: SiteRequest) => void {
  return (r) => {
    const path = r.path.replace(/\/+$/, '') || '/';
    switch (path) {
      case '/':
        return redirect(r.res, `${r.base}/mapping/invoices${r.url.search}`);
      case '/mapping':
        return redirect(r.res, `${r.base}/mapping/organizations${r.url.search}`);
      case '/mapping/organizations':
        return sendHtml(r.res, gridPage(r, 'organizations', organizationModel(lines), '<button type="button" class="px-btn px-btn-primary" disabled>Sync Organizations</button>'));
      case '/mapping/products':
        return sendHtml(r.res, gridPage(r, 'products', productModel(lines), '<button type="button" class="px-btn px-btn-primary" disabled>Load Products</button>'));
      case '/mapping/invoices':
        return invoicesPage(r, lines);
      case '/mapping/invoices/export.csv': {
        const month = r.url.searchParams.get('month') ?? invoiceMonths(lines)[0] ?? '';
        return sendText(r.res, 200, linesToCsv(linesOfMonth(lines, month)), {
          'content-type': 'text/csv; charset=utf-8',
          'content-disposition': `attachment; filename="invoice-lines-${month.replace(/[^\d-]/g, '')}.csv"`,
        });
      }
      case '/dashboard':
        return placeholder(r, 'dashboard', 'Dashboard');
      case '/system-logs':
        return placeholder(r, 'system-logs', 'System Logs');
      case '/settings':
        return placeholder(r, 'settings', 'Settings');
      case '/favicon.ico':
        return sendText(r.res, 204, '');
      default:
        return sendHtml(r.res, shell(r, 'Not found', '', `<h1>Page not found</h1><p class="px-note">${esc(path)}</p>`), 404);
    }
  };
}
