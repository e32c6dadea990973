/**
 * One working set from every ConnectWise source a reconciliation is given: API pulls, captured
 * Additions pages and bundle files, merged by one rule, with a read state per agreement (DESIGN
 * §3.5). The CLI and the extension both call `mergeSources`; the engine reads the states back
 * with `readStatesOf`, so what counts as read is decided here and nowhere else.
 */
import type { CwAddition, CwAgreement, CwBundle, CwCompany } from '../model';
import { nameKey } from '../shared/text';

/** Where a source came from: a pull through the REST API, a captured or saved Additions page, a bundle file. */
export type SourceKind = 'api' | 'page' | 'file';

/**
 * `read`: every Additions record of the agreement is known. `partial`: a read that stopped or
 * records that could not be used. `unread`: nothing was given about its Additions.
 */
export type ReadState = 'read' | 'partial' | 'unread';

export interface CwSource {
  kind: SourceKind;
  bundle: CwBundle;
  /** When it was taken (ISO). Sources without a time count as older than dated ones, in the order given. */
  at?: string;
  /** What to call it in coverage (a file path, a capture's page address). */
  label?: string;
}

/** The read states of one working set; JSON-shaped so it travels inside the merged bundle. */
export interface ReadStates {
  /** Agreement id → `read` or `partial`; an agreement not listed was not read. */
  agreements: Record<string, 'read' | 'partial'>;
  /** Agreement id → the source that decided its state (for coverage's "from …"). */
  from?: Record<string, string>;
  /** Companies whose agreements are all listed (an API pull or bundle file listed the company). */
  companiesListed: number[];
  /** The company list is whole: a name that matches no company is unknown to ConnectWise. */
  companies: boolean;
}

/** The merged bundle carries its read states, so every consumer of the bundle judges alike. */
export type WorkingBundle = CwBundle & { readState?: ReadStates };

export interface WorkingSet {
  bundle: WorkingBundle;
  reads: ReadStates;
}

/**
 * What one source says about each agreement it names. A bundle that says `complete: false`
 * without naming its gaps leaves every agreement partly read; one that names them leaves those
 * partly read and the rest read; in a partial bundle, a diagnostic naming an agreement leaves it
 * partly read too. A page bundle names only its own agreement, read when the page held every row.
 */
export function sourceStates(bundle: CwBundle): Map<number, 'read' | 'partial'> {
  const named = bundle.incompleteAgreementIds ?? [];
  const gapsUnknown = bundle.complete === false && named.length === 0;
  const partial = new Set<number>(bundle.complete === false ? named : []);
  // A bundle that says it is complete is taken at its word; its diagnostics are then notes.
  if (bundle.complete === false) for (const d of bundle.diagnostics ?? []) if (d.agreementId !== undefined) partial.add(d.agreementId);
  const out = new Map<number, 'read' | 'partial'>();
  const ids = [...bundle.agreements.map((a) => a.id), ...bundle.additions.map((a) => a.agreementId), ...partial];
  for (const id of ids) out.set(id, gapsUnknown || partial.has(id) ? 'partial' : 'read');
  return out;
}

/** Whether a source lists every company: only a pull or file, with no gap it could not name. */
function listsAllCompanies(source: CwSource): boolean {
  const b = source.bundle;
  if (source.kind === 'page' || b.companies.length === 0) return false;
  if (b.complete === false && !(b.incompleteAgreementIds ?? []).length) return false;
  return !(b.diagnostics ?? []).some((d) => d.path !== undefined && d.path.includes('/company/companies'));
}

/** The read states of a bundle: its own when it is a merged working set, else as one bundle file. */
export function readStatesOf(bundle: CwBundle): ReadStates {
  const own = (bundle as WorkingBundle).readState;
  if (own && typeof own === 'object' && own.agreements) return own;
  // One bundle file: its own states, without building a merged copy of a large bundle.
  const agreements: ReadStates['agreements'] = {};
  for (const [id, state] of sourceStates(bundle)) agreements[String(id)] = state;
  const listed = [...new Set(bundle.agreements.map((a) => a.company.id))].sort((a, b) => a - b);
  return { agreements, companiesListed: listed, companies: listsAllCompanies({ kind: 'file', bundle }) };
}

/** One agreement's state in a working set. */
export function agreementState(reads: ReadStates, agreementId: number): ReadState {
  return reads.agreements[String(agreementId)] ?? 'unread';
}

