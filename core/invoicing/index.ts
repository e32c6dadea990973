import type { CwAddition, CwAgreement, CwAgreementType, CwBundle, PlatformLine, ReconcileConfig } from '../model';
import { fromMinor, toMinor, totalsByCurrency } from '../money';
import { resolveConfig } from '../rules/config';
import { cwDirectory } from '../rules/directory';
import { isSynced } from '../rules/subscriptions';
import { isoDatePart, startOfMonth, type IsoDate } from '../shared/dates';
import { compactKey, isBlank, nameKey } from '../shared/text';
import type { InvoicingReadiness, InvoicingRow } from './schema';

/**
 * Agreement Invoicing readiness for a Thru Date (setup guide section 2): which
 * agreements have Additions to bill, whether ConnectWise invoices them by itself or they wait for
 * Finance → Invoicing → Agreement Invoicing, and what blocks them.
 */

export const AGREEMENT_INVOICING_STEPS = [
  'In ConnectWise, navigate to Finance → Invoicing.',
  'Click the Agreement Invoicing tab.',
  'Set Thru Date and Invoice Date to define the billing period.',
  'Click Search: ConnectWise loads all Agreements with active Additions in the period.',
  'Select the checkbox next to each row to invoice.',
  'Click Create Invoices, and confirm with YES.',
] as const;

export type { Blocker, InvoicingReadiness, InvoicingRow } from './schema';

export function invoicingReadiness(input: { lines: readonly PlatformLine[]; bundle: CwBundle; config?: ReconcileConfig; thruDate: IsoDate }): InvoicingReadiness {
  const config = resolveConfig(input.config);
  const directory = cwDirectory(input.bundle, config.defaultAgreementType);
  const from = startOfMonth(input.thruDate);
  const types = new Map<string, CwAgreementType>();
  for (const t of input.bundle.agreementTypes ?? []) {
    types.set(`#${t.id}`, t);
    types.set(nameKey(t.name), t);
  }

  // Agreements the Platform's synced lines (up to the Thru Date) land on, and their currencies.
  const expected = new Map<number, { currencies: Set<string>; lineIds: string[] }>();
  for (const line of input.lines) {
    if (line.excluded || !isSynced(line) || line.invoiceDate > input.thruDate) continue;
    const company = directory.companyFor(line.psaOrganizationName);
    const agreement = company ? directory.agreementFor(company, line.psaAgreementName, line.invoiceDate) : undefined;
    if (!agreement) continue;
    const entry = expected.get(agreement.id) ?? { currencies: new Set<string>(), lineIds: [] };
    if (!isBlank(line.currency)) entry.currencies.add(line.currency.trim().toUpperCase());
    entry.lineIds.push(line.lineId);
    expected.set(agreement.id, entry);
  }

  const toBill = new Map<number, CwAddition[]>();
  for (const addition of input.bundle.additions) {
    if (!billsInPeriod(addition, from, input.thruDate)) continue;
    toBill.set(addition.agreementId, [...(toBill.get(addition.agreementId) ?? []), addition]);
  }

  const ids = new Set<number>([...expected.keys(), ...toBill.keys()]);
  const rows: InvoicingRow[] = [];
  for (const id of [...ids].sort((a, b) => a - b)) {
    const agreement = directory.agreement(id);
    if (!agreement) continue;
    const type = (agreement.type?.id !== undefined ? types.get(`#${agreement.type.id}`) : undefined) ?? (agreement.type?.name ? types.get(nameKey(agreement.type.name)) : undefined);
    const currency = agreementCurrency(agreement);
    const additions = toBill.get(id) ?? [];
    const lines = expected.get(id);
    const blockers: InvoicingRow['blockers'] = [];
    if (!isBlank(agreement.agreementStatus) && compactKey(agreement.agreementStatus) !== 'active') {
      blockers.push({ code: 'not_active', message: `Agreement status is "${agreement.agreementStatus}"; only Active agreements are invoiced.` });
    }
    const billProducts = agreement.billProducts ?? type?.billProducts;
    if (!isBlank(billProducts) && compactKey(billProducts) !== 'billable') {
      blockers.push({ code: 'not_billable', message: `Bill Products is "${billProducts}"; set it to Billable so Additions appear on invoices.` });
    }
    const others = [...(lines?.currencies ?? [])].filter((c) => currency !== null && c !== currency.toUpperCase()).sort();
    if (others.length) {
      blockers.push({ code: 'currency_differs', message: `Agreement Currency is ${currency} but its Platform lines are in ${others.join(', ')}.` });
    }
    if (additions.length === 0) {
      blockers.push({ code: 'no_billable_additions', message: `No billable Addition is active between ${from} and ${input.thruDate}.` });
    }
    const minor = additions.reduce((sum, a) => sum + toMinor((a.quantity - (a.lessIncluded ?? 0)) * (a.unitPrice ?? 0), currency), 0);
    const company = directory.company(agreement.company.id);
    rows.push({
      agreementId: id,
      agreementName: agreement.name,
      companyId: agreement.company.id,
      companyName: company?.name ?? agreement.company.name,
      currency,
      additionsToBill: additions.length,
      amount: fromMinor(minor, currency),
      invoicing: (agreement.autoInvoiceFlag ?? type?.autoInvoiceFlag) ? 'automatic' : 'manual',
      blockers,
      ready: blockers.length === 0,
      lineIds: [...(lines?.lineIds ?? [])].sort(),
    });
  }
  const ready = rows.filter((r) => r.ready);
  return {
    thruDate: input.thruDate,
    agreements: rows,
    totals: totalsByCurrency(ready, (r) => r.currency ?? '', (r) => toMinor(r.amount, r.currency)),
    steps: [...AGREEMENT_INVOICING_STEPS],
  };
}

/** Billable (or unset) Additions in effect on some day of the Thru Date's billing month. */
function billsInPeriod(addition: CwAddition, from: IsoDate, thru: IsoDate): boolean {
  if (!isBlank(addition.billCustomer) && compactKey(addition.billCustomer) !== 'billable') return false;
  const effective = isoDatePart(addition.effectiveDate);
  if (effective !== null && effective > thru) return false;
  const cancelled = isoDatePart(addition.cancelledDate);
  return cancelled === null || cancelled >= from;
}

function agreementCurrency(agreement: CwAgreement): string | null {
  const code = agreement.currency?.currencyCode ?? agreement.currency?.currencyIdentifier;
  return isBlank(code) ? null : code.trim();
}
