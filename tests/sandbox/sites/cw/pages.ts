import type { CwAgreement, CwBundle, CwCompany } from '../../../../core/model';
import type { SiteRequest } from '../platform/pages';
import type { CwListModel, CwSort } from '../shared';
import { CLIENT, esc, render, scriptJson, sendHtml, sendText } from '../shared';
import { canonicalLocale, cwFormat } from './format';
import type { CwFormat } from './format';
import { additionColumnKeys, additionsModel, agreementListModel, companyListModel } from './model';
import { CW_CSS } from './styles';

const ROUTER = '/v4_6_release/services/system_io/router/openrecord.rails';
const FILL_DELAY_MS = 300;

interface Ctx {
  r: SiteRequest;
  f: CwFormat;
  /** The locale as the deep links spell it (`en_US`). */
  linkLocale: string;
}

function openRecord(c: Ctx, recordType: string, recid: number, extra = ''): string {
  return `${c.r.base}${ROUTER}?locale=${encodeURIComponent(c.linkLocale)}&companyName=sandbox&recordType=${recordType}&recid=${recid}${extra}`;
}

function listLink(c: Ctx, path: string): string {
  return `${c.r.base}${path}?locale=${encodeURIComponent(c.linkLocale)}`;
}

function shell(c: Ctx, title: string, active: string, body: string, scripts = ''): string {
  const nav = [
    ['companies', 'Companies', listLink(c, '/companies')],
    ['agreements', 'Agreements', listLink(c, '/agreements')],
  ]
    .map(([key, label, href]) => `<a href="${esc(href)}"${key === active ? ' class="cw-nav-active"' : ''}>${label}</a>`)
    .join('');
  return `<!doctype html>
<html lang="${esc(c.f.locale)}"><head><meta charset="utf-8"><title>${esc(title)}</title>
<meta name="viewport" content="width=device-width, initial-scale=1">
<style>${CW_CSS}</style></head>
<body class="cw" data-app="connectwise">
<div class="cw-topbar"><span class="cw-brand">ConnectWise PSA</span><span>Sandbox Company</span><input class="cw-search" placeholder="Search" aria-label="Search"></div>
<div class="cw-layout"><nav class="cw-navbar" aria-label="Navigation">${nav}</nav>
<div class="cw-content" id="cw-content">${body}</div></div>${scripts}
</body></html>`;
}

/**
 * A GWT-style list. `fill: 'later'` leaves the rows table empty for the page script to fill after
 * a short delay, as Manage does; otherwise rows are in the served HTML.
 */
function list(id: string, model: CwListModel, unit: string, fill: 'now' | 'later', delay: number, sort: CwSort | null = null): string {
  const order = render.cwOrder(model, sort);
  const rows = fill === 'now' ? render.cwRows(model, order) : '';
  return `<div class="cw-list" id="${id}" data-cw-list>
<div class="mm_grid">
${render.cwHeader(model, sort)}
<table class="cw-ml-table srboard-grid" cellspacing="0">${render.cwColgroup(model)}<tbody>${rows}</tbody></table>
<div class="cw-ml-empty"${fill === 'now' && model.rows.length === 0 ? '' : ' hidden'}>There are no records to display</div>
</div>
<div class="cw-ml-footer" title="${esc(unit)}">${model.rows.length ? `1 - ${model.rows.length} of ${model.rows.length}` : '0 records'}</div>
<div class="cw-detail-slot">${fill === 'now' && model.rows[order[0] ?? -1]?.detail ? render.cwDetail(model, order[0] as number) : ''}</div>
<script type="application/json" class="cw-list-state">${scriptJson({ model, sort, filled: fill === 'now', delay })}</script>
</div>`;
}

const SCRIPTS = `<script>${CLIENT.render}</script><script>${CLIENT.cw}</script>`;

function fillMode(r: SiteRequest): { fill: 'now' | 'later'; delay: number } {
  if (r.url.searchParams.get('static') === '1') return { fill: 'now', delay: 0 };
  const asked = Number(r.url.searchParams.get('delay') ?? FILL_DELAY_MS);
  return { fill: 'later', delay: Number.isFinite(asked) ? Math.min(Math.max(asked, 0), 10_000) : FILL_DELAY_MS };
}

function podRows(rows: [string, string, string?][]): string {
  return rows
    .map(([label, value, cls]) => `<tr class="pod-element-row"><td class="mm_label">${esc(label)}</td><td><input class="${cls ?? ''}" value="${esc(value)}" readonly aria-label="${esc(label)}"></td></tr>`)
    .join('');
}

