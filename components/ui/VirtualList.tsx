import { useEffect, useLayoutEffect, useRef, useState } from 'preact/hooks';
import type { ComponentChildren, HTMLAttributes } from 'preact';

export interface VirtualListProps {
  count: number;
  /** Every row has this height in CSS pixels; fixed heights keep windowing O(1). */
  rowHeight: number;
  /** Used until the container has been measured (and in DOMs that do no layout). */
  initialHeight?: number;
  overscan?: number;
  /** Scrolled into view whenever it changes, and kept in the DOM even when scrolled away (it may be aria-activedescendant). */
  ensureVisible?: number | null;
  renderRow: (index: number) => ComponentChildren;
  className?: string;
  /** Attributes for the scroll container (role, aria-*, tabIndex, handlers). */
  containerProps?: HTMLAttributes<HTMLDivElement>;
  testId?: string;
}

/** The slice of rows to render for a scroll position; pure so it can be tested without a DOM. */
export function visibleRange(scrollTop: number, viewport: number, rowHeight: number, count: number, overscan: number) {
  const first = Math.max(0, Math.floor(scrollTop / rowHeight) - overscan);
  const last = Math.min(count, Math.ceil((scrollTop + viewport) / rowHeight) + overscan);
  return { first, last: Math.max(first, last) };
}

/**
 * A windowed list: one tall spacer keeps the scrollbar honest and only the rows in view (plus
 * overscan) exist in the DOM, so 10,000 rows cost the same to render as 30.
 */
export function VirtualList(props: VirtualListProps) {
  const { count, rowHeight, overscan = 8 } = props;
  const ref = useRef<HTMLDivElement>(null);
  const [scrollTop, setScrollTop] = useState(0);
  const [viewport, setViewport] = useState(props.initialHeight ?? 480);

  useLayoutEffect(() => {
    const el = ref.current;
    if (!el) return;
    const measure = () => {
      if (el.clientHeight > 0) setViewport(el.clientHeight);
    };
    measure();
    if (typeof ResizeObserver === 'undefined') return;
    const ro = new ResizeObserver(measure);
    ro.observe(el);
    return () => ro.disconnect();
  }, []);

  useEffect(() => {
    const el = ref.current;
    const i = props.ensureVisible;
    if (!el || i === null || i === undefined || i < 0) return;
    const top = i * rowHeight;
    if (top < el.scrollTop) el.scrollTop = top;
    else if (top + rowHeight > el.scrollTop + viewport) el.scrollTop = top + rowHeight - viewport;
    setScrollTop(el.scrollTop);
  }, [props.ensureVisible, rowHeight, viewport]);

  // A shrinking list (a filter) must not leave the window past its end.
  const maxTop = Math.max(0, count * rowHeight - viewport);
  const top = Math.min(scrollTop, maxTop);
  const { first, last } = visibleRange(top, viewport, rowHeight, count, overscan);
  const rows: ComponentChildren[] = [];
  for (let i = first; i < last; i++) rows.push(props.renderRow(i));
  const kept = props.ensureVisible;
  const keepOutside = kept !== null && kept !== undefined && kept >= 0 && kept < count && (kept < first || kept >= last);

  return (
    <div
      {...props.containerProps}
      ref={ref}
      class={`vlist ${props.className ?? ''}`}
      data-testid={props.testId}
      onScroll={(e) => setScrollTop((e.currentTarget as HTMLDivElement).scrollTop)}
    >
      <div class="vlist-spacer" role="none" style={{ height: `${count * rowHeight}px` }}>
        <div class="vlist-window" role="none" style={{ transform: `translateY(${first * rowHeight}px)` }}>
          {rows}
        </div>
        {keepOutside && (
          <div class="vlist-kept" role="none" style={{ position: 'absolute', left: 0, right: 0, top: `${kept * rowHeight}px` }}>
            {props.renderRow(kept)}
          </div>
        )}
      </div>
    </div>
  );
}
