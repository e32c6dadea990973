import type { CwAddition } from '../model';
import { unitPriceMatches } from '../rules/expected';
import { minorUnit } from '../rules/currency';
import { isBlank, nameKey } from '../shared/text';
import { assign, type AssignmentCost } from './assignment';
import type { Expectation } from './expectations';
import { cancelledOf, effectiveOf } from './scope';
import { carriesLabel, productKey, wordKey } from './tokens';
import { perSpelling } from '../shared/memo';

export interface Pair {
  exp: Expectation;
  addition: CwAddition;
  /** Paired through the line-reference custom field (DESIGN §3.7), not by its values. */
  byReference?: boolean;
  /** The custom field that made the pair, for messages. */
  referenceField?: string;
}

export interface Duplicate {
  addition: CwAddition;
  /** The expectation it doubles and the Addition that stays matched to it. */
  pair: Pair;
}

export interface MatchResult {
  matched: Pair[];
  duplicates: Duplicate[];
  /** An expectation whose Addition sits on an agreement it does not expect. */
  misplaced: Pair[];
  unmatched: Expectation[];
  /** In-scope Additions left over on agreements that compared lines expect. */
  leftovers: CwAddition[];
  /** Earlier Additions of a subscription that ended and restarted: neither duplicate nor orphan. */
  history: CwAddition[];
  /**
   * An open subscription whose only Addition was cancelled before the window (so it is out of
   * scope): the Addition exists and must be reopened, it is not missing (DESIGN §3.3).
   */
  reopen: Pair[];
}

/** Subscriptions per group for which an invoice description is scanned for every name. */
const SCAN_LIMIT = 64;

/**
 * DESIGN §3.6 matching. Each Addition serves at most one expectation: a line-reference custom
 * field first when configured; otherwise, within one agreement and product, a minimum-cost
 * assignment that weighs subscription name, Effective Date, quantity, price and Cancelled Date
 * together, for groups of any size. Pairs that are surely the same Addition are assigned first,
 * then exact look-alikes on other agreements (wrong agreement), then the looser pairs. Only when
 * every line has had its chance are the Additions left over judged duplicates. Inputs are sorted
 * on their ids first, so the outcome never depends on input order.
 */
