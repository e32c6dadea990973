import { FINDING_KINDS, type CwAddition, type CwAgreement, type FindingKind, type MoneyContribution, type MoneyRow, type MoneyTotal, type MoneyView, type PlatformLine } from '../model';
import type { ChargeTypes } from '../rules/chargeTypes';
import { unitPriceMatches } from '../rules/expected';
import { monthOf, type IsoDate } from '../shared/dates';
import { compactKey, isBlank } from '../shared/text';
import { currencyDecimals, fromMinor } from './index';
import { perSpelling } from '../shared/memo';

/**
 * The money view: per invoice month and agreement, the Platform's revenue for its
 * compared lines, what ConnectWise will bill that month from the in-scope Additions, the
 * difference, the part the findings explain (each with its value) and the residual. Prorating is
 * not assumed; amounts are summed in minor units so explained + residual = difference exactly.
 */

// The view's shape is part of the report, so it is declared with the report's schema.
export type { MoneyContribution, MoneyRow, MoneyTotal, MoneyView } from '../model';

/** What a line whose Addition sits elsewhere is reported as, and so what explains its gap. */
export type MisplacedKind = Extract<FindingKind, 'wrong_agreement' | 'agreement_not_found' | 'company_not_found'>;

/** The slice of an expectation the money view needs. */
export interface MoneyExpectation {
  line: PlatformLine;
  lines: PlatformLine[];
  recurring: boolean;
  agreement?: CwAgreement;
  values: { effectiveDate: IsoDate; cancelledDate: IsoDate | null; quantity: number; unitPrice: number; revenueTotal: number };
}

export interface MoneyInput {
  months: readonly string[];
  matched: { exp: MoneyExpectation; addition: CwAddition }[];
  /**
   * Lines whose Addition sits on another agreement, each with the finding it gave: the line's
   * own company or agreement not found, or `wrong_agreement` (the default).
   */
  misplaced: { exp: MoneyExpectation; addition: CwAddition; kind?: MisplacedKind }[];
  unmatched: MoneyExpectation[];
  duplicates: CwAddition[];
  orphans: CwAddition[];
  /** Expectations reported missing (not those on agreements read only in part). */
  missing: ReadonlySet<MoneyExpectation>;
  /** Expectations neither matched nor missing: an agreement that could hold them was not read. */
  unverified?: ReadonlySet<MoneyExpectation>;
  agreement(id: number): CwAgreement | undefined;
  types: ChargeTypes;
  /** The last loaded month and the organizations with no line in it (`month_incomplete`). */
  lastMonth: string | null;
  incomplete(line: PlatformLine): string | undefined;
}

interface Version {
  effective: IsoDate | null;
  cancelled: IsoDate | null;
  quantity: number;
  lessIncluded: number;
  unitPrice: number;
  billable: boolean;
  recurring: boolean;
}

interface Cell {
  month: string;
  agreement: CwAgreement;
  platform: number;
  connectwise: number;
  currency: string;
  /** 10 to the currency's decimals: amounts become minor units by it. */
  factor: number;
  contributions: MoneyContribution[];
  explainedMinor: number;
  unverifiedMinor: number;
  unverifiedLines: string[];
}

