import type { CwAddition, PlatformLine } from '../model';
import { endOfMonth, isoDatePart, monthOf, type IsoDate } from '../shared/dates';

export interface Window {
  from: IsoDate;
  to: IsoDate;
}

/** The loaded invoice months, sorted (`YYYY-MM`). */
export function invoiceMonths(lines: readonly PlatformLine[]): string[] {
  const months = new Set<string>();
  for (const line of lines) months.add(monthOf(line.invoiceDate));
  return [...months].sort();
}

/** DESIGN §3.5: first day of the earliest loaded invoice month to the last day of the latest. */
export function scopeWindow(months: readonly string[]): Window | null {
  if (months.length === 0) return null;
  return { from: `${months[0]!}-01`, to: endOfMonth(`${months[months.length - 1]!}-01`) };
}

/** An Addition is in scope when it starts by the window's end and is not cancelled before it. */
export function inScope(addition: CwAddition, window: Window): boolean {
  const effective = effectiveOf(addition);
  if (effective !== null && effective > window.to) return false;
  const cancelled = cancelledOf(addition);
  return cancelled === null || cancelled >= window.from;
}

// An Addition's dates are read many times while matching; parse each once per object.
const DATES = new WeakMap<CwAddition, [IsoDate | null, IsoDate | null, string | null | undefined, string | null | undefined]>();

function datesOf(addition: CwAddition) {
  let cached = DATES.get(addition);
  // The raw strings are kept so an Addition edited in place is read again.
  if (!cached || cached[2] !== addition.effectiveDate || cached[3] !== addition.cancelledDate) {
    cached = [isoDatePart(addition.effectiveDate), isoDatePart(addition.cancelledDate), addition.effectiveDate, addition.cancelledDate];
    DATES.set(addition, cached);
  }
  return cached;
}

export function effectiveOf(addition: CwAddition): IsoDate | null {
  return datesOf(addition)[0];
}

export function cancelledOf(addition: CwAddition): IsoDate | null {
  return datesOf(addition)[1];
}
