import { isoDatePart } from '../../../../core/shared/dates';

/** `en_US`, `en-gb` or nonsense in, a canonical BCP 47 tag out (en-US when unusable). */
export function canonicalLocale(raw: string | null | undefined): string {
  if (!raw) return 'en-US';
  try {
    const [tag] = Intl.getCanonicalLocales(raw.replace(/_/g, '-'));
    return tag && Intl.DateTimeFormat.supportedLocalesOf([tag]).length ? tag : 'en-US';
  } catch {
    return 'en-US';
  }
}

/** Formatters for one user locale, the way ConnectWise shows dates, money and quantities. */
export interface CwFormat {
  locale: string;
  date(value: string | null | undefined): string;
  money(value: number | null | undefined, currency?: string | null, symbol?: string | null): string;
  number(value: number | null | undefined): string;
}

export function cwFormat(locale: string): CwFormat {
  const dates = new Intl.DateTimeFormat(locale, { year: 'numeric', month: '2-digit', day: '2-digit', timeZone: 'UTC' });
  const numbers = new Intl.NumberFormat(locale, { maximumFractionDigits: 6 });
  const moneyBy = new Map<string, Intl.NumberFormat>();
  // Accounting style puts negatives in parentheses, as ConnectWise grids do; sub-cent prices keep
  // their digits instead of being rounded to the currency's usual two.
  const moneyFormat = (currency: string, decimals: number): Intl.NumberFormat => {
    const id = `${currency}/${decimals}`;
    let f = moneyBy.get(id);
    if (!f) {
      try {
        const usual = new Intl.NumberFormat(locale, { style: 'currency', currency }).resolvedOptions().maximumFractionDigits ?? 2;
        const digits = Math.max(usual, decimals);
        f = new Intl.NumberFormat(locale, { style: 'currency', currency, currencyDisplay: 'code', currencySign: 'accounting', minimumFractionDigits: Math.min(usual, digits), maximumFractionDigits: digits });
      } catch {
        f = new Intl.NumberFormat(locale, { minimumFractionDigits: 2, maximumFractionDigits: Math.max(2, decimals) });
      }
      moneyBy.set(id, f);
    }
    return f;
  };
  return {
    locale,
    date(value) {
      const iso = isoDatePart(value);
      if (!iso) return '';
      return dates.format(Date.UTC(Number(iso.slice(0, 4)), Number(iso.slice(5, 7)) - 1, Number(iso.slice(8, 10))));
    },
    money(value, currency, symbol) {
      if (value === null || value === undefined) return '';
      const decimals = Math.min(6, (String(value).split('.')[1] ?? '').length);
      const code = (currency || 'USD').toUpperCase();
      // Manage prints the symbol set up for the currency (often just its code), placed the
      // locale's way; a sign-like symbol ($, £) sits against the number.
      const shown = symbol || code;
      const tight = !/\p{L}/u.test(shown);
      const parts = moneyFormat(code, decimals).formatToParts(value);
      let text = '';
      parts.forEach((part, i) => {
        if (part.type === 'currency') text += shown;
        else if (part.type === 'literal' && /^\s+$/u.test(part.value) && tight && parts[i - 1]?.type === 'currency') text += '';
        else text += part.value;
      });
      return parts.some((p) => p.type === 'currency') || !symbol ? text : `${shown}${text}`;
    },
    number(value) {
      return value === null || value === undefined ? '' : numbers.format(value);
    },
  };
}
