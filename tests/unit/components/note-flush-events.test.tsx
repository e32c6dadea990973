// @vitest-environment happy-dom
import { afterEach, describe, expect, it } from 'vitest';
import type { PanelRun } from '../../../components/api';
import { memoryNoteDrafts } from '../../../components/findings/drafts';
import { createPanelModel } from '../../../components/panel/model';
import { PanelApp } from '../../../components/panel/PanelApp';
import { createMemoryApi } from './memory-api';
import { workedMonth } from '../worked-month';
import { click, mount, q, qa, settle, type } from './render';

const { report } = workedMonth();
const RUN: PanelRun = { id: 'run-month', createdAt: '2026-12-01T09:00:00.000Z', report };

let cleanup: (() => void) | undefined;
afterEach(() => {
  cleanup?.();
  cleanup = undefined;
  Object.defineProperty(document, 'visibilityState', { value: 'visible', configurable: true });
});

/** The panel with the results open and a note typed on the first finding, still in its typing pause. */
async function typedNote() {
  const mem = createMemoryApi({ runs: [RUN] });
  const model = createPanelModel(mem.api, () => new Date('2026-12-01T10:00:00Z'), memoryNoteDrafts());
  const { container, unmount } = mount(<PanelApp model={model} />);
  cleanup = unmount;
  await settle();
  await click(q(container, 'nav-results'));
  await click(qa(container, 'finding-row')[0]);
  const fp = q(container, 'finding-detail')!.getAttribute('data-fingerprint')!;
  await type(q(container, 'finding-note')!, 'typed as the panel went');
  expect(model.findings.value!.notePending(fp)).toBe(true);
  return { mem, fp, puts: () => mem.calls.filter((c) => c === `put:${fp}`).length };
}

describe('the panel sends a note in its typing pause as soon as it is hidden or left', () => {
  it.each([
    ['pagehide (the panel closes)', () => window.dispatchEvent(new Event('pagehide'))],
    [
      'visibilitychange to hidden',
      () => {
        Object.defineProperty(document, 'visibilityState', { value: 'hidden', configurable: true });
        document.dispatchEvent(new Event('visibilitychange'));
      },
    ],
    ['blur (focus leaves the panel)', () => window.dispatchEvent(new Event('blur'))],
  ] as const)('%s', async (_name, leave) => {
    const { mem, fp, puts } = await typedNote();
    expect(puts()).toBe(0);
    leave();
    // Sent from within the event handler, not after a later tick.
    expect(puts()).toBe(1);
    await settle();
    expect(mem.resolutions.get(fp)?.note).toBe('typed as the panel went');
  });

  it('does not send on a visibilitychange that leaves the panel visible', async () => {
    const { puts } = await typedNote();
    document.dispatchEvent(new Event('visibilitychange'));
    expect(puts()).toBe(0);
  });
});
