/**
 * What is under the pointer. Highlights receive no pointer events; the text under the pointer is
 * found among the event target's text children by their boxes (`rectsOf`, `pointOnText`), and
 * the caret position at the point (caretPositionFromPoint, or WebKit/Blink's caretRangeFromPoint)
 * is the fallback, confirmed by the same boxes: the caret API snaps to the nearest character even
 * when the pointer is beside the text.
 */

export interface CaretPoint {
  node: Node;
  offset: number;
}

type CaretDoc = Document & {
  caretPositionFromPoint?: (x: number, y: number) => { offsetNode: Node; offset: number } | null;
  caretRangeFromPoint?: (x: number, y: number) => Range | null;
};

export function caretAt(doc: Document, x: number, y: number): CaretPoint | undefined {
  const d = doc as CaretDoc;
  try {
    if (typeof d.caretPositionFromPoint === 'function') {
      const pos = d.caretPositionFromPoint(x, y);
      return pos ? { node: pos.offsetNode, offset: pos.offset } : undefined;
    }
    if (typeof d.caretRangeFromPoint === 'function') {
      const r = d.caretRangeFromPoint(x, y);
      return r ? { node: r.startContainer, offset: r.startOffset } : undefined;
    }
  } catch {
    // Firefox throws for points over cross-origin frames; treat as nothing under the pointer.
  }
  return undefined;
}

export function hasCaretApi(doc: Document): boolean {
  const d = doc as CaretDoc;
  return typeof d.caretPositionFromPoint === 'function' || typeof d.caretRangeFromPoint === 'function';
}

/** Client rectangles of `node[start, end)`. */
export function rectsOf(doc: Document, node: Text, start: number, end: number): DOMRect[] {
  const r = doc.createRange();
  try {
    r.setStart(node, Math.min(start, node.length));
    r.setEnd(node, Math.min(end, node.length));
    const list = r.getClientRects?.();
    return list ? Array.from(list) : [];
  } catch {
    return [];
  }
}

const SLACK = 1;

/**
 * Whether the point lies on the text. A document without layout (no boxes at all) cannot say,
 * and we then trust the caret/target answer rather than never showing anything.
 */
export function pointOnText(rects: readonly DOMRect[], x: number, y: number): boolean {
  const real = rects.filter((r) => r.width > 0 || r.height > 0);
  if (real.length === 0) return true;
  return real.some((r) => x >= r.left - SLACK && x <= r.right + SLACK && y >= r.top - SLACK && y <= r.bottom + SLACK);
}

/** A box around all rectangles, for placing the tooltip. */
export function unionRect(rects: readonly DOMRect[]): { left: number; top: number; right: number; bottom: number } {
  if (rects.length === 0) return { left: 0, top: 0, right: 0, bottom: 0 };
  let left = Infinity;
  let top = Infinity;
  let right = -Infinity;
  let bottom = -Infinity;
  for (const r of rects) {
    left = Math.min(left, r.left);
    top = Math.min(top, r.top);
    right = Math.max(right, r.right);
    bottom = Math.max(bottom, r.bottom);
  }
  return { left, top, right, bottom };
}
