import { afterEach, describe, expect, it } from 'vitest';
import { closeAll, open } from './helpers';

afterEach(closeAll);

describe('dictionary', () => {
  it('adds, finds by any spelling, updates, lists sorted and removes entries', async () => {
    const { dictionary } = await open();
    const tenant = await dictionary.add({ platform: 'Tenant', connectwise: 'Company', explanation: ' Our word for a customer ' });
    expect(tenant).toMatchObject({ platform: 'Tenant', connectwise: 'Company', kind: 'field', origin: 'user', termKeys: ['tenant', 'company'], explanation: 'Our word for a customer' });
    const addl = await dictionary.add({ platform: 'Invoice line', connectwise: 'Addition' });
    expect(addl.explanation).toBe('');

    // Either system's word finds the entry.
    expect((await dictionary.findByTerm('  TENANT ')).map((e) => e.id)).toEqual([tenant.id]);
    expect((await dictionary.findByTerm('company')).map((e) => e.id)).toEqual([tenant.id]);
    expect((await dictionary.list()).map((e) => e.platform)).toEqual(['Invoice line', 'Tenant']);

    const updated = await dictionary.update(tenant.id, { platform: 'Customer tenant' });
    expect(updated).toMatchObject({ platform: 'Customer tenant', termKeys: ['customer tenant', 'company'], connectwise: 'Company', createdAt: tenant.createdAt });
    expect(updated.updatedAt > tenant.updatedAt).toBe(true);
    expect(await dictionary.findByTerm('tenant')).toEqual([]);
    await expect(dictionary.update('missing', { platform: 'x' })).rejects.toMatchObject({ code: 'not-found' });
    await expect(dictionary.update(tenant.id, { connectwise: ' ' })).rejects.toThrow(/ConnectWise's term/);
    await expect(dictionary.add({ platform: '', connectwise: 'x' })).rejects.toThrow(/needs the Platform's term/);

    expect(await dictionary.remove(addl.id)).toBe(true);
    expect(await dictionary.remove(addl.id)).toBe(false);
    expect((await dictionary.list()).map((e) => e.id)).toEqual([tenant.id]);
  });
});
