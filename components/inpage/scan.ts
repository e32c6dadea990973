import type { Matcher, TermHit } from '../../core/dictionary/types';
import { HOST_TAG } from './handoff';

export { HOST_TAG };

/**
 * Regions whose text is not the app's reading content: form controls, editors, menus and
 * pop-up lists (GWT/GXT menus included), hidden subtrees and our own UI. Tested in plain code
 * rather than with a selector list: this runs for every new ancestor of every match, and a
 * 20-selector `matches()` per element was the largest cost of a pass in Chromium profiles.
 */
const SKIP_TAGS = new Set(['script', 'style', 'noscript', 'template', 'textarea', 'input', 'select', 'option', HOST_TAG]);
const SKIP_ROLES = new Set(['menu', 'menubar', 'menuitem', 'listbox', 'option', 'textbox', 'combobox', 'tooltip']);
const MENU_CLASS = /(?:^|\s)(?:x-menu|gwt-MenuBar|gwt-MenuItem)(?:\s|$)/;

function skipsItself(el: Element, extraSelector: string | undefined): boolean {
  if (SKIP_TAGS.has(el.localName)) return true;
  if (!el.hasAttributes()) return false;
  const role = el.getAttribute('role');
  if (role !== null && SKIP_ROLES.has(role)) return true;
  if (el.hasAttribute('hidden') || el.hasAttribute('data-cwr-ignore') || el.getAttribute('aria-hidden') === 'true') return true;
  const editable = el.getAttribute('contenteditable');
  if (editable !== null && editable !== 'false') return true;
  const cls = el.getAttribute('class');
  if (cls !== null && MENU_CLASS.test(cls)) return true;
  return extraSelector !== undefined && el.matches(extraSelector);
}

export type SkipCheck = (el: Element | null) => boolean;

/**
 * Whether an element's text is off limits. Verdicts are memoised for the life of the check (one
 * pass or one mutation batch), so a shared ancestor chain is examined once; and only elements
 * that hold a match ever ask.
 */
export function createSkipCheck(extraSelector?: string): SkipCheck {
  const memo = new Map<Element, boolean>();
  const check = (el: Element | null): boolean => {
    if (el === null) return false;
    let verdict = memo.get(el);
    if (verdict === undefined) {
      verdict = skipsItself(el, extraSelector) || check(el.parentElement);
      memo.set(el, verdict);
    }
    return verdict;
  };
  return check;
}

export interface TextHits {
  node: Text;
  hits: TermHit[];
}

/**
 * One pass over the text under `root`: a bare SHOW_TEXT walker (no per-node filter callback,
 * which would cost a JS call per node) and the single compiled regex; skipped regions are
 * examined only for nodes that hold a match.
 */
export function scanText(
  root: Node,
  matcher: Matcher,
  skip: SkipCheck,
  visit: (found: TextHits) => void,
  /** Text nodes already read (and left alone here); the ones read now are added. */
  seen?: WeakSet<Text>,
): void {
  const doc = root.nodeType === 9 ? (root as Document) : root.ownerDocument;
  if (!doc) return;
  if (root.nodeType === 3) {
    if (seen?.has(root as Text)) return;
    seen?.add(root as Text);
    scanOne(root as Text, matcher, skip, visit);
    return;
  }
  const walker = doc.createTreeWalker(root, 4 /* NodeFilter.SHOW_TEXT */);
  let node = walker.nextNode();
  while (node !== null) {
    if (!seen) scanOne(node as Text, matcher, skip, visit);
    else if (!seen.has(node as Text)) {
      seen.add(node as Text);
      scanOne(node as Text, matcher, skip, visit);
    }
    node = walker.nextNode();
  }
}

function scanOne(node: Text, matcher: Matcher, skip: SkipCheck, visit: (found: TextHits) => void): void {
  const data = node.data;
  if (data.length < 2) return;
  const hits = matcher.find(data);
  if (hits.length === 0 || skip(node.parentElement)) return;
  visit({ node, hits });
}
