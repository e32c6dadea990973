import type { CwAddition, CwAgreement, CwAgreementType, CwBundle, CwCatalogItem, CwCompany } from '../model';
import { nameKey } from '../shared/text';
import type { StoredCapture } from './ports';

export type CwSourceChoice = 'auto' | 'api' | 'captures';

export function isApiCapture(capture: { source?: string }): boolean {
  return capture.source === 'api';
}

/**
 * One bundle from several ConnectWise captures (API pulls and captured Additions pages).
 * Companies and agreements are merged by id. Each agreement's Additions come from the newest
 * capture that covers the agreement, so capturing one agreement after a pull refreshes just that
 * agreement, and a pull after a capture refreshes everything. The result is complete only when
 * an API pull that was itself complete is among the sources; agreements no source covered in
 * full are listed as incomplete so the engine calls nothing on them missing.
 */
export function mergeBundles(captures: readonly StoredCapture[], choice: CwSourceChoice): { bundle: CwBundle; used: StoredCapture[] } {
  const eligible = captures
    .filter((c) => c.bundle && (choice === 'auto' || (choice === 'api') === isApiCapture(c)))
    .sort((a, b) => a.capturedAt.localeCompare(b.capturedAt) || a.id.localeCompare(b.id));
  const companies = new Map<number, CwCompany>();
  const agreements = new Map<number, CwAgreement>();
  const additionsBy = new Map<number, CwAddition[]>();
  const types = new Map<number, CwAgreementType>();
  const catalog = new Map<number, CwCatalogItem>();
  const incomplete = new Set<number>();
  let anyCompletePull = false;
  let fetchedAt: string | undefined;
  const canonical = canonicalIds(eligible.map((c) => c.bundle!));
  for (const capture of eligible) {
    const bundle = canonical(capture.bundle!);
    // Field-wise: a page capture knows fewer fields than the API; it must not erase the others.
    for (const company of bundle.companies) companies.set(company.id, { ...companies.get(company.id), ...company });
    for (const agreement of bundle.agreements) agreements.set(agreement.id, { ...agreements.get(agreement.id), ...agreement });
    for (const type of bundle.agreementTypes ?? []) types.set(type.id, type);
    for (const item of bundle.catalog ?? []) catalog.set(item.id, item);
    const covered = new Set(bundle.agreements.map((a) => a.id));
    for (const addition of bundle.additions) covered.add(addition.agreementId);
    const fresh = new Map<number, CwAddition[]>();
    for (const id of covered) fresh.set(id, []);
    for (const addition of bundle.additions) fresh.get(addition.agreementId)!.push(addition);
    const partial = new Set(bundle.complete === false ? (bundle.incompleteAgreementIds ?? []) : []);
    for (const [id, list] of fresh) {
      additionsBy.set(id, list);
      if (partial.has(id)) incomplete.add(id);
      else incomplete.delete(id);
    }
    if (isApiCapture(capture) && bundle.complete !== false) anyCompletePull = true;
    if (isApiCapture(capture) && bundle.complete === false && !bundle.incompleteAgreementIds) anyCompletePull = false;
    fetchedAt = bundle.fetchedAt ?? fetchedAt;
  }
  const bundle: CwBundle = {
    companies: [...companies.values()],
    agreements: [...agreements.values()],
    additions: [...additionsBy.values()].flat(),
    fetchedAt,
    ...(types.size ? { agreementTypes: [...types.values()] } : {}),
    ...(catalog.size ? { catalog: [...catalog.values()] } : {}),
    complete: anyCompletePull && incomplete.size === 0,
  };
  if (incomplete.size) bundle.incompleteAgreementIds = [...incomplete].sort((a, b) => a - b);
  return { bundle, used: eligible };
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
    return {
      ...bundle,
      companies: bundle.companies.map((c) => ({ ...c, id: companyMap.get(c.id) ?? c.id })),
      agreements: bundle.agreements.map((a) => ({
        ...a,
        id: agreementMap.get(a.id) ?? a.id,
        company: { ...a.company, id: companyMap.get(a.company.id) ?? companyId(a.company) },
      })),
      additions: bundle.additions.map((x) => ({ ...x, agreementId: agreementMap.get(x.agreementId) ?? x.agreementId })),
      ...(bundle.incompleteAgreementIds ? { incompleteAgreementIds: bundle.incompleteAgreementIds.map((id) => agreementMap.get(id) ?? id) } : {}),
    };
  };
}
