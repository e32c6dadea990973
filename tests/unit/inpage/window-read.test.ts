// @vitest-environment happy-dom
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { startInPageHelp, type InPageHelp } from '../../../components/inpage';
import { hover, installHighlightApi, removeHighlightApi, settle, visibleTooltipText } from './helpers';

/**
 * A long grid under a stand-in layout: row i is 20 px tall at i × 20 px below the top of the
 * page, less the scroll offset; the body and table span all rows. Only rows near the viewport
 * should ever be read, whichever way the page got there.
 */
const ROWS = 500;
let scrollY = 0;
let saved: typeof Element.prototype.getBoundingClientRect | undefined;
let help: InPageHelp | undefined;

function installGridLayout(): void {
  const proto = (document.defaultView as unknown as { Element: typeof Element }).Element.prototype;
  saved = proto.getBoundingClientRect;
  proto.getBoundingClientRect = function (this: Element) {
    if (this === this.ownerDocument.documentElement) return new DOMRect(0, -scrollY, 1000, ROWS * 20 + 100);
    const row = this.closest('tr');
    if (row) {
      const i = Number(row.getAttribute('data-i'));
      return new DOMRect(0, i * 20 + 100 - scrollY, 1000, 20);
    }
    if (this.closest('table')) return new DOMRect(0, 100 - scrollY, 1000, ROWS * 20);
    if (this.id === 'top') return new DOMRect(0, -scrollY, 1000, 100);
    return new DOMRect(0, -scrollY, 1000, ROWS * 20 + 100);
  };
}

function rows(): HTMLTableRowElement[] {
  return Array.from(document.querySelectorAll('tr'));
}

beforeEach(() => {
  scrollY = 0;
  const body = Array.from({ length: ROWS }, (_, i) => `<tr data-i="${i}"><td>Row ${i}</td><td>Addition ${i}</td></tr>`).join('');
  document.body.innerHTML = `<div id="top"><h1>Agreement</h1></div><table><tbody>${body}</tbody></table>`;
  installHighlightApi();
  installGridLayout();
});

afterEach(() => {
  help?.stop();
  help = undefined;
  const proto = (document.defaultView as unknown as { Element: typeof Element }).Element.prototype;
  if (saved) proto.getBoundingClientRect = saved;
  removeHighlightApi();
});

describe('reading only the text near the viewport', () => {
  it('reads nothing at start, then only the rows within a screen of the viewport', () => {
    help = startInPageHelp({ doc: document, site: 'connectwise', hoverDelayMs: 0 });
    expect(help.markedCount).toBe(0);
    help.flush();
    const vh = window.innerHeight;
    // Rows whose box reaches into [−vh, 2vh], plus the heading.
    const near = rows().filter((_, i) => i * 20 + 100 + 20 >= -vh && i * 20 + 100 <= 2 * vh).length;
    expect(near).toBeLessThan(ROWS / 5);
    expect(help.markedCount).toBe(near + 1);
  });

  it('reads the rows that scroll into view, and explains a far row the pointer reaches first', async () => {
    help = startInPageHelp({ doc: document, site: 'connectwise', hoverDelayMs: 0 });
    help.flush();
    const before = help.markedCount;
    const far = rows()[ROWS - 1]!.cells[1]!;
    hover(far);
    expect(visibleTooltipText()).toContain('Invoice line');
    expect(help.markedCount).toBe(before + 1);
    scrollY = 300 * 20;
    document.dispatchEvent(new Event('scroll'));
    await new Promise((r) => setTimeout(r, 50));
    help.flush();
    expect(help.markedCount).toBeGreaterThan(before + 1);
    expect(help.markedCount).toBeLessThan(ROWS / 2);
  });

  it('reads a row GWT recycled in place, and forgets the text it replaced', async () => {
    help = startInPageHelp({ doc: document, site: 'connectwise', hoverDelayMs: 0 });
    help.flush();
    const count = help.markedCount;
    const cell = rows()[3]!.cells[1]!;
    cell.textContent = 'Nothing to explain';
    await settle();
    help.flush();
    expect(help.markedCount).toBe(count - 1);
    cell.textContent = 'Additions again';
    await settle();
    help.flush();
    expect(help.markedCount).toBe(count);
  });
});

