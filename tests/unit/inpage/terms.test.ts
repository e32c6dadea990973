// @vitest-environment happy-dom
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { HIGHLIGHT_NAME, HOST_TAG, startInPageHelp, type InPageHelp } from '../../../components/inpage';
import { mergeDictionary, parseUserEntries } from '../../../core/dictionary';
import {
  hover,
  installHighlightApi,
  installLayout,
  removeHighlightApi,
  settle,
  shadow,
  textNodeContaining,
  tooltipEl,
  visibleTooltipText,
} from './helpers';

let help: InPageHelp | undefined;

const CW_PAGE = `
  <div class="gwt-MenuBar" role="menubar"><div role="menuitem">Agreements</div></div>
  <main id="app">
    <h1 id="title">Agreement Additions</h1>
    <p id="para">The Effective Date and the Cancelled Date of each Addition.</p>
    <label>Find <input id="search" value="Additions"></label>
    <textarea id="notes">Agreements here</textarea>
    <div contenteditable="true" id="editor">Product ID typed by the user</div>
    <div contenteditable="false" id="readonly">Product ID shown</div>
    <div aria-hidden="true">Company</div>
    <div data-cwr-ignore>Companies</div>
  </main>`;

function markedTexts(registry: Map<string, Set<AbstractRange>>): string[] {
  const h = registry.get(HIGHLIGHT_NAME);
  if (!h) return [];
  return [...h].map((r) => (r.startContainer as Text).data.slice(r.startOffset, r.endOffset));
}

beforeEach(() => {
  document.body.innerHTML = CW_PAGE;
});

afterEach(() => {
  help?.stop();
  help = undefined;
  removeHighlightApi();
  document.body.innerHTML = '';
});

describe('marking terms', () => {
  it('marks the app’s text with one highlight and leaves inputs, editors, menus and hidden text alone', async () => {
    const registry = installHighlightApi();
    help = startInPageHelp({ doc: document, site: 'connectwise' });
    await settle();
    expect(markedTexts(registry).sort()).toEqual(
      ['Addition', 'Additions', 'Agreement', 'Cancelled Date', 'Effective Date', 'Product ID'].sort(),
    );
    expect(help.markedCount).toBe(6);
  });

  it('does not change the host page’s DOM', () => {
    installHighlightApi();
    const before = document.body.innerHTML;
    help = startInPageHelp({ doc: document, site: 'connectwise', hoverDelayMs: 0 });
    hover(document.getElementById('para')!);
    expect(document.body.innerHTML).toBe(before);
    // Our only node sits under <html>, outside the app's body.
    expect(document.querySelector(HOST_TAG)?.parentElement).toBe(document.documentElement);
  });

  it('looks only for the site’s own words', async () => {
    const registry = installHighlightApi();
    document.body.innerHTML = '<p>Invoice lines become Additions</p>';
    help = startInPageHelp({ doc: document, site: 'platform' });
    await settle();
    expect(markedTexts(registry)).toEqual(['Invoice lines']);
  });

  it('includes the user’s own entries', async () => {
    const registry = installHighlightApi();
    document.body.innerHTML = '<p>Billing Cycle and Additions</p>';
    const entries = mergeDictionary(parseUserEntries([{ platform: 'Billing Day', connectwise: 'Billing Cycle', explanation: 'x' }]));
    help = startInPageHelp({ doc: document, site: 'connectwise', entries });
    await settle();
    expect(markedTexts(registry)).toEqual(['Billing Cycle', 'Additions']);
  });

  it('still finds terms without the Highlight API (nothing painted, tooltips by hover)', () => {
    help = startInPageHelp({ doc: document, site: 'connectwise', hoverDelayMs: 0 });
    expect(help.markedCount).toBe(6);
    hover(document.getElementById('para')!);
    // Without a caret API the first term of the text under the pointer is explained.
    expect(visibleTooltipText()).toContain('Charge Start Date');
  });
});

