// A type-only import: the content script takes the entry's type without the schema code.
import type { DictionaryEntry } from './schema';

export type { DictionaryEntry };

export type Side = 'platform' | 'connectwise';

export interface TermHit {
  start: number;
  end: number;
  entry: DictionaryEntry;
  /** Which system's word was found in the text (the tooltip shows the other one). */
  side: Side;
}

export interface Matcher {
  find(text: string): TermHit[];
  /** Same answer as `find(text).length > 0`, cheaper when most text holds no term. */
  test(text: string): boolean;
}