/**
 * Which source wins, decided once for every path:
 * - An agreement's Additions come from its best read: a complete read beats a partial one
 *   (a read that stopped cannot say what it missed, so it never hides a whole one). Among
 *   complete reads the newest wins; partial reads are pooled (each holds real records).
 * - Company, agreement and catalog fields: a pull or bundle file over a page (a page shows a few
 *   fields and may make up a name), the newer over the older; the others only fill what is
 *   missing, so a page never erases what the API said.
 * - Newest: by `at`; sources without one are older than dated ones, later given is newer.
 * - A page's made-up (negative) ids are replaced by the real ids of the same company (name or
 *   identifier) or agreement (company and name) that another source knows.
 */
export function mergeSources(sources: readonly CwSource[]): WorkingSet {
  const ordered = sources
    .map((s, i) => ({ s, i }))
    .sort((a, b) => (a.s.at ?? '').localeCompare(b.s.at ?? '') || a.i - b.i)
    .map((x) => x.s);
  const canonical = canonicalIds(ordered.map((s) => s.bundle));
  const bundles = ordered.map((s) => ({ source: s, bundle: canonical(s.bundle) }));

  // Fields: pages first (lowest), then pulls and files; within each, oldest first. Later fill over.
  const byRank = [...bundles.filter((b) => b.source.kind === 'page'), ...bundles.filter((b) => b.source.kind !== 'page')];
  const companies = new Map<number, CwCompany>();
  const agreements = new Map<number, CwAgreement>();
  const types = new Map<number, NonNullable<CwBundle['agreementTypes']>[number]>();
  const catalog = new Map<number, NonNullable<CwBundle['catalog']>[number]>();
  for (const { bundle } of byRank) {
    for (const c of bundle.companies) companies.set(c.id, over(companies.get(c.id), c));
    for (const a of bundle.agreements) agreements.set(a.id, over(agreements.get(a.id), a));
    for (const t of bundle.agreementTypes ?? []) types.set(t.id, over(types.get(t.id), t));
    for (const item of bundle.catalog ?? []) catalog.set(item.id, over(catalog.get(item.id), item));
  }

  // Additions and read state per agreement, in time order.
  const best = new Map<number, { state: 'read' | 'partial'; additions: Map<number, CwAddition>; from: string }>();
  const listed = new Set<number>();
  let companiesWhole = false;
  let fetchedAt: string | undefined;
  const diagnostics: NonNullable<CwBundle['diagnostics']> = [];
  // One source with no repeated id: its Additions, sorted by id, are the working set's as they
  // are, so they are not regrouped by agreement only to be put back together.
  const single = bundles.length === 1 ? sortedUnique(bundles[0]!.bundle.additions) : undefined;
  bundles.forEach(({ source, bundle }, index) => {
    const label = source.label ?? `${source.kind} ${index + 1}`;
    const states = sourceStates(bundle);
    const mine = new Map<number, CwAddition[]>();
    if (!single) for (const a of bundle.additions) {
      const list = mine.get(a.agreementId);
      if (list) list.push(a);
      else mine.set(a.agreementId, [a]);
    }
    for (const [id, state] of states) {
      const prior = best.get(id);
      const list = mine.get(id) ?? [];
      if (state === 'read') {
        // A complete read replaces what came before; an older complete read loses to it.
        best.set(id, { state, additions: new Map(list.map((a) => [a.id, a])), from: label });
      } else if (!prior || prior.state === 'partial') {
        const pooled = prior?.additions ?? new Map<number, CwAddition>();
        for (const a of list) pooled.set(a.id, a);
        best.set(id, { state, additions: pooled, from: label });
      }
    }
    if (source.kind !== 'page') for (const a of bundle.agreements) listed.add(a.company.id);
    if (listsAllCompanies(source)) companiesWhole = true;
    if (bundle.fetchedAt && (!fetchedAt || bundle.fetchedAt > fetchedAt)) fetchedAt = bundle.fetchedAt;
    for (const d of bundle.diagnostics ?? []) diagnostics.push(d);
  });

  const reads: ReadStates = { agreements: {}, from: {}, companiesListed: [...listed].sort((a, b) => a - b), companies: companiesWhole };
  const additions: CwAddition[] = single ?? [];
  for (const id of [...best.keys()].sort((a, b) => a - b)) {
    const entry = best.get(id)!;
    reads.agreements[String(id)] = entry.state;
    reads.from![String(id)] = entry.from;
    if (!single) for (const a of entry.additions.values()) additions.push(a);
  }
  if (!single) additions.sort((a, b) => a.id - b.id);
  const partial = Object.entries(reads.agreements)
    .filter(([, s]) => s === 'partial')
    .map(([id]) => Number(id));
  const bundle: WorkingBundle = {
    companies: [...companies.values()],
    agreements: [...agreements.values()],
    additions,
    ...(types.size ? { agreementTypes: [...types.values()] } : {}),
    ...(catalog.size ? { catalog: [...catalog.values()] } : {}),
    ...(fetchedAt ? { fetchedAt } : {}),
    // In §4.2 terms: complete only when nothing is partly read and the company list is whole.
    complete: partial.length === 0 && companiesWhole,
    ...(diagnostics.length ? { diagnostics } : {}),
    readState: reads,
  };
  if (partial.length) bundle.incompleteAgreementIds = partial.sort((a, b) => a - b);
  return { bundle, reads };
}