export function matchAll(
  expectations: Expectation[],
  additions: CwAddition[],
  lineRefField?: string,
  /** Out-of-scope Additions cancelled before the window, for subscriptions to be reopened. */
  cancelledBefore: CwAddition[] = [],
): MatchResult {
  const taken = new Set<number>();
  const done = new Set<Expectation>();
  const matched: Pair[] = [];
  const misplaced: Pair[] = [];
  const duplicates: Duplicate[] = [];
  const history: CwAddition[] = [];
  const byId = sortById(additions);
  const byLineId = sortByLine(expectations);

  // Other Additions naming an already referenced line: judged once every line had its chance.
  const refExtras = new Map<CwAddition, Pair>();
  if (lineRefField) {
    const refPairs = referencePass(byLineId, byId, lineRefField);
    for (const { pair, extra } of refPairs) {
      taken.add(pair.addition.id);
      done.add(pair.exp);
      (pair.exp.agreement?.id === pair.addition.agreementId ? matched : misplaced).push(pair);
      for (const addition of extra) refExtras.set(addition, pair);
    }
  }

  const expected = new Set<number>();
  for (const exp of expectations) if (exp.agreement) expected.add(exp.agreement.id);
  // Agreement → product key → group: found without building a key string per line and Addition.
  const byAgreement = new Map<number, Map<string, Group>>();
  const groups: Group[] = [];
  for (const exp of byLineId) {
    if (!exp.agreement || done.has(exp)) continue;
    let products = byAgreement.get(exp.agreement.id);
    if (!products) byAgreement.set(exp.agreement.id, (products = new Map()));
    const group = products.get(exp.productKey);
    if (group) group.exps.push(exp);
    else {
      const created: Group = { exps: [exp], adds: [], pairs: [] };
      products.set(exp.productKey, created);
      groups.push(created);
    }
  }
  for (const addition of byId) {
    if (taken.has(addition.id)) continue;
    byAgreement.get(addition.agreementId)?.get(productKey(addition.product.identifier))?.adds.push(addition);
  }

  const settle = (group: Group, pairs: Pair[]) => {
    for (const pair of pairs) {
      taken.add(pair.addition.id);
      done.add(pair.exp);
      matched.push(pair);
      group.pairs.push(pair);
    }
  };

  // Pass 1: pairs that are surely the same Addition (same subscription, or same Effective Date
  // and quantity), assigned at least total difference.
  for (const group of groups) settle(group, matchGroup(group.exps, group.adds, true));

  // Pass 2: an expectation without a sure pair whose exact Addition (product, Effective Date,
  // quantity) sits on an agreement it does not expect.
  const loose = new Map<string, CwAddition[]>();
  for (const addition of byId) {
    if (taken.has(addition.id)) continue;
    const key = looseKey(productKey(addition.product.identifier), effectiveOf(addition), addition.quantity);
    const list = loose.get(key);
    if (list) list.push(addition);
    else loose.set(key, [addition]);
  }
  for (const exp of byLineId) {
    if (done.has(exp)) continue;
    const candidates = loose.get(looseKey(exp.productKey, exp.values.effectiveDate, exp.values.quantity)) ?? [];
    const found = candidates.find((a) => !taken.has(a.id) && a.agreementId !== exp.agreement?.id && sameSubscriptionWhereKnown(exp, a));
    if (!found) continue;
    taken.add(found.id);
    done.add(exp);
    misplaced.push({ exp, addition: found });
  }

  // Pass 3: what is left pairs on looser evidence (two of date, quantity, price, cancellation).
  for (const group of groups) {
    if (group.pairs.length === group.exps.length || group.pairs.length === group.adds.length) continue;
    const exps = group.exps.filter((e) => !done.has(e));
    const adds = group.adds.filter((a) => !taken.has(a.id));
    // Names are read against the whole group: an Addition naming a subscription already paired
    // belongs to that subscription (a copy of its Addition), not to a line still left over.
    if (exps.length && adds.length) settle(group, matchGroup(exps, adds, false, group.exps));
  }

  // Every line has had its chance: an Addition left over that doubles a pair is a duplicate.
  // A second Addition naming a referenced line that no line took is a copy of that line's.
  for (const [addition, pair] of refExtras) {
    if (taken.has(addition.id)) continue;
    taken.add(addition.id);
    if (isHistory(addition, pair)) history.push(addition);
    else duplicates.push({ addition, pair });
  }
  for (const group of groups) {
    if (group.pairs.length === 0) continue;
    for (const dup of findDuplicates(group.adds, group.pairs, taken)) {
      taken.add(dup.addition.id);
      if (isHistory(dup.addition, dup.pair)) history.push(dup.addition);
      else duplicates.push(dup);
    }
  }

  const reopen: Pair[] = [];
  if (cancelledBefore.length) {
    const earlier = new Map<string, CwAddition[]>();
    for (const addition of sortById(cancelledBefore)) {
      const key = `${addition.agreementId}|${productKey(addition.product.identifier)}`;
      earlier.set(key, [...(earlier.get(key) ?? []), addition]);
    }
    const used = new Set<number>();
    for (const exp of byLineId) {
      if (done.has(exp) || !exp.recurring || exp.ended || !exp.agreement || exp.values.cancelledDate !== null) continue;
      const candidates = (earlier.get(`${exp.agreement.id}|${exp.productKey}`) ?? []).filter(
        (a) => !used.has(a.id) && sameSubscriptionWhereKnown(exp, a),
      );
      if (candidates.length === 0) continue;
      // The latest cancelled is the one the subscription last billed through.
      const addition = candidates.reduce((best, a) => ((cancelledOf(a) ?? '') > (cancelledOf(best) ?? '') ? a : best));
      used.add(addition.id);
      done.add(exp);
      reopen.push({ exp, addition });
    }
  }

  const unmatched = byLineId.filter((e) => !done.has(e));
  const leftovers = byId.filter((a) => !taken.has(a.id) && expected.has(a.agreementId));
  return { matched, duplicates, misplaced, unmatched, leftovers, history, reopen };
}

