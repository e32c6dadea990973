import type { CwAddition } from '../model';
import { unitPriceMatches } from '../rules/expected';
import { daysBetween } from '../shared/dates';
import { isBlank, nameKey } from '../shared/text';
import type { Expectation } from './expectations';
import { cancelledOf, effectiveOf } from './scope';
import { carriesLabel, productKey, wordKey } from './tokens';

export interface Pair {
  exp: Expectation;
  addition: CwAddition;
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
}

/** Past this many candidate pairs in one agreement+product group, exact keys pair first. */
const PAIRWISE_LIMIT = 4096;
/** Subscriptions per group for which an invoice description is scanned for every name. */
const SCAN_LIMIT = 64;

/**
 * DESIGN §3.6 matching. Each Addition serves at most one expectation: a line-reference custom
 * field first when configured; otherwise, within one agreement and product, the subscription named
 * in the Product Invoice Description, then closeness of dates, quantity and price. Greedy on a
 * total order of pairs, so the result never depends on input order.
 */
export function matchAll(expectations: Expectation[], additions: CwAddition[], lineRefField?: string): MatchResult {
  const taken = new Set<number>();
  const done = new Set<Expectation>();
  const matched: Pair[] = [];
  const misplaced: Pair[] = [];
  // Sorted once: every later pass walks these orders, which fixes the outcome of ties.
  const byId = sortById(additions);
  const byLineId = [...expectations].sort(byLine);

  if (lineRefField) {
    const byLine = new Map<string, Expectation>();
    for (const exp of expectations) for (const id of exp.lineIds) byLine.set(id, exp);
    for (const addition of byId) {
      const ref = customFieldValue(addition, lineRefField);
      const exp = ref === undefined ? undefined : byLine.get(ref);
      if (!exp || done.has(exp)) continue;
      taken.add(addition.id);
      done.add(exp);
      (exp.agreement?.id === addition.agreementId ? matched : misplaced).push({ exp, addition });
    }
  }

  const expected = new Set<number>();
  const groups = new Map<string, { exps: Expectation[]; adds: CwAddition[] }>();
  for (const exp of expectations) {
    if (!exp.agreement || done.has(exp)) continue;
    expected.add(exp.agreement.id);
    const key = `${exp.agreement.id}|${exp.productKey}`;
    const group = groups.get(key);
    if (group) group.exps.push(exp);
    else groups.set(key, { exps: [exp], adds: [] });
  }
  for (const exp of expectations) if (exp.agreement) expected.add(exp.agreement.id);
  for (const addition of byId) {
    if (taken.has(addition.id)) continue;
    groups.get(`${addition.agreementId}|${productKey(addition.product.identifier)}`)?.adds.push(addition);
  }

  // Pass 1: pairs that are surely the same Addition (same subscription, or same date and
  // quantity); their exact copies are duplicates.
  const duplicates: Duplicate[] = [];
  const groupPairs = new Map<string, Pair[]>();
  const settle = (key: string, group: { exps: Expectation[]; adds: CwAddition[] }, pairs: Pair[]) => {
    for (const pair of pairs) {
      taken.add(pair.addition.id);
      done.add(pair.exp);
      matched.push(pair);
    }
    const all = (groupPairs.get(key) ?? []).concat(pairs);
    groupPairs.set(key, all);
    for (const dup of findDuplicates(group.adds, all, taken)) {
      taken.add(dup.addition.id);
      duplicates.push(dup);
    }
  };
  for (const [key, group] of groups) settle(key, group, matchGroup(group.exps, group.adds, true));

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
    const found = candidates.find(
      (a) => !taken.has(a.id) && a.agreementId !== exp.agreement?.id && sameSubscriptionWhereKnown(exp, a),
    );
    if (!found) continue;
    taken.add(found.id);
    done.add(exp);
    misplaced.push({ exp, addition: found });
  }

  // Pass 3: what is left pairs on looser evidence (two of date, quantity, price, cancellation).
  for (const [key, group] of groups) {
    const exps = group.exps.filter((e) => !done.has(e));
    const adds = group.adds.filter((a) => !taken.has(a.id));
    if (exps.length && adds.length) settle(key, group, matchGroup(exps, adds, false));
  }

  const unmatched = byLineId.filter((e) => !done.has(e));
  const leftovers = byId.filter((a) => !taken.has(a.id) && expected.has(a.agreementId));
  return { matched, duplicates, misplaced, unmatched, leftovers };
}

