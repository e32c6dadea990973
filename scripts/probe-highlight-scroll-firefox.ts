/**
 * Why Firefox marks terms with the tint alone (components/inpage/paint.ts,
 * TERM_DECLARATIONS_FIREFOX): the 5,000-line Platform sandbox page in Firefox ESR without the
 * extension, a `::highlight(cwr-term)` rule put in the page, and a page script that adds ranges
 * over the visible text to a registered highlight 60 ms into a wheel scroll of five screens, as
 * our painter does when its marks change while the page scrolls. For each look of the rule, the
 * longest gap between animation frames during the scroll, load by load; with no range added as
 * the floor. A look whose changes make Firefox lay the whole page out again shows a frame of
 * hundreds of milliseconds where the floor shows 17.
 *
 * A probe, not a budget: bench:pageload:firefox judges the build itself.
 *
 * Usage: npm run probe:highlight-scroll:firefox [-- --runs 4 --size 5000]
 */
import { parseArgs } from 'node:util';
import { TERM_DECLARATIONS, TERM_DECLARATIONS_FIREFOX } from '../components/inpage/paint';
import { median, sandboxPages, world } from './pageload-world';
import { runScript } from './bench-verdict';
import { framesDuring, rest, waitForGrid, wheelScroll, withFirefox } from './firefox-content';

const { values: args } = parseArgs({
  options: {
    runs: { type: 'string', default: '4' },
    size: { type: 'string', default: '5000' },
  },
});
const RUNS = Number(args.runs);
const SIZE = Number(args.size);

/** The looks compared: none added (the floor), Chromium's (underline and tint), Firefox's (tint), and the underline alone. */
const LOOKS: { label: string; declarations: string | null }[] = [
  { label: 'no range added (floor)', declarations: null },
  { label: 'dotted underline and tint', declarations: TERM_DECLARATIONS },
  { label: 'dotted underline alone', declarations: 'text-decoration-line: underline; text-decoration-style: dotted; text-decoration-color: #2563eb;' },
  { label: 'tint alone (Firefox’s look)', declarations: TERM_DECLARATIONS_FIREFOX },
];

/*
 * Page functions are written as text: tsx keeps function names with a helper (`__name`) the page
 * does not have, so a compiled function cannot be sent into the page as it is.
 */
const prepare = (declarations: string | null) =>
  new Function(`
    const style = document.createElement('style');
    style.textContent = ${JSON.stringify(`::highlight(cwr-term) { ${declarations ?? TERM_DECLARATIONS_FIREFOX} }`)};
    document.head.append(style);
    const highlight = new Highlight();
    CSS.highlights.set('cwr-term', highlight);
    const add = ${declarations !== null};
    addEventListener('wheel', () => setTimeout(() => {
      if (!add) return;
      // Up to 40 ranges over the text on screen, as a window of marked terms.
      const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
      let n = 0;
      for (let t = walker.nextNode(); t && n < 40; t = walker.nextNode()) {
        const box = t.parentElement.getBoundingClientRect();
        if (t.data.trim().length < 4 || box.bottom < 0 || box.top > innerHeight) continue;
        highlight.add(new StaticRange({ startContainer: t, startOffset: 0, endContainer: t, endOffset: 3 }));
        n++;
      }
    }, 60), { once: true, capture: true });
  `) as () => void;

async function main(): Promise<void> {
  const data = world([SIZE]);
  await withFirefox(data, { extension: false }, async (session) => {
    const tab = await session.openTab('about:blank');
    await session.sizeViewport(tab, 1280, 860);
    const page = sandboxPages(data.agreements, [SIZE], ['platform'])[0]!;
    const host = new URL(page.url).host;
    console.log(`probe:highlight-scroll:firefox · ${page.label} without the extension · ${RUNS} loads a look, alternating · longest frame while wheel-scrolling, ranges added 60 ms into the scroll`);
    const got = new Map<string, number[]>(LOOKS.map((l) => [l.label, []]));
    for (let i = 0; i < RUNS; i++) {
      for (const look of LOOKS) {
        await rest(session, tab, host);
        await tab.navigate(page.url);
        await waitForGrid(tab, page.ready);
        await tab.evaluate(prepare(look.declarations));
        // The page settles (the rule's own restyle included) before the scroll starts.
        await new Promise((r) => setTimeout(r, 3000));
        const frames = await framesDuring(tab, () => wheelScroll(session, 400, 400), 2000);
        got.get(look.label)!.push(frames.longest);
      }
    }
    console.log('\nlook of ::highlight(cwr-term)          | longest frame ms, load by load | median');
    for (const look of LOOKS) {
      const ms = got.get(look.label)!;
      console.log(`${look.label.padEnd(38)} | ${ms.map((x) => x.toFixed(0)).join(' ').padEnd(30)} | ${median(ms).toFixed(0)}`);
    }
  });
}

runScript(main);
