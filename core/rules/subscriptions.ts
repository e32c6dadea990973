import type { PlatformLine } from '../model';
import { monthOf } from '../shared/dates';
import { nameKey } from '../shared/text';
import type { ChargeTypes } from './chargeTypes';
import { perSpelling } from '../shared/memo';

/**
 * Recurring lines of one subscription share one Addition (DESIGN §3.3). Without a Subscription
 * column the Offer and Contract stand in for it; with those hidden too, the PSA Product Name.
 */
export function subscriptionKey(line: PlatformLine): string {
  return `${organizationKey(line)}\u0000${subscriptionWithin(line)}`;
}

/**
 * The part of `subscriptionKey` after the organization: the subscription's name key as it is
 * (no string built around it, since most lines name their subscription), or a marked key for
 * the stand-ins. Marked keys start with a NUL, which a name key starts with only when marked too.
 */
export function subscriptionWithin(line: PlatformLine): string {
  if (line.subscription && line.subscription.trim() !== '') {
    const name = nameKey(line.subscription);
    return name.charCodeAt(0) === 0 ? `\u0000s\u0000${name}` : name;
  }
  const offer = nameKey(line.offer ?? '');
  const contract = nameKey(line.contractId ?? '');
  if (offer === '' && contract === '') return `\u0000p\u0000${nameKey(line.psaProductName ?? '')}`;
  return `\u0000o\u0000${offer}\u0000${contract}`;
}

// Organization names repeat on every line of a month; their keys are worth remembering. The
// cache is dropped when it grows past any realistic number of organizations.
const organizationKeyOf = perSpelling(nameKey, 100_000);

export function organizationKey(line: PlatformLine): string {
  return organizationKeyOf(line.organization);
}

/**
 * Orders a subscription's lines oldest first: Charge Start Date, then a Purchase Fee before a Cycle
 * Fee of the same day (the cycle line is what the latest sync wrote), then invoice date and id so
 * the order never depends on input order.
 */
export function compareSyncOrder(a: PlatformLine, b: PlatformLine, types: ChargeTypes): number {
  if (a.chargeStartDate !== b.chargeStartDate) return a.chargeStartDate < b.chargeStartDate ? -1 : 1;
  const ra = typeRank(a, types);
  const rb = typeRank(b, types);
  if (ra !== rb) return ra - rb;
  if (a.invoiceDate !== b.invoiceDate) return a.invoiceDate < b.invoiceDate ? -1 : 1;
  return a.lineId < b.lineId ? -1 : a.lineId > b.lineId ? 1 : 0;
}

function typeRank(line: PlatformLine, types: ChargeTypes): number {
  const base = types.baseOf(line.chargeType);
  return base === 'PurchaseFee' ? 0 : base === 'CycleFee' ? 1 : 2;
}

/** Facts about invoice months that decide ended subscriptions and `month_incomplete`. */
export interface MonthFacts {
  /** M: the latest loaded invoice month (`YYYY-MM`), or null when no lines were read. */
  lastMonth: string | null;
  /** Organizations (by key) with any line in M. */
  orgsInLastMonth: ReadonlySet<string>;
  /** Organizations with synced lines before M and no line in M: key → display name. */
  incompleteOrgs: ReadonlyMap<string, string>;
}

/** Excluded lines do not count; they are passed over here rather than copied out by the caller. */
export function monthFacts(lines: readonly PlatformLine[], allInvoiceMonths: readonly string[]): MonthFacts {
  const lastMonth = allInvoiceMonths.length ? allInvoiceMonths[allInvoiceMonths.length - 1]! : null;
  const inLast = new Set<string>();
  const syncedBefore = new Map<string, string>();
  for (const line of lines) {
    if (line.excluded) continue;
    const key = organizationKey(line);
    const month = monthOf(line.invoiceDate);
    if (month === lastMonth) inLast.add(key);
    else if (isSynced(line)) {
      const shown = syncedBefore.get(key);
      // The smallest spelling is kept so the reported name does not depend on input order.
      if (shown === undefined || line.organization < shown) syncedBefore.set(key, line.organization);
    }
  }
  const incompleteOrgs = new Map<string, string>();
  for (const [key, name] of syncedBefore) if (!inLast.has(key)) incompleteOrgs.set(key, name);
  return { lastMonth, orgsInLastMonth: inLast, incompleteOrgs };
}

/** No status column means every line counts as synced (DESIGN §3.4). */
export function isSynced(line: PlatformLine): boolean {
  return line.status === undefined || line.status === 'Synced';
}

export function isSyncFailure(line: PlatformLine): boolean {
  return line.status === 'Error' || line.status === 'Response Error';
}
