import { nameKey } from '../core/shared/text';
import type { NewDictionaryEntry } from '../core/dictionary/schema';
import { DictionaryRecord } from './records';
import { dictionaryTermKeys } from './legacy';
import type { StorageContext } from './context';
import { inTransaction, keyField, notFound, parseStored, parseStoredList, putRecord, queuedWrite, read } from './context';

/** A user's entry in the model's words: both systems' terms; kind and guide section optional. */
export type DictionaryEntryInput = Pick<NewDictionaryEntry, 'platform' | 'connectwise'> & Partial<Pick<NewDictionaryEntry, 'kind' | 'explanation' | 'guideSection'>>;

export interface DictionaryRepo {
  add(entry: DictionaryEntryInput): Promise<DictionaryRecord>;
  /** Throws `not-found`. */
  update(id: string, patch: Partial<DictionaryEntryInput>): Promise<DictionaryRecord>;
  remove(id: string): Promise<boolean>;
  /** Sorted by the Platform's term. */
  list(): Promise<DictionaryRecord[]>;
  /** Entries naming a term on either side, any case or spacing. */
  findByTerm(term: string): Promise<DictionaryRecord[]>;
}

function checked(entry: DictionaryEntryInput): Required<DictionaryEntryInput> {
  const platform = entry.platform.trim();
  const connectwise = entry.connectwise.trim();
  if (platform === '' || connectwise === '') throw new TypeError('A dictionary entry needs the Platform\'s term and ConnectWise\'s term.');
  return { platform, connectwise, kind: entry.kind ?? 'field', explanation: (entry.explanation ?? '').trim(), guideSection: (entry.guideSection ?? '').trim() };
}

function byPlatformTerm(a: DictionaryRecord, b: DictionaryRecord): number {
  return nameKey(a.platform).localeCompare(nameKey(b.platform)) || a.id.localeCompare(b.id);
}

export function createDictionaryRepo(ctx: StorageContext): DictionaryRepo {
  const parse = (value: unknown) => parseStored(DictionaryRecord, value, 'dictionary', keyField('id')(value));
  const parseList = (values: unknown[]) => parseStoredList(ctx, DictionaryRecord, values, 'dictionary', keyField('id'));

  return {
    add(input) {
      return queuedWrite(ctx, 'saving the dictionary entry', async () => {
        const entry = checked(input);
        const now = ctx.nowIso();
        const record: DictionaryRecord = {
          id: ctx.newId(),
          ...entry,
          origin: 'user',
          termKeys: dictionaryTermKeys(entry.platform, entry.connectwise),
          createdAt: now,
          updatedAt: now,
        };
        const tx = ctx.db().transaction('dictionary', 'readwrite');
        await inTransaction(tx, () => putRecord(ctx, 'dictionary', tx.store, record));
        return record;
      });
    },

    update(id, patch) {
      return queuedWrite(ctx, 'saving the dictionary entry', async () => {
        const tx = ctx.db().transaction('dictionary', 'readwrite');
        return inTransaction(tx, async () => {
          const stored = await tx.store.get(id);
          if (stored === undefined) throw notFound('dictionary entry', id);
          const old = parse(stored);
          const entry = checked({ ...old, ...patch });
          const record: DictionaryRecord = {
            ...old,
            ...entry,
            termKeys: dictionaryTermKeys(entry.platform, entry.connectwise),
            updatedAt: ctx.nowIso(),
          };
          await putRecord(ctx, 'dictionary', tx.store, record);
          return record;
        });
      });
    },

    remove(id) {
      return queuedWrite(ctx, 'deleting the dictionary entry', async () => {
        const tx = ctx.db().transaction('dictionary', 'readwrite');
        return inTransaction(tx, async () => {
          if ((await tx.store.getKey(id)) === undefined) return false;
          await tx.store.delete(id);
          return true;
        });
      });
    },

    list() {
      return read('listing the dictionary', async () =>
        parseList(await ctx.db().getAll('dictionary')).sort(byPlatformTerm),
      );
    },

    findByTerm(term) {
      return read('looking up the dictionary', async () =>
        parseList(await ctx.db().getAllFromIndex('dictionary', 'byTermKeys', nameKey(term))).sort(byPlatformTerm),
      );
    },
  };
}