/** Counts the changes made to our highlight (each one repaints the whole page in a browser). */
function countChanges(registry: Map<string, Set<AbstractRange>>): { readonly changes: number; painted(): Set<AbstractRange> } {
  const h = registry.get('cwr-term')!;
  let changes = 0;
  const add = h.add.bind(h);
  const del = h.delete.bind(h);
  h.add = (r) => (changes++, add(r));
  h.delete = (r) => (changes++, del(r));
  return {
    get changes() {
      return changes;
    },
    painted: () => h,
  };
}

const wait = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('painting while the page scrolls', () => {
  let registry: Map<string, Set<AbstractRange>>;
  beforeEach(() => {
    registry = installHighlightApi();
  });

  it('leaves the painted terms alone on every scrolled frame and repaints once the scroll settles', async () => {
    help = startInPageHelp({ doc: document, site: 'connectwise', hoverDelayMs: 0, scrollSettleMs: 60 });
    help.flush();
    const highlight = countChanges(registry);
    const paintedBefore = help.paintedCount;
    expect(paintedBefore).toBeGreaterThan(0);
    // Ten scroll events 15 ms apart, 30 rows each: never 60 ms without one.
    for (let step = 1; step <= 10; step++) {
      scrollY = step * 30 * 20;
      document.dispatchEvent(new Event('scroll'));
      await wait(15);
      expect(highlight.changes).toBe(0);
    }
    await wait(200);
    expect(highlight.changes).toBeGreaterThan(0);
    const last = rows()[300 + 10]!.cells[1]!.firstChild as Text;
    expect([...highlight.painted()].some((r) => r.startContainer === last)).toBe(true);
    expect([...highlight.painted()].some((r) => r.startContainer === rows()[0]!.cells[1]!.firstChild)).toBe(false);
  });

  it('hit-tests nothing while the page scrolls, and explains the term under a still pointer once it settles', async () => {
    help = startInPageHelp({ doc: document, site: 'connectwise', hoverDelayMs: 0, scrollSettleMs: 60 });
    help.flush();
    scrollY = 40;
    document.dispatchEvent(new Event('scroll'));
    // The move a browser sends as content passes under the pointer during the scroll.
    hover(rows()[4]!.cells[1]!);
    expect(visibleTooltipText()).toBeNull();
    await wait(150);
    expect(visibleTooltipText()).toContain('Invoice line');
  });

  it('repaints nothing after a scroll shorter than half a screen', async () => {
    help = startInPageHelp({ doc: document, site: 'connectwise', hoverDelayMs: 0, scrollSettleMs: 20 });
    help.flush();
    const highlight = countChanges(registry);
    const marked = help.markedCount;
    scrollY = 5 * 20;
    document.dispatchEvent(new Event('scroll'));
    await wait(150);
    help.flush();
    // The rows that came within a screen below were read, and nothing on screen needed painting.
    expect(help.markedCount).toBeGreaterThan(marked);
    expect(highlight.changes).toBe(0);
  });
});

