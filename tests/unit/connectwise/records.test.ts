import { createServer } from 'node:net';
import type { AddressInfo } from 'node:net';
import { describe, expect, it } from 'vitest';
import { pullBundle } from '../../../core/connectwise';
import { reconcile } from '../../../core/reconcile';
import { syntheticBundle } from '../../sandbox/cw-api/fixture';
import { client, sandbox } from './helpers';

const NOW = new Date('2026-12-01T00:00:00Z');

describe('records are validated one at a time, per the published spec', () => {
  it('records as sparse as the spec allows (no nulls, no reference ids, custom fields without value) pull the same data', async () => {
    const source = syntheticBundle({ companies: 2, agreements: 3, additionsPerAgreement: 4 });
    source.companies[0]!.customFields = [{ id: 5, caption: 'ERPId', type: 'Text', value: null }];
    const tidy = await sandbox({ bundle: source });
    const sparse = await sandbox({ bundle: source, apiVariant: { sparse: true } });
    const a = await pullBundle(client(tidy).client, { now: NOW });
    const b = await pullBundle(client(sparse).client, { now: NOW });
    expect(b.complete).toBe(true);
    expect(b.diagnostics).toBeUndefined();
    expect(b.additions.map((x) => [x.id, x.product.identifier, x.quantity, x.unitPrice])).toEqual(a.additions.map((x) => [x.id, x.product.identifier, x.quantity, x.unitPrice]));
    expect(b.agreements.map((x) => [x.id, x.name, x.company.id])).toEqual(a.agreements.map((x) => [x.id, x.name, x.company.id]));
    expect(b.companies.map((x) => x.name)).toEqual(a.companies.map((x) => x.name));
    expect(b.companies[0]!.customFields).toEqual([{ id: 5, caption: 'ERPId', type: 'Text', value: null }]);
  });

  it.each([
    ['quantity', (r: Record<string, unknown>) => delete r.quantity, 'quantity'],
    ['product', (r: Record<string, unknown>) => delete r.product, 'product'],
    ['product.identifier', (r: Record<string, unknown>) => ((r.product as Record<string, unknown>).identifier = null), 'product.identifier'],
  ])('an Addition without %s: a diagnostic naming agreement, record and field; only its agreement partly read', async (_name, spoil, field) => {
    const source = syntheticBundle({ companies: 2, agreements: 3, additionsPerAgreement: 4 });
    const bad = source.additions.find((a) => a.agreementId === 3001)!;
    spoil(bad as unknown as Record<string, unknown>);
    const s = await sandbox({ bundle: source });
    const pulled = await pullBundle(client(s).client, { now: NOW });
    expect(pulled.complete).toBe(false);
    expect(pulled.incompleteAgreementIds).toEqual([3001]);
    expect(pulled.diagnostics).toEqual([expect.objectContaining({ agreementId: 3001, record: String(bad.id), field })]);
    expect(pulled.diagnostics![0]!.message).toMatch(new RegExp(`agreement 3001, record ${bad.id}\\) whose field "${field.replace('.', '\\.')}" is missing`));
    // Everything else is kept, the other records of that agreement included.
    expect(pulled.additions).toHaveLength(source.additions.length - 1);
  });

  it('a record of the wrong type is refused alone, naming its position and field', async () => {
    const source = syntheticBundle({ companies: 2, agreements: 2, additionsPerAgreement: 3 });
    (source.additions[4] as unknown as Record<string, unknown>).quantity = 'three';
    const s = await sandbox({ bundle: source });
    const pulled = await pullBundle(client(s).client, { now: NOW });
    expect(pulled.incompleteAgreementIds).toEqual([source.additions[4]!.agreementId]);
    expect(pulled.diagnostics?.[0]).toMatchObject({ field: 'quantity', record: String(source.additions[4]!.id) });
    expect(pulled.additions).toHaveLength(5);
  });

  it('one company without a name no longer rejects the company list; it is found by identifier', async () => {
    const source = syntheticBundle({ companies: 3, agreements: 3, additionsPerAgreement: 1 });
    delete (source.companies[1] as { name?: string }).name;
    const s = await sandbox({ bundle: source });
    const pulled = await pullBundle(client(s).client, { now: NOW });
    expect(pulled.complete).toBe(true);
    expect(pulled.companies.map((c) => c.name)).toEqual(['Company 100', 'CO101', 'Company 102']);
  });

  it('a partly read agreement yields no missing Addition; its diagnostic survives into the bundle', async () => {
    const source = syntheticBundle({ companies: 1, agreements: 1, additionsPerAgreement: 2 });
    delete (source.additions[0] as { quantity?: number }).quantity;
    const s = await sandbox({ bundle: source });
    const pulled = await pullBundle(client(s).client, { now: NOW });
    const report = reconcile({ lines: [], bundle: pulled, now: NOW });
    expect(report.findings.filter((f) => f.kind === 'missing_addition')).toEqual([]);
    expect(pulled.incompleteAgreementIds).toEqual([3000]);
  });
});

describe('an unreachable host', () => {
  it('is an error, not an empty bundle', async () => {
    // A port that was free a moment ago: nothing listens there.
    const probe = createServer();
    await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
    const { port } = probe.address() as AddressInfo;
    await new Promise((resolve) => probe.close(resolve));
    const s = await sandbox();
    const { client: c } = client({ ...s, url: `http://127.0.0.1:${port}` }, { codebase: 'v2025_1', retry: { retries: 1 } });
    await expect(pullBundle(c, { now: NOW })).rejects.toMatchObject({ code: 'Network' });
  });
});