function companyPage(c: Ctx, bundle: CwBundle, company: CwCompany): string {
  const agreements = bundle.agreements.filter((a) => a.company.id === company.id);
  const model = agreementListModel(agreements, c.f, (a) => openRecord(c, 'AgreementFV', a.id));
  const body = `<div class="navigationEntry"><a href="${esc(listLink(c, '/companies'))}">Companies</a> › ${esc(company.name)}</div>
<div class="cw-main-banner cw_BannerView"><span class="detailLabel">Company: ${esc(company.name)}</span><span class="cw_PsaSummaryHeader">Company ID <input class="cw_company_id" value="${esc(company.identifier ?? '')}" readonly aria-label="Company ID"></span></div>
<div class="cw-tabs" role="tablist"><span class="cw-tab cw-tab-selected" role="tab" aria-selected="true">Company</span><span class="cw-tab cw-tab-disabled">Contacts</span><span class="cw-tab cw-tab-disabled">Sites</span><span class="cw-tab cw-tab-disabled">Configurations</span></div>
<div class="cw-tab-panel">
<div class="pod"><h3>Company</h3><table>${podRows([
    ['Company ID', company.identifier ?? '', 'cw_companyIdentifier'],
    ['Company Name', company.name, 'cw_company'],
    ['Status', company.status?.name ?? '', 'cw_status'],
    ['Type', (company.types ?? []).map((t) => t.name).join(', '), 'cw_type'],
  ])}</table></div>
<div class="pod"><h3>Agreements</h3>${list('cw-company-agreements', model, agreements.length === 1 ? 'Agreement' : 'Agreements', 'now', 0)}</div>
</div>`;
  return shell(c, `Company - ${company.name}`, 'companies', body, SCRIPTS);
}

function agreementPage(c: Ctx, bundle: CwBundle, agreement: CwAgreement): string {
  const r = c.r;
  const tab = r.url.searchParams.get('tab')?.toLowerCase() === 'agreement' ? 'agreement' : 'additions';
  const company = bundle.companies.find((co) => co.id === agreement.company.id);
  const companyName = agreement.company.name ?? company?.name ?? '';
  // Manage's company field shows the company's identifier; the name sits beside it.
  const companyIdentifier = agreement.company.identifier ?? company?.identifier ?? '';
  const bill = r.url.searchParams.get('bill') === 'checkbox' ? 'checkbox' : 'text';
  const model = additionsModel(bundle, agreement, c.f, additionColumnKeys(r.url.searchParams.get('cols'), bill), r.url.searchParams.get('recids') === '1');
  // Manage may lead the banner with breadcrumb labels that share the record label's class.
  const crumbs =
    r.url.searchParams.get('banner') === 'breadcrumb'
      ? `<span class="cw_CwLabel detailLabel navigationEntry">Agreements</span><span class="cw_CwLabel detailLabel navigationEntry">${esc(companyName)}</span>`
      : '';
  const { fill, delay } = fillMode(r);
  const tabs = [
    ['agreement', 'Agreement'],
    ['additions', 'Additions'],
    ['', 'Adjustments'],
    ['', 'Sites'],
    ['', 'Invoices'],
    ['', 'Audit Trail'],
  ]
    .map(([key, label]) =>
      key
        ? `<a class="cw-tab${key === tab ? ' cw-tab-selected' : ''}" role="tab" data-tab="${key}" aria-selected="${key === tab}" href="${esc(openRecord(c, 'AgreementFV', agreement.id, `&tab=${key}`))}">${label}</a>`
        : `<span class="cw-tab cw-tab-disabled" role="tab" aria-disabled="true">${label}</span>`,
    )
    .join('');
  const body = `<div class="navigationEntry"><a href="${esc(listLink(c, '/agreements'))}">Agreements</a> › ${esc(agreement.name)}</div>
<div class="cw-main-banner cw_BannerView">${crumbs}<span class="cw_CwLabel detailLabel">Agreement: ${esc(agreement.name)}${companyName ? ` (${esc(companyName)})` : ''}</span>
<span class="cw_PsaSummaryHeader"><span class="mm_label">Company</span> <input class="cw_company" value="${esc(companyIdentifier)}" readonly aria-label="Company"> <a class="multilineClickable" href="${esc(openRecord(c, 'CompanyFV', agreement.company.id))}">${esc(companyName)}</a></span></div>
<div class="cw-toolbar"><span class="cw_ToolbarButton" role="button">+ New</span><span class="cw_ToolbarButton" role="button">Save</span><span class="cw_ToolbarButton" role="button">Finish Agreement</span></div>
<div class="cw-tabs" role="tablist">${tabs}</div>
<div class="cw-tab-panel" data-panel="agreement"${tab === 'agreement' ? '' : ' hidden'}>
<div class="pod"><h3>Agreement</h3><table>${podRows([
    ['Company ID', companyIdentifier, 'cw_companyIdentifier'],
    ['Company Name', companyName, 'cw_companyName'],
    ['Agreement Name', agreement.name, 'cw_agreementName'],
    ['Type', agreement.type?.name ?? '', 'cw_type'],
    ['Start Date', c.f.date(agreement.startDate), 'cw_startDate'],
    ['End Date', agreement.noEndingDateFlag ? 'No Ending Date' : c.f.date(agreement.endDate), 'cw_endDate'],
    ['Billing Cycle', agreement.billingCycle?.name ?? '', 'cw_billingCycle'],
    ['Currency', agreement.currency?.currencyCode ?? agreement.currency?.currencyIdentifier ?? '', 'cw_currency'],
    ['Agreement Status', agreement.agreementStatus ?? '', 'cw_agreementStatus'],
    ['Bill Products', agreement.billProducts ?? '', 'cw_billProducts'],
  ])}</table></div></div>
<div class="cw-tab-panel" data-panel="additions"${tab === 'additions' ? '' : ' hidden'}>
${list('cw-additions', model, model.rows.length === 1 ? 'Addition' : 'Additions', fill, delay)}
</div>`;
  return shell(c, `Agreement - ${agreement.name}`, 'agreements', body, SCRIPTS);
}

