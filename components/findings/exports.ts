import type { Finding, Report } from '../../core/model';
import type { Resolution, PanelRun } from '../api';
import { coverageVerdict } from './coverage';
import { findingFingerprint } from './fingerprint';
import { kindLabel, SEVERITY_LABELS } from './words';
import { shownValues, type ShownValue } from './values';
import { statusOf, toItems } from './model';
import { findingKeys, renderRunExport, RUN_EXPORT_CSV_COLUMNS } from '../../core/report/run-export';

/**
 * Evidence exports. CSV and JSON are the one run export of core/report/run-export.ts (the CLI's
 * report plus the user's verdict and note on each finding), which the background's `runs.export`
 * writes too; the panel adds only the choice of what is shown or everything, and the printable page.
 */
export const PANEL_CSV_COLUMNS = RUN_EXPORT_CSV_COLUMNS;

/** `only`: the finding keys to export (what the filters show); absent, every finding. */
export function renderCsv(run: Pick<PanelRun, 'report' | 'names'>, resolutions: ReadonlyMap<string, Resolution>, only?: ReadonlySet<string>): string {
  return renderRunExport({ report: run.report, names: run.names, resolutions, only }, 'csv');
}

/** The report exactly as the CLI renders it, plus the user's resolutions for its findings. */
export function renderJson(report: Report, resolutions: ReadonlyMap<string, Resolution>, onlyFingerprints?: ReadonlySet<string>): string {
  const fps = report.findings.map(findingFingerprint);
  const only = onlyFingerprints && new Set(findingKeys(fps).filter((_, i) => onlyFingerprints.has(fps[i]!)));
  return renderRunExport({ report, resolutions, only }, 'json');
}

function esc(v: unknown): string {
  return String(v ?? '').replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

/** The same values the panel shows (values.ts), each under its own system's column. */
function valueCells(f: Finding): string {
  const values = shownValues(f);
  const cell = (system: ShownValue['system']) =>
    values
      .filter((v) => v.system === system)
      .map((v) => `<small>${esc(v.label)}</small><br><span data-from="${v.from}">${esc(v.value)}</span>`)
      .join('<br>');
  return `<td>${cell('AppXite Platform')}</td><td>${cell('ConnectWise')}</td>`;
}

/**
 * A self-contained printable page (no scripts, inline styles) with the coverage, the verdict and
 * every finding with its status and note, grouped by company.
 */
export function renderEvidenceHtml(
  run: Pick<PanelRun, 'report' | 'names' | 'createdAt' | 'signOff'>,
  resolutions: ReadonlyMap<string, Resolution>,
  only?: ReadonlySet<string>,
): string {
  const { report } = run;
  const items = toItems(run).filter((i) => !only || only.has(i.key));
  const open = items.filter((i) => statusOf(resolutions.get(i.fp)) === 'open').length;
  const verdict = coverageVerdict(report.coverage, open);
  const rows: string[] = [];
  let company = '';
  for (const i of items.sort((a, b) => a.companyLabel.localeCompare(b.companyLabel) || a.agreementLabel.localeCompare(b.agreementLabel))) {
    if (i.companyKey !== company) {
      company = i.companyKey;
      rows.push(`<tr class="group"><th colspan="7" scope="colgroup">${esc(i.companyLabel)}</th></tr>`);
    }
    const f = i.finding;
    const r = resolutions.get(i.fp);
    const ids = [f.lineId && `line ${f.lineId}`, f.additionId && `addition ${f.additionId}`, f.agreementId && `agreement ${f.agreementId}`]
      .filter(Boolean)
      .join(', ');
    rows.push(
      `<tr><td>${esc(SEVERITY_LABELS[f.severity])}</td><td>${esc(kindLabel(f.kind))}<br><small>${esc(i.agreementLabel)}; ${esc(ids)}</small></td>` +
        `${valueCells(f)}<td>${esc(f.message)}</td><td>${esc(f.fix)}</td><td>${esc(statusOf(r))}${r?.note ? `<br><small>${esc(r.note)}</small>` : ''}</td></tr>`,
    );
  }
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Reconciliation evidence ${esc(report.window.from ?? '')} – ${esc(report.window.to ?? '')}</title>
<style>
body{font:13px/1.4 system-ui,sans-serif;color:#111;background:#fff;margin:24px}
table{border-collapse:collapse;width:100%}th,td{border:1px solid #999;padding:4px 6px;text-align:left;vertical-align:top}
tr.group th{background:#e8e8e8}small{color:#444}h1{font-size:18px}
@media print{body{margin:0}tr{break-inside:avoid}}
</style></head><body>
<h1>ConnectWise reconciliation evidence</h1>
<p>Window ${esc(report.window.from ?? '—')} to ${esc(report.window.to ?? '—')}; run ${esc(run.createdAt)}; report generated ${esc(report.generatedAt)}.</p>
${run.signOff ? `<p data-testid="sign-off"><strong>Signed off</strong> by ${esc(run.signOff.by)} on ${esc(run.signOff.at)}${run.signOff.note ? `: ${esc(run.signOff.note)}` : ''}.</p>` : '<p>Not signed off.</p>'}
<p><strong>${esc(verdict.headline)}</strong></p>${only ? `\n<p>Filtered: ${items.length} of ${report.findings.length} findings shown.</p>` : ''}
<ul>${verdict.details.map((d) => `<li>${esc(d)}</li>`).join('')}</ul>
<table><thead><tr><th scope="col">Severity</th><th scope="col">Finding</th><th scope="col">Platform</th><th scope="col">ConnectWise</th><th scope="col">Reason</th><th scope="col">Fix</th><th scope="col">Status</th></tr></thead>
<tbody>${rows.join('\n')}</tbody></table>
</body></html>
`;
}
