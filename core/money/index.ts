/**
 * Money arithmetic per currency: amounts are rounded to the currency's minor unit and
 * summed in integer minor units, so totals add up to the cent and never mix currencies.
 */
export { currencyDecimals, minorUnit, roundMoney } from '../rules/currency';
import { currencyDecimals } from '../rules/currency';

/** An amount in minor units (cents, or yen), exact under addition. */
export function toMinor(amount: number, currency: string | null | undefined): number {
  const factor = 10 ** currencyDecimals(currency);
  const scaled = amount * factor;
  // Half away from zero, with an epsilon for binary noise (1.005 × 100 = 100.4999…).
  return Math.sign(scaled) * Math.round(Math.abs(scaled) + 1e-7);
}

export function fromMinor(minor: number, currency: string | null | undefined): number {
  const decimals = currencyDecimals(currency);
  return Number((minor / 10 ** decimals).toFixed(decimals));
}

/** Totals per currency code; a missing code is kept apart as "". */
export function totalsByCurrency<T>(rows: readonly T[], currency: (row: T) => string, minor: (row: T) => number): Record<string, number> {
  const sums = new Map<string, number>();
  for (const row of rows) sums.set(currency(row), (sums.get(currency(row)) ?? 0) + minor(row));
  return Object.fromEntries([...sums.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)).map(([code, m]) => [code, fromMinor(m, code)]));
}
