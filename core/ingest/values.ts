/**
 * Cell values as the Platform and ConnectWise show them (DESIGN §4.1, §5): dates in several
 * orders, numbers with separators, symbols and codes, badges glued onto the value. Each parser
 * returns null for text it cannot read so the caller can name file, row, column and value.
 */
import type { Badge, DateFormat, SyncStatus } from '../model';
import { isValidYmd, ymd, type IsoDate } from '../shared/dates';

export type DateOrder = 'YMD' | 'DMY' | 'MDY';
export type ConfigDateFormat = DateFormat;
export type DecimalSeparator = '.' | ',';

const BADGES: readonly Badge[] = ['System Updated', 'User Updated'];
// A badge may sit in parentheses or brackets after the value, or stand alone as its own chip.
const BADGE_RE = /[([]?\s*\b(system|user)[\s-]*updated\b\s*[)\]]?/i;

// Every badge contains this word; testing for it first spares the full pattern on plain values.
const BADGE_WORD = /updated/i;

/** Splits `01.11.2026 (System Updated)` into the value and its badge. */
export function splitBadge(text: string): { text: string; badge?: Badge } {
  if (!BADGE_WORD.test(text)) return { text: text.trim() };
  const m = BADGE_RE.exec(text);
  if (!m) return { text: text.trim() };
  const badge = asBadge(m[1] ?? '');
  const rest = (text.slice(0, m.index) + ' ' + text.slice(m.index + m[0].length)).replace(/\s+/g, ' ').trim();
  return badge ? { text: rest, badge } : { text: text.trim() };
}

/** The value of a cell without any badge in it (`splitBadge(text).text`, without building a result). */
export function withoutBadge(text: string): string {
  return BADGE_WORD.test(text) ? splitBadge(text).text : text.trim();
}

/** Reads a badge column's value (`System Updated`, `system-updated`, empty). */
export function parseBadge(text: string): Badge | undefined | null {
  const t = text.trim();
  if (t === '') return undefined;
  const m = BADGE_RE.exec(t);
  if (!m || t.replace(m[0], '').trim() !== '') return null;
  return asBadge(m[1] ?? '') ?? null;
}

function asBadge(word: string): Badge | undefined {
  return BADGES.find((b) => b.toLowerCase().startsWith(word.toLowerCase()));
}

const PLAIN_ISO = /^\d{4}-\d{2}-\d{2}$/;
const TIME_TAIL = /(?:[T\s]+\d{1,2}:\d{2}(?::\d{2}(?:\.\d+)?)?\s*(?:[AaPp][Mm])?\s*(?:Z|[+-]\d{2}:?\d{2})?)$/;

/**
 * File dates (§4.1): `YYYY-MM-DD` (time ignored), `DD.MM.YYYY`, and slashed dates only when the
 * config says which order they use, because `03/04/2026` is genuinely ambiguous.
 */
export function parseFileDate(text: string, dateFormat?: ConfigDateFormat): IsoDate | null {
  // The export's own form, already canonical: only the calendar needs checking.
  if (text.length === 10 && PLAIN_ISO.test(text)) return isValidYmd(Number(text.slice(0, 4)), Number(text.slice(5, 7)), Number(text.slice(8))) ? text : null;
  const t = text.trim().replace(TIME_TAIL, '').trim();
  let m = /^(\d{4})-(\d{1,2})-(\d{1,2})$/.exec(t);
  if (m) return make(m[1], m[2], m[3]);
  m = /^(\d{1,2})\.(\d{1,2})\.(\d{4})$/.exec(t);
  if (m) return make(m[3], m[2], m[1]);
  m = /^(\d{1,2})\/(\d{1,2})\/(\d{4})$/.exec(t);
  const order = configDateOrder(dateFormat);
  if (m && order === 'DMY') return make(m[3], m[2], m[1]);
  if (m && order === 'MDY') return make(m[3], m[1], m[2]);
  return null;
}

/** Why a file date failed, for the error message. */
export function fileDateProblem(text: string, dateFormat?: ConfigDateFormat): string {
  if (/^\s*\d{1,2}\/\d{1,2}\/\d{4}/.test(text) && !dateFormat) {
    return 'slashed dates need config dateFormat ("DD/MM/YYYY" or "MM/DD/YYYY")';
  }
  return 'not a date (expected YYYY-MM-DD or DD.MM.YYYY)';
}

/**
 * Screen dates in a given order with any of `/ . -` as separator and 2- or 4-digit years, as the
 * ConnectWise list view prints them per user locale (`11/1/2026`, `01.11.2026`, `2026-11-01`).
 */
