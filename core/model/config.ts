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

/** The Platform's own spelling of each base type (DESIGN §3.2), used when no custom name is set. */
export const CHARGE_TYPE_LABELS: Readonly<Record<BaseChargeType, string>> = {
  PurchaseFee: 'Purchase Fee',
  CycleFee: 'Cycle Fee',
  Correction: 'Correction',
  UsageFee: 'Usage Fee',
  ItemFee: 'Item Fee',
  OneTimeFee: 'One Time Fee',
  UserCorrection: 'User Correction',
};

const chargeKey = (text: string) => text.toLowerCase().replace(/[^\p{L}\p{N}]+/gu, '');
const BASE_BY_KEY = new Map<string, BaseChargeType>();
for (const base of BASE_CHARGE_TYPES) {
  BASE_BY_KEY.set(chargeKey(base), base);
  BASE_BY_KEY.set(chargeKey(CHARGE_TYPE_LABELS[base]), base);
}

/**
 * The base type a config key names: its base name or the Platform's label, compared as charge
 * types are (case, spaces and hyphens ignored), so `Usage Fee`, `usage-fee` and `UsageFee` agree.
 */
export function chargeTypeKey(text: string): BaseChargeType | undefined {
  return BASE_BY_KEY.get(chargeKey(text));
}

const EXPECTED_TYPES = `one of ${BASE_CHARGE_TYPES.join(', ')} (or its label, e.g. "Usage Fee")`;

/**
 * A map keyed by charge type: every key is read as `chargeTypeKey` reads it and stored under the
 * base name; a key naming no charge type (or a second spelling of one already given) is an error
 * on that key, so a config is never silently half-applied.
 */
function chargeTypeRecord<T extends z.ZodType>(value: T, wildcard: boolean) {
  return z.record(z.string(), value).transform((record, ctx) => {
    const out: Record<string, z.output<T>> = {};
    for (const [key, v] of Object.entries(record)) {
      const base = wildcard && key.trim() === '*' ? '*' : chargeTypeKey(key);
      if (base === undefined) {
        ctx.issues.push({ code: 'custom', input: key, path: [key], message: `"${key}" is not a charge type: expected ${EXPECTED_TYPES}${wildcard ? ' or "*"' : ''}` });
      } else if (base in out) {
        ctx.issues.push({ code: 'custom', input: key, path: [key], message: `"${key}" names ${base} a second time` });
      } else out[base] = v as z.output<T>;
    }
    return out;
  });
}

/** A list of charge types, each spelled as `chargeTypeKey` reads it. */
const chargeTypeList = z.array(z.string()).transform((list, ctx) => {
  const out: BaseChargeType[] = [];
  list.forEach((item, i) => {
    const base = chargeTypeKey(item);
    if (base === undefined) ctx.issues.push({ code: 'custom', input: item, path: [i], message: `"${item}" is not a charge type: expected ${EXPECTED_TYPES}` });
    else if (!out.includes(base)) out.push(base);
  });
  return out;
});

/**
 * Every date form the readers know: the three orders with `/`, `.` or `-`. The order is what
 * counts (`DD.MM.YYYY` also says how `03/04/2026` is meant); the separator documents the data.
 */
export const DATE_FORMATS = [
  'DD/MM/YYYY',
  'MM/DD/YYYY',
  'YYYY/MM/DD',
  'DD.MM.YYYY',
  'MM.DD.YYYY',
  'YYYY.MM.DD',
  'DD-MM-YYYY',
  'MM-DD-YYYY',
  'YYYY-MM-DD',
] as const;
export type DateFormat = (typeof DATE_FORMATS)[number];

/** DESIGN §4.3 (and §3.7): every setting optional; `resolveConfig` fills the defaults. */
export const ReconcileConfig = z.object({
  defaultAgreementType: z.string().optional(),
  chargeTypeNames: chargeTypeRecord(z.string(), false)
    .transform((r) => r as Partial<Record<BaseChargeType, string>>)
    .optional(),
  recurringChargeTypes: chargeTypeList.optional(),
  cancelledDateDefaults: chargeTypeRecord(CancelledDateRule, true).optional(),
  recurringEffectiveDate: z.enum(['latest', 'earliest']).optional(),
  revenue: z.enum(['total', 'unit']).optional(),
  dateFormat: z.enum(DATE_FORMATS).optional(),
  decimalSeparator: z.enum(['.', ',']).optional(),
  lineRefField: z.string().optional(),
  companyRefField: z.string().optional(),
  agreementRefField: z.string().optional(),
});
export type ReconcileConfig = z.infer<typeof ReconcileConfig>;
