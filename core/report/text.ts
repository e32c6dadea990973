import { coverageComplete, type Finding, type Report } from '../model';
import { reportNames } from './names';
// Scraped names and server text end up here; a terminal must not act on them.
import { stripControls } from '../shared/text';

/**
 * The human reading: coverage first (so an empty or partial run never looks clean), then the
 * findings grouped by ConnectWise company and agreement, in the report's own order.
 */
export function renderText(report: Report): string {
  const c = report.coverage;
  const out: string[] = [];
  out.push(`CW Reconciler report (${report.schema}), generated ${report.generatedAt}`);
  out.push(
    report.window.from
      ? `Window: ${report.window.from} to ${report.window.to} (invoice months ${c.invoiceMonths.join(', ')})`
      : 'Window: none (no invoice lines read)',
  );
  out.push('', 'Coverage');
  const skipped = Object.entries(c.linesSkipped).map(([reason, n]) => `${reason} ${n}`);
  out.push(`  Platform lines read ${c.linesRead}, compared ${c.linesCompared}, skipped ${skipped.length ? skipped.join(', ') : 'none'}`);
  out.push(`  ConnectWise Additions read ${c.additionsRead}, in scope ${c.additionsInScope}, matched ${c.additionsMatched}`);
  out.push(`  ConnectWise data ${c.cwComplete ? 'complete' : 'PARTIAL: missing, orphaned and duplicate Additions are not reported for what was not read'}`);
  for (const line of readStateText(c)) out.push(`  ${line}`);
  for (const row of c.skippedRows) {
    out.push(`  Skipped row: ${row.file ? `${row.file} ` : ''}row ${row.row}${row.column ? `, column "${row.column}"` : ''}${row.value !== undefined ? `, value ${JSON.stringify(row.value)}` : ''}: ${row.message}`);
  }
  for (const warning of c.warnings) out.push(`  Warning: ${warning}`);

  const counts = { error: 0, warn: 0, info: 0 };
  for (const f of report.findings) counts[f.severity]++;
  out.push('', `Findings: ${report.findings.length} (${counts.error} error, ${counts.warn} warn, ${counts.info} info)`);
  const names = reportNames(report);
  if (report.findings.length === 0) {
    out.push(coverageComplete(c) ? '  None: ConnectWise holds what the Platform says.' : '  None found, but coverage is incomplete (see above): this is not a clean result.');
    return stripControls(out.concat(moneyText(report, names)).join('\n') + '\n');
  }

  for (const company of groupBy(report.findings, (f) => f.companyId)) {
    out.push('', company.key === undefined ? 'No ConnectWise company' : `Company ${names.company(company.key)}`);
    for (const agreement of groupBy(company.items, (f) => f.agreementId)) {
      out.push(agreement.key === undefined ? '  (no agreement)' : `  Agreement ${names.agreement(agreement.key)}`);
      for (const f of agreement.items) {
        out.push(`    ${f.severity.toUpperCase().padEnd(5)} ${f.kind} ${keyOf(f)}`);
        out.push(`          ${f.message}`);
        out.push(`          Fix: ${f.fix}`);
      }
    }
  }
  return stripControls(out.concat(moneyText(report, names)).join('\n') + '\n');
}

/** The money view: totals per currency, then every month and agreement with a gap. */
function moneyText(report: Report, names: ReturnType<typeof reportNames>): string[] {
  const money = report.money;
  if (!money) return [];
  const out = ['', 'Money (Platform revenue vs what ConnectWise will bill; per currency, never summed across)'];
  for (const [code, t] of Object.entries(money.totals)) {
    out.push(`  ${code || '(no currency)'}: Platform ${t.platform}, ConnectWise ${t.connectwise}, difference ${t.difference} = explained ${t.explained} + residual ${t.residual}${t.unverified !== undefined ? ` (of which ${t.unverified} on unverified lines)` : ''}`);
  }
  const gaps = money.rows.filter((r) => r.difference !== 0 || r.residual !== 0);
  if (gaps.length === 0) {
    out.push(
      coverageComplete(report.coverage)
        ? '  No gaps: every month and agreement bills what the Platform invoiced.'
        : '  No gap found in what was compared, but coverage is incomplete (see above): this is not a clean result.',
    );
  }
  for (const r of gaps) {
    out.push(`  ${r.month} ${names.company(r.companyId)} / ${names.agreement(r.agreementId)}: difference ${r.difference} ${r.currency} (Platform ${r.platform}, ConnectWise ${r.connectwise}); explained ${r.explained}, residual ${r.residual}${r.unverified !== undefined ? ` (of which ${r.unverified} on unverified lines ${(r.unverifiedLineIds ?? []).join(', ')}: an agreement was not read)` : ''}`);
    for (const f of r.findings) out.push(`      ${f.amount > 0 ? '+' : ''}${f.amount} ${f.kind} ${f.lineId ? `line ${f.lineId}` : f.additionId !== undefined ? `addition #${f.additionId}` : f.organization ? `organization "${f.organization}"` : `agreement #${f.agreementId}`}`);
  }
  return out;
}

/** DESIGN §3.5: the agreements not read whole, each with its fix, then the lines they left unverified. */
export function readStateText(c: Report['coverage']): string[] {
  const out: string[] = [];
  const name = (x: { agreementId?: number; agreement?: string; company?: string }) =>
    x.agreementId !== undefined
      ? `Agreement "${x.agreement ?? ''}" (#${x.agreementId})${x.company ? ` of Company "${x.company}"` : ''}`
      : `${x.agreement ? `Agreement "${x.agreement}"` : 'the Agreements'} of Company "${x.company ?? ''}" (not in the data given)`;
  for (const g of c.agreementsNotRead ?? []) {
    out.push(`Not read whole: ${name(g)}, ${g.state === 'partial' ? 'read only in part' : 'not read'}; ${g.lines} line(s) left unverified. Fix: ${g.fix}`);
  }
  for (const u of c.unverified ?? []) {
    out.push(`Unverified line ${u.lineId}${u.organization ? ` (${u.organization})` : ''}: no Addition found, but ${name(u)} was ${u.state === 'partial' ? 'read only in part' : 'not read'}; not reported missing.`);
  }
  return out;
}

function keyOf(f: Finding): string {
  if (f.lineId) return `line ${f.lineId}`;
  if (f.additionId !== undefined) return `addition #${f.additionId}`;
  if (f.agreementId !== undefined) return `agreement #${f.agreementId}`;
  if (f.organization) return `organization "${f.organization}"`;
  return f.productIdentifier ? `product ${f.productIdentifier}` : '';
}

/** Groups in first-seen order of a numeric key; findings without one come last. */
function groupBy(findings: Finding[], key: (f: Finding) => number | undefined): { key: number | undefined; items: Finding[] }[] {
  const groups = new Map<number | undefined, Finding[]>();
  for (const f of findings) {
    const k = key(f);
    const list = groups.get(k);
    if (list) list.push(f);
    else groups.set(k, [f]);
  }
  return [...groups.entries()]
    .sort(([a], [b]) => (a === undefined ? 1 : b === undefined ? -1 : a - b))
    .map(([k, items]) => ({ key: k, items }));
}
