import { BASE_CHARGE_TYPES, CHARGE_TYPE_LABELS, type BaseChargeType } from '../model';
import { compactKey } from '../shared/text';
import type { ResolvedConfig } from './config';

/** The Platform's own spelling of each base type, used when no custom name is configured. */
export const DEFAULT_LABELS: Readonly<Record<BaseChargeType, string>> = CHARGE_TYPE_LABELS;

export interface ChargeTypes {
  /** The base type a displayed label stands for, or undefined when nothing known matches. */
  baseOf(label: string): BaseChargeType | undefined;
  isRecurring(base: BaseChargeType | undefined): boolean;
  /** The label the Platform writes for a base type (a custom name when one is configured). */
  labelOf(base: BaseChargeType): string;
}

/**
 * Labels compare case-, space- and hyphen-insensitively (DESIGN §3.2). Both the base names and the
 * partner's custom names are recognised: lines synced before a rename still carry the old name.
 */
export function chargeTypes(config: ResolvedConfig): ChargeTypes {
  const byKey = new Map<string, BaseChargeType>();
  for (const base of BASE_CHARGE_TYPES) {
    byKey.set(compactKey(base), base);
    byKey.set(compactKey(DEFAULT_LABELS[base]), base);
  }
  // Custom names win over base spellings should a partner reuse one for another type.
  for (const base of BASE_CHARGE_TYPES) {
    const custom = config.chargeTypeNames[base];
    if (custom && compactKey(custom) !== '') byKey.set(compactKey(custom), base);
  }
  // Lines repeat a handful of labels: normalise each distinct spelling once.
  const seen = new Map<string, BaseChargeType | undefined>();
  return {
    baseOf: (label) => {
      if (seen.has(label)) return seen.get(label);
      const base = byKey.get(compactKey(label));
      seen.set(label, base);
      return base;
    },
    isRecurring: (base) => base !== undefined && config.recurringChargeTypes.has(base),
    labelOf: (base) => config.chargeTypeNames[base] ?? DEFAULT_LABELS[base],
  };
}

export function defaultLabel(base: BaseChargeType): string {
  return DEFAULT_LABELS[base];
}