/** The Additions sorted by id, or undefined when two share an id (the general merge keeps one). */
function sortedUnique(additions: readonly CwAddition[]): CwAddition[] | undefined {
  const sorted = [...additions].sort((a, b) => a.id - b.id);
  for (let i = 1; i < sorted.length; i++) if (sorted[i]!.id === sorted[i - 1]!.id) return undefined;
  return sorted;
}

/** `base` with `top`'s defined fields laid over it. */
function over<T extends object>(base: T | undefined, top: T): T {
  if (!base) return top;
  const out = { ...base } as Record<string, unknown>;
  for (const [k, v] of Object.entries(top)) if (v !== undefined) out[k] = v;
  return out as T;
}

/**
 * A captured page may not show a record's id; the reader then makes up a negative one. Where
 * another source knows the same company (by name or identifier) or agreement (by company and
 * name) under its real id, the made-up id is replaced, so one company never appears twice.
 */
function canonicalIds(bundles: readonly CwBundle[]): (bundle: CwBundle) => CwBundle {
  const companyBy = new Map<string, number>();
  const agreementBy = new Map<string, number>();
  for (const b of bundles) {
    for (const c of b.companies) {
      if (c.id <= 0) continue;
      companyBy.set(`n:${nameKey(c.name)}`, c.id);
      if (c.identifier) companyBy.set(`i:${nameKey(c.identifier)}`, c.id);
    }
  }
  const companyId = (ref: { id: number; name?: string | null; identifier?: string | null }): number => {
    if (ref.id > 0) return ref.id;
    return (ref.identifier ? companyBy.get(`i:${nameKey(ref.identifier)}`) : undefined) ?? (ref.name ? companyBy.get(`n:${nameKey(ref.name)}`) : undefined) ?? ref.id;
  };
  for (const b of bundles) for (const a of b.agreements) if (a.id > 0) agreementBy.set(`${companyId(a.company)}|${nameKey(a.name)}`, a.id);
  return (bundle) => {
    const companyMap = new Map<number, number>();
    for (const c of bundle.companies) companyMap.set(c.id, companyId(c));
    const agreementMap = new Map<number, number>();
    for (const a of bundle.agreements) {
      const company = companyMap.get(a.company.id) ?? companyId(a.company);
      agreementMap.set(a.id, a.id > 0 ? a.id : (agreementBy.get(`${company}|${nameKey(a.name)}`) ?? a.id));
    }
    if ([...companyMap].every(([k, v]) => k === v) && [...agreementMap].every(([k, v]) => k === v)) return bundle;
    const out: CwBundle = {
      ...bundle,
      companies: bundle.companies.map((c) => ({ ...c, id: companyMap.get(c.id) ?? c.id })),
      agreements: bundle.agreements.map((a) => ({
        ...a,
        id: agreementMap.get(a.id) ?? a.id,
        company: { ...a.company, id: companyMap.get(a.company.id) ?? companyId(a.company) },
      })),
      additions: bundle.additions.map((x) => ({ ...x, agreementId: agreementMap.get(x.agreementId) ?? x.agreementId })),
    };
    if (bundle.incompleteAgreementIds) out.incompleteAgreementIds = bundle.incompleteAgreementIds.map((id) => agreementMap.get(id) ?? id);
    if (bundle.diagnostics) out.diagnostics = bundle.diagnostics.map((d) => (d.agreementId !== undefined && agreementMap.has(d.agreementId) ? { ...d, agreementId: agreementMap.get(d.agreementId)! } : d));
    return out;
  };
}
