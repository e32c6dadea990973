import { nameKey } from '../core/shared/text';
import { DictionaryRecord } from './records';
import type { DictionarySide } from './records';
import type { StorageContext } from './context';
import { inTransaction, keyField, notFound, parseStored, parseStoredList, putRecord, queuedWrite, read } from './context';

export interface DictionaryEntryInput {
  term: string;
  otherTerm: string;
  explanation?: string;
  /** The system whose UI uses `term`. */
  side: DictionarySide;
}

export interface DictionaryRepo {
  add(entry: DictionaryEntryInput): Promise<DictionaryRecord>;
  /** Throws `not-found`. */
  update(id: string, patch: Partial<DictionaryEntryInput>): Promise<DictionaryRecord>;
  remove(id: string): Promise<boolean>;
  /** Sorted by term. */
  list(): Promise<DictionaryRecord[]>;
  /** Entries for a term, any case or spacing. */
  findByTerm(term: string): Promise<DictionaryRecord[]>;
}

function checked(entry: DictionaryEntryInput): DictionaryEntryInput {
  const term = entry.term.trim();
  const otherTerm = entry.otherTerm.trim();
  if (term === '' || otherTerm === '') throw new TypeError('A dictionary entry needs a term and the other system\'s term.');
  return { term, otherTerm, explanation: (entry.explanation ?? '').trim(), side: entry.side };
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
          term: entry.term,
          termKey: nameKey(entry.term),
          otherTerm: entry.otherTerm,
          explanation: entry.explanation ?? '',
          side: entry.side,
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
            term: entry.term,
            termKey: nameKey(entry.term),
            otherTerm: entry.otherTerm,
            explanation: entry.explanation ?? '',
            side: entry.side,
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
        parseList(await ctx.db().getAll('dictionary')).sort((a, b) => a.termKey.localeCompare(b.termKey) || a.id.localeCompare(b.id)),
      );
    },

    findByTerm(term) {
      return read('looking up the dictionary', async () =>
        parseList(await ctx.db().getAllFromIndex('dictionary', 'byTermKey', nameKey(term))),
      );
    },
  };
}
