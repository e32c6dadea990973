import type { Matcher, TermHit } from '../../core/dictionary/types';

/** Tag name of our own host elements; they and everything in them are never scanned. */
export const HOST_TAG = 'cwr-inpage-help';

/**
 * Regions whose text is not the app's reading content: form controls, editors, menus and
 * pop-up lists (GWT/GXT menus included), hidden subtrees and our own UI.
 */
const BASE_SKIP = [
  'script', 'style', 'noscript', 'template', 'textarea', 'input', 'select', 'option', HOST_TAG,
  '[contenteditable]:not([contenteditable="false"])',
  '[role="menu"]', '[role="menubar"]', '[role="menuitem"]', '[role="listbox"]', '[role="option"]',
  '[role="textbox"]', '[role="combobox"]', '[role="tooltip"]',
  '[aria-hidden="true"]', '[hidden]', '.x-menu', '.gwt-MenuBar', '.gwt-PopupPanel .gwt-MenuItem',
  '[data-cwr-ignore]',
].join(',');

/**
 * Whether an element's text is off limits. Verdicts are memoised per pass, so an ancestor chain
 * is examined once however many matches sit under it; only elements holding a match get asked.
 */
export function createSkipCheck(extraSelector?: string): (el: Element | null) => boolean {
  const selector = extraSelector ? `${BASE_SKIP},${extraSelector}` : BASE_SKIP;
  const memo = new Map<Element, boolean>();
  const check = (el: Element | null): boolean => {
    if (el === null) return false;
    const known = memo.get(el);
    if (known !== undefined) return known;
    const verdict = el.matches(selector) || check(el.parentElement);
    memo.set(el, verdict);
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
  skip: (el: Element | null) => boolean,
  visit: (found: TextHits) => void,
): void {
  const doc = root.nodeType === 9 ? (root as Document) : root.ownerDocument;
  if (!doc) return;
  if (root.nodeType === 3) {
    scanOne(root as Text, matcher, skip, visit);
    return;
  }
  const walker = doc.createTreeWalker(root, 4 /* NodeFilter.SHOW_TEXT */);
  let node = walker.nextNode();
  while (node !== null) {
    scanOne(node as Text, matcher, skip, visit);
    node = walker.nextNode();
  }
}

function scanOne(node: Text, matcher: Matcher, skip: (el: Element | null) => boolean, visit: (found: TextHits) => void): void {
  const data = node.data;
  if (data.length < 2) return;
  const hits = matcher.find(data);
  if (hits.length === 0 || skip(node.parentElement)) return;
  visit({ node, hits });
}