interface Group {
  exps: Expectation[];
  adds: CwAddition[];
  pairs: Pair[];
}

/**
 * Line-reference pass: each Addition whose custom field names a loaded line belongs to that line's
 * expectation. Of several, the one closest in value stays paired (ties: lowest id); the rest are
 * returned as extras for the caller to judge.
 */
function referencePass(exps: Expectation[], adds: CwAddition[], field: string): { pair: Pair; extra: CwAddition[] }[] {
  const byLineRef = new Map<string, Expectation>();
  for (const exp of exps) for (const id of exp.lineIds) byLineRef.set(id, exp);
  const claims = new Map<Expectation, CwAddition[]>();
  for (const addition of adds) {
    const ref = customFieldValue(addition, field);
    const exp = ref === undefined ? undefined : byLineRef.get(ref);
    if (!exp) continue;
    const list = claims.get(exp);
    if (list) list.push(addition);
    else claims.set(exp, [addition]);
  }
  const out: { pair: Pair; extra: CwAddition[] }[] = [];
  for (const exp of exps) {
    const list = claims.get(exp);
    if (!list) continue;
    let best = list[0]!;
    let bestCost = referenceCost(exp, best);
    for (const addition of list.slice(1)) {
      const cost = referenceCost(exp, addition);
      if (cost < bestCost) {
        best = addition;
        bestCost = cost;
      }
    }
    out.push({ pair: { exp, addition: best, byReference: true, referenceField: field }, extra: list.filter((a) => a !== best) });
  }
  return out;
}

/** For the line-reference pass: the expected agreement and product first, then closeness. */
function referenceCost(exp: Expectation, addition: CwAddition): number {
  const elsewhere = exp.agreement?.id === addition.agreementId ? 0 : 2 * WEIGHT * FULL;
  const product = productKey(addition.product.identifier) === exp.productKey ? 0 : WEIGHT * FULL;
  const c = pairCost(exp, addition, new Set(), false, { price: addition.unitPrice ?? null, described: undefined });
  return elsewhere + product + (c >= INCOMPATIBLE ? WEIGHT * FULL - 1 : c);
}

/** Scale of one scoring point; the closeness term stays below it. */
const WEIGHT = 10_000;
/** The score of a pair that agrees on everything. */
const FULL = 64 + 32 + 16 + 8 + 4 + 2;
/** The cost of a pair that cannot be the same Addition. */
const INCOMPATIBLE = 1e11;

/** Past this many candidate pairs, identical look-alikes are paired through a hash first. */
const PREPAIR_LIMIT = 4096;

