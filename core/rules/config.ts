import type { BaseChargeType, CancelledDateRule, ReconcileConfig } from '../model';

/** Every setting of DESIGN §4.3 with its default filled in, so rules never re-derive defaults. */
export interface ResolvedConfig {
  defaultAgreementType?: string;
  chargeTypeNames: Partial<Record<BaseChargeType, string>>;
  recurringChargeTypes: ReadonlySet<BaseChargeType>;
  cancelledDateDefaults: Record<string, CancelledDateRule>;
  recurringEffectiveDate: 'latest' | 'earliest';
  revenue: 'total' | 'unit';
  lineRefField?: string;
  companyRefField?: string;
  agreementRefField?: string;
}

export const DEFAULT_RECURRING: readonly BaseChargeType[] = ['PurchaseFee', 'CycleFee'];

export function resolveConfig(config: ReconcileConfig = {}): ResolvedConfig {
  return {
    defaultAgreementType: blankToUndefined(config.defaultAgreementType),
    chargeTypeNames: { ...(config.chargeTypeNames ?? {}) },
    recurringChargeTypes: new Set(config.recurringChargeTypes ?? DEFAULT_RECURRING),
    cancelledDateDefaults: { ...(config.cancelledDateDefaults ?? {}) },
    recurringEffectiveDate: config.recurringEffectiveDate ?? 'latest',
    revenue: config.revenue ?? 'total',
    lineRefField: blankToUndefined(config.lineRefField),
    companyRefField: blankToUndefined(config.companyRefField),
    agreementRefField: blankToUndefined(config.agreementRefField),
  };
}

function blankToUndefined(value: string | undefined): string | undefined {
  return value && value.trim() !== '' ? value.trim() : undefined;
}
