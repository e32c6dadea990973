import { z } from 'zod';

export const BASE_CHARGE_TYPES = [
  'PurchaseFee',
  'CycleFee',
  'Correction',
  'UsageFee',
  'ItemFee',
  'OneTimeFee',
  'UserCorrection',
] as const;
export const BaseChargeType = z.enum(BASE_CHARGE_TYPES);
export type BaseChargeType = z.infer<typeof BaseChargeType>;

export const CancelledDateRule = z.enum(['none', 'endOfStartMonth', 'chargeEnd']);
export type CancelledDateRule = z.infer<typeof CancelledDateRule>;

/** DESIGN §4.3 (and §3.7): every setting optional; `resolveConfig` fills the defaults. */
export const ReconcileConfig = z.object({
  defaultAgreementType: z.string().optional(),
  chargeTypeNames: z.partialRecord(BaseChargeType, z.string()).optional(),
  recurringChargeTypes: z.array(BaseChargeType).optional(),
  cancelledDateDefaults: z.record(z.string(), CancelledDateRule).optional(),
  recurringEffectiveDate: z.enum(['latest', 'earliest']).optional(),
  revenue: z.enum(['total', 'unit']).optional(),
  dateFormat: z.enum(['DD/MM/YYYY', 'MM/DD/YYYY']).optional(),
  decimalSeparator: z.enum(['.', ',']).optional(),
  lineRefField: z.string().optional(),
  companyRefField: z.string().optional(),
  agreementRefField: z.string().optional(),
});
export type ReconcileConfig = z.infer<typeof ReconcileConfig>;
