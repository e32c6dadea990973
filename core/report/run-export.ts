import type { Finding, Report } from '../model';
import { findingFingerprint } from '../model/fingerprint';
import { csvCell } from '../ingest/csv-write';
import { CSV_COLUMNS } from './csv';
import { renderReport } from './index';

/*
 * A stored run as a file: the report the CLI writes, plus the user's verdict and note on each
 * finding, because the export is what gets filed with the month-end close. The panel (for what its
 * filters show, or everything) and the background (`runs.export`) both write through this.
 */

export type RunExportFormat = 'csv' | 'json' | 'text';

/** Display names a run is read with: company and agreement ids to names. */
export interface ExportNames {
  companies?: Record<string, string>;
  agreements?: Record<string, { name: string; companyId?: number }>;
}

/** A user's verdict on a finding, stored under the finding's fingerprint. */
export interface ExportResolution {
  fingerprint: string;
  status?: string;
  note?: string;
  updatedAt?: string;
}

export const RUN_EXPORT_CSV_COLUMNS = [...CSV_COLUMNS, 'company', 'agreement', 'status', 'note', 'fingerprint'] as const;

export interface RunExportInput {
  report: Report;
  names?: ExportNames;
  resolutions: ReadonlyMap<string, ExportResolution>;
  /** Keys of the findings to write (what the panel's filters show; see `findingKeys`); absent, all. */
  only?: ReadonlySet<string>;
}

/**
 * Each finding's key within its run: the fingerprint, suffixed `#n` when the same fingerprint
 * comes again, so even a repeated finding can be picked on its own.
 */
export function findingKeys(fingerprints: readonly string[]): string[] {
  const seen = new Map<string, number>();
  return fingerprints.map((fp) => {
    const n = seen.get(fp) ?? 0;
    seen.set(fp, n + 1);
    return n === 0 ? fp : `${fp}#${n}`;
  });
}

/** The company and agreement a finding is filed under, by the names the run was read with. */
export function findingPlace(f: Finding, names: ExportNames, companyByName?: ReadonlyMap<string, string>): { company: string; agreement: string } {
  let companyId = f.companyId;
  if (companyId === undefined && f.agreementId !== undefined) companyId = names.agreements?.[String(f.agreementId)]?.companyId;
  if (companyId === undefined && f.organization) {
    const fromName = companyByName?.get(f.organization.toLowerCase());
    if (fromName !== undefined) companyId = Number(fromName);
  }
  const company =
    companyId !== undefined ? (names.companies?.[String(companyId)] ?? f.organization ?? `Company #${companyId}`) : (f.organization ?? 'No company');
  const agreementId = f.agreementId ?? f.related?.agreementIds?.[0];
  const agreement = agreementId === undefined ? '' : (names.agreements?.[String(agreementId)]?.name ?? `Agreement #${agreementId}`);
  return { company, agreement };
}

/** The findings to write, with their fingerprints; `only` picks by key. */
function chosen(input: RunExportInput): { finding: Finding; fp: string }[] {
  const fps = input.report.findings.map(findingFingerprint);
  const keys = findingKeys(fps);
  return input.report.findings.flatMap((finding, i) => (!input.only || input.only.has(keys[i]!) ? [{ finding, fp: fps[i]! }] : []));
}

/** The names given, else those the engine put into the report itself (core/report/names.ts). */
function namesOf(input: RunExportInput): ExportNames {
  if (input.names) return input.names;
  const n = input.report.names;
  if (!n) return {};
  return { companies: n.companies, agreements: Object.fromEntries(Object.entries(n.agreements).map(([id, name]) => [id, { name }])) };
}

function renderCsv(input: RunExportInput): string {
  const names = namesOf(input);
  const companyByName = new Map<string, string>();
  for (const [id, name] of Object.entries(names.companies ?? {})) companyByName.set(name.toLowerCase(), id);
  const lines = [RUN_EXPORT_CSV_COLUMNS.join(',')];
  for (const { finding: f, fp } of chosen(input)) {
    const r = input.resolutions.get(fp);
    const place = findingPlace(f, names, companyByName);
    const extra: Record<string, unknown> = {
      relatedLineIds: f.related?.lineIds?.join(' '),
      relatedAdditionIds: f.related?.additionIds?.join(' '),
      relatedAgreementIds: f.related?.agreementIds?.join(' '),
      company: place.company,
      agreement: place.agreement,
      status: r?.status ?? 'open',
      note: r?.note,
      fingerprint: fp,
    };
    lines.push(RUN_EXPORT_CSV_COLUMNS.map((c) => csvCell(c in extra ? extra[c] : f[c as keyof Finding])).join(','));
  }
  return lines.join('\r\n') + '\r\n';
}

/** The chosen findings' report, with the resolutions of those findings (JSON and text). */
function shownReport(input: RunExportInput): Report {
  const picked = chosen(input);
  const report = input.only ? { ...input.report, findings: picked.map((p) => p.finding) } : input.report;
  const fps = new Set(picked.map((p) => p.fp));
  const kept = [...input.resolutions.values()].filter((r) => fps.has(r.fingerprint));
  return kept.length ? ({ ...report, resolutions: kept } as Report) : report;
}

export function renderRunExport(input: RunExportInput, format: RunExportFormat): string {
  if (format === 'csv') return renderCsv(input);
  return renderReport(shownReport(input), format);
}

export const RUN_EXPORT_MIME: Record<RunExportFormat, string> = { csv: 'text/csv', json: 'application/json', text: 'text/plain' };

/** The file a stored run is saved as: its date and id, so two runs of one day never collide. */
export function runExportFilename(run: { id: string; createdAt: string }, format: RunExportFormat): string {
  return `cw-reconciler-${run.createdAt.slice(0, 10)}-${run.id}.${format === 'text' ? 'txt' : format}`;
}