function matchGroup(exps: Expectation[], adds: CwAddition[], sure: boolean, groupExps: Expectation[] = exps): Pair[] {
  if (exps.length === 0 || adds.length === 0) return [];
  if (exps.length === 1 && adds.length === 1 && groupExps.length === 1) {
    // Most groups are one line and one Addition: the assignment is whether they may pair.
    const exp = exps[0]!;
    const addition = adds[0]!;
    // The Addition names this subscription or none in the group: no set of names to build.
    const sameSub = exp.subscription !== undefined && exp.subscription !== '' && namesOnly(addition, exp.subscription);
    const c = costOf(exp, addition, sameSub, sameSub ? 1 : 0, sure, addition.unitPrice ?? null, undefined);
    return c < INCOMPATIBLE ? [{ exp, addition }] : [];
  }
  const subs = new Map<string, Expectation>();
  for (const exp of groupExps) if (exp.subscription) subs.set(exp.subscription, exp);
  const named = new Map<number, Set<string>>();
  for (const addition of adds) named.set(addition.id, namedSubscriptions(addition, subs));
  const labels = new Map<CwAddition, Map<string, boolean>>();
  const described = (addition: CwAddition, label: string) => {
    let own = labels.get(addition);
    if (!own) labels.set(addition, (own = new Map()));
    let v = own.get(label);
    if (v === undefined) own.set(label, (v = carriesLabel(addition.description, addition.invoiceDescription, label)));
    return v;
  };

  let restExps = exps;
  let restAdds = adds;
  const pairs: Pair[] = [];
  if (exps.length * adds.length > PREPAIR_LIMIT) {
    // Large groups: an Addition identical to what a line expects is its pair in some cheapest
    // assignment (the cost obeys the triangle inequality), so twins are paired through a hash
    // first, lowest id first, and only the rest is assigned.
    const exact = new Map<string, CwAddition[]>();
    for (const addition of adds) {
      const names = named.get(addition.id)!;
      if (names.size > 1) continue;
      const key = exactKey([...names][0] ?? '', effectiveOf(addition), addition.quantity, addition.unitPrice ?? null, cancelledOf(addition));
      const list = exact.get(key);
      if (list) list.push(addition);
      else exact.set(key, [addition]);
    }
    const used = new Set<number>();
    const left: Expectation[] = [];
    for (const exp of exps) {
      const v = exp.values;
      const list = exact.get(exactKey(exp.subscription ?? '', v.effectiveDate, v.quantity, v.unitPrice, v.cancelledDate));
      const addition = list?.find((a) => !used.has(a.id) && described(a, v.description) && (named.get(a.id)!.size === 0) === !exp.subscription);
      if (addition) {
        used.add(addition.id);
        pairs.push({ exp, addition });
      } else left.push(exp);
    }
    restExps = left;
    restAdds = adds.filter((a) => !used.has(a.id));
  }
  if (sure && restExps.length * restAdds.length > PREPAIR_LIMIT) {
    // A sure pair shares the subscription, or the Effective Date and quantity: only lines and
    // Additions that have such a partner need to enter the assignment.
    const dateQty = (date: string | null, qty: number) => `${date ?? ''}|${qty}`;
    const addKeys = new Set<string>();
    const addSubs = new Set<string>();
    for (const a of restAdds) {
      addKeys.add(dateQty(effectiveOf(a), a.quantity));
      for (const name of named.get(a.id)!) addSubs.add(name);
    }
    restExps = restExps.filter((e) => (e.subscription !== undefined && addSubs.has(e.subscription)) || addKeys.has(dateQty(e.values.effectiveDate, e.values.quantity)));
    const expKeys = new Set(restExps.map((e) => dateQty(e.values.effectiveDate, e.values.quantity)));
    const expSubs = new Set(restExps.map((e) => e.subscription).filter((x) => x !== undefined));
    restAdds = restAdds.filter((a) => expKeys.has(dateQty(effectiveOf(a), a.quantity)) || [...named.get(a.id)!].some((n) => expSubs.has(n)));
  }
  if (restExps.length === 0 || restAdds.length === 0) return pairs;

  // Most groups hold a line or two: preparing typed arrays would cost more than it saves.
  const cost: AssignmentCost =
    restExps.length * restAdds.length <= 64
      ? (i, j) => {
          const addition = restAdds[j]!;
          const exp = restExps[i]!;
          return pairCost(exp, addition, named.get(addition.id)!, sure, { price: addition.unitPrice ?? null, described: described(addition, exp.values.description) });
        }
      : groupCost(restExps, restAdds, named, described, sure);
  for (const [i, j] of assign(restExps.length, restAdds.length, cost, INCOMPATIBLE)) pairs.push({ exp: restExps[i]!, addition: restAdds[j]! });
  return pairs;
}

/**
 * `pairCost` over one group, with every value it reads prepared once per line and per Addition:
 * a large group evaluates it for every pair, so each evaluation is a few number comparisons.
 */
