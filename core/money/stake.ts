import type { CwAddition, CwAgreement, Finding, FindingKind, PlatformLine } from '../model';
import { fromMinor, toMinor } from './index';

/**
 * The amount a finding puts at stake, in its currency: what a billing admin stands to bill wrongly
 * (or not at all) if the finding is left as it is. Always a magnitude (a credit line or an
 * over-billing puts its size at stake too), rounded to the currency's minor unit. Informational
 * findings put nothing at stake.
 */
export interface Stake {
  amount: number;
  /** ISO code as the data gives it, upper-cased; "" when neither system names one. */
  currency: string;
}

/** The values a finding's amount is taken from: its lines and the Addition it names. */
export interface StakeValues {
  /** Every Platform line the finding covers (its own and related ones). */
  lines: readonly PlatformLine[];
  /** The Addition the finding names (`additionId`), when the data holds it. */
  addition?: CwAddition;
  /** The currency of the agreement involved, for findings with no line. */
  agreementCurrency?: string;
}

/** How each kind puts money at stake; `none` for kinds that name no amount. */
const RULE: Record<FindingKind, 'lines' | 'quantity' | 'unitPrice' | 'addition' | 'lessIncluded' | 'none'> = {
  // ConnectWise bills nothing for these lines: their revenue is at stake.
  missing_addition: 'lines',
  unmapped_organization: 'lines',
  unmapped_product: 'lines',
  agreement_required: 'lines',
  agreement_not_found: 'lines',
  company_not_found: 'lines',
  sync_failed: 'lines',
  agreement_not_active: 'lines',
  agreement_not_billable: 'lines',
  agreement_ended: 'lines',
  // Billed to the wrong place, in the wrong currency, under the wrong product or for the wrong
  // period: the line's whole revenue is billed wrongly.
  wrong_agreement: 'lines',
  currency_mismatch: 'lines',
  product_mismatch: 'lines',
  effective_date_mismatch: 'lines',
  cancelled_date_mismatch: 'lines',
  correction_spans_periods: 'lines',
  // The difference only.
  quantity_mismatch: 'quantity',
  unit_price_mismatch: 'unitPrice',
  less_included: 'lessIncluded',
  // The Addition's own amount: billed twice, or not billed.
  duplicate_addition: 'addition',
  addition_not_billed: 'addition',
  orphan_addition: 'addition',
  description_mismatch: 'none',
  month_incomplete: 'none',
  company_reference_mismatch: 'none',
  agreement_reference_mismatch: 'none',
  product_reference_mismatch: 'none',
};

const code = (c: string | null | undefined) => (c ?? '').trim().toUpperCase();
const num = (v: unknown): number | undefined => (typeof v === 'number' && Number.isFinite(v) ? v : undefined);

/** What an Addition bills each period: (Quantity − Less Included) × Unit Price. */
function additionAmount(a: CwAddition): number {
  if (a.unitPrice == null) return num(a.extPrice) ?? 0;
  return (a.quantity - (a.lessIncluded ?? 0)) * a.unitPrice;
}

/** Pure: the amount `f` puts at stake, from the values it names. */
export function stakeOf(f: Finding, v: StakeValues): Stake {
  const line = v.lines[0];
  const currency = code(v.lines.find((l) => code(l.currency))?.currency) || code(v.agreementCurrency);
  const rule = f.severity === 'info' ? 'none' : RULE[f.kind];
  const revenue = () => v.lines.reduce((sum, l) => sum + toMinor(l.revenue, currency), 0);
  let minor = 0;
  switch (rule) {
    case 'lines':
      minor = revenue();
      break;
    case 'quantity': {
      const diff = Math.abs((num(f.expected) ?? 0) - (num(f.actual) ?? 0));
      const price = line && line.quantity !== 0 ? line.revenue / line.quantity : (v.addition?.unitPrice ?? 0);
      minor = toMinor(diff * price, currency);
      break;
    }
    case 'unitPrice': {
      const diff = Math.abs((num(f.expected) ?? 0) - (num(f.actual) ?? 0));
      const quantity = line?.quantity ?? v.addition?.quantity ?? 0;
      minor = toMinor(diff * quantity, currency);
      break;
    }
    case 'lessIncluded':
      minor = v.addition ? toMinor((v.addition.lessIncluded ?? 0) * (v.addition.unitPrice ?? 0), currency) : 0;
      break;
    case 'addition':
      minor = v.addition ? toMinor(additionAmount(v.addition), currency) : revenue();
      break;
    case 'none':
      break;
  }
  return { amount: fromMinor(Math.abs(minor), currency), currency };
}

/**
 * Every finding with its amount at stake (`atStake`, `currency`), looked up once per run from the
 * lines and the ConnectWise data the run read.
 */
export function withStakes(
  findings: readonly Finding[],
  lines: readonly PlatformLine[],
  bundle: { additions: readonly CwAddition[]; agreements: readonly CwAgreement[] },
): Finding[] {
  // A clean month has nothing to weigh; otherwise only the lines and Additions findings name are indexed.
  if (findings.length === 0) return [];
  const wantLines = new Set<string>();
  const wantAdditions = new Set<number>();
  for (const f of findings) {
    if (f.lineId !== undefined) wantLines.add(f.lineId);
    for (const id of f.related?.lineIds ?? []) wantLines.add(id);
    if (f.additionId !== undefined) wantAdditions.add(f.additionId);
  }
  const lineById = new Map<string, PlatformLine>();
  for (const l of lines) if (wantLines.has(l.lineId) && !lineById.has(l.lineId)) lineById.set(l.lineId, l);
  const additionById = new Map<number, CwAddition>();
  for (const a of bundle.additions) if (wantAdditions.has(a.id)) additionById.set(a.id, a);
  const agreementById = new Map(bundle.agreements.map((a) => [a.id, a]));
  return findings.map((f) => {
    const ids = [...(f.lineId !== undefined ? [f.lineId] : []), ...(f.related?.lineIds ?? [])];
    const covered = [...new Set(ids)].map((id) => lineById.get(id)).filter((l): l is PlatformLine => !!l);
    const addition = f.additionId !== undefined ? additionById.get(f.additionId) : undefined;
    const agreement = agreementById.get(f.agreementId ?? addition?.agreementId ?? -1);
    const currency = agreement?.currency?.currencyCode ?? agreement?.currency?.currencyIdentifier ?? undefined;
    const stake = stakeOf(f, { lines: covered, addition, agreementCurrency: currency ?? undefined });
    return { ...f, atStake: stake.amount, currency: stake.currency };
  });
}

/** Sums per currency code (never across currencies), in minor units so totals add to the cent. */
export function sumStakes(stakes: Iterable<Stake>): Record<string, number> {
  const minor = new Map<string, number>();
  for (const s of stakes) minor.set(s.currency, (minor.get(s.currency) ?? 0) + toMinor(s.amount, s.currency));
  return Object.fromEntries([...minor].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)).map(([c, m]) => [c, fromMinor(m, c)]));
}
