/**
 * A tiny hand-built month for rule tests: one customer, "Acme AS", with a default-type agreement
 * (#100, EUR) and a managed-services agreement (#101). Builders default to values that agree, so
 * each test changes exactly the one thing it is about.
 */
import type { CwAddition, CwAgreement, CwBundle, CwCompany, Finding, PlatformLine, ReconcileConfig, Report } from '../../../core/model';
import { reconcile } from '../../../core/reconcile';

export const ACME: CwCompany = { id: 10, identifier: 'ACME10', name: 'Acme AS' };

export function agreement(over: Partial<CwAgreement> = {}): CwAgreement {
  return {
    id: 100,
    name: 'Microsoft 365 Monthly',
    type: { id: 1, name: 'Microsoft 365 Monthly' },
    company: { id: ACME.id, name: ACME.name },
    startDate: '2025-01-01T00:00:00Z',
    agreementStatus: 'Active',
    billProducts: 'Billable',
    currency: { currencyCode: 'EUR', currencyIdentifier: 'EUR' },
    ...over,
  };
}

export const MANAGED = agreement({ id: 101, name: 'Managed Services', type: { id: 2, name: 'Managed Service' } });

let counter = 0;

/** A recurring Cycle Fee line of subscription "Visio Plan 2 (Acme #1)", 10 seats at 15.00. */
export function subLine(month: '2026-10' | '2026-11', over: Partial<PlatformLine> = {}): PlatformLine {
  return {
    lineId: `S-${month}-${++counter}`,
    invoiceDate: `${month}-01`,
    organization: 'Acme',
    subscription: 'Visio Plan 2 (Acme #1)',
    offer: 'Visio Plan 2',
    contractId: 'IC-1',
    currency: 'EUR',
    chargeType: 'Cycle Fee',
    chargeStartDate: `${month}-01`,
    chargeEndDate: month === '2026-10' ? '2026-10-31' : '2026-11-30',
    quantity: 10,
    revenue: 150,
    psaOrganizationName: 'Acme AS',
    psaProductName: 'VISIO-P2',
    status: 'Synced',
    excluded: false,
    ...over,
  };
}

/** A one-time Item Fee line, 2 × 30.00, charged 2026-11-10. */
export function oneTimeLine(over: Partial<PlatformLine> = {}): PlatformLine {
  return {
    lineId: `O-${++counter}`,
    invoiceDate: '2026-11-01',
    organization: 'Acme',
    offer: 'Power BI Pro',
    contractId: 'IC-1',
    currency: 'EUR',
    chargeType: 'Item Fee',
    chargeStartDate: '2026-11-10',
    chargeEndDate: '2026-11-30',
    quantity: 2,
    revenue: 60,
    psaOrganizationName: 'Acme AS',
    psaProductName: 'PBI-PRO',
    status: 'Synced',
    excluded: false,
    ...over,
  };
}

/** The Addition a correct sync of `subLine('2026-11')` leaves. */
export function subAddition(over: Partial<CwAddition> = {}): CwAddition {
  return {
    id: 500,
    agreementId: 100,
    product: { identifier: 'VISIO-P2' },
    quantity: 10,
    unitPrice: 15,
    effectiveDate: '2026-11-01T00:00:00Z',
    cancelledDate: null,
    description: 'Cycle Fee',
    invoiceDescription: 'Visio Plan 2 (Acme #1) - Cycle Fee',
    billCustomer: 'Billable',
    ...over,
  };
}

/** The Addition a correct sync of `oneTimeLine()` leaves. */
export function oneTimeAddition(over: Partial<CwAddition> = {}): CwAddition {
  return {
    id: 600,
    agreementId: 100,
    product: { identifier: 'PBI-PRO' },
    quantity: 2,
    unitPrice: 30,
    effectiveDate: '2026-11-10T00:00:00Z',
    cancelledDate: '2026-11-30T00:00:00Z',
    description: 'Item Fee',
    invoiceDescription: 'Power BI Pro - Item Fee',
    billCustomer: 'Billable',
    ...over,
  };
}

export function run(
  lines: PlatformLine[],
  additions: CwAddition[],
  opts: { config?: ReconcileConfig; agreements?: CwAgreement[]; companies?: CwCompany[]; bundle?: Partial<CwBundle> } = {},
): Report {
  return reconcile({
    lines,
    bundle: {
      companies: opts.companies ?? [ACME],
      agreements: opts.agreements ?? [agreement(), MANAGED],
      additions,
      ...opts.bundle,
    },
    config: { defaultAgreementType: 'Microsoft 365 Monthly', ...opts.config },
    now: new Date('2026-12-01T00:00:00Z'),
  });
}

export function kinds(report: Report): string[] {
  return report.findings.map((f) => f.kind);
}

export function only(report: Report, kind: Finding['kind']): Finding[] {
  return report.findings.filter((f) => f.kind === kind);
}