function groupCost(
  exps: Expectation[],
  adds: CwAddition[],
  named: Map<number, Set<string>>,
  described: (addition: CwAddition, label: string) => boolean,
  sure: boolean,
): AssignmentCost {
  const n = exps.length;
  const m = adds.length;
  const NONE = -1e9;
  const day = (d: string | null) => (d === null ? NONE : dayNumber(d));
  const aEff = new Float64Array(m);
  const aCancel = new Float64Array(m);
  const aQty = new Float64Array(m);
  const aPrice = new Float64Array(m);
  const aNames: (Set<string> | null)[] = [];
  for (let j = 0; j < m; j++) {
    const a = adds[j]!;
    aEff[j] = day(effectiveOf(a));
    aCancel[j] = day(cancelledOf(a));
    aQty[j] = a.quantity;
    aPrice[j] = a.unitPrice ?? Number.NaN;
    const names = named.get(a.id)!;
    aNames.push(names.size ? names : null);
  }
  const labels = [...new Set(exps.map((e) => e.values.description))];
  const labelOf = new Int32Array(n);
  const carries = new Uint8Array(m * labels.length);
  for (let k = 0; k < labels.length; k++) for (let j = 0; j < m; j++) carries[j * labels.length + k] = described(adds[j]!, labels[k]!) ? 1 : 0;
  const eEff = new Float64Array(n);
  const eCancel = new Float64Array(n);
  const eAlso = new Float64Array(n);
  const eQty = new Float64Array(n);
  const eUnit = new Float64Array(n);
  const eTotal = new Float64Array(n);
  const eMinor = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    const e = exps[i]!;
    const v = e.values;
    eEff[i] = dayNumber(v.effectiveDate);
    eCancel[i] = day(v.cancelledDate);
    eAlso[i] = e.alsoCancelledOn === undefined ? Number.NaN : dayNumber(e.alsoCancelledOn);
    eQty[i] = v.quantity;
    eUnit[i] = v.unitPrice;
    eTotal[i] = v.revenueTotal;
    eMinor[i] = minorUnit(e.line.currency);
    labelOf[i] = labels.indexOf(v.description);
  }
  const L = labels.length;
  return (i, j) => {
    const names = aNames[j] ?? null;
    const sub = exps[i]!.subscription;
    const sameSub = names !== null && sub !== undefined && names.has(sub);
    if (names !== null && !sameSub) return INCOMPATIBLE;
    const effective = aEff[j]!;
    const sameEffective = effective === eEff[i];
    const q = aQty[j]!;
    const sameQuantity = Math.abs(q - eQty[i]!) < 1e-9;
    if (sure && !sameSub && !(sameEffective && sameQuantity)) return INCOMPATIBLE;
    const price = aPrice[j]!;
    const minor = eMinor[i]!;
    const slack = minor * 1e-6;
    const unit = eUnit[i]!;
    const samePrice = price === price && (Math.abs(price - unit) <= minor / 2 + slack || Math.abs(price * eQty[i]! - eTotal[i]!) <= minor + slack);
    const cancelled = aCancel[j]!;
    const sameCancelled = cancelled === eCancel[i] || cancelled === eAlso[i];
    if (!sameSub && Number(sameEffective) + Number(sameQuantity) + Number(samePrice) + Number(sameCancelled) < 2) return INCOMPATIBLE;
    const score =
      (sameSub ? 64 : 0) + (sameEffective ? 32 : 0) + (sameQuantity ? 16 : 0) + (samePrice ? 8 : 0) + (sameCancelled ? 4 : 0) + (carries[j * L + labelOf[i]!] ? 2 : 0);
    const days = effective === NONE ? 1 : Math.min(Math.abs(effective - eEff[i]!), 366) / 366;
    const qty = Math.min(Math.abs(q - eQty[i]!) / Math.max(Math.abs(eQty[i]!), 1), 1);
    const priceGap = price !== price ? 1 : Math.min(Math.abs(price - unit) / Math.max(Math.abs(unit), 0.01), 1);
    return (FULL - score) * WEIGHT + Math.round(((days + qty + priceGap) / 3) * (WEIGHT - 1));
  };
}

/**
 * Lower is better; INCOMPATIBLE when the two cannot be the same Addition: it names another
 * subscription, or (naming none) fewer than two of its dates, quantity and price agree. In the
 * sure pass only the same subscription, or the same Effective Date and quantity, may pair.
 * Scoring points (subscription 64, Effective Date 32, quantity 16, price 8, Cancelled Date 4,
 * description 2) dominate; within them, how far date, quantity and price are apart decides.
 */
function pairCost(
  exp: Expectation,
  addition: CwAddition,
  names: Set<string>,
  sure: boolean,
  known: { price: number | null; described: boolean | undefined },
): number {
  const sameSub = exp.subscription !== undefined && names.has(exp.subscription);
  return costOf(exp, addition, sameSub, names.size, sure, known.price, known.described);
}

