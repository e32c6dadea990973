import type { CwAddition, CwAgreement, CwBundle, CwCatalogItem, CwCompany } from '../../../core/model';

/**
 * A synthetic ConnectWise data set of a given size (tests and the fetch benchmark): `companies`
 * companies, `agreements` agreements spread over them, `additionsPerAgreement` Additions each.
 */
export function syntheticBundle(size: { companies?: number; agreements: number; additionsPerAgreement: number; products?: number }): CwBundle {
  const companyCount = size.companies ?? Math.max(1, Math.ceil(size.agreements / 2));
  const productCount = size.products ?? 25;
  const companies: CwCompany[] = Array.from({ length: companyCount }, (_, i) => ({
    id: 100 + i,
    identifier: `CO${100 + i}`,
    name: `Company ${100 + i}`,
    status: { id: 1, name: 'Active' },
    types: [{ id: 1, name: 'Customer' }],
    site: { id: 10_000 + i, name: 'Main' },
    deletedFlag: false,
  }));
  const catalog: CwCatalogItem[] = Array.from({ length: productCount }, (_, i) => ({
    id: 900 + i,
    identifier: `PROD-${i}`,
    description: `Product ${i}`,
    inactiveFlag: false,
    productClass: 'NonInventory',
    price: 10 + i,
  }));
  const agreements: CwAgreement[] = [];
  const additions: CwAddition[] = [];
  for (let a = 0; a < size.agreements; a++) {
    const company = companies[a % companyCount]!;
    const id = 3000 + a;
    agreements.push({
      id,
      name: `Agreement ${id}`,
      type: { id: 1, name: 'Microsoft 365 Monthly' },
      company: { id: company.id, identifier: company.identifier ?? undefined, name: company.name },
      startDate: '2025-01-01T00:00:00Z',
      endDate: null,
      noEndingDateFlag: true,
      agreementStatus: 'Active',
      cancelledFlag: false,
      billProducts: 'Billable',
      billingCycle: { id: 1, name: 'Monthly' },
      currency: { id: 1, currencyCode: 'EUR', currencyIdentifier: 'EUR', name: 'Euro', symbol: '€' },
    });
    for (let n = 0; n < size.additionsPerAgreement; n++) {
      const product = catalog[(a + n) % productCount]!;
      additions.push({
        id: 100_000 + a * size.additionsPerAgreement + n,
        agreementId: id,
        product: { id: product.id, identifier: product.identifier },
        quantity: 1 + (n % 7),
        lessIncluded: 0,
        unitPrice: product.price ?? 10,
        billCustomer: 'Billable',
        effectiveDate: `2026-${String(1 + (n % 11)).padStart(2, '0')}-01T00:00:00Z`,
        cancelledDate: n % 3 === 0 ? `2026-${String(1 + (n % 11)).padStart(2, '0')}-28T00:00:00Z` : null,
        description: n % 2 ? 'Cycle Fee' : 'Usage Fee',
        invoiceDescription: `Subscription ${a}-${n}`,
        agreementStatus: 'Active',
      });
    }
  }
  return {
    companies,
    agreements,
    additions,
    agreementTypes: [{ id: 1, name: 'Microsoft 365 Monthly', defaultFlag: true, billProducts: 'Billable', billingCycle: { id: 1, name: 'Monthly' }, inactiveFlag: false }],
    catalog,
  };
}