function matchGroup(exps: Expectation[], adds: CwAddition[], sure: boolean): Pair[] {
  if (exps.length === 0 || adds.length === 0) return [];
  const subs = new Map<string, Expectation>();
  for (const exp of exps) if (exp.subscription) subs.set(exp.subscription, exp);
  const named = new Map<number, Set<string>>();
  for (const addition of adds) named.set(addition.id, namedSubscriptions(addition, subs));

  let restExps = exps;
  let restAdds = adds;
  const pairs: Pair[] = [];
  if (exps.length * adds.length > PAIRWISE_LIMIT) {
    // Large groups: pair exact look-alikes through a hash first, score only the remainder.
    const exact = new Map<string, CwAddition[]>();
    for (const addition of sortById(adds)) {
      const key = exactKey([...(named.get(addition.id) ?? [])].sort().join('|'), effectiveOf(addition), addition.quantity);
      const list = exact.get(key);
      if (list) list.push(addition);
      else exact.set(key, [addition]);
    }
    const used = new Set<number>();
    const left: Expectation[] = [];
    for (const exp of [...exps].sort(byLine)) {
      const list = exact.get(exactKey(exp.subscription ?? '', exp.values.effectiveDate, exp.values.quantity));
      const addition = list?.find((a) => !used.has(a.id));
      if (addition) {
        used.add(addition.id);
        pairs.push({ exp, addition });
      } else left.push(exp);
    }
    restExps = left;
    restAdds = adds.filter((a) => !used.has(a.id));
    if (restExps.length * restAdds.length > PAIRWISE_LIMIT) return sure ? pairs : pairs.concat(pairInOrder(restExps, restAdds, named));
  }

  const candidates: { exp: Expectation; addition: CwAddition; score: number; days: number; qty: number }[] = [];
  for (const exp of restExps) {
    for (const addition of restAdds) {
      const names = named.get(addition.id)!;
      const score = pairScore(exp, addition, names);
      if (score < 0 || (sure && score < SURE)) continue;
      const effective = effectiveOf(addition);
      candidates.push({
        exp,
        addition,
        score,
        days: effective ? Math.abs(daysBetween(exp.values.effectiveDate, effective)) : Number.MAX_SAFE_INTEGER,
        qty: Math.abs(addition.quantity - exp.values.quantity),
      });
    }
  }
  candidates.sort(
    (a, b) => b.score - a.score || a.days - b.days || a.qty - b.qty || a.addition.id - b.addition.id || byLine(a.exp, b.exp),
  );
  const usedExp = new Set<Expectation>();
  const usedAdd = new Set<number>();
  for (const c of candidates) {
    if (usedExp.has(c.exp) || usedAdd.has(c.addition.id)) continue;
    usedExp.add(c.exp);
    usedAdd.add(c.addition.id);
    pairs.push({ exp: c.exp, addition: c.addition });
  }
  return pairs;
}

/** Fallback for huge groups: compatible pairs in date order, without scoring every pair. */
function pairInOrder(exps: Expectation[], adds: CwAddition[], named: Map<number, Set<string>>): Pair[] {
  const sortedAdds = [...adds].sort((a, b) => (effectiveOf(a) ?? '').localeCompare(effectiveOf(b) ?? '') || a.id - b.id);
  const used = new Set<number>();
  const pairs: Pair[] = [];
  for (const exp of [...exps].sort((a, b) => a.values.effectiveDate.localeCompare(b.values.effectiveDate) || byLine(a, b))) {
    const addition = sortedAdds.find((a) => !used.has(a.id) && pairScore(exp, a, named.get(a.id)!) >= 0);
    if (!addition) continue;
    used.add(addition.id);
    pairs.push({ exp, addition });
  }
  return pairs;
}

/** Scores at or above this are the same subscription, or the same date and quantity. */
const SURE = 48;

/**
 * Higher is better; negative means the two cannot be the same Addition: it names another
 * subscription, or (naming none) fewer than two of its dates, quantity and price agree.
 */
function pairScore(exp: Expectation, addition: CwAddition, names: Set<string>): number {
  const sameSub = exp.subscription !== undefined && names.has(exp.subscription);
  if (names.size > 0 && !sameSub) return -1;
  const v = exp.values;
  const effective = effectiveOf(addition) === v.effectiveDate;
  const quantity = Math.abs(addition.quantity - v.quantity) < 1e-9;
  const price = addition.unitPrice !== null && addition.unitPrice !== undefined && unitPriceMatches(addition.unitPrice, v, exp.line.currency);
  const cancelled = (cancelledOf(addition) ?? null) === v.cancelledDate;
  const agreeing = Number(effective) + Number(quantity) + Number(price) + Number(cancelled);
  if (!sameSub && agreeing < 2) return -1;
  const described = carriesLabel(addition.description, addition.invoiceDescription, v.description);
  return (sameSub ? 64 : 0) + (effective ? 32 : 0) + (quantity ? 16 : 0) + (price ? 8 : 0) + (cancelled ? 4 : 0) + (described ? 2 : 0);
}

/**
 * An unmatched Addition that doubles a matched one (DESIGN §3.6): it names the same
 * subscription, or has the same Effective Date and quantity as the expectation or its match.
 */
function findDuplicates(adds: CwAddition[], pairs: Pair[], taken: Set<number>): Duplicate[] {
  if (pairs.length === 0) return [];
  const subs = new Map<string, Pair>();
  for (const pair of pairs) if (pair.exp.subscription) subs.set(pair.exp.subscription, pair);
  const subExps = new Map<string, Expectation>();
  for (const [key, pair] of subs) subExps.set(key, pair.exp);
  const ordered = [...pairs].sort((a, b) => byLine(a.exp, b.exp));
  const out: Duplicate[] = [];
  for (const addition of sortById(adds)) {
    if (taken.has(addition.id)) continue;
    const names = namedSubscriptions(addition, subExps);
    let pair: Pair | undefined;
    if (names.size > 0) pair = [...names].sort().map((n) => subs.get(n)).find((p) => p !== undefined);
    else {
      const effective = effectiveOf(addition);
      pair = ordered.find(
        (p) =>
          (effective === p.exp.values.effectiveDate || effective === effectiveOf(p.addition)) &&
          (addition.quantity === p.exp.values.quantity || addition.quantity === p.addition.quantity),
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

function looseKey(product: string, effective: string | null, quantity: number): string {
  return `${product}|${effective ?? ''}|${quantity}`;
}

function exactKey(sub: string, effective: string | null, quantity: number): string {
  return `${sub}|${effective ?? ''}|${quantity}`;
}

function sortById(additions: CwAddition[]): CwAddition[] {
  return [...additions].sort((a, b) => a.id - b.id);
}

export function byLine(a: Expectation, b: Expectation): number {
  return a.line.lineId < b.line.lineId ? -1 : a.line.lineId > b.line.lineId ? 1 : 0;
}
