export { BUILTIN_DICTIONARY } from './builtin';
export { compileMatcher, type MatcherOptions } from './matcher';
export { mergeDictionary, parseUserEntries } from './merge';
export { surfaceForms, numberForms } from './forms';
export { DictionaryEntrySchema, UserDictionaryEntrySchema, type UserDictionaryEntry } from './schema';
export type { DictionaryEntry, Matcher, Side, TermHit } from './types';
