/**
 * Marks term occurrences with the CSS Custom Highlight API: ranges painted by the browser, no
 * node added to or moved in the host page. Where the API is missing (older Firefox, happy-dom)
 * nothing is painted and tooltips still work by hit-testing on hover: the fallback we chose over
 * wrapping text in spans, which would break GWT's and React's own bookkeeping of their nodes.
 */

export const HIGHLIGHT_NAME = 'cwr-term';

interface HighlightLike extends Iterable<AbstractRange> {
  add(range: AbstractRange): unknown;
  delete(range: AbstractRange): unknown;
  clear(): void;
}
interface HighlightRegistryLike {
  set(name: string, highlight: HighlightLike): unknown;
  delete(name: string): unknown;
}
interface HighlightWindow {
  CSS?: { highlights?: HighlightRegistryLike };
  Highlight?: new (...ranges: AbstractRange[]) => HighlightLike;
  StaticRange?: typeof StaticRange;
}

/** The colour of both looks' tint: also how the painter recognises its rule in computed style. */
const TINT_RGB = '37, 99, 235';

/** Chromium's look for a marked term: a dotted underline over a faint tint (highlight.css, root rule). */
export const TERM_DECLARATIONS = `text-decoration-line: underline;
  text-decoration-style: dotted;
  text-decoration-color: #2563eb;
  text-decoration-thickness: 2px;
  background-color: rgba(${TINT_RGB}, 0.07);`;

/**
 * Firefox's look: the tint alone, stronger to make up for the missing underline. Firefox 153 lays
 * out the whole page again when a highlight whose style draws a text decoration changes during a
 * scroll or shortly before one (a decoration can reach outside its text's box): on the 5,000-line
 * Platform page that is one 85–120 ms frame at the start of the scroll, each time our marks
 * changed near one. A background reaches no further than its text, and changing it costs a frame
 * of 17 ms there. scripts/probe-highlight-scroll-firefox.ts shows it on that page without the
 * extension: ranges added while a wheel scroll runs give the long frame under a rule with only
 * the decoration, and none under one with only the background.
 */
export const TERM_DECLARATIONS_FIREFOX = `background-color: rgba(${TINT_RGB}, 0.16);`;

/**
 * The fallback sheet, for every element (see `ruleInstalled`): Chromium's look, and Firefox's in
 * its place where -moz-appearance is supported (the condition highlight.css uses).
 */
export const TERM_STYLE = `::highlight(${HIGHLIGHT_NAME}) {
  ${TERM_DECLARATIONS}
}
@supports (-moz-appearance: none) {
  ::highlight(${HIGHLIGHT_NAME}) {
    text-decoration-line: none;
    ${TERM_DECLARATIONS_FIREFOX}
  }
}`;

export interface Painter {
  readonly painting: boolean;
  /** A range over `node[start, end)` (static where possible: live ranges tax every host mutation). */
  range(node: Text, start: number, end: number): AbstractRange;
  add(ranges: readonly AbstractRange[]): void;
  remove(ranges: readonly AbstractRange[]): void;
  clear(): void;
  /**
   * Takes the painted terms off the page until `release()` if any lies inside `scroller`.
   * Chromium repaints a scroller it does not composite on every scrolled frame,
   * and painted ranges make each of those frames dearer: on the 5,000-row Additions grid, +50 ms
   * of PrePaint per frame with one range inside the scroller, and as much with eighteen ranges
   * only in the headers around it; none once the highlight is unregistered. Changes made while
   * held are kept and shown at release.
   */
  hold(scroller: Element): void;
  /** Puts the terms back: one highlight change, together with any made in the same task. */
  release(): void;
  destroy(): void;
}

export function createPainter(doc: Document): Painter {
  const win = doc.defaultView as (Window & HighlightWindow) | null;
  const registry = win?.CSS?.highlights;
  const HighlightCtor = win?.Highlight;
  const StaticRangeCtor = win?.StaticRange;
  const painting = registry !== undefined && typeof HighlightCtor === 'function';

  let highlight: HighlightLike | undefined;
  let sheet: { remove(): void } | undefined;
  /** Whether the highlight is off the page (unregistered) while a box scrolls. */
  let held = false;

  function ensure(): HighlightLike | undefined {
    if (!painting) return undefined;
    if (!highlight) {
      highlight = new HighlightCtor!();
      registry!.set(HIGHLIGHT_NAME, highlight);
      if (!ruleInstalled(doc)) sheet = injectStyle(doc);
    }
    return highlight;
  }

  return {
    painting,
    range(node, start, end) {
      if (StaticRangeCtor) {
        return new StaticRangeCtor({ startContainer: node, startOffset: start, endContainer: node, endOffset: end });
      }
      const r = doc.createRange();
      r.setStart(node, start);
      r.setEnd(node, end);
      return r;
    },
    add(ranges) {
      const h = ensure();
      if (h) for (const r of ranges) h.add(r);
    },
    remove(ranges) {
      if (highlight) for (const r of ranges) highlight.delete(r);
    },
    clear() {
      highlight?.clear();
    },
    hold(scroller) {
      if (held || !highlight) return;
      for (const r of highlight) {
        if (!scroller.contains(r.startContainer)) continue;
        registry!.delete(HIGHLIGHT_NAME);
        held = true;
        return;
      }
    },
    release() {
      if (!held) return;
      held = false;
      if (highlight) registry!.set(HIGHLIGHT_NAME, highlight);
    },
    destroy() {
      held = false;
      if (highlight) {
        highlight.clear();
        registry?.delete(HIGHLIGHT_NAME);
        highlight = undefined;
      }
      sheet?.remove();
      sheet = undefined;
    },
  };
}

/**
 * Whether the manifest's CSS (highlight.css) already styles our highlight for the page's text:
 * asked of `body`, not of the root the Chromium rule names, since what matters is whether it
 * reaches the text. Both browsers' looks carry the same tint.
 */
function ruleInstalled(doc: Document): boolean {
  try {
    const style = doc.defaultView?.getComputedStyle(doc.body ?? doc.documentElement, `::highlight(${HIGHLIGHT_NAME})`);
    return style?.backgroundColor.includes(TINT_RGB) === true;
  } catch {
    return false;
  }
}

/**
 * `::highlight()` rules must live in the page's style scope. A constructed sheet adopted by the
 * document adds no node; a <style> in <head> is the fallback.
 */
function injectStyle(doc: Document): { remove(): void } {
  const win = doc.defaultView as (Window & { CSSStyleSheet?: typeof CSSStyleSheet }) | null;
  const adopted = (doc as Document & { adoptedStyleSheets?: CSSStyleSheet[] }).adoptedStyleSheets;
  if (win?.CSSStyleSheet && Array.isArray(adopted)) {
    try {
      const sheet = new win.CSSStyleSheet();
      sheet.replaceSync(TERM_STYLE);
      doc.adoptedStyleSheets = [...doc.adoptedStyleSheets, sheet];
      return {
        remove() {
          doc.adoptedStyleSheets = doc.adoptedStyleSheets.filter((s) => s !== sheet);
        },
      };
    } catch {
      // Fall through to a <style> element.
    }
  }
  const style = doc.createElement('style');
  style.setAttribute('data-cwr-ignore', '');
  style.textContent = TERM_STYLE;
  (doc.head ?? doc.documentElement).appendChild(style);
  return { remove: () => style.remove() };
}
