import { z } from 'zod';

/**
 * ConnectWise REST shapes (reference/connectwise-api.md), only the fields the product reads.
 * Objects are loose: the API returns many more fields and unknown ones must pass through.
 * Dates stay as the API sends them (`2026-11-01T00:00:00Z`); the engine reads their date part.
 */
const Ref = z.looseObject({ id: z.number().int(), name: z.string().optional(), identifier: z.string().optional() });
const nullableString = z.string().nullish();

export const CustomField = z.looseObject({
  id: z.number().int().optional(),
  caption: z.string(),
  type: z.string().optional(),
  value: z.union([z.string(), z.number(), z.boolean()]).nullish(),
});
export type CustomField = z.infer<typeof CustomField>;

export const Currency = z.looseObject({
  id: z.number().int().optional(),
  currencyCode: z.string().nullish(),
  currencyIdentifier: z.string().nullish(),
  name: z.string().nullish(),
  symbol: z.string().nullish(),
});

export const CwCompany = z.looseObject({
  id: z.number().int(),
  identifier: z.string().nullish(),
  name: z.string(),
  status: Ref.nullish(),
  types: z.array(Ref).nullish(),
  site: Ref.nullish(),
  deletedFlag: z.boolean().nullish(),
  customFields: z.array(CustomField).nullish(),
});
export type CwCompany = z.infer<typeof CwCompany>;

export const CwAgreement = z.looseObject({
  id: z.number().int(),
  name: z.string(),
  type: Ref.nullish(),
  company: Ref,
  startDate: nullableString,
  endDate: nullableString,
  noEndingDateFlag: z.boolean().nullish(),
  agreementStatus: nullableString,
  cancelledFlag: z.boolean().nullish(),
  billProducts: nullableString,
  billingCycle: Ref.nullish(),
  currency: Currency.nullish(),
  autoInvoiceFlag: z.boolean().nullish(),
  customFields: z.array(CustomField).nullish(),
});
export type CwAgreement = z.infer<typeof CwAgreement>;

export const CwAddition = z.looseObject({
  id: z.number().int(),
  agreementId: z.number().int(),
  product: z.looseObject({ id: z.number().int().optional(), identifier: z.string() }),
  quantity: z.number(),
  lessIncluded: z.number().nullish(),
  unitPrice: z.number().nullish(),
  unitCost: z.number().nullish(),
  extPrice: z.number().nullish(),
  billCustomer: nullableString,
  effectiveDate: nullableString,
  cancelledDate: nullableString,
  description: nullableString,
  invoiceDescription: nullableString,
  agreementStatus: nullableString,
  customFields: z.array(CustomField).nullish(),
});
export type CwAddition = z.infer<typeof CwAddition>;

export const CwAgreementType = z.looseObject({
  id: z.number().int(),
  name: z.string(),
  defaultFlag: z.boolean().nullish(),
  billProducts: nullableString,
  billingCycle: Ref.nullish(),
  autoInvoiceFlag: z.boolean().nullish(),
  inactiveFlag: z.boolean().nullish(),
});
export type CwAgreementType = z.infer<typeof CwAgreementType>;

export const CwCatalogItem = z.looseObject({
  id: z.number().int(),
  identifier: z.string(),
  description: nullableString,
  inactiveFlag: z.boolean().nullish(),
  productClass: nullableString,
  type: Ref.nullish(),
  price: z.number().nullish(),
  integrationXRef: nullableString,
});
export type CwCatalogItem = z.infer<typeof CwCatalogItem>;

/** One thing a pull could not use: which agreement it leaves partly read, which record, which field. */
export const CwDiagnostic = z.looseObject({
  message: z.string(),
  /** API path the list came from. */
  path: z.string().optional(),
  agreementId: z.number().int().optional(),
  companyId: z.number().int().optional(),
  /** The record's id, or `#N` (its position in the list) when it has none. */
  record: z.string().optional(),
  field: z.string().optional(),
});
export type CwDiagnostic = z.infer<typeof CwDiagnostic>;

/** DESIGN §4.2: what the engine reconciles against, from the API, captures or files. */
export const CwBundle = z.looseObject({
  companies: z.array(CwCompany),
  agreements: z.array(CwAgreement),
  additions: z.array(CwAddition),
  agreementTypes: z.array(CwAgreementType).optional(),
  catalog: z.array(CwCatalogItem).optional(),
  fetchedAt: z.string().optional(),
  /** false when a pull stopped half-way: nothing may then be called missing. */
  complete: z.boolean().optional(),
  /** Agreements whose additions were not (fully) read; only meaningful with complete: false. */
  incompleteAgreementIds: z.array(z.number().int()).optional(),
  /** Why parts were not read: records lacking what reconciliation needs, lists cut short. */
  diagnostics: z.array(CwDiagnostic).optional(),
});
export type CwBundle = z.infer<typeof CwBundle>;
