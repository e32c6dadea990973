import { readFileSync } from 'node:fs';
import type { Manage } from 'connectwise-rest';
import { describe, expect, it } from 'vitest';
import { pullBundle, SystemInfo } from '../../../core/connectwise';
import { WireAddition, WireAgreement, WireCompany } from '../../../core/connectwise/schemas';
import { checkHealth } from '../../../core/health';
import type { CwAddition, CwAgreement, CwBundle, CwCompany } from '../../../core/model';
import { syntheticBundle } from '../../sandbox/cw-api/fixture';
import { client, sandbox } from './helpers';

const NOW = new Date('2026-12-01T00:00:00Z');
const real = (name: string): Record<string, unknown> => JSON.parse(readFileSync(new URL(`../../fixtures/real/${name}`, import.meta.url), 'utf8')) as Record<string, unknown>;

/** The published spec (Manage OpenAPI 2022.1 as generated into `connectwise-rest`). */
type SpecAddition = Manage.FinanceAPITypes.Addition;
type SpecCompany = Manage.CompanyAPITypes.Company;
type OptionalKeys<T> = { [K in keyof T]-?: object extends Pick<T, K> ? K : never }[keyof T];

// Each list is checked against the spec by the compiler: only keys the spec leaves optional.
const ADDITION_OPTIONAL = ['id', 'product', 'quantity', 'lessIncluded', 'unitPrice', 'unitCost', 'effectiveDate', 'cancelledDate', 'invoiceDescription', 'description', 'extPrice', 'agreementStatus', 'customFields'] as const satisfies readonly OptionalKeys<SpecAddition>[];
const COMPANY_OPTIONAL = ['status', 'types', 'site', 'deletedFlag', 'customFields'] as const satisfies readonly OptionalKeys<SpecCompany>[];
/** What reconciliation cannot do without (DESIGN §5): a record lacking one is a diagnostic. */
const ADDITION_NEEDS = new Set(['id', 'product', 'quantity']);

describe('real recorded responses', () => {
  it('an agreement, a company and system info as a real server sent them are read as the spec allows', () => {
    expect(WireAgreement.safeParse(real('agreement-expired.json')).success).toBe(true);
    expect(WireCompany.safeParse(real('company-client.json')).success).toBe(true);
    expect(SystemInfo.parse(real('system-info.json'))).toMatchObject({ version: 'v2025.1.10333', isCloud: false, cloudRegion: 'EU' });
  });

  it('pulled through the local API: kept whole, custom fields without value read as empty, Client accepted by health', async () => {
    const company = real('company-client.json') as unknown as CwCompany;
    const agreement = real('agreement-expired.json') as unknown as CwAgreement;
    const bundle: CwBundle = {
      companies: [company, { ...(real('company-client.json') as unknown as CwCompany), ...agreement.company, id: agreement.company.id, name: agreement.company.name! }],
      agreements: [agreement],
      additions: [],
    };
    const s = await sandbox({ bundle });
    const pulled = await pullBundle(client(s).client, { now: NOW });
    expect(pulled.complete).toBe(true);
    expect(pulled.diagnostics).toBeUndefined();
    const got = pulled.agreements[0]!;
    expect(got).toMatchObject({ id: 3, agreementStatus: 'Expired', billProducts: 'NoDefault', startDate: '2018-05-17T00:00:00Z', company: { id: 19297, identifier: 'XYZTestCompany' } });
    expect(got.customFields?.map((f) => [f.caption, f.value])).toEqual([
      ['S Number', null],
      ['365 Tenant', null],
    ]);
    const realCompany = pulled.companies.find((c) => c.id === 250)!;
    expect(realCompany.types?.map((t) => t.name)).toEqual(['Client']);
    const checks = checkHealth({ bundle: pulled }).checks;
    expect(checks.filter((c) => c.id.startsWith('company-type:'))).toEqual([]);
    expect(checks.find((c) => c.id === 'company-type-client')?.detail).toMatch(/typed Client/);
  });
});

describe('records with what the spec leaves optional left out', () => {
  it('every optional Addition field: left out, the record is kept, unless reconciliation needs it', async () => {
    const source = syntheticBundle({ companies: 1, agreements: ADDITION_OPTIONAL.length, additionsPerAgreement: 2 });
    // Agreement 3000 + i loses field i on its first Addition.
    ADDITION_OPTIONAL.forEach((key, i) => {
      const a = source.additions.find((x) => x.agreementId === 3000 + i)! as unknown as Record<string, unknown>;
      delete a[key];
    });
    const s = await sandbox({ bundle: source });
    const pulled = await pullBundle(client(s).client, { now: NOW });
    const partly = ADDITION_OPTIONAL.map((key, i) => [key, 3000 + i] as const).filter(([key]) => ADDITION_NEEDS.has(key));
    expect(pulled.incompleteAgreementIds).toEqual(partly.map(([, id]) => id));
    for (const [key, id] of partly) {
      expect(pulled.diagnostics?.find((d) => d.agreementId === id)).toMatchObject({ field: key === 'product' ? 'product' : key });
    }
    // Everything else arrives: each agreement keeps its other Addition, and the record that only lost what is not needed.
    expect(pulled.additions).toHaveLength(source.additions.length - partly.length);
    const spec: SpecAddition = { billCustomer: null };
    expect(WireAddition.safeParse(spec).success).toBe(true);
  });

  it('every optional Company field: left out, the company is kept', async () => {
    const source = syntheticBundle({ companies: COMPANY_OPTIONAL.length, agreements: 1, additionsPerAgreement: 1 });
    COMPANY_OPTIONAL.forEach((key, i) => delete (source.companies[i] as unknown as Record<string, unknown>)[key]);
    const s = await sandbox({ bundle: source });
    const pulled = await pullBundle(client(s).client, { now: NOW });
    expect(pulled.complete).toBe(true);
    expect(pulled.companies.map((c) => c.id)).toEqual(source.companies.map((c) => c.id));
    const spec: SpecCompany = { identifier: 'X', name: 'Y' };
    expect(WireCompany.safeParse(spec).success).toBe(true);
  });

  it('an Addition whose product reference has no identifier is a diagnostic naming product.identifier', async () => {
    const source = syntheticBundle({ companies: 1, agreements: 1, additionsPerAgreement: 2 });
    (source.additions[1] as unknown as { product: Record<string, unknown> }).product = { id: 901 } satisfies NonNullable<SpecAddition['product']>;
    const s = await sandbox({ bundle: source });
    const pulled = await pullBundle(client(s).client, { now: NOW });
    expect(pulled.diagnostics).toEqual([expect.objectContaining({ agreementId: 3000, record: String(source.additions[1]!.id), field: 'product.identifier' })]);
    expect(pulled.additions.map((a: CwAddition) => a.id)).toEqual([source.additions[0]!.id]);
  });
});