export function parseDateInOrder(text: string, order: DateOrder): IsoDate | null {
  const t = text.trim().replace(TIME_TAIL, '').trim();
  const m = /^(\d{1,4})[./-](\d{1,2})[./-](\d{1,4})\.?$/.exec(t);
  if (!m) return null;
  const [a, b, c] = [m[1] ?? '', m[2] ?? '', m[3] ?? ''];
  if (order === 'YMD') return a.length === 4 ? make(a, b, c) : null;
  if (a.length > 2 || (c.length !== 4 && c.length !== 2)) return null;
  const year = c.length === 2 ? `20${c}` : c;
  return order === 'DMY' ? make(year, b, a) : make(year, a, b);
}

/** The orders that read every one of the values (ignoring blanks). */
export function dateOrdersFitting(values: readonly string[]): DateOrder[] {
  const present = values.map((v) => v.trim()).filter((v) => v !== '');
  return (['YMD', 'DMY', 'MDY'] as const).filter((o) => present.every((v) => parseDateInOrder(v, o) !== null));
}

/** True when every value means the same day in both orders (e.g. all days equal their months). */
export function ordersAgree(values: readonly string[], orders: readonly DateOrder[]): boolean {
  return values.every((v) => new Set(orders.map((o) => parseDateInOrder(v, o))).size <= 1);
}

/** The date order a locale prints (`en-US` → MDY, `de-DE` → DMY, `sv-SE` → YMD). */
export function localeDateOrder(locale: string): DateOrder | undefined {
  let parts: Intl.DateTimeFormatPart[];
  try {
    parts = new Intl.DateTimeFormat(normaliseLocale(locale), { year: 'numeric', month: '2-digit', day: '2-digit', timeZone: 'UTC' }).formatToParts(
      Date.UTC(2026, 10, 23),
    );
  } catch {
    return undefined;
  }
  const order = parts
    .filter((p) => p.type === 'year' || p.type === 'month' || p.type === 'day')
    .map((p) => p.type[0]?.toUpperCase())
    .join('');
  return order === 'YMD' || order === 'DMY' || order === 'MDY' ? order : undefined;
}

/** The decimal separator a locale prints. */
export function localeDecimalSeparator(locale: string): DecimalSeparator | undefined {
  try {
    const part = new Intl.NumberFormat(normaliseLocale(locale)).formatToParts(1.5).find((p) => p.type === 'decimal');
    return part?.value === ',' ? ',' : part?.value === '.' ? '.' : undefined;
  } catch {
    return undefined;
  }
}

/** `en_US` (ConnectWise URLs) → `en-US`. */
export function normaliseLocale(locale: string): string {
  return locale.trim().replace(/_/g, '-');
}

/** The order a configured format states, whatever its separator (`DD.MM.YYYY` → DMY). */
export function configDateOrder(format: ConfigDateFormat | undefined): DateOrder | undefined {
  if (!format) return undefined;
  const order = format.replace(/[^DMY]/g, '').replace(/(.)\1+/g, '$1');
  return order === 'DMY' || order === 'MDY' || order === 'YMD' ? order : undefined;
}

function make(y: string | undefined, m: string | undefined, d: string | undefined): IsoDate | null {
  const [yy, mm, dd] = [Number(y), Number(m), Number(d)];
  return isValidYmd(yy, mm, dd) ? ymd(yy, mm, dd) : null;
}

export interface ParsedNumber {
  value: number;
  /** A three-letter currency code found beside the number, if any (`NOK 79.99`). */
  currency?: string;
}

/**
 * Numbers with thousands separators, a currency symbol or code, a leading or trailing minus, or
 * accounting parentheses. Thousands groups must be groups of three, so `1,5` with a `.` decimal
 * separator is rejected instead of silently read as fifteen.
 */
export function parseNumber(text: string, decimal: DecimalSeparator = '.'): ParsedNumber | null {
  // Plain digits (the export's own form) need none of the steps below.
  const plain = plainNumber(text, decimal);
  if (plain !== undefined) return { value: plain };
  let t = text.replace(/[\u00a0\u202f\u2009]/g, ' ').trim();
  if (t === '') return null;
  let negative = false;
  let currency: string | undefined;
  const paren = /^\((.*)\)$/.exec(t);
  if (paren) {
    negative = true;
    t = (paren[1] ?? '').trim();
  }
  const lead = /^([A-Za-z]{3})\s*(.+)$/.exec(t);
  const trail = /^(.+?)\s*([A-Za-z]{3})$/.exec(t);
  if (lead && /^[-−+(\d\p{Sc}.,]/u.test(lead[2] ?? '')) {
    currency = (lead[1] ?? '').toUpperCase();
    t = (lead[2] ?? '').trim();
  } else if (trail && /[\d)\p{Sc}]$/u.test(trail[1] ?? '')) {
    currency = (trail[2] ?? '').toUpperCase();
    t = (trail[1] ?? '').trim();
  }
  t = t.replace(/\p{Sc}/gu, '').replace(/\s*kr\.?$|^kr\.?\s*/i, '').trim();
  const sub = /^\((.*)\)$/.exec(t);
  if (sub) {
    negative = !negative;
    t = (sub[1] ?? '').trim();
  }
  if (/^[-−]/.test(t)) {
    negative = !negative;
    t = t.slice(1).trim();
  } else if (t.startsWith('+')) {
    // An explicit plus sign (`+5.00`) is how some exports mark a charge beside credits.
    t = t.slice(1).trim();
  } else if (/[-−]$/.test(t)) {
    negative = !negative;
    t = t.slice(0, -1).trim();
  }
  t = t.replace(/^[\p{Sc}\s]+|[\p{Sc}\s]+$/gu, '');
  const value = parseUnsigned(t, decimal);
  if (value === null) return null;
  const signed = negative ? -value : value;
  return currency ? { value: signed === 0 ? 0 : signed, currency } : { value: signed === 0 ? 0 : signed };
}

