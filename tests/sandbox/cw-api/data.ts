import type { CwBundle } from '../../../core/model';
import { REQUIRED_PERMISSIONS, type SecuritySetting } from '../../../core/connectwise';

/** Tables the local API serves, derived once from a bundle. */
export interface CwTables {
  companies: Record<string, unknown>[];
  agreements: Record<string, unknown>[];
  additionsByAgreement: Map<number, Record<string, unknown>[]>;
  agreementTypes: Record<string, unknown>[];
  catalog: Record<string, unknown>[];
  currencies: Record<string, unknown>[];
  billingCycles: Record<string, unknown>[];
  /** Setup table of company statuses; each tenant names its own, `inactiveFlag` says what counts. */
  companyStatuses: Record<string, unknown>[];
}

const byId = (a: Record<string, unknown>, b: Record<string, unknown>) => Number(a.id) - Number(b.id);

export function buildTables(bundle: CwBundle): CwTables {
  const additionsByAgreement = new Map<number, Record<string, unknown>[]>();
  for (const addition of bundle.additions) {
    const list = additionsByAgreement.get(addition.agreementId) ?? [];
    list.push(addition);
    additionsByAgreement.set(addition.agreementId, list);
  }
  for (const list of additionsByAgreement.values()) list.sort(byId);

  // Currencies and billing cycles are setup tables; the bundle only holds references to them.
  const currencies = new Map<number, Record<string, unknown>>();
  for (const a of bundle.agreements) {
    const c = a.currency;
    if (c && typeof c.id === 'number' && !currencies.has(c.id)) {
      const code = c.currencyCode ?? c.currencyIdentifier ?? null;
      currencies.set(c.id, { id: c.id, currencyIdentifier: c.currencyIdentifier ?? code, name: c.name ?? code, symbol: c.symbol ?? null, currencyCode: code ? { id: c.id, name: code } : null });
    }
  }
  const cycles = new Map<number, Record<string, unknown>>();
  for (const ref of [...bundle.agreements.map((a) => a.billingCycle), ...(bundle.agreementTypes ?? []).map((t) => t.billingCycle)]) {
    if (ref && !cycles.has(ref.id)) cycles.set(ref.id, { id: ref.id, name: ref.name ?? `Cycle ${ref.id}`, identifier: (ref.name ?? 'C').slice(0, 5), billingOptions: ref.name ?? null });
  }
  const statuses = new Map<number, Record<string, unknown>>();
  for (const c of bundle.companies) {
    const st = c.status as { id: number; name?: string; inactiveFlag?: boolean } | null | undefined;
    if (st && !statuses.has(st.id)) statuses.set(st.id, { id: st.id, name: st.name ?? `Status ${st.id}`, inactiveFlag: st.inactiveFlag ?? /^(inactive|not ?approved)$/i.test(st.name ?? ''), defaultFlag: st.name === 'Active' });
  }
  return {
    companyStatuses: [...statuses.values()].sort(byId),
    companies: [...bundle.companies].sort(byId),
    agreements: [...bundle.agreements].sort(byId),
    additionsByAgreement,
    agreementTypes: [...(bundle.agreementTypes ?? [])].sort(byId),
    catalog: [...(bundle.catalog ?? [])].sort(byId),
    currencies: [...currencies.values()].sort(byId),
    billingCycles: [...cycles.values()].sort(byId),
  };
}

/** A Security Role that grants exactly the setup guide's matrix (section 10). */
export function guideSecurity(): SecuritySetting[] {
  return REQUIRED_PERMISSIONS.map((p, i) => ({
    id: i + 1,
    moduleIdentifier: p.module.replace(/\s+/g, '').slice(0, 12),
    moduleName: p.module,
    moduleDescription: p.module,
    moduleFunctionIdentifier: p.functionName.replace(/\s+/g, ''),
    moduleFunctionName: p.functionName,
    moduleFunctionDescription: p.functionName,
    addLevel: p.add,
    editLevel: p.edit,
    deleteLevel: p.delete,
    inquireLevel: p.inquire,
    myAllFlag: true,
    reportFlag: false,
    restrictFlag: false,
    customFlag: false,
  }));
}
