import type { BaseChargeType, CwAgreement, CwCompany, PlatformLine } from '../model';
import type { ChargeTypes } from '../rules/chargeTypes';
import type { ResolvedConfig } from '../rules/config';
import type { CwDirectory } from '../rules/directory';
import { expectedValues, type ExpectedValues } from '../rules/expected';
import {
  compareSyncOrder,
  isSyncFailure,
  isSynced,
  monthFacts,
  organizationKey,
  subscriptionWithin,
  type MonthFacts,
} from '../rules/subscriptions';
import { endOfMonth, monthOf, type IsoDate } from '../shared/dates';
import { isBlank, nameKey } from '../shared/text';
import { productKey, wordKey } from './tokens';

/** One Addition the Platform says CW must hold: for a one-time line, or a whole subscription. */
export interface Expectation {
  /** The line findings name (a subscription's latest synced line). */
  line: PlatformLine;
  lineIds: string[];
  /** The synced lines it covers (the line itself for a one-time line). */
  lines: PlatformLine[];
  base: BaseChargeType | undefined;
  recurring: boolean;
  /** Word key of the subscription name, when the line has one. */
  subscription?: string;
  company?: CwCompany;
  agreement?: CwAgreement;
  product: string;
  productKey: string;
  values: ExpectedValues;
  /** True when the subscription has no line in the last month and is expected cancelled. */
  ended: boolean;
  /**
   * For a subscription of a `month_incomplete` organization: the Platform's own cancellation date
   * (end of its latest invoice month), right beside an empty Cancelled Date (DESIGN §3.3).
   */
  alsoCancelledOn?: IsoDate;
}

/** A line that is read but not compared with CW; it may still predict a problem (DESIGN §3.4). */
export interface Prediction {
  line: PlatformLine;
  base: BaseChargeType | undefined;
  recurring: boolean;
  company?: CwCompany;
}

export interface LinePlan {
  expectations: Expectation[];
  /** Not excluded lines that are not synced (Not Synced or failed). */
  predictions: Prediction[];
  /** Not excluded one-time lines, for `correction_spans_periods`. */
  oneTime: { line: PlatformLine; values: ExpectedValues }[];
  skipped: Record<string, number>;
  months: MonthFacts;
  unknownLabels: string[];
  /** Company key (id or PSA name) → distinct Platform organizations mapped to it. */
  orgsPerCompany: Map<string, Set<string>>;
  companyOf(line: PlatformLine): CwCompany | undefined;
}