const PLAIN_NUMBER = /^-?\d{1,15}(?:\.\d{1,15})?$/;

/** The value of plain digits with a `.` decimal point (zero never negative); undefined for any other form. */
function plainNumber(text: string, decimal: DecimalSeparator): number | undefined {
  if (decimal !== '.' || !PLAIN_NUMBER.test(text)) return undefined;
  const n = Number(text);
  return n === 0 ? 0 : n;
}

/**
 * `parseNumber(text, decimal)?.value` for a reader of many rows: the export's plain digits are
 * read without building a result object; anything else takes parseNumber's whole way.
 */
export function numberValue(text: string, decimal: DecimalSeparator = '.'): number | null {
  return plainNumber(text, decimal) ?? parseNumber(text, decimal)?.value ?? null;
}

/** The patterns for one decimal separator, built once. */
function unsignedPatterns(decimal: DecimalSeparator): { whole: RegExp; thousands: RegExp } {
  // Swiss exports group thousands with a typographic apostrophe (`1’234.50`).
  const thousands = decimal === '.' ? "[,'\u2019 ]" : "[.'\u2019 ]";
  const dec = decimal === '.' ? '\\.' : ',';
  return { whole: new RegExp(`^(?:\\d{1,3}(?:${thousands}\\d{3})+|\\d+)?(?:${dec}\\d+)?$`), thousands: new RegExp(thousands, 'g') };
}
const UNSIGNED = { '.': unsignedPatterns('.'), ',': unsignedPatterns(',') } as const;

function parseUnsigned(t: string, decimal: DecimalSeparator): number | null {
  const { whole, thousands } = UNSIGNED[decimal];
  if (!/\d/.test(t) || !whole.test(t)) return null;
  const plain = t.replace(thousands, '').replace(decimal, '.');
  const n = Number(plain);
  return Number.isFinite(n) ? n : null;
}

/**
 * The decimal separator that reads every value of a column, for screens that do not say their
 * locale: a value using both marks, or a mark followed by other than three digits, decides it.
 */
export function inferDecimalSeparator(values: readonly string[], fallback: DecimalSeparator = '.'): DecimalSeparator {
  const fits = (d: DecimalSeparator) => values.every((v) => v.trim() === '' || parseNumber(v, d) !== null);
  const dot = fits('.');
  const comma = fits(',');
  if (dot && !comma) return '.';
  if (comma && !dot) return ',';
  if (dot && comma) {
    for (const v of values) {
      if (/,\d{1,2}(?!\d)/.test(v) && !/\.\d/.test(v)) return ',';
      if (/\.\d{1,2}(?!\d)/.test(v) && !/,\d/.test(v)) return '.';
    }
  }
  return fallback;
}

/** Yes/No cells and toggles. */
export function parseYesNo(text: string): boolean | null {
  const t = text.trim().toLowerCase();
  if (['', 'no', 'n', 'false', '0', 'off', 'not excluded'].includes(t)) return false;
  if (['yes', 'y', 'true', '1', 'on', 'excluded'].includes(t)) return true;
  return null;
}

/** *Status in PSA* values; `Excluded` shows as a status on some screens. */
export function parseSyncStatus(text: string): { status?: SyncStatus; excluded?: boolean } | null {
  const key = text.toLowerCase().replace(/[^a-z]/g, '');
  switch (key) {
    case '':
      return {};
    case 'synced':
    case 'sync':
    case 'posted':
      return { status: 'Synced' };
    case 'notsynced':
    case 'unsynced':
    case 'pending':
    case 'notposted':
      return { status: 'Not Synced' };
    case 'error':
    case 'failed':
    case 'syncerror':
      return { status: 'Error' };
    case 'responseerror':
      return { status: 'Response Error' };
    case 'excluded':
    case 'excludedfromsync':
      return { status: 'Not Synced', excluded: true };
    default:
      return null;
  }
}