describe('painting the visible window', () => {
  it('paints only marks near the viewport, yet explains every one', async () => {
    const registry = installHighlightApi();
    const layout = installLayout();
    const para = document.getElementById('para')!;
    const title = document.getElementById('title')!;
    const below = document.getElementById('readonly')!;
    // Top-to-bottom as in the document: the title on screen, the paragraph far below.
    const scrollTo = (y: number) => {
      title.setAttribute('data-y', String(0 - y));
      para.setAttribute('data-y', String(9000 - y));
      below.setAttribute('data-y', String(9020 - y));
      document.dispatchEvent(new Event('scroll'));
    };
    scrollTo(0);
    try {
      help = startInPageHelp({ doc: document, site: 'connectwise', hoverDelayMs: 0, scrollSettleMs: 10 });
      // With layout the text is read at idle time; flush() reads it now.
      help.flush();
      expect(help.markedCount).toBe(6);
      expect(help.paintedCount).toBe(2);
      expect(markedTexts(registry).sort()).toEqual(['Additions', 'Agreement']);
      hover(para);
      expect(visibleTooltipText()).toContain('Charge Start Date');
      // Scrolled down: the paragraph is painted on the next frame and the title no longer.
      scrollTo(8800);
      await new Promise((r) => setTimeout(r, 50));
      expect(help.paintedCount).toBe(4);
      expect(markedTexts(registry)).toContain('Effective Date');
      expect(markedTexts(registry)).not.toContain('Agreement');
      // 50 ms after the last scroll: a scroll whose events come that far apart is given twice as
      // long to settle.
      scrollTo(20_000);
      await new Promise((r) => setTimeout(r, 150));
      expect(help.paintedCount).toBe(0);
      expect(registry.get(HIGHLIGHT_NAME)!.size).toBe(0);
    } finally {
      layout.restore();
    }
  });

  it('paints everything when asked to', () => {
    const registry = installHighlightApi();
    help = startInPageHelp({ doc: document, site: 'connectwise', paint: 'all' });
    expect(registry.get(HIGHLIGHT_NAME)!.size).toBe(6);
  });
});

describe('tooltip', () => {
  it('shows the other system’s term, our explanation and the guide section in a shadow root', () => {
    help = startInPageHelp({ doc: document, site: 'connectwise', hoverDelayMs: 0 });
    hover(document.getElementById('title')!);
    const tip = tooltipEl()!;
    expect(tip.hidden).toBe(false);
    expect(tip.getRootNode()).toBe(shadow());
    expect(tip.querySelector('.here')?.textContent).toBe('Agreements');
    expect(tip.querySelector('.there')?.textContent).toBe('Contracts');
    expect(tip.querySelector('.expl')?.textContent).toMatch(/not one-to-one/);
    expect(tip.querySelector('.guide')?.textContent).toMatch(/Agreement detail structure/);
  });

  it('picks the term under the pointer when a text holds several, by their boxes', () => {
    help = startInPageHelp({ doc: document, site: 'connectwise', hoverDelayMs: 0 });
    const para = textNodeContaining(document.body, 'Cancelled Date');
    const at = para.data.indexOf('Cancelled') + 3;
    // A stand-in layout: the paragraph's characters 8 px wide on one 16 px line, other text elsewhere.
    const proto = (document.defaultView as unknown as { Range: typeof Range }).Range.prototype;
    const saved = proto.getClientRects;
    proto.getClientRects = function (this: Range) {
      const inPara = this.startContainer === para;
      const rect = inPara ? new DOMRect(this.startOffset * 8, 0, (this.endOffset - this.startOffset) * 8, 16) : new DOMRect(0, 500, 10, 10);
      return [rect] as unknown as DOMRectList;
    };
    try {
      hover(para.parentElement!, at * 8 + 4, 8);
      expect(tooltipEl()!.querySelector('.there')?.textContent).toBe('Charge End Date');
    } finally {
      proto.getClientRects = saved;
    }
  });

  it('asks the caret API for an element with more text children than it measures', () => {
    help = startInPageHelp({ doc: document, site: 'connectwise', hoverDelayMs: 0 });
    const box = document.createElement('p');
    for (let i = 0; i < 80; i++) box.appendChild(document.createTextNode(i === 70 ? ' Cancelled Date ' : ` part ${i} `));
    document.body.appendChild(box);
    const text = box.childNodes[70] as Text;
    // The browser's hit-test API, as Chromium provides it, answering for that text node.
    (document as unknown as { caretPositionFromPoint: unknown }).caretPositionFromPoint = () => ({ offsetNode: text, offset: 4 });
    try {
      hover(box);
      expect(tooltipEl()!.querySelector('.there')?.textContent).toBe('Charge End Date');
    } finally {
      delete (document as unknown as { caretPositionFromPoint?: unknown }).caretPositionFromPoint;
      box.remove();
    }
  });

  it('hides when the pointer leaves the term, after a grace period', async () => {
    help = startInPageHelp({ doc: document, site: 'connectwise', hoverDelayMs: 0 });
    hover(document.getElementById('title')!);
    expect(visibleTooltipText()).not.toBeNull();
    hover(document.getElementById('search')!);
    expect(visibleTooltipText()).not.toBeNull();
    await new Promise((r) => setTimeout(r, 500));
    expect(visibleTooltipText()).toBeNull();
  });

  it('explains the selected term on Alt+Shift+D and announces it', () => {
    help = startInPageHelp({ doc: document, site: 'connectwise' });
    const node = textNodeContaining(document.body, 'Effective Date');
    const start = node.data.indexOf('Effective');
    const sel = document.getSelection()!;
    const range = document.createRange();
    range.setStart(node, start + 2);
    range.setEnd(node, start + 2);
    sel.removeAllRanges();
    sel.addRange(range);
    const key = new KeyboardEvent('keydown', { key: 'D', code: 'KeyD', altKey: true, shiftKey: true, bubbles: true, cancelable: true });
    document.body.dispatchEvent(key);
    expect(key.defaultPrevented).toBe(true);
    expect(tooltipEl()!.querySelector('.there')?.textContent).toBe('Charge Start Date');
    const live = shadow()!.querySelector('[aria-live]')!;
    expect(live.textContent).toMatch(/Effective Date: in Platform this is Charge Start Date/);
    document.body.dispatchEvent(new KeyboardEvent('keydown', { key: 'Escape', bubbles: true }));
    expect(visibleTooltipText()).toBeNull();
  });

  it('explains a term in a selection that spans elements', () => {
    help = startInPageHelp({ doc: document, site: 'connectwise' });
    const range = document.createRange();
    range.selectNodeContents(document.getElementById('app')!);
    document.getSelection()!.removeAllRanges();
    document.getSelection()!.addRange(range);
    expect(help.explainSelection()).toBe(true);
    expect(visibleTooltipText()).not.toBeNull();
  });

  it('leaves Alt+Shift+D to the page when there is nothing to explain', () => {
    help = startInPageHelp({ doc: document, site: 'connectwise' });
    document.getSelection()!.removeAllRanges();
    const key = new KeyboardEvent('keydown', { key: 'D', code: 'KeyD', altKey: true, shiftKey: true, bubbles: true, cancelable: true });
    document.body.dispatchEvent(key);
    expect(key.defaultPrevented).toBe(false);
  });
});