export function planLines(
  lines: readonly PlatformLine[],
  allMonths: readonly string[],
  config: ResolvedConfig,
  types: ChargeTypes,
  directory: CwDirectory,
): LinePlan {
  const skipped: Record<string, number> = {};
  const skip = (reason: string) => (skipped[reason] = (skipped[reason] ?? 0) + 1);
  const unknown = new Set<string>();
  const months = monthFacts(lines, allMonths);

  // Per distinct PSA Organization Name: its company (null for none) and its key in orgsPerCompany.
  const companyCache = new Map<string, { company: CwCompany | undefined; key: string | null }>();
  const mappingOf = (psaName: string | undefined) => {
    const name = psaName ?? '';
    let entry = companyCache.get(name);
    if (entry === undefined) {
      const company = directory.companyFor(psaName);
      entry = { company, key: isBlank(psaName) ? null : company ? `#${company.id}` : `n:${nameKey(psaName)}` };
      companyCache.set(name, entry);
    }
    return entry;
  };
  const companyOf = (line: PlatformLine) => mappingOf(line.psaOrganizationName).company;

  // Every Platform organization counts towards a shared company, excluded or not: the Platform
  // asks for an agreement whenever the mapping is shared.
  const orgsPerCompany = new Map<string, Set<string>>();
  for (const line of lines) {
    const key = mappingOf(line.psaOrganizationName).key;
    if (key === null) continue;
    const org = organizationKey(line);
    const set = orgsPerCompany.get(key);
    if (set) set.add(org);
    else orgsPerCompany.set(key, new Set([org]));
  }

  const expectations: Expectation[] = [];
  const predictions: Prediction[] = [];
  const oneTime: LinePlan['oneTime'] = [];
  // Organization key → subscription (subscriptionWithin) → its lines; `subscriptions` keeps the
  // groups in the order they first appear. Two plain keys spare building and hashing one long key per line.
  const subscriptionsOf = new Map<string, Map<string, PlatformLine[]>>();
  const subscriptions: PlatformLine[][] = [];

  for (const line of lines) {
    if (line.excluded) {
      skip('excluded');
      continue;
    }
    const base = types.baseOf(line.chargeType);
    if (base === undefined) unknown.add(line.chargeType);
    const recurring = types.isRecurring(base);
    // A one-time line's values are read once, for its own check and its expectation alike.
    const values = recurring ? undefined : expectedValues(line, base, false, config, types);
    if (values) oneTime.push({ line, values });
    if (recurring) {
      const org = organizationKey(line);
      let ofOrg = subscriptionsOf.get(org);
      if (!ofOrg) subscriptionsOf.set(org, (ofOrg = new Map()));
      const key = subscriptionWithin(line);
      const group = ofOrg.get(key);
      if (group) group.push(line);
      else {
        const created = [line];
        ofOrg.set(key, created);
        subscriptions.push(created);
      }
    }
    if (!isSynced(line)) {
      skip(isSyncFailure(line) ? 'syncFailed' : 'notSynced');
      predictions.push({ line, base, recurring, company: companyOf(line) });
      continue;
    }
    if (values) expectations.push(expectation(line, [line], base, false, false, null, values));
  }

  for (const group of subscriptions) {
    const synced = syncOrder(group, types);
    if (synced.length === 0) continue;
    const latest = synced[synced.length - 1]!;
    const earliest = synced[0]!;
    skipped.coveredBySubscription = (skipped.coveredBySubscription ?? 0) + synced.length - 1;
    const lastInvoice = group.reduce((max, l) => (l.invoiceDate > max ? l.invoiceDate : max), group[0]!.invoiceDate);
    const ended =
      months.lastMonth !== null &&
      monthOf(lastInvoice) !== months.lastMonth &&
      months.orgsInLastMonth.has(organizationKey(latest));
    const effectiveFrom = config.recurringEffectiveDate === 'earliest' ? earliest : latest;
    const exp = expectation(latest, synced, types.baseOf(latest.chargeType), true, ended, ended ? endOfMonth(lastInvoice) : null);
    exp.values.effectiveDate = effectiveFrom.chargeStartDate;
    if (!ended && months.incompleteOrgs.has(organizationKey(latest))) exp.alsoCancelledOn = endOfMonth(lastInvoice);
    expectations.push(exp);
  }

  function expectation(
    line: PlatformLine,
    covered: PlatformLine[],
    base: BaseChargeType | undefined,
    recurring: boolean,
    ended: boolean,
    endedOn: string | null,
    known?: ExpectedValues,
  ): Expectation {
    const company = companyOf(line);
    const agreement = company ? directory.agreementFor(company, line.psaAgreementName, line.invoiceDate) : undefined;
    const values = known ?? expectedValues(line, base, recurring, config, types);
    if (ended) values.cancelledDate = endedOn;
    const sub = isBlank(line.subscription) ? undefined : wordKey(line.subscription);
    return {
      line,
      lineIds: sortedIds(covered),
      lines: covered,
      base,
      recurring,
      subscription: sub === '' ? undefined : sub,
      company,
      agreement,
      product: line.psaProductName ?? '',
      productKey: productKey(line.psaProductName),
      values,
      ended,
    };
  }

  return {
    expectations,
    predictions,
    oneTime,
    skipped,
    months,
    unknownLabels: [...unknown].sort(),
    orgsPerCompany,
    companyOf,
  };
}

/**
 * A subscription's synced lines, oldest first. Most subscriptions have a line or two (one per
 * loaded month): those are ordered by one comparison, without a filtered copy and a sort.
 */
function syncOrder(group: PlatformLine[], types: ChargeTypes): PlatformLine[] {
  if (group.length === 1) return isSynced(group[0]!) ? group : [];
  if (group.length === 2) {
    const [a, b] = group as [PlatformLine, PlatformLine];
    const okA = isSynced(a);
    const okB = isSynced(b);
    if (okA && okB) return compareSyncOrder(a, b, types) <= 0 ? group : [b, a];
    return okA ? [a] : okB ? [b] : [];
  }
  return group.filter(isSynced).sort((a, b) => compareSyncOrder(a, b, types));
}

/** The Line IDs an expectation covers, in order (one or two in most months: no sort needed). */
function sortedIds(covered: readonly PlatformLine[]): string[] {
  if (covered.length === 1) return [covered[0]!.lineId];
  if (covered.length === 2) {
    const a = covered[0]!.lineId;
    const b = covered[1]!.lineId;
    return a <= b ? [a, b] : [b, a];
  }
  return covered.map((l) => l.lineId).sort();
}
