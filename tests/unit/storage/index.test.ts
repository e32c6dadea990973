import { describe, expect, it } from 'vitest';
import { DEFAULT_DB_NAME, getStorage } from '../../../storage';

describe('getStorage', () => {
  it('opens the default database once per context', async () => {
    const first = getStorage();
    expect(getStorage()).toBe(first);
    const storage = await first;
    const entry = await storage.dictionary.add({ platform: 'Offer', connectwise: 'Product' });
    expect((await (await getStorage()).dictionary.list()).map((e) => e.id)).toEqual([entry.id]);
    expect((await indexedDB.databases()).map((d) => d.name)).toContain(DEFAULT_DB_NAME);
    storage.close();
  });
});
