import type { CwAddition, CwAgreement, CwAgreementType, CwBundle, CwCatalogItem, CwCompany } from '../model';
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
  for (const capture of eligible) {
    const bundle = capture.bundle!;
    for (const company of bundle.companies) companies.set(company.id, company);
    for (const agreement of bundle.agreements) agreements.set(agreement.id, agreement);
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