/** `pairCost` once the Addition's subscription names are known: how many, and whether one is the line's. */
function costOf(exp: Expectation, addition: CwAddition, sameSub: boolean, namesCount: number, sure: boolean, price: number | null, described: boolean | undefined): number {
  if (namesCount > 0 && !sameSub) return INCOMPATIBLE;
  const v = exp.values;
  const effective = effectiveOf(addition);
  const sameEffective = effective === v.effectiveDate;
  const sameQuantity = Math.abs(addition.quantity - v.quantity) < 1e-9;
  const samePrice = price !== null && unitPriceMatches(price, v, exp.line.currency);
  const sameCancelled = cancelledMatches(exp, cancelledOf(addition));
  const agreeing = Number(sameEffective) + Number(sameQuantity) + Number(samePrice) + Number(sameCancelled);
  if (!sameSub && agreeing < 2) return INCOMPATIBLE;
  if (sure && !sameSub && !(sameEffective && sameQuantity)) return INCOMPATIBLE;
  const isDescribed = described ?? carriesLabel(addition.description, addition.invoiceDescription, v.description);
  const score =
    (sameSub ? 64 : 0) + (sameEffective ? 32 : 0) + (sameQuantity ? 16 : 0) + (samePrice ? 8 : 0) + (sameCancelled ? 4 : 0) + (isDescribed ? 2 : 0);
  const days = effective === null ? 1 : Math.min(Math.abs(dayNumber(effective) - dayNumber(v.effectiveDate)), 366) / 366;
  const qty = Math.min(Math.abs(addition.quantity - v.quantity) / Math.max(Math.abs(v.quantity), 1), 1);
  const priceGap = price === null ? 1 : Math.min(Math.abs(price - v.unitPrice) / Math.max(Math.abs(v.unitPrice), 0.01), 1);
  const closeness = Math.round(((days + qty + priceGap) / 3) * (WEIGHT - 1));
  return (FULL - score) * WEIGHT + closeness;
}

/**
 * The Cancelled Date is right when it is the one expected; for a subscription of an organization
 * whose last month is not loaded, the Platform's own cancellation (end of its latest invoice
 * month) is right too (DESIGN §3.3).
 */
export function cancelledMatches(exp: Expectation, cancelled: string | null): boolean {
  if (cancelled === exp.values.cancelledDate) return true;
  return exp.alsoCancelledOn !== undefined && cancelled === exp.alsoCancelledOn;
}

/**
 * An Addition of a subscription cancelled before the Effective Date of the one that holds it now:
 * the subscription ended and restarted, and the earlier Addition is its history.
 */
function isHistory(addition: CwAddition, pair: Pair): boolean {
  if (!pair.exp.recurring) return false;
  const cancelled = cancelledOf(addition);
  const current = effectiveOf(pair.addition);
  return cancelled !== null && current !== null && cancelled < current;
}

/**
 * An unmatched Addition that doubles a matched one (DESIGN §3.6): it names the same
 * subscription, or has the same Effective Date and quantity as the expectation or its match.
 */
function findDuplicates(adds: CwAddition[], pairs: Pair[], taken: Set<number>): Duplicate[] {
  // Usually every Addition of the group was paired: nothing to index.
  if (adds.every((a) => taken.has(a.id))) return [];
  const subs = new Map<string, Pair>();
  for (const pair of pairs) if (pair.exp.subscription) subs.set(pair.exp.subscription, pair);
  const subExps = new Map<string, Expectation>();
  for (const [key, pair] of subs) subExps.set(key, pair.exp);
  const ordered = [...pairs].sort((a, b) => byLine(a.exp, b.exp));
  const byEffective = new Map<string, Pair[]>();
  for (const pair of ordered) {
    for (const date of new Set([pair.exp.values.effectiveDate, effectiveOf(pair.addition) ?? ''])) {
      const list = byEffective.get(date);
      if (list) list.push(pair);
      else byEffective.set(date, [pair]);
    }
  }
  const out: Duplicate[] = [];
  for (const addition of sortById(adds)) {
    if (taken.has(addition.id)) continue;
    const names = namedSubscriptions(addition, subExps);
    let pair: Pair | undefined;
    if (names.size > 0) pair = [...names].sort().map((n) => subs.get(n)).find((p) => p !== undefined);
    else {
      pair = (byEffective.get(effectiveOf(addition) ?? '') ?? []).find(
        (p) => addition.quantity === p.exp.values.quantity || addition.quantity === p.addition.quantity,
      );
    }
    if (pair) out.push({ addition, pair });
  }
  return out;
}

