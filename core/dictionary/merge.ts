import { compactKey } from '../shared/text';
import { BUILTIN_DICTIONARY } from './builtin';
import { UserDictionaryEntrySchema } from './schema';
import type { DictionaryEntry } from './types';

/**
 * Validate the user's own entries (from storage or an import) and give each a stable id.
 * A bad entry is an error naming its position, field and value, never silently dropped.
 */
export function parseUserEntries(raw: unknown): DictionaryEntry[] {
  if (!Array.isArray(raw)) throw new Error('Dictionary entries must be a list');
  return raw.map((item: unknown, index) => {
    const parsed = UserDictionaryEntrySchema.safeParse(item);
    if (!parsed.success) {
      const issue = parsed.error.issues[0];
      const path = issue?.path ?? [];
      const field = path.join('.') || '(entry)';
      let value: unknown = item;
      for (const key of path) value = (value as Record<PropertyKey, unknown> | undefined)?.[key as PropertyKey];
      throw new Error(
        `Dictionary entry ${index + 1}: field ${field} = ${JSON.stringify(value) ?? 'missing'}: ${issue?.message ?? 'invalid'}`,
      );
    }
    const u = parsed.data;
    const id = u.id ?? `user:${compactKey(u.platform)}:${compactKey(u.connectwise)}`;
    return { ...u, id, origin: 'user' as const };
  });
}

/**
 * Built-in entries plus the user's. A user entry with a built-in's id replaces it; user
 * spellings win over built-in ones in the matcher (see compileMatcher).
 */
export function mergeDictionary(
  user: readonly DictionaryEntry[],
  builtin: readonly DictionaryEntry[] = BUILTIN_DICTIONARY,
): DictionaryEntry[] {
  const replaced = new Set(user.map((e) => e.id));
  return [
    ...builtin.filter((e) => !replaced.has(e.id)),
    ...user.map((e) => ({ ...e, origin: 'user' as const })),
  ];
}
