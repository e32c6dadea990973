import type { Finding } from '../../core/model';
import { fieldWords, formatValue } from './words';

/** One value a finding shows: which system holds it, under that system's word for the field. */
export interface ShownValue {
  system: 'AppXite Platform' | 'ConnectWise';
  label: string;
  value: string;
  /** `expected` or `actual`: the report field it comes from. */
  from: 'expected' | 'actual';
}

/**
 * Fields whose values are both the Platform line's own (no ConnectWise value to set beside them):
 * the words for each, in the order the report's `expected` holds them.
 */
const PLATFORM_ONLY: Record<string, string> = {
  chargeperiod: 'Charge Start Date to Charge End Date',
};

/**
 * The values a finding shows, in the panel and the printable evidence alike, so both say the
 * same thing the report says: every value with the system it belongs to.
 */
export function shownValues(f: Finding): ShownValue[] {
  if (!f.field) return [];
  const key = f.field.toLowerCase().replace(/[^a-z]/g, '');
  const own = PLATFORM_ONLY[key];
  if (own) {
    return f.expected === undefined ? [] : [{ system: 'AppXite Platform', label: own, value: formatValue(f.expected), from: 'expected' }];
  }
  const words = fieldWords(f.field);
  if (!words) return [];
  const out: ShownValue[] = [];
  if (f.expected !== undefined) out.push({ system: 'AppXite Platform', label: words.platform, value: formatValue(f.expected), from: 'expected' });
  if (f.actual !== undefined || f.expected !== undefined) {
    out.push({ system: 'ConnectWise', label: words.connectwise, value: formatValue(f.actual), from: 'actual' });
  }
  return out;
}
