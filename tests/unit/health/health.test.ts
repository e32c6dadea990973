import { describe, expect, it } from 'vitest';
import { checkHealth, type HealthCheck } from '../../../core/health';
import type { CwBundle, PlatformLine } from '../../../core/model';
import { guideSecurity } from '../../sandbox/cw-api/data';
import { syntheticBundle } from '../../sandbox/cw-api/fixture';

function bundle(): CwBundle {
  return syntheticBundle({ companies: 3, agreements: 3, additionsPerAgreement: 2, products: 4 });
}

function line(over: Partial<PlatformLine> = {}): PlatformLine {
  return {
    lineId: 'L1',
    invoiceDate: '2026-11-01',
    organization: 'Org 100',
    chargeType: 'CycleFee',
    chargeStartDate: '2026-11-01',
    quantity: 1,
    revenue: 10,
    currency: 'EUR',
    psaOrganizationName: 'Company 100',
    psaProductName: 'PROD-0',
    psaAgreementName: 'Agreement 3000',
    status: 'Synced',
    excluded: false,
    ...over,
  };
}

const byStatus = (checks: HealthCheck[], status: HealthCheck['status']) => checks.filter((c) => c.status === status).map((c) => c.id);

describe('checkHealth', () => {
  it('a sound setup is all ok (permissions included)', () => {
    const { checks } = checkHealth({ bundle: bundle(), lines: [line()], security: guideSecurity() });
    expect(byStatus(checks, 'fail')).toEqual([]);
    expect(byStatus(checks, 'warn')).toEqual([]);
    expect(byStatus(checks, 'ok')).toEqual(['default-agreement-type', 'agreement-types', 'companies', 'agreements', 'products', 'permissions']);
  });

  it('default agreement type: missing, not billing products, or not configured', () => {
    const b = bundle();
    expect(checkHealth({ bundle: b, config: { defaultAgreementType: 'Azure Plan' } }).checks[0]).toMatchObject({ status: 'fail', detail: expect.stringContaining('"Azure Plan" does not exist') });
    b.agreementTypes![0]!.billProducts = 'DoNotBill';
    const notBilling = checkHealth({ bundle: b }).checks[0]!;
    expect(notBilling).toMatchObject({ status: 'fail', fix: expect.stringContaining('Bill Products to Billable') });
    b.agreementTypes![0]!.defaultFlag = false;
    expect(checkHealth({ bundle: b }).checks[0]!.status).toBe('warn');
  });

  it('agreement types: missing billing cycle warns; not billing products fails when in use', () => {
    const b = bundle();
    b.agreementTypes!.push({ id: 2, name: 'Spare', billProducts: 'NoCharge', billingCycle: null });
    b.agreementTypes![0]!.billProducts = 'DoNotBill';
    const { checks } = checkHealth({ bundle: b, config: { defaultAgreementType: 'Spare' }, lines: [line()] });
    expect(checks.find((c) => c.id === 'agreement-type-bill-products:1')!.status).toBe('fail');
    expect(checks.find((c) => c.id === 'agreement-type-bill-products:2')!.status).toBe('warn');
    expect(checks.find((c) => c.id === 'agreement-type-cycle:2')!.status).toBe('warn');
  });

  it('mapped companies: unknown, inactive, not Customer, without site', () => {
    const b = bundle();
    b.companies[0]!.status = { id: 2, name: 'Inactive', inactiveFlag: true };
    b.companies[1]!.types = [{ id: 5, name: 'Vendor' }];
    b.companies[2]!.site = null;
    const lines = [
      line(),
      line({ lineId: 'L2', psaOrganizationName: 'CO101', psaAgreementName: 'Agreement 3001' }),
      line({ lineId: 'L3', psaOrganizationName: 'company 102', psaAgreementName: 'Agreement 3002' }),
      line({ lineId: 'L4', psaOrganizationName: 'Ghost Ltd' }),
      line({ lineId: 'L5', psaOrganizationName: 'Ghost Ltd 2', excluded: true }),
    ];
    const checks = checkHealth({ bundle: b, lines }).checks;
    expect(byStatus(checks, 'fail')).toEqual(expect.arrayContaining(['company-missing:ghost ltd', 'company-active:100', 'company-site:102']));
    expect(byStatus(checks, 'warn')).toEqual(expect.arrayContaining(['company-type:101']));
    expect(checks.some((c) => c.id.includes('ghost ltd 2'))).toBe(false);
  });

  it('a tenant whose active companies are typed Client with status Credit Hold passes', () => {
    const b = bundle();
    for (const c of b.companies) {
      c.status = { id: 7, name: 'Credit Hold', inactiveFlag: false };
      c.types = [{ id: 1, name: 'Client' }];
    }
    const checks = checkHealth({ bundle: b }).checks;
    expect(byStatus(checks, 'fail').filter((id) => id.startsWith('company'))).toEqual([]);
    expect(byStatus(checks, 'warn').filter((id) => id.startsWith('company'))).toEqual([]);
    expect(checks.find((c) => c.id === 'companies')!.detail).toMatch(/3 companies are active.*Statuses: Credit Hold\./);
    expect(checks.find((c) => c.id === 'company-type-client')).toMatchObject({ status: 'ok', detail: expect.stringMatching(/3 companies are typed Client .*accepted, though the setup guide names the type Customer/) });
  });

  it('a status name is shown, never judged: only inactiveFlag makes a company inactive', () => {
    const b = bundle();
    b.companies[0]!.status = { id: 9, name: 'Active', inactiveFlag: true };
    b.companies[1]!.status = { id: 10, name: 'Dormant' };
    const checks = checkHealth({ bundle: b }).checks;
    expect(byStatus(checks, 'fail')).toEqual(['company-active:100']);
    expect(checks.find((c) => c.id === 'company-active:100')!.detail).toMatch(/status Active, which ConnectWise marks inactive/);
    expect(checks.find((c) => c.id === 'companies')!.detail).toMatch(/Statuses: Active, Dormant\./);
  });

  it('target agreements: not active, not billable, other currency', () => {
    const b = bundle();
    b.agreements[0]!.agreementStatus = 'Cancelled';
    b.agreements[1]!.billProducts = 'DoNotBill';
    const lines = [line(), line({ lineId: 'L2', psaOrganizationName: 'Company 101', psaAgreementName: 'Agreement 3001' }), line({ lineId: 'L3', psaOrganizationName: 'Company 102', psaAgreementName: 'Agreement 3002', currency: 'NOK' })];
    const checks = checkHealth({ bundle: b, lines }).checks;
    expect(byStatus(checks, 'fail')).toEqual(expect.arrayContaining(['agreement-active:3000', 'agreement-billable:3001', 'agreement-currency:3002']));
    expect(checks.find((c) => c.id === 'agreement-currency:3002')!.detail).toMatch(/in EUR but its lines are in NOK/);
  });

  it('an empty PSA Agreement Name targets the company\'s default-type agreement', () => {
    const b = bundle();
    b.agreements[0]!.agreementStatus = 'Expired';
    const checks = checkHealth({ bundle: b, lines: [line({ psaAgreementName: undefined })] }).checks;
    expect(byStatus(checks, 'fail')).toContain('agreement-active:3000');
  });

  it('products: not in catalog, inactive, Bundle class', () => {
    const b = bundle();
    b.catalog![1]!.inactiveFlag = true;
    b.catalog![2]!.productClass = 'Bundle';
    const lines = ['PROD-0', 'prod-1', 'PROD-2', 'NOPE-9'].map((p, i) => line({ lineId: `L${i}`, psaProductName: p }));
    const checks = checkHealth({ bundle: b, lines }).checks;
    expect(byStatus(checks, 'fail')).toEqual(['product-active:901', 'product-class:902', 'product-missing:nope-9']);
    expect(checks.find((c) => c.id === 'products')!.detail).toMatch(/^1 product is/);
  });

  it('without lines, checks every company and the agreements and products Additions use', () => {
    const b = bundle();
    b.catalog = b.catalog!.slice(1);
    const checks = checkHealth({ bundle: b }).checks;
    expect(checks.find((c) => c.id === 'companies')!.detail).toMatch(/^3 companies/);
    expect(byStatus(checks, 'fail')).toEqual(['product-missing:prod-0']);
  });

  it('permissions: each gap named with module and level; unknown without a connection', () => {
    const security = guideSecurity().map((s) => (s.moduleFunctionName === 'Product Catalog' ? { ...s, inquireLevel: 'My', addLevel: 'None' } : s));
    const checks = checkHealth({ bundle: bundle(), security }).checks.filter((c) => c.id.startsWith('permission'));
    expect(checks).toHaveLength(1);
    expect(checks[0]).toMatchObject({ status: 'fail', title: 'Permission Procurement → Product Catalog' });
    expect(checks[0]!.detail).toContain('Add = All (is None), Inquire = All (is My)');
    expect(checkHealth({ bundle: bundle() }).checks.find((c) => c.id === 'permissions')!.status).toBe('warn');
  });
});
