import { afterEach, describe, expect, it } from 'vitest';
import { closeAll, open } from './helpers';

afterEach(closeAll);

describe('dictionary', () => {
  it('adds, finds by any spelling, updates, lists sorted and removes entries', async () => {
    const { dictionary } = await open();
    const tenant = await dictionary.add({ term: 'Tenant', otherTerm: 'Company', explanation: ' Our word for a customer ', side: 'platform' });
    expect(tenant).toMatchObject({ term: 'Tenant', termKey: 'tenant', explanation: 'Our word for a customer' });
    const addl = await dictionary.add({ term: 'Addition', otherTerm: 'Invoice line', side: 'connectwise' });
    expect(addl.explanation).toBe('');

    expect((await dictionary.findByTerm('  TENANT ')).map((e) => e.id)).toEqual([tenant.id]);
    expect((await dictionary.list()).map((e) => e.term)).toEqual(['Addition', 'Tenant']);

    const updated = await dictionary.update(tenant.id, { term: 'Customer tenant' });
    expect(updated).toMatchObject({ term: 'Customer tenant', termKey: 'customer tenant', otherTerm: 'Company', createdAt: tenant.createdAt });
    expect(updated.updatedAt > tenant.updatedAt).toBe(true);
    expect(await dictionary.findByTerm('tenant')).toEqual([]);
    await expect(dictionary.update('missing', { term: 'x' })).rejects.toMatchObject({ code: 'not-found' });
    await expect(dictionary.update(tenant.id, { otherTerm: ' ' })).rejects.toThrow(/other system/);
    await expect(dictionary.add({ term: '', otherTerm: 'x', side: 'platform' })).rejects.toThrow(/needs a term/);

    expect(await dictionary.remove(addl.id)).toBe(true);
    expect(await dictionary.remove(addl.id)).toBe(false);
    expect((await dictionary.list()).map((e) => e.id)).toEqual([tenant.id]);
  });
});
