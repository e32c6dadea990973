import { z } from 'zod';

/** `GET /login/companyinfo/{company}`: unauthenticated; JSON `null` for an unknown company. */
export const CompanyInfo = z
  .looseObject({
    CompanyName: z.string().nullish(),
    Codebase: z.string(),
    VersionCode: z.string().nullish(),
    VersionNumber: z.string().nullish(),
    CompanyID: z.string().nullish(),
    IsCloud: z.union([z.string(), z.boolean()]).nullish(),
  })
  .nullable();
export type CompanyInfo = z.infer<typeof CompanyInfo>;

/** `GET /system/info`. */
export const SystemInfo = z.looseObject({
  version: z.string().nullish(),
  isCloud: z.boolean().nullish(),
  serverTimeZone: z.string().nullish(),
  cloudRegion: z.string().nullish(),
});
export type SystemInfo = z.infer<typeof SystemInfo>;

/** `GET /finance/currencies` rows: the agreement's reference may lack the ISO code, this has it. */
export const FinanceCurrency = z.looseObject({
  id: z.number().int(),
  currencyIdentifier: z.string().nullish(),
  currencyCode: z.looseObject({ id: z.number().int().optional(), name: z.string().nullish() }).nullish(),
  name: z.string().nullish(),
  symbol: z.string().nullish(),
});
export type FinanceCurrency = z.infer<typeof FinanceCurrency>;

/** ConnectWise error body (`ErrorResponseMessage`); 429s use `error` instead of `code`. */
export const ErrorBody = z.looseObject({
  code: z.string().nullish(),
  error: z.string().nullish(),
  message: z.string().nullish(),
  errors: z.array(z.looseObject({ code: z.string().nullish(), message: z.string().nullish(), field: z.string().nullish() })).nullish(),
});
