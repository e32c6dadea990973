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
  const effective = isoDatePart(addition.effectiveDate);
  if (effective !== null && effective > window.to) return false;
  const cancelled = isoDatePart(addition.cancelledDate);
  return cancelled === null || cancelled >= window.from;
}
