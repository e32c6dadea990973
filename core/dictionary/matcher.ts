import { surfaceForms } from './forms';
import type { DictionaryEntry, Matcher, Side, TermHit } from './types';

export interface MatcherOptions {
  /** Which system's words to look for; a page of one app only needs its own. Default: both. */
  sides?: readonly Side[];
}

interface Target {
  entry: DictionaryEntry;
  side: Side;
}

/** Trie over lower-cased forms; a space stands for any run of white space on the page. */
interface TrieNode {
  next: Map<string, TrieNode>;
  end: boolean;
}

const NONE: TermHit[] = [];
/**
 * Letters, digits and underscore of the Latin, Greek and Cyrillic blocks. Spelled out instead of
 * \p{L}: the `u` flag it needs made V8 scan page text markedly slower.
 */
const WORD = 'A-Za-z0-9_\\u00AA\\u00B5\\u00BA\\u00C0-\\u00D6\\u00D8-\\u00F6\\u00F8-\\u024F\\u0370-\\u03FF\\u0400-\\u04FF\\u1E00-\\u1EFF';
const WORD_CHAR = new RegExp(`[${WORD}]`);

function escapeChar(ch: string): string {
  if (ch === ' ') return '\\s+';
  return /[\\^$.*+?()[\]{}|/]/.test(ch) ? `\\${ch}` : ch;
}

function insert(root: TrieNode, form: string): void {
  let node = root;
  for (const ch of form) {
    let child = node.next.get(ch);
    if (!child) {
      child = { next: new Map(), end: false };
      node.next.set(ch, child);
    }
    node = child;
  }
  node.end = true;
}

/**
 * Serialise the trie as one regex. Children come before "stop here" (a greedy optional group),
 * so backtracking yields the longest form that still ends on a word boundary.
 */
function toPattern(node: TrieNode): string {
  const branches = [...node.next].map(([ch, child]) => escapeChar(ch) + toPattern(child));
  if (branches.length === 0) return '';
  const body = branches.length === 1 ? branches[0]! : `(?:${branches.join('|')})`;
  if (!node.end) return body;
  return branches.length === 1 && body.length === 1 ? `${body}?` : `(?:${body})?`;
}

function canonical(form: string): string {
  return form.toLowerCase().replace(/\s+/g, ' ');
}

/**
 * One compiled matcher over every term (DESIGN §7): a single regex, never a loop per term.
 * Longest match wins; matches start and end on word boundaries; case and plural do not matter.
 * When two entries share a spelling, user entries win, then the earlier entry.
 */
export function compileMatcher(entries: readonly DictionaryEntry[], options: MatcherOptions = {}): Matcher {
  const sides = options.sides ?? (['platform', 'connectwise'] as const);
  const ordered = [
    ...entries.filter((e) => e.origin === 'user'),
    ...entries.filter((e) => e.origin !== 'user'),
  ];
  const byForm = new Map<string, Target>();
  for (const entry of ordered) {
    for (const side of sides) {
      for (const form of surfaceForms(entry, side)) {
        const key = canonical(form);
        if (!byForm.has(key)) byForm.set(key, { entry, side });
      }
    }
  }

  if (byForm.size === 0) {
    return { find: () => [], test: () => false };
  }

  const root: TrieNode = { next: new Map(), end: false };
  for (const key of byForm.keys()) insert(root, key);
  // Start boundary is checked in code: a leading look-behind would stop V8 from skipping ahead
  // to candidate first letters, which is most of the speed on long text.
  const source = `${toPattern(root)}(?![${WORD}])`;
  const scan = new RegExp(source, 'gi');
  const probe = new RegExp(source, 'i');

  function startsWord(text: string, at: number): boolean {
    return at === 0 || !WORD_CHAR.test(text[at - 1]!);
  }

  function find(text: string): TermHit[] {
    // Most text holds no term: share one empty answer instead of allocating per call.
    let hits: TermHit[] | undefined;
    scan.lastIndex = 0;
    let m: RegExpExecArray | null;
    while ((m = scan.exec(text)) !== null) {
      const start = m.index;
      if (!startsWord(text, start)) {
        scan.lastIndex = start + 1;
        continue;
      }
      const target = byForm.get(canonical(m[0]));
      if (target) (hits ??= []).push({ start, end: start + m[0].length, entry: target.entry, side: target.side });
    }
    return hits ?? NONE;
  }

  function test(text: string): boolean {
    if (!probe.test(text)) return false;
    return find(text).length > 0;
  }

  return { find, test };
}
