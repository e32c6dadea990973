/**
 * Calendar dates as `YYYY-MM-DD` strings. Billing dates carry no time of day and no zone, so a
 * plain string compares correctly with `<` and never shifts across midnight.
 */
export type IsoDate = string;

const ISO = /^(\d{4})-(\d{2})-(\d{2})/;

export function isValidYmd(y: number, m: number, d: number): boolean {
  if (m < 1 || m > 12 || d < 1) return false;
  return d <= daysInMonth(y, m);
}

export function daysInMonth(year: number, month: number): number {
  return new Date(Date.UTC(year, month, 0)).getUTCDate();
}

export function ymd(y: number, m: number, d: number): IsoDate {
  return `${String(y).padStart(4, '0')}-${String(m).padStart(2, '0')}-${String(d).padStart(2, '0')}`;
}

/** Reads the date part of an ISO date or date-time (`2026-11-01T00:00:00Z` → `2026-11-01`). */
export function isoDatePart(value: string | null | undefined): IsoDate | null {
  if (!value) return null;
  const m = ISO.exec(value.trim());
  if (!m) return null;
  const [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])];
  return isValidYmd(y, mo, d) ? ymd(y, mo, d) : null;
}

/** `2026-11` for `2026-11-17`. */
export function monthOf(date: IsoDate): string {
  return date.slice(0, 7);
}

export function startOfMonth(date: IsoDate): IsoDate {
  return `${date.slice(0, 7)}-01`;
}

export function endOfMonth(date: IsoDate): IsoDate {
  const y = Number(date.slice(0, 4));
  const m = Number(date.slice(5, 7));
  return ymd(y, m, daysInMonth(y, m));
}

/** Days from a to b (b − a). */
export function daysBetween(a: IsoDate, b: IsoDate): number {
  const ta = Date.UTC(Number(a.slice(0, 4)), Number(a.slice(5, 7)) - 1, Number(a.slice(8, 10)));
  const tb = Date.UTC(Number(b.slice(0, 4)), Number(b.slice(5, 7)) - 1, Number(b.slice(8, 10)));
  return Math.round((tb - ta) / 86_400_000);
}

export function addDays(date: IsoDate, days: number): IsoDate {
  const t = Date.UTC(Number(date.slice(0, 4)), Number(date.slice(5, 7)) - 1, Number(date.slice(8, 10)) + days);
  const d = new Date(t);
  return ymd(d.getUTCFullYear(), d.getUTCMonth() + 1, d.getUTCDate());
}

/** The ConnectWise REST form of a date (`2026-11-01T00:00:00Z`). */
export function toCwDateTime(date: IsoDate): string {
  return `${date}T00:00:00Z`;
}
