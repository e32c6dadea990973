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

/*
 * Records as the published API spec describes them (Manage OpenAPI, as generated into the
 * `connectwise-rest` types): nearly every field optional or nullable, reference ids included,
 * custom field values possibly without `value`. Only types are checked here; what reconciliation
 * needs from a record is decided in `pull.ts`, one record at a time.
 */
const WireRef = z.looseObject({ id: z.number().int().nullish(), name: z.string().nullish(), identifier: z.string().nullish() });
const WireCustomField = z.looseObject({ id: z.number().int().nullish(), caption: z.string().nullish(), type: z.string().nullish(), value: z.unknown().optional() });
const WireCurrency = z.looseObject({
  id: z.number().int().nullish(),
  currencyCode: z.string().nullish(),
  currencyIdentifier: z.string().nullish(),
  name: z.string().nullish(),
  symbol: z.string().nullish(),
});
const text = z.string().nullish();
const flag = z.boolean().nullish();
const amount = z.number().nullish();

export const WireCompany = z.looseObject({
  id: z.number().int().nullish(),
  identifier: text,
  name: text,
  status: WireRef.nullish(),
  types: z.array(WireRef).nullish(),
  site: WireRef.nullish(),
  deletedFlag: flag,
  customFields: z.array(WireCustomField).nullish(),
});
export type WireCompany = z.infer<typeof WireCompany>;

export const WireAgreement = z.looseObject({
  id: z.number().int().nullish(),
  name: text,
  type: WireRef.nullish(),
  company: WireRef.nullish(),
  startDate: text,
  endDate: text,
  noEndingDateFlag: flag,
  agreementStatus: text,
  cancelledFlag: flag,
  billProducts: text,
  billingCycle: WireRef.nullish(),
  currency: WireCurrency.nullish(),
  autoInvoiceFlag: flag,
  customFields: z.array(WireCustomField).nullish(),
});
export type WireAgreement = z.infer<typeof WireAgreement>;

export const WireAddition = z.looseObject({
  id: z.number().int().nullish(),
  agreementId: z.number().int().nullish(),
  product: z.looseObject({ id: z.number().int().nullish(), identifier: text }).nullish(),
  quantity: amount,
  lessIncluded: amount,
  unitPrice: amount,
  unitCost: amount,
  extPrice: amount,
  billCustomer: text,
  effectiveDate: text,
  cancelledDate: text,
  description: text,
  invoiceDescription: text,
  agreementStatus: text,
  customFields: z.array(WireCustomField).nullish(),
});
export type WireAddition = z.infer<typeof WireAddition>;

export const WireAgreementType = z.looseObject({
  id: z.number().int().nullish(),
  name: text,
  defaultFlag: flag,
  billProducts: text,
  billingCycle: WireRef.nullish(),
  autoInvoiceFlag: flag,
  inactiveFlag: flag,
});

export const WireCatalogItem = z.looseObject({
  id: z.number().int().nullish(),
  identifier: text,
  description: text,
  inactiveFlag: flag,
  productClass: text,
  type: WireRef.nullish(),
  price: amount,
  integrationXRef: text,
});

/** `GET /company/companies/statuses`: whether a status counts as active is its `inactiveFlag`. */
export const WireCompanyStatus = z.looseObject({ id: z.number().int(), name: text, inactiveFlag: flag, defaultFlag: flag });
