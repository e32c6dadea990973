import type { CwAgreement, CwBundle, CwCompany } from '../model';
import { isoDatePart, type IsoDate } from '../shared/dates';
import { isBlank, nameKey } from '../shared/text';

/**
 * Lookups from the Platform's mapping columns to ConnectWise records (DESIGN §3.3), indexed once
 * so that a line costs a few map reads however large the bundle is.
 */
export interface CwDirectory {
  companyFor(psaOrganizationName: string | undefined): CwCompany | undefined;
  /** The agreement a line lands on: named by PSA Agreement Name, else the default agreement. */
  agreementFor(company: CwCompany, psaAgreementName: string | undefined, invoiceDate: IsoDate): CwAgreement | undefined;
  /** True when the PSA Agreement Name is set and names no agreement of the company. */
  agreementNameUnknown(company: CwCompany, psaAgreementName: string | undefined): boolean;
  agreement(id: number): CwAgreement | undefined;
  company(id: number): CwCompany | undefined;
}

export function cwDirectory(bundle: CwBundle, defaultAgreementType: string | undefined): CwDirectory {
  const byName = new Map<string, CwCompany>();
  const byIdentifier = new Map<string, CwCompany>();
  const companies = new Map<number, CwCompany>();
  for (const company of [...bundle.companies].sort(companyPreference)) {
    companies.set(company.id, company);
    const n = nameKey(company.name);
    if (!byName.has(n)) byName.set(n, company);
    if (!isBlank(company.identifier)) {
      const i = nameKey(company.identifier);
      if (!byIdentifier.has(i)) byIdentifier.set(i, company);
    }
  }

  const agreements = new Map<number, CwAgreement>();
  // Company → agreements by name key, and those of the default type; built once.
  const byCompanyName = new Map<number, Map<string, CwAgreement[]>>();
  const defaults = new Map<number, CwAgreement[]>();
  // Without a configured default type, the agreement type flagged default in CW stands in: it
  // is what the Platform's Configuration tab offers first.
  const defaultType = defaultAgreementType ?? bundle.agreementTypes?.find((t) => t.defaultFlag)?.name ?? undefined;
  const defaultKey = defaultType ? nameKey(defaultType) : undefined;
  for (const agreement of bundle.agreements) {
    agreements.set(agreement.id, agreement);
    const companyId = agreement.company.id;
    let names = byCompanyName.get(companyId);
    if (!names) byCompanyName.set(companyId, (names = new Map()));
    const key = nameKey(agreement.name);
    const same = names.get(key);
    if (same) same.push(agreement);
    else names.set(key, [agreement]);
    const typeKey = agreement.type?.name !== undefined ? nameKey(agreement.type.name) : undefined;
    if (defaultKey !== undefined && (key === defaultKey || typeKey === defaultKey)) {
      const list = defaults.get(companyId);
      if (list) list.push(agreement);
      else defaults.set(companyId, [agreement]);
    }
  }
  const chosen = new Map<string, CwAgreement | undefined>();

  // Lines repeat a few agreement names: each spelling is keyed once.
  const nameKeys = new Map<string, string>();
  const named = (company: CwCompany, name: string) => {
    let key = nameKeys.get(name);
    if (key === undefined) nameKeys.set(name, (key = nameKey(name)));
    return byCompanyName.get(company.id)?.get(key) ?? [];
  };

  return {
    companyFor(psaName) {
      if (isBlank(psaName)) return undefined;
      const key = nameKey(psaName);
      return byName.get(key) ?? byIdentifier.get(key);
    },
    agreementFor(company, psaAgreementName, invoiceDate) {
      const candidates = !isBlank(psaAgreementName) ? named(company, psaAgreementName) : (defaults.get(company.id) ?? []);
      // Most companies hold one such agreement: nothing to choose between.
      if (candidates.length <= 1) return candidates[0];
      // Many lines share company, agreement name and invoice date: decide each combination once.
      const memo = `${company.id}\u0000${psaAgreementName ?? ''}\u0000${invoiceDate}`;
      if (chosen.has(memo)) return chosen.get(memo);
      const agreement = latestStarted(candidates, invoiceDate);
      chosen.set(memo, agreement);
      return agreement;
    },
    agreementNameUnknown(company, psaAgreementName) {
      return !isBlank(psaAgreementName) && named(company, psaAgreementName).length === 0;
    },
    agreement: (id) => agreements.get(id),
    company: (id) => companies.get(id),
  };
}

function companyPreference(a: CwCompany, b: CwCompany): number {
  const da = a.deletedFlag ? 1 : 0;
  const db = b.deletedFlag ? 1 : 0;
  return da - db || a.id - b.id;
}

/**
 * Several candidates: the latest Start Date not after the invoice date (the Platform creates a new
 * default agreement dated on the invoice when none fits). If every one starts later, the earliest.
 */
function latestStarted(candidates: CwAgreement[], invoiceDate: IsoDate): CwAgreement | undefined {
  if (candidates.length <= 1) return candidates[0];
  const started = candidates.filter((a) => (isoDatePart(a.startDate) ?? '') <= invoiceDate);
  const pool = started.length ? started : candidates;
  const sorted = [...pool].sort((a, b) => {
    const sa = isoDatePart(a.startDate) ?? '';
    const sb = isoDatePart(b.startDate) ?? '';
    if (sa !== sb) return started.length ? (sa < sb ? 1 : -1) : sa < sb ? -1 : 1;
    return a.id - b.id;
  });
  return sorted[0];
}