describe('a grid that scrolls inside a box the size of the viewport', () => {
  // The whole page is one layout box that fits the viewport; the rows scroll inside a grid body
  // within it, so every box above the rows lies wholly on screen while the rows run far below.
  const vh = () => window.innerHeight || 800;
  function installScrollerLayout(): void {
    const proto = (document.defaultView as unknown as { Element: typeof Element }).Element.prototype;
    saved = proto.getBoundingClientRect;
    proto.getBoundingClientRect = function (this: Element) {
      const row = this.closest('tr');
      if (row) return new DOMRect(0, Number(row.getAttribute('data-i')) * 20 + 100 - scrollY, 1000, 20);
      if (this.id === 'top') return new DOMRect(0, 0, 1000, 100);
      if (this.closest('table')) return new DOMRect(0, 100 - scrollY, 1000, ROWS * 20);
      return new DOMRect(0, 0, 1000, vh());
    };
  }

  beforeEach(() => {
    const proto = (document.defaultView as unknown as { Element: typeof Element }).Element.prototype;
    if (saved) proto.getBoundingClientRect = saved;
    const body = Array.from({ length: ROWS }, (_, i) => `<tr data-i="${i}"><td>Row ${i}</td><td>Addition ${i}</td></tr>`).join('');
    document.body.innerHTML = `<div class="cw-layout"><div id="top"><h1>Agreement</h1></div><div class="grid-body"><table><tbody>${body}</tbody></table></div></div>`;
    installScrollerLayout();
  });

  it('reads the rows near the viewport, not every row the layout box holds', () => {
    help = startInPageHelp({ doc: document, site: 'connectwise', hoverDelayMs: 0 });
    help.flush();
    const near = rows().filter((_, i) => i * 20 + 100 + 20 >= -vh() && i * 20 + 100 <= 2 * vh()).length;
    expect(near).toBeLessThan(ROWS / 5);
    expect(help.markedCount).toBe(near + 1);
  });

  it('takes the terms off while the grid body scrolls, and puts the window back once it settles', async () => {
    const registry = installHighlightApi();
    help = startInPageHelp({ doc: document, site: 'connectwise', hoverDelayMs: 0, scrollSettleMs: 60 });
    help.flush();
    const highlight = registry.get('cwr-term')!;
    const gridBody = document.querySelector('.grid-body')!;
    expect([...highlight].some((r) => gridBody.contains(r.startContainer))).toBe(true);
    // The first scrolled frame already has no highlight to paint.
    for (let step = 1; step <= 10; step++) {
      scrollY = step * 30 * 20;
      gridBody.dispatchEvent(new Event('scroll'));
      expect(registry.has('cwr-term')).toBe(false);
      await wait(15);
    }
    await wait(200);
    // Back once settled, the same highlight, moved to the rows around the new position.
    expect(registry.get('cwr-term')).toBe(highlight);
    const near = rows()[300 + 10]!.cells[1]!.firstChild as Text;
    expect([...highlight].some((r) => r.startContainer === near)).toBe(true);
    expect([...highlight].some((r) => r.startContainer === rows()[0]!.cells[1]!.firstChild)).toBe(false);
    expect(highlight.size).toBe(help.paintedCount);
  });

  it('waits for a slow scroll to end: frames 100 ms apart do not bring the terms back between them', async () => {
    const registry = installHighlightApi();
    help = startInPageHelp({ doc: document, site: 'connectwise', hoverDelayMs: 0, scrollSettleMs: 60 });
    help.flush();
    const gridBody = document.querySelector('.grid-body')!;
    const registered: boolean[] = [];
    for (let step = 1; step <= 6; step++) {
      scrollY = step * 30 * 20;
      gridBody.dispatchEvent(new Event('scroll'));
      await wait(100);
      registered.push(registry.has('cwr-term'));
    }
    // The first gap is the one a scroll is known by; from then on none of them is taken for its end.
    expect(registered.slice(1)).toEqual([false, false, false, false, false]);
    await wait(400);
    expect(registry.has('cwr-term')).toBe(true);
  });

  it('waits twice as long as the first scrolled frame took to render before taking the scroll as ended', async () => {
    const registry = installHighlightApi();
    // A page whose frames take 150 ms to render while it scrolls.
    const w = window as unknown as { requestAnimationFrame: (cb: FrameRequestCallback) => number };
    const savedRaf = w.requestAnimationFrame;
    let frame = 0;
    let queued: FrameRequestCallback[] = [];
    w.requestAnimationFrame = (cb) => {
      // Callbacks asked for before a frame all run in it, with its time.
      if (queued.length === 0) {
        setTimeout(() => {
          const run = queued;
          queued = [];
          frame++;
          for (const f of run) f(frame * 150);
        }, 0);
      }
      queued.push(cb);
      return 0;
    };
    try {
      help = startInPageHelp({ doc: document, site: 'connectwise', hoverDelayMs: 0, scrollSettleMs: 60 });
      help.flush();
      const gridBody = document.querySelector('.grid-body')!;
      scrollY = 30 * 20;
      gridBody.dispatchEvent(new Event('scroll'));
      // Its next event comes 200 ms later, as such a page sends them.
      await wait(200);
      expect(registry.has('cwr-term')).toBe(false);
      scrollY = 60 * 20;
      gridBody.dispatchEvent(new Event('scroll'));
      await wait(200);
      expect(registry.has('cwr-term')).toBe(false);
      await wait(300);
      expect(registry.has('cwr-term')).toBe(true);
    } finally {
      w.requestAnimationFrame = savedRaf;
    }
  });

  it('keeps the terms on the page while a box without painted terms scrolls', async () => {
    const registry = installHighlightApi();
    help = startInPageHelp({ doc: document, site: 'connectwise', hoverDelayMs: 0, scrollSettleMs: 60 });
    help.flush();
    const side = document.createElement('nav');
    side.innerHTML = '<ul><li>Menu</li></ul>';
    document.body.prepend(side);
    side.dispatchEvent(new Event('scroll'));
    await wait(15);
    expect(registry.has('cwr-term')).toBe(true);
  });

  it('keeps the heading above the grid painted after the rows scroll up past it', async () => {
    const registry = installHighlightApi();
    help = startInPageHelp({ doc: document, site: 'connectwise', hoverDelayMs: 0, scrollSettleMs: 10 });
    help.flush();
    const heading = document.querySelector('h1')!.firstChild as Text;
    const painted = () => [...registry.get('cwr-term')!];
    expect(painted().some((r) => r.startContainer === heading)).toBe(true);
    scrollY = 400 * 20;
    document.querySelector('.grid-body')!.dispatchEvent(new Event('scroll'));
    await wait(50);
    help.flush();
    expect(painted().some((r) => r.startContainer === rows()[400 + 10]!.cells[1]!.firstChild)).toBe(true);
    expect(painted().some((r) => r.startContainer === heading)).toBe(true);
  });

  it('keeps the terms on the page while the document itself scrolls', async () => {
    const registry = installHighlightApi();
    help = startInPageHelp({ doc: document, site: 'connectwise', hoverDelayMs: 0, scrollSettleMs: 60 });
    help.flush();
    const highlight = countChanges(registry);
    const painted = highlight.painted().size;
    expect(painted).toBeGreaterThan(0);
    for (const target of [document, document.documentElement, document.body]) target.dispatchEvent(new Event('scroll'));
    await wait(15);
    expect(registry.has('cwr-term')).toBe(true);
    expect(highlight.changes).toBe(0);
    expect(highlight.painted().size).toBe(painted);
  });

  it('reads the rows scrolled to inside the grid body', async () => {
    help = startInPageHelp({ doc: document, site: 'connectwise', hoverDelayMs: 0, scrollSettleMs: 10 });
    help.flush();
    scrollY = 400 * 20;
    document.dispatchEvent(new Event('scroll'));
    await new Promise((r) => setTimeout(r, 50));
    help.flush();
    const last = rows()[ROWS - 1]!.cells[1]!.firstChild as Text;
    // The heading, the rows first in view, and the rows around the new position, never all.
    expect(help.markedCount).toBeLessThan(ROWS / 2);
    hover(last.parentElement!);
    expect(visibleTooltipText()).toContain('Invoice line');
  });
});
