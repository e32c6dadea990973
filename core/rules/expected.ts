import type { BaseChargeType, CancelledDateRule, PlatformLine } from '../model';
import { endOfMonth, type IsoDate } from '../shared/dates';
import type { ChargeTypes } from './chargeTypes';
import type { ResolvedConfig } from './config';
import { minorUnit } from './currency';

/** What one line (or one subscription, through its latest line) says its Addition must hold. */
export interface ExpectedValues {
  effectiveDate: IsoDate;
  cancelledDate: IsoDate | null;
  quantity: number;
  unitPrice: number;
  /** Revenue as a total, for the Unit Price × Quantity tolerance. */
  revenueTotal: number;
  /** The charge-type label the Addition's Description must carry. */
  description: string;
}

/**
 * The Cancelled Date a line's own values imply (DESIGN §3.3): a badged Charge End Date is what
 * the Platform sends; otherwise the per-type default. Ended subscriptions are decided elsewhere
 * because they depend on the other lines loaded.
 */
export function expectedCancelledDate(
  line: PlatformLine,
  base: BaseChargeType | undefined,
  recurring: boolean,
  config: ResolvedConfig,
): IsoDate | null {
  if (line.chargeEndDateBadge) return line.chargeEndDate ?? null;
  const rule = cancelledRule(base, recurring, config);
  switch (rule) {
    case 'none':
      return null;
    case 'chargeEnd':
      return line.chargeEndDate ?? null;
    case 'endOfStartMonth':
      return monthEnd(line.chargeStartDate);
  }
}

/** Month ends repeat across thousands of lines; the cache holds one entry per month seen. */
const MONTH_ENDS = new Map<string, IsoDate>();
function monthEnd(date: IsoDate): IsoDate {
  const month = date.slice(0, 7);
  let end = MONTH_ENDS.get(month);
  if (end === undefined) {
    end = endOfMonth(date);
    MONTH_ENDS.set(month, end);
  }
  return end;
}

function cancelledRule(base: BaseChargeType | undefined, recurring: boolean, config: ResolvedConfig): CancelledDateRule {
  const own = base ? config.cancelledDateDefaults[base] : undefined;
  if (own) return own;
  const fallback = config.cancelledDateDefaults['*'];
  if (fallback) return fallback;
  if (recurring) return 'none';
  return base === 'UserCorrection' ? 'chargeEnd' : 'endOfStartMonth';
}

/** Revenue / Quantity with `revenue: "total"`, Revenue itself with `"unit"`. */
export function expectedUnitPrice(line: PlatformLine, config: ResolvedConfig): { unitPrice: number; revenueTotal: number } {
  if (config.revenue === 'unit') return { unitPrice: line.revenue, revenueTotal: line.revenue * line.quantity };
  const unitPrice = line.quantity === 0 ? line.revenue : line.revenue / line.quantity;
  return { unitPrice, revenueTotal: line.revenue };
}

/** `UserCorrection` syncs under the Correction label; every other line under its own label. */
export function expectedDescription(line: PlatformLine, base: BaseChargeType | undefined, types: ChargeTypes): string {
  return base === 'UserCorrection' ? types.labelOf('Correction') : line.chargeType;
}

export function expectedValues(
  line: PlatformLine,
  base: BaseChargeType | undefined,
  recurring: boolean,
  config: ResolvedConfig,
  types: ChargeTypes,
): ExpectedValues {
  // expectedUnitPrice, without building its result for every line.
  const unit = config.revenue === 'unit';
  return {
    effectiveDate: line.chargeStartDate,
    cancelledDate: expectedCancelledDate(line, base, recurring, config),
    quantity: line.quantity,
    unitPrice: unit || line.quantity === 0 ? line.revenue : line.revenue / line.quantity,
    revenueTotal: unit ? line.revenue * line.quantity : line.revenue,
    description: expectedDescription(line, base, types),
  };
}

/**
 * DESIGN §3.3 tolerance: equal within half a minor unit, or when the Addition's price times the
 * quantity lands within one minor unit of the revenue (the Platform rounds totals, not units).
 */
export function unitPriceMatches(
  actual: number,
  expected: { unitPrice: number; revenueTotal: number; quantity: number },
  currency: string | undefined,
): boolean {
  const minor = minorUnit(currency);
  const slack = minor * 1e-6;
  if (Math.abs(actual - expected.unitPrice) <= minor / 2 + slack) return true;
  return Math.abs(actual * expected.quantity - expected.revenueTotal) <= minor + slack;
}