export function moneyView(input: MoneyInput): MoneyView {
  // Agreement id → month → cell: found without building a key string for every lookup.
  const cells = new Map<number, Map<string, Cell>>();
  const allCells: Cell[] = [];
  const expected = new Set<number>();
  eachExpectation(input, (exp) => {
    if (exp.agreement) expected.add(exp.agreement.id);
  });
  const cell = (month: string, agreement: CwAgreement): Cell => {
    let byMonth = cells.get(agreement.id);
    if (!byMonth) cells.set(agreement.id, (byMonth = new Map()));
    let c = byMonth.get(month);
    if (!c) {
      const currency = (agreement.currency?.currencyCode ?? agreement.currency?.currencyIdentifier ?? '').trim().toUpperCase();
      c = { month, agreement, platform: 0, connectwise: 0, currency, factor: minorFactor(currency), contributions: [], explainedMinor: 0, unverifiedMinor: 0, unverifiedLines: [] };
      byMonth.set(month, c);
      allCells.push(c);
    }
    return c;
  };
  const explain = (c: Cell, minor: number, what: Omit<MoneyContribution, 'amount'>) => {
    if (minor === 0) return;
    c.explainedMinor += minor;
    c.contributions.push({ ...what, amount: minor });
  };
  // The same for a line's Addition, building the contribution only when there is an amount.
  const explainPair = (c: Cell, minor: number, kind: FindingKind, lineId: string, additionId: number) => {
    if (minor === 0) return;
    c.explainedMinor += minor;
    c.contributions.push({ kind, lineId, additionId, amount: minor });
  };
  // Platform side, one pass over the covered lines. An expectation's revenue per month is needed
  // again only for the few that are missing, unverified, misplaced or billed before their
  // Effective Date: it is summed again for those rather than kept for every expectation.
  const revenueIn = (exp: MoneyExpectation, month: string): number => {
    let minor = 0;
    if (!exp.agreement) return minor;
    const factor = cell(month, exp.agreement).factor;
    for (const line of exp.lines) if (inMonth(line.invoiceDate, month)) minor += minorOf(line.revenue, factor);
    return minor;
  };
  /** The loaded months an expectation has lines in, with its revenue in each, in input.months order. */
  const revenueByMonth = (exp: MoneyExpectation): [string, number][] => {
    const out: [string, number][] = [];
    for (const month of input.months) {
      if (!exp.lines.some((line) => inMonth(line.invoiceDate, month))) continue;
      out.push([month, revenueIn(exp, month)]);
    }
    return out;
  };
  eachExpectation(input, (exp) => {
    if (!exp.agreement) return;
    for (const line of exp.lines) {
      const month = loadedMonth(line.invoiceDate, input.months);
      if (month === undefined) continue;
      const c = cell(month, exp.agreement);
      c.platform += minorOf(line.revenue, c.factor);
    }
    if (input.missing.has(exp)) {
      for (const [month, minor] of revenueByMonth(exp)) explain(cell(month, exp.agreement), minor, { kind: 'missing_addition', lineId: exp.line.lineId });
    } else if (input.unverified?.has(exp)) {
      // Not explained: what ConnectWise bills for it is unknown until the agreement is read.
      for (const [month, minor] of revenueByMonth(exp)) {
        const c = cell(month, exp.agreement);
        c.unverifiedMinor += minor;
        c.unverifiedLines.push(exp.line.lineId);
      }
    }
  });

  /** What a version of an Addition bills in a month, plus earlier months of a subscription it covered. */
  const bills = (v: Version, month: string, c: Cell, exp?: MoneyExpectation): number => {
    let minor = 0;
    if (v.billable && v.effective !== null) {
      const effectiveMonth = v.effective.slice(0, 7);
      const active = v.recurring ? effectiveMonth <= month && (v.cancelled === null || v.cancelled >= `${month}-01`) : effectiveMonth === month;
      if (active) minor += minorOf((v.quantity - v.lessIncluded) * v.unitPrice, c.factor);
    }
    // An Addition is updated by each sync: months before its Effective Date were billed by its
    // earlier values, which equalled those months' lines. Taken as billed, not recomputed.
    if (exp && v.recurring && v.effective !== null && month < v.effective.slice(0, 7)) minor += revenueIn(exp, month);
    return minor;
  };

  // Matched pairs: fix the Addition one field at a time; each step's change is that finding's value.
  for (const { exp, addition } of input.matched) {
    const actual = version(addition, exp.recurring, input.types);
    const steps: [FindingKind, Version][] = [];
    let v = actual;
    // Each differing field is one step on from the last (most pairs have none).
    if (actual.effective !== exp.values.effectiveDate) steps.push(['effective_date_mismatch', (v = { ...v, effective: exp.values.effectiveDate })]);
    if (actual.cancelled !== exp.values.cancelledDate) steps.push(['cancelled_date_mismatch', (v = { ...v, cancelled: exp.values.cancelledDate })]);
    if (Math.abs(actual.quantity - exp.values.quantity) > 1e-9) steps.push(['quantity_mismatch', (v = { ...v, quantity: exp.values.quantity })]);
    if (addition.unitPrice == null || !unitPriceMatches(addition.unitPrice, exp.values, exp.line.currency)) {
      steps.push(['unit_price_mismatch', (v = { ...v, unitPrice: exp.values.unitPrice })]);
    }
    // What keeps ConnectWise from billing the right values: Bill Customer, then Less Included.
    if (!actual.billable && exp.line.revenue !== 0) steps.push(['addition_not_billed', (v = { ...v, billable: true })]);
    if (actual.lessIncluded > 0) steps.push(['less_included', (v = { ...v, lessIncluded: 0 })]);
    for (const month of input.months) {
      const c = cell(month, exp.agreement!);
      let before = bills(actual, month, c, exp);
      c.connectwise += before;
      const org = month === input.lastMonth ? input.incomplete(exp.line) : undefined;
      if (org !== undefined) {
        // The organization's lines for this month were not loaded: what CW bills is unmatched.
        explain(c, -before, { kind: 'month_incomplete', organization: org });
        continue;
      }
      for (const [kind, fixed] of steps) {
        const after = bills(fixed, month, c, exp);
        explainPair(c, after - before, kind, exp.line.lineId, addition.id);
        before = after;
      }
    }
  }
  for (const { exp, addition, kind = 'wrong_agreement' } of input.misplaced) {
    if (exp.agreement) {
      for (const [month, minor] of revenueByMonth(exp)) explain(cell(month, exp.agreement), minor, { kind, lineId: exp.line.lineId, additionId: addition.id });
    }
    const where = input.agreement(addition.agreementId);
    if (!where) continue;
    const v = version(addition, exp.recurring, input.types);
    for (const month of input.months) {
      const c = cell(month, where);
      const minor = bills(v, month, c);
      if (minor === 0) continue;
      c.connectwise += minor;
      explain(c, -minor, { kind, lineId: exp.line.lineId, additionId: addition.id });
    }
  }
  for (const [kind, list] of [['duplicate_addition', input.duplicates], ['orphan_addition', input.orphans]] as const) {
    for (const addition of list) {
      const where = input.agreement(addition.agreementId);
      if (!where) continue;
      const v = version(addition, undefined, input.types);
      for (const month of input.months) {
        const c = cell(month, where);
        const minor = bills(v, month, c);
        c.connectwise += minor;
        explain(c, -minor, { kind, additionId: addition.id });
      }
    }
  }
  // An agreement that ended before the month invoices none of it.
  for (const c of allCells) {
    if (c.connectwise === 0 || !expected.has(c.agreement.id) || c.agreement.noEndingDateFlag) continue;
    const end = isoDay(c.agreement.endDate);
    if (end === null || end >= `${c.month}-01`) continue;
    explain(c, c.connectwise, { kind: 'agreement_ended', agreementId: c.agreement.id });
    c.connectwise = 0;
  }
  // An agreement that does not bill products bills none of the above.
  for (const c of allCells) {
    if (c.connectwise === 0 || !expected.has(c.agreement.id)) continue;
    if (isBlank(c.agreement.billProducts) || compactKey(c.agreement.billProducts) === 'billable') continue;
    explain(c, c.connectwise, { kind: 'agreement_not_billable', agreementId: c.agreement.id });
    c.connectwise = 0;
  }

  const rows: MoneyRow[] = [];
  const totals: Record<string, MoneyTotal> = {};
  const sums = new Map<string, [number, number, number, number]>();
  for (const c of allCells) {
    if (c.platform === 0 && c.connectwise === 0 && c.contributions.length === 0 && c.unverifiedMinor === 0) continue;
    const difference = c.platform - c.connectwise;
    const residual = difference - c.explainedMinor;
    rows.push({
      month: c.month,
      companyId: c.agreement.company.id,
      agreementId: c.agreement.id,
      currency: c.currency,
      platform: fromMinor(c.platform, c.currency),
      connectwise: fromMinor(c.connectwise, c.currency),
      difference: fromMinor(difference, c.currency),
      explained: fromMinor(c.explainedMinor, c.currency),
      residual: fromMinor(residual, c.currency),
      findings: mergeContributions(c.contributions).map((f) => ({ ...f, amount: fromMinor(f.amount, c.currency) })),
      ...(c.unverifiedMinor !== 0 ? { unverified: fromMinor(c.unverifiedMinor, c.currency), unverifiedLineIds: [...new Set(c.unverifiedLines)].sort() } : {}),
    });
    const s = sums.get(c.currency) ?? [0, 0, 0, 0];
    sums.set(c.currency, [s[0] + c.platform, s[1] + c.connectwise, s[2] + c.explainedMinor, s[3] + c.unverifiedMinor]);
  }
  for (const [code, [p, cw, ex, un]] of [...sums.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) {
    totals[code] = { platform: fromMinor(p, code), connectwise: fromMinor(cw, code), difference: fromMinor(p - cw, code), explained: fromMinor(ex, code), residual: fromMinor(p - cw - ex, code) };
    if (un !== 0) totals[code].unverified = fromMinor(un, code);
  }
  rows.sort((a, b) => Math.abs(b.difference) - Math.abs(a.difference) || (a.month < b.month ? -1 : a.month > b.month ? 1 : 0) || a.agreementId - b.agreementId);
  return {
    rows,
    totals,
    notes: [
      'ConnectWise amounts: (quantity − less included) × unit price for billable Additions in effect in the month; one-time Additions in the month they start; no prorating.',
      'Months before a subscription Addition’s Effective Date are taken as billed at that month’s line values (each sync updates the Addition).',
      ...(rows.some((r) => r.unverified !== undefined)
        ? ['Unverified: revenue of lines whose Addition was not found while an agreement that could hold it was not read; it stays in the residual until that agreement is captured or pulled again.']
        : []),
    ],
  };
}

/** One entry per finding (a month-incomplete organization's Additions add up), in a fixed order. */
function mergeContributions(list: MoneyContribution[]): MoneyContribution[] {
  // Most cells have nothing to explain.
  if (list.length === 0) return [];
  const merged = new Map<string, MoneyContribution>();
  for (const c of list) {
    const key = `${c.kind}|${c.lineId ?? ''}|${c.additionId ?? ''}|${c.agreementId ?? ''}|${c.organization ?? ''}`;
    const prior = merged.get(key);
    if (prior) prior.amount += c.amount;
    else merged.set(key, { ...c });
  }
  const order = (k: FindingKind) => FINDING_KINDS.indexOf(k);
  return [...merged.values()]
    .filter((c) => c.amount !== 0)
    .sort(
      (a, b) =>
        order(a.kind) - order(b.kind) ||
        (a.lineId ?? '').localeCompare(b.lineId ?? '') ||
        (a.additionId ?? 0) - (b.additionId ?? 0) ||
        (a.agreementId ?? 0) - (b.agreementId ?? 0) ||
        (a.organization ?? '').localeCompare(b.organization ?? ''),
    );
}

function version(addition: CwAddition, recurring: boolean | undefined, types: ChargeTypes): Version {
  const effective = isoDayOnce(addition.effectiveDate);
  const cancelled = isoDayOnce(addition.cancelledDate);
  let isRecurring = recurring;
  if (isRecurring === undefined) {
    const base = addition.description ? types.baseOf(addition.description) : undefined;
    isRecurring = base !== undefined ? types.isRecurring(base) : cancelled === null || (effective !== null && monthOf(cancelled) > monthOf(effective));
  }
  return {
    effective,
    cancelled,
    quantity: addition.quantity,
    lessIncluded: addition.lessIncluded ?? 0,
    unitPrice: addition.unitPrice ?? 0,
    billable: billable(addition.billCustomer),
    recurring: isRecurring,
  };
}

/**
 * Values read once per distinct text: 100,000 Additions share a few dates and Bill Customer
 * values. Bounded, as caches, not records of every value seen.
 */
const dayOfText = perSpelling(isoDay, 100_000);
const billableText = perSpelling((value) => isBlank(value) || compactKey(value) === 'billable', 10_000);

function isoDayOnce(value: string | null | undefined): IsoDate | null {
  return value ? dayOfText(value) : null;
}

function billable(value: string | null | undefined): boolean {
  return value === null || value === undefined ? true : billableText(value);
}

/** `toMinor` with the currency's factor looked up once per cell instead of once per amount. */
function minorFactor(currency: string): number {
  return 10 ** currencyDecimals(currency);
}

function minorOf(amount: number, factor: number): number {
  const scaled = amount * factor;
  // Half away from zero, with an epsilon for binary noise, exactly as toMinor rounds.
  return Math.sign(scaled) * Math.round(Math.abs(scaled) + 1e-7);
}

/** The loaded month (`YYYY-MM`) a date falls in, found without cutting the date's month out of it. */
function loadedMonth(date: IsoDate, months: readonly string[]): string | undefined {
  for (const month of months) if (inMonth(date, month)) return month;
  return undefined;
}

/** `monthOf(date) === month`, without building the date's month. */
function inMonth(date: IsoDate, month: string): boolean {
  return date.length > month.length && date.charCodeAt(month.length) === 0x2d && date.startsWith(month);
}

/** Every compared expectation (matched, misplaced, unmatched), without copying the lists into one. */
function eachExpectation(input: MoneyInput, fn: (exp: MoneyExpectation) => void): void {
  for (const p of input.matched) fn(p.exp);
  for (const p of input.misplaced) fn(p.exp);
  for (const exp of input.unmatched) fn(exp);
}

function isoDay(value: string | null | undefined): IsoDate | null {
  return value && /^\d{4}-\d{2}-\d{2}/.test(value) ? value.slice(0, 10) : null;
}
