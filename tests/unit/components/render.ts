import { render } from 'preact';
import type { VNode } from 'preact';
import { act } from 'preact/test-utils';

/** Mounts a tree into a fresh container on document.body; returns it and an unmount. */
export function mount(vnode: VNode) {
  const container = document.createElement('div');
  document.body.append(container);
  act(() => render(vnode, container));
  return {
    container,
    unmount() {
      render(null, container);
      container.remove();
    },
  };
}

/** Lets pending promises and signal effects settle, then flushes Preact's render queue. */
export async function settle(times = 3) {
  for (let i = 0; i < times; i++) {
    await act(async () => {
      await new Promise((r) => setTimeout(r, 0));
    });
  }
}

export async function click(el: Element | null | undefined) {
  if (!el) throw new Error('nothing to click');
  await act(async () => {
    (el as HTMLElement).click();
  });
  await settle();
}

export async function key(el: Element, k: string) {
  await act(async () => {
    el.dispatchEvent(new KeyboardEvent('keydown', { key: k, bubbles: true }));
  });
}

export async function type(el: Element, value: string) {
  await act(async () => {
    (el as HTMLInputElement).value = value;
    el.dispatchEvent(new Event('input', { bubbles: true }));
  });
}

export async function choose(el: Element, value: string) {
  await act(async () => {
    (el as HTMLSelectElement).value = value;
    el.dispatchEvent(new Event('change', { bubbles: true }));
  });
}

export const q = (root: ParentNode, testId: string) => root.querySelector(`[data-testid="${testId}"]`);
export const qa = (root: ParentNode, testId: string) => [...root.querySelectorAll(`[data-testid="${testId}"]`)];
