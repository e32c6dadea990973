export type Side = 'platform' | 'connectwise';

/**
 * One concept named by both systems. `platform` and `connectwise` are the display terms; the
 * matcher also finds their singular/plural forms and any `aliases`, in any letter case.
 * Plain types (no zod) so the content script can import the dictionary without the schema code.
 */
export interface DictionaryEntry {
  id: string;
  kind: 'entity' | 'field';
  platform: string;
  connectwise: string;
  aliases?: { platform?: string[]; connectwise?: string[] };
  /** One line, our own words. */
  explanation: string;
  /** Where in the ConnectWise Setup Guide the pairing comes from (or the user's note). */
  guideSection: string;
  origin?: 'builtin' | 'user';
}

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