describe('mutations', () => {
  it('marks added text, drops removed text and re-reads changed text', async () => {
    const registry = installHighlightApi();
    help = startInPageHelp({ doc: document, site: 'connectwise', batchDelayMs: 10_000 });
    const app = document.getElementById('app')!;
    const added = document.createElement('p');
    added.textContent = 'New Agreement Name and Currency';
    app.appendChild(added);
    help.flush();
    await settle();
    expect(markedTexts(registry)).toEqual(expect.arrayContaining(['Agreement Name', 'Currency']));
    expect(help.markedCount).toBe(8);

    document.getElementById('para')!.remove();
    help.flush();
    expect(help.markedCount).toBe(5);
    expect(markedTexts(registry)).not.toContain('Effective Date');

    (added.firstChild as Text).data = 'Only Quantity now';
    help.flush();
    await settle();
    expect(markedTexts(registry).sort()).toEqual(['Additions', 'Agreement', 'Product ID', 'Quantity'].sort());
    expect(registry.get(HIGHLIGHT_NAME)!.size).toBe(help.markedCount);
  });

  it('processes mutations in batches after the delay', async () => {
    help = startInPageHelp({ doc: document, site: 'connectwise', batchDelayMs: 5 });
    for (let i = 0; i < 20; i++) {
      const p = document.createElement('p');
      p.textContent = `Additions ${i}`;
      document.getElementById('app')!.appendChild(p);
    }
    expect(help.markedCount).toBe(6);
    await new Promise((r) => setTimeout(r, 30));
    expect(help.markedCount).toBe(26);
  });
});

describe('site switch', () => {
  it('removes every mark and our UI without a reload, and restores them', async () => {
    const registry = installHighlightApi();
    help = startInPageHelp({ doc: document, site: 'connectwise', hoverDelayMs: 0 });
    await settle();
    hover(document.getElementById('title')!);
    expect(document.querySelector(HOST_TAG)).not.toBeNull();
    const sheets = document.adoptedStyleSheets.length;

    help.setEnabled(false);
    expect(help.enabled).toBe(false);
    expect(registry.has(HIGHLIGHT_NAME)).toBe(false);
    expect(document.querySelector(HOST_TAG)).toBeNull();
    expect(document.adoptedStyleSheets.length).toBe(sheets - 1);
    expect(help.markedCount).toBe(0);
    // No longer listening: hovering or mutating does nothing.
    hover(document.getElementById('title')!);
    document.getElementById('app')!.append('Additions');
    help.flush();
    expect(document.querySelector(HOST_TAG)).toBeNull();
    expect(help.markedCount).toBe(0);

    help.setEnabled(true);
    await settle();
    expect(markedTexts(registry)).toContain('Additions');
    expect(help.markedCount).toBe(7);
  });

  it('starts switched off when asked, and stop() is final', () => {
    const registry = installHighlightApi();
    help = startInPageHelp({ doc: document, site: 'connectwise', enabled: false });
    expect(registry.size).toBe(0);
    help.stop();
    help.setEnabled(true);
    expect(help.enabled).toBe(false);
    expect(registry.size).toBe(0);
  });
});
