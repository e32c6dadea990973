/**
 * ISO 4217 currencies whose minor unit is not 1/100. Prices compare within half a minor unit
 * (DESIGN §3.3), so a yen amount tolerates 0.5 while a euro amount tolerates 0.005.
 */
const DECIMALS: Record<string, number> = {
  BIF: 0, CLP: 0, DJF: 0, GNF: 0, ISK: 0, JPY: 0, KMF: 0, KRW: 0, PYG: 0, RWF: 0, UGX: 0,
  UYI: 0, VND: 0, VUV: 0, XAF: 0, XOF: 0, XPF: 0,
  BHD: 3, IQD: 3, JOD: 3, KWD: 3, LYD: 3, OMR: 3, TND: 3,
  CLF: 4, UYW: 4,
};

export function currencyDecimals(code: string | null | undefined): number {
  if (!code) return 2;
  return DECIMALS[code.trim().toUpperCase()] ?? 2;
}

export function minorUnit(code: string | null | undefined): number {
  return 10 ** -currencyDecimals(code);
}

/** Rounds to the currency's minor unit (half away from zero, as invoices do). */
export function roundMoney(amount: number, code: string | null | undefined): number {
  const factor = 10 ** currencyDecimals(code);
  const scaled = Math.abs(amount) * factor;
  // The epsilon absorbs binary noise such as 1.005 * 100 = 100.49999…
  const rounded = Math.round(scaled + 1e-9) / factor;
  return amount < 0 ? -rounded : rounded;
}