function namedSubscriptions(addition: CwAddition, subs: Map<string, unknown>): Set<string> {
  const names = new Set<string>();
  if (subs.size === 0 || isBlank(addition.invoiceDescription)) return names;
  const text = addition.invoiceDescription;
  // The Platform writes "<subscription> - <charge type>": try that split before scanning.
  const cut = text.lastIndexOf(' - ');
  if (cut > 0) {
    const head = wordKey(text.slice(0, cut));
    if (subs.has(head)) names.add(head);
  }
  if (names.size === 0 && subs.size <= SCAN_LIMIT) {
    const words = wordKey(text);
    for (const key of subs.keys()) if (words.includes(key)) names.add(key);
  }
  return names;
}

/** `namedSubscriptions` for a group of one subscription: whether the Addition names it. */
function namesOnly(addition: CwAddition, sub: string): boolean {
  if (isBlank(addition.invoiceDescription)) return false;
  const text = addition.invoiceDescription;
  const cut = text.lastIndexOf(' - ');
  if (cut > 0 && wordKey(text.slice(0, cut)) === sub) return true;
  return wordKey(text).includes(sub);
}

function sameSubscriptionWhereKnown(exp: Expectation, addition: CwAddition): boolean {
  if (!exp.subscription || isBlank(addition.invoiceDescription)) return true;
  return wordKey(addition.invoiceDescription).includes(exp.subscription);
}

export function customFieldValue(record: { customFields?: { caption: string; value?: unknown }[] | null }, caption: string): string | undefined {
  const want = nameKey(caption);
  const field = record.customFields?.find((f) => nameKey(f.caption) === want);
  if (!field || field.value === null || field.value === undefined) return undefined;
  const value = String(field.value).trim();
  return value === '' ? undefined : value;
}

const dayNumber = perSpelling((date) => Date.UTC(Number(date.slice(0, 4)), Number(date.slice(5, 7)) - 1, Number(date.slice(8, 10))) / 86_400_000, 50_000);

function looseKey(product: string, effective: string | null, quantity: number): string {
  return `${product}|${effective ?? ''}|${quantity}`;
}

function exactKey(sub: string, effective: string | null, quantity: number, price: number | null, cancelled: string | null): string {
  return `${sub}|${effective ?? ''}|${quantity}|${price === null ? '' : Math.round(price * 1e6)}|${cancelled ?? ''}`;
}

function sortById(additions: CwAddition[]): CwAddition[] {
  return [...additions].sort((a, b) => a.id - b.id);
}

/**
 * The expectations in `byLine` order (ties in input order), sorting their Line IDs by position:
 * comparing two strings then reads no expectation and no line, which is most of a sort's time.
 */
function sortByLine(expectations: readonly Expectation[]): Expectation[] {
  const ids = expectations.map((e) => e.line.lineId);
  const order = new Uint32Array(ids.length);
  for (let i = 0; i < order.length; i++) order[i] = i;
  order.sort((i, j) => {
    const a = ids[i]!;
    const b = ids[j]!;
    return a < b ? -1 : a > b ? 1 : i - j;
  });
  const out: Expectation[] = new Array(order.length);
  for (let k = 0; k < order.length; k++) out[k] = expectations[order[k]!]!;
  return out;
}

export function byLine(a: Expectation, b: Expectation): number {
  return a.line.lineId < b.line.lineId ? -1 : a.line.lineId > b.line.lineId ? 1 : 0;
}

/** Additions cancelled before the window opens: out of scope, but a reopened subscription's. */
export function cancelledBefore(additions: readonly CwAddition[], from: string): CwAddition[] {
  return additions.filter((a) => {
    const cancelled = cancelledOf(a);
    return cancelled !== null && cancelled < from;
  });
}
