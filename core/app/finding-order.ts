import type { Finding, Match, Report, RunNames, Severity } from '../model';
import { findingFingerprint } from '../model/fingerprint';
import type { Stake } from '../money/stake';

/*
 * The order the panel lists a run's findings in (company → agreement by name → severity → kind),
 * with the grouping keys and labels each finding is shown under. One definition for both sides:
 * the background pages a stored run out in this order, and the panel lists what it is given.
 */

export interface FindingItem {
  finding: Finding;
  /** The fingerprint resolutions are stored under. */
  fp: string;
  /** Unique within the run (the fingerprint, suffixed if the engine ever repeats one). */
  key: string;
  companyKey: string;
  companyLabel: string;
  companyId?: number;
  agreementKey: string;
  agreementLabel: string;
  agreementId?: number;
  /** What the finding puts at stake (absent for a run stored before amounts were reported). */
  stake?: Stake;
}

export const SEVERITY_ORDER: Record<Severity, number> = { error: 0, warn: 1, info: 2 };

/** What `toItems` reads of a run: its report, display names and fingerprints when already known. */
export interface OrderableRun {
  report: Pick<Report, 'findings' | 'names'>;
  names?: RunNames;
  /** Fingerprints of report.findings, index for index. */
  fingerprints?: string[];
  /** Row keys of report.findings, index for index, when a page of the run was keyed whole. */
  keys?: string[];
}

function companyOf(f: Finding, names: RunNames, byName: Map<string, string>): { key: string; label: string; id?: number } {
  let id = f.companyId;
  if (id === undefined && f.agreementId !== undefined) id = names.agreements?.[String(f.agreementId)]?.companyId;
  if (id === undefined && f.organization) {
    const fromName = byName.get(f.organization.toLowerCase());
    if (fromName !== undefined) id = Number(fromName);
  }
  if (id !== undefined) {
    const name = names.companies?.[String(id)];
    return { key: `c:${id}`, label: name ?? f.organization ?? `Company #${id}`, id };
  }
  if (f.organization) return { key: `o:${f.organization.toLowerCase()}`, label: f.organization };
  return { key: 'none', label: 'No company' };
}

function agreementOf(f: Finding, names: RunNames): { key: string; label: string; id?: number } {
  const id = f.agreementId ?? f.related?.agreementIds?.[0];
  if (id === undefined) return { key: 'none', label: 'No agreement' };
  return { key: `a:${id}`, label: names.agreements?.[String(id)]?.name ?? `Agreement #${id}`, id };
}

/** The engine may put display names into the report itself (core/report/names.ts). */
function namesFromReport(report: OrderableRun['report']): RunNames {
  const n = report.names;
  if (!n) return { companies: {}, agreements: {} };
  const agreements: RunNames['agreements'] = {};
  for (const [id, name] of Object.entries(n.agreements)) agreements[id] = { name };
  return { companies: n.companies, agreements };
}

/** Enriches a report's findings once: grouping keys and labels (search text is built lazily). */
export function toItems(run: OrderableRun): FindingItem[] {
  const names = run.names ?? namesFromReport(run.report);
  const byName = new Map<string, string>();
  for (const [id, name] of Object.entries(names.companies ?? {})) byName.set(name.toLowerCase(), id);
  const given = run.fingerprints?.length === run.report.findings.length ? run.fingerprints : undefined;
  const keys = run.keys?.length === run.report.findings.length ? run.keys : undefined;
  const seen = new Map<string, number>();
  // Thousands of findings share a few hundred companies and agreements: resolve each id once.
  const companyCache = new Map<string, ReturnType<typeof companyOf>>();
  const agreementCache = new Map<number | undefined, ReturnType<typeof agreementOf>>();
  return run.report.findings.map((finding, index) => {
    const ck = `${finding.companyId ?? ''}|${finding.agreementId ?? ''}|${finding.organization ?? ''}`;
    let c = companyCache.get(ck);
    if (!c) companyCache.set(ck, (c = companyOf(finding, names, byName)));
    const aid = finding.agreementId ?? finding.related?.agreementIds?.[0];
    let a = agreementCache.get(aid);
    if (!a) agreementCache.set(aid, (a = agreementOf(finding, names)));
    const fp = given?.[index] ?? findingFingerprint(finding);
    const stake = finding.atStake === undefined ? undefined : { amount: finding.atStake, currency: finding.currency ?? '' };
    const n = seen.get(fp) ?? 0;
    seen.set(fp, n + 1);
    return {
      finding,
      fp,
      key: keys?.[index] ?? (n === 0 ? fp : `${fp}#${n}`),
      companyKey: c.key,
      companyLabel: c.label,
      companyId: c.id,
      agreementKey: `${c.key}/${a.key}`,
      agreementLabel: a.label,
      agreementId: a.id,
      ...(stake ? { stake } : {}),
    };
  });
}

const collator = new Intl.Collator(undefined, { numeric: true, sensitivity: 'base' });

function byLabel<T extends { label: string; key: string }>(a: T, b: T): number {
  return collator.compare(a.label, b.label) || (a.key < b.key ? -1 : a.key > b.key ? 1 : 0);
}

/**
 * Orders items company → agreement (by name) → severity → kind. Names are collated once per
 * group rather than once per comparison, which keeps 10,000 findings cheap to sort.
 */
export function sortItems(items: FindingItem[]): FindingItem[] {
  const companies = new Map<string, { key: string; label: string; agreements: Map<string, { key: string; label: string; items: FindingItem[] }> }>();
  for (const i of items) {
    let c = companies.get(i.companyKey);
    if (!c) companies.set(i.companyKey, (c = { key: i.companyKey, label: i.companyLabel, agreements: new Map() }));
    let a = c.agreements.get(i.agreementKey);
    if (!a) c.agreements.set(i.agreementKey, (a = { key: i.agreementKey, label: i.agreementLabel, items: [] }));
    a.items.push(i);
  }
  const out: FindingItem[] = [];
  for (const c of [...companies.values()].sort(byLabel)) {
    for (const a of [...c.agreements.values()].sort(byLabel)) {
      a.items.sort(
        (x, y) =>
          SEVERITY_ORDER[x.finding.severity] - SEVERITY_ORDER[y.finding.severity] ||
          (x.finding.kind < y.finding.kind ? -1 : x.finding.kind > y.finding.kind ? 1 : 0) ||
          (x.key < y.key ? -1 : x.key > y.key ? 1 : 0),
      );
      for (const i of a.items) out.push(i);
    }
  }
  return out;
}

/**
 * The matches behind some of a run's findings: those pairing a line or an Addition the findings
 * name (their own or a related one). A filtered export carries these, not every match of the run.
 */
export function matchesOf(findings: readonly Finding[], matches: readonly Match[]): Match[] {
  const lines = new Set<string>();
  const additions = new Set<number>();
  for (const f of findings) {
    if (f.lineId !== undefined) lines.add(f.lineId);
    if (f.additionId !== undefined) additions.add(f.additionId);
    for (const id of f.related?.lineIds ?? []) lines.add(id);
    for (const id of f.related?.additionIds ?? []) additions.add(id);
  }
  return matches.filter((m) => additions.has(m.additionId) || lines.has(m.lineId) || (m.lineIds?.some((id) => lines.has(id)) ?? false));
}
