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
