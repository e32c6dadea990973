// @vitest-environment happy-dom
import { afterEach, describe, expect, it } from 'vitest';
import { act } from 'preact/test-utils';
import { VirtualList, visibleRange } from '../../../components/ui/VirtualList';
import { mount, settle } from './render';

let cleanup: (() => void) | undefined;
afterEach(() => {
  cleanup?.();
  cleanup = undefined;
});

describe('visibleRange', () => {
  it('covers the viewport plus overscan, clamped to the list', () => {
    expect(visibleRange(0, 100, 20, 1000, 2)).toEqual({ first: 0, last: 7 });
    expect(visibleRange(400, 100, 20, 1000, 2)).toEqual({ first: 18, last: 27 });
    expect(visibleRange(19_900, 100, 20, 1000, 2)).toEqual({ first: 993, last: 1000 });
    expect(visibleRange(0, 100, 20, 0, 2)).toEqual({ first: 0, last: 0 });
  });
});

describe('VirtualList', () => {
  it('renders only the rows in view and follows scrolling', async () => {
    const view = mount(
      <VirtualList count={10_000} rowHeight={20} initialHeight={100} overscan={2} testId="vl" renderRow={(i) => <div key={i} data-row={i}>row {i}</div>} />,
    );
    cleanup = view.unmount;
    const list = view.container.querySelector('[data-testid="vl"]') as HTMLElement;
    const rows = () => [...list.querySelectorAll('[data-row]')].map((r) => Number(r.getAttribute('data-row')));
    expect(rows()).toEqual([0, 1, 2, 3, 4, 5, 6]);
    expect((list.firstElementChild as HTMLElement).style.height).toBe('200000px');
    await act(async () => {
      list.scrollTop = 5000;
      list.dispatchEvent(new Event('scroll'));
    });
    await settle();
    expect(rows()[0]).toBe(248);
    expect(rows()).toContain(250);
    expect(rows().length).toBeLessThan(12);
  });

  it('keeps the active row in the DOM after the user scrolls away from it', async () => {
    const view = mount(
      <VirtualList count={1000} rowHeight={20} initialHeight={100} overscan={1} ensureVisible={2} testId="vl" renderRow={(i) => <div key={i} data-row={i} />} />,
    );
    cleanup = view.unmount;
    const list = view.container.querySelector('[data-testid="vl"]') as HTMLElement;
    await act(async () => {
      list.scrollTop = 10_000;
      list.dispatchEvent(new Event('scroll'));
    });
    await settle();
    const rendered = [...list.querySelectorAll('[data-row]')].map((r) => Number(r.getAttribute('data-row')));
    expect(rendered).toContain(2);
    expect(rendered).toContain(500);
  });

  it('scrolls a row into view when asked', async () => {
    const view = mount(
      <VirtualList count={500} rowHeight={20} initialHeight={100} ensureVisible={300} testId="vl" renderRow={(i) => <div key={i} data-row={i} />} />,
    );
    cleanup = view.unmount;
    await settle();
    const rendered = [...view.container.querySelectorAll('[data-row]')].map((r) => Number(r.getAttribute('data-row')));
    expect(rendered).toContain(300);
  });
});
