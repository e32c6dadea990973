import { chargeTypeKey, type BaseChargeType, type CancelledDateRule, type ReconcileConfig } from '../model';

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
    chargeTypeNames: byBase(config.chargeTypeNames, false) as Partial<Record<BaseChargeType, string>>,
    recurringChargeTypes: new Set(config.recurringChargeTypes ? config.recurringChargeTypes.map((t) => chargeTypeKey(t)).filter((t) => t !== undefined) : DEFAULT_RECURRING),
    cancelledDateDefaults: byBase(config.cancelledDateDefaults, true),
    recurringEffectiveDate: config.recurringEffectiveDate ?? 'latest',
    revenue: config.revenue ?? 'total',
    lineRefField: blankToUndefined(config.lineRefField),
    companyRefField: blankToUndefined(config.companyRefField),
    agreementRefField: blankToUndefined(config.agreementRefField),
  };
}

/**
 * Keys of a charge-type map under their base names, whatever spelling the settings used (the
 * config schema already rejected keys naming no type; settings built in code are read alike).
 */
function byBase<T>(record: Readonly<Record<string, T>> | undefined, wildcard: boolean): Record<string, T> {
  const out: Record<string, T> = {};
  for (const [key, value] of Object.entries(record ?? {})) {
    const base = wildcard && key.trim() === '*' ? '*' : chargeTypeKey(key);
    if (base !== undefined && !(base in out)) out[base] = value;
  }
  return out;
}

function blankToUndefined(value: string | undefined): string | undefined {
  return value && value.trim() !== '' ? value.trim() : undefined;
}