function notFound(c: Ctx, message: string): void {
  sendHtml(c.r.res, shell(c, 'Record not found', '', `<div class="cw-main-banner cw_BannerView"><span class="detailLabel">${esc(message)}</span></div>`), 404);
}

function openRecordPage(c: Ctx, bundle: CwBundle): void {
  const p = c.r.url.searchParams;
  // Deep links arrive as recordType (router) or routeTo (legacy ConnectWise.aspx); casing varies.
  // The single-page address names its record after `#`, which no server sees: the look-alike
  // takes it from `sandboxRd` instead (cw/variants.ts).
  const type = (p.get('recordType') ?? p.get('routeTo') ?? (p.get('sandboxRd') ? 'AgreementFV' : '')).toLowerCase();
  const recid = Number(p.get('recid') ?? p.get('sandboxRd'));
  if (type === 'agreementfv') {
    const agreement = bundle.agreements.find((a) => a.id === recid);
    return agreement ? sendHtml(c.r.res, agreementPage(c, bundle, agreement)) : notFound(c, `Agreement ${p.get('recid') ?? ''} was not found.`);
  }
  if (type === 'companyfv') {
    const company = bundle.companies.find((co) => co.id === recid);
    return company ? sendHtml(c.r.res, companyPage(c, bundle, company)) : notFound(c, `Company ${p.get('recid') ?? ''} was not found.`);
  }
  return notFound(c, `Record type ${p.get('recordType') ?? p.get('routeTo') ?? '(none)'} is not part of the sandbox.`);
}

/** Serves the ConnectWise look-alike; every path under its base is answered here. */
export function connectwiseSite(bundle: CwBundle): (r: SiteRequest) => void {
  return (r) => {
    const raw = r.url.searchParams.get('locale');
    const locale = canonicalLocale(raw);
    const c: Ctx = { r, f: cwFormat(locale), linkLocale: raw ?? 'en_US' };
    const path = r.path.replace(/\/+$/, '') || '/';
    if (/^\/v[\w.]+\/services\/system_io\/router\/openrecord\.rails$/i.test(path) || /^\/v[\w.]+\/connectwise\.aspx$/i.test(path)) {
      return openRecordPage(c, bundle);
    }
    if (path === '/' || path === '/companies') {
      const model = companyListModel(bundle.companies, (co) => openRecord(c, 'CompanyFV', co.id));
      const body = `<div class="cw-main-banner cw_BannerView"><span class="detailLabel">Companies</span></div><div class="cw-tab-panel">${list('cw-companies', model, 'Companies', 'now', 0)}</div>`;
      return sendHtml(r.res, shell(c, 'Companies', 'companies', body, SCRIPTS));
    }
    if (path === '/agreements') {
      const companyId = Number(r.url.searchParams.get('company'));
      const agreements = companyId ? bundle.agreements.filter((a) => a.company.id === companyId) : bundle.agreements;
      const model = agreementListModel(agreements, c.f, (a) => openRecord(c, 'AgreementFV', a.id));
      const body = `<div class="cw-main-banner cw_BannerView"><span class="detailLabel">Agreements</span></div><div class="cw-tab-panel">${list('cw-agreements', model, 'Agreements', 'now', 0)}</div>`;
      return sendHtml(r.res, shell(c, 'Agreements', 'agreements', body, SCRIPTS));
    }
    if (path === '/favicon.ico') return sendText(r.res, 204, '');
    return notFound(c, `No screen at ${path}`);
  };
}
