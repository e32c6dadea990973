/**
 * DESIGN §8: in-page help cost in real Chromium, on a generated 10,000-row page
 * of each app, every figure measured in this one run:
 *   - annotate with ours  vs  (a) mark.js with the same terms  vs  (b) the floor: one TreeWalker
 *     pass + one combined regex + one CSS.highlights.set. Budget: ours ≤ 1.5 × floor.
 *   - one mutation batch of 100 rows (appended, and recycled in place as GWT does). Budget ≤ 16 ms.
 *   - the content-script bundle, gzipped. Budget ≤ 50 kB.
 * Usage: npm run bench:tooltips [-- --rows 10000 --runs 3 --warm 3 --batches 8 --skip-markjs | --markjs-everywhere]
 *        [--batches-only] [--sites platform,connectwise]
 */
import { readFileSync, readdirSync, existsSync } from 'node:fs';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';
import { build } from 'esbuild';
import { chromium, type CDPSession, type Page } from 'playwright-core';
import { BUILTIN_DICTIONARY } from '../core/dictionary/builtin';
import { surfaceForms } from '../core/dictionary/forms';
import type { Side } from '../core/dictionary/types';
import { runBench } from './bench-verdict';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');
const argv = process.argv.slice(2);
const flag = (name: string, fallback: number): number => {
  const i = argv.indexOf(`--${name}`);
  return i >= 0 ? Number(argv[i + 1]) : fallback;
};
const ROWS = flag('rows', 10_000);
const RUNS = flag('runs', 2);
const WARM = flag('warm', 2);
const BATCHES = flag('batches', 8);
const SKIP_MARKJS = argv.includes('--skip-markjs');
// Only the mutation batches (and the bundle size), for working on them alone.
const BATCHES_ONLY = argv.includes('--batches-only');
const SITES = ((): Side[] => {
  const i = argv.indexOf('--sites');
  return (i >= 0 ? argv[i + 1]!.split(',') : ['platform', 'connectwise']) as Side[];
})();
// mark.js wraps every match in a <mark>, one full DOM pass per term: here it took ~150 s for the
// 10,000-row Platform page alone, far past the two-minute run budget. By default it runs on the
// same generated page cut to its first MARKJS_ROWS rows, next to ours on that same cut.
const MARKJS_ROWS = flag('markjs-rows', 500);
const CHROMIUM_ARGS = [
  '--headless=new',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
];

// ---- generated pages ---------------------------------------------------------------------------

/**
 * The ::highlight rules present from the first style pass, as the manifest's content-script CSS
 * (components/inpage/highlight.css) puts ours there; the floor gets the same rule under its name.
 */
const RULE_BODY = readFileSync(join(ROOT, 'components/inpage/highlight.css'), 'utf8').replace(/\/\*[\s\S]*?\*\//g, '');
const PRE_STYLE = `<style>${RULE_BODY}\n${RULE_BODY.replace('cwr-term', 'floor')}</style>`;

const ORGS = ['Contoso Ltd', 'Delta Oy', 'Bluebird AB', 'Kestrel Inc', 'Cobalt AB', 'Fabrikam GmbH', 'Northwind BV'];
const OFFERS = ['Microsoft 365 Business Premium', 'Visio Plan 2', 'Adobe Creative Cloud', 'Azure Plan', 'Exchange Online (Plan 1)'];
const PRODUCTS = ['M365-BP', 'VISIO-P2', 'ADOBE-CC', 'AZURE-PLAN', 'EXO-P1'];
const TYPES = ['CycleFee', 'PurchaseFee', 'UsageFee', 'Correction', 'OneTimeFee'];
const pick = <T,>(list: readonly T[], i: number): T => list[i % list.length]!;
const day = (i: number) => `2026-11-${String((i % 28) + 1).padStart(2, '0')}`;

function platformPage(rows: number): string {
  const head = ['Invoice #', 'Invoice Date', 'Organization', 'Offer', 'Charge Type', 'Charge Start Date', 'Charge End Date',
    'Quantity', 'Revenue', 'PSA Organization Name', 'PSA Product Name', 'PSA Agreement Name', 'Status in PSA', 'Details'];
  const body: string[] = [];
  for (let i = 0; i < rows; i++) {
    const correction = i % 10 === 0;
    body.push(`<tr><td>INV-2026-${10000 + i}</td><td>2026-11-01</td><td>${pick(ORGS, i)}</td><td>${pick(OFFERS, i)}</td>` +
      `<td>${pick(TYPES, i)}</td><td>${day(i)}</td><td>2026-11-30</td><td>${(i % 40) + 1}</td><td>${(i * 7.31).toFixed(2)}</td>` +
      `<td>${pick(ORGS, i)}</td><td>${pick(PRODUCTS, i)}</td><td>Microsoft 365 Monthly</td><td>Synced</td>` +
      `<td>${correction ? 'Custom invoice' : 'Invoice line'} #${i + 1}</td></tr>`);
  }
  return `<!doctype html><html lang="en"><head><title>Mapping · Invoices</title>${PRE_STYLE}</head><body>
<header><nav><a href="#">Dashboard</a> <a href="#">Mapping</a> <span>Organizations</span> <span>Products</span> <span>Invoices</span></nav></header>
<main id="app"><h1>Invoice lines</h1><p>Lines synced to ConnectWise become Additions. Check Charge Start Date and Charge End Date badges before syncing.</p>
<label>Search <input value="Organizations"></label>
<table class="grid"><thead><tr>${head.map((h) => `<th>${h}</th>`).join('')}</tr></thead><tbody>${body.join('')}</tbody></table></main></body></html>`;
}

function connectwisePage(rows: number): string {
  const head = ['', 'Sequence', 'Effective', 'Cancelled', 'Product ID', 'Description', 'Quantity', 'Price', 'Ext Price', 'Bill',
    'Agreement Status', 'Addition Status', 'Notes'];
  const body: string[] = [];
  for (let i = 0; i < rows; i++) {
    const cells = ['<input type="checkbox">', String(i + 1), `11/${(i % 28) + 1}/2026`, '', pick(PRODUCTS, i), pick(TYPES, i),
      String((i % 40) + 1), `$${(i * 1.37).toFixed(2)}`, `$${(i * 9.1).toFixed(2)}`, 'Billable', 'Active', 'Active',
      i % 10 === 0 ? 'Correction Addition' : `Synced Addition ${i + 1}`];
    body.push(`<tr class="cw-ml-row GMDB3DUBCL"><td cellindex="0">${cells[0]}</td>${cells.slice(1)
      .map((c, k) => `<td cellindex="${k + 1}"><div class="GMDB3DUBKM"><a class="multilineClickable" href="#recid=${50000 + i}">${c}</a></div></td>`).join('')}</tr>`);
  }
  return `<!doctype html><html lang="en"><head><title>Agreement</title>${PRE_STYLE}</head><body>
<div class="cw-main-banner"><div class="cw_BannerView"><span class="detailLabel">Agreement: Microsoft 365 Monthly</span></div></div>
<div class="gwt-MenuBar" role="menubar"><div role="menuitem">Companies</div><div role="menuitem">Agreements</div></div>
<div class="tabs"><span>Agreement</span> <span>Additions</span> <span>Adjustment</span> <span>Agreements</span> <span>Invoice</span></div>
<div class="pod"><span class="cw_CwLabel">Company:</span> <input class="cw_company" value="Contoso Ltd"> <span class="cw_CwLabel">Effective Date</span> <span class="cw_CwLabel">Currency</span></div>
<div class="mm_grid"><div class="cw-ml-header"><table><tr>${head.map((h, k) => `<td cellindex="${k}"><span>${h}</span></td>`).join('')}</tr></table></div>
<div class="srboard-grid"><table><tbody>${body.join('')}</tbody></table></div></div></body></html>`;
}

// ---- page-side code ----------------------------------------------------------------------------

function termsFor(side: Side): string[] {
  return BUILTIN_DICTIONARY.flatMap((e) => surfaceForms(e, side));
}

// tsx names functions with an `__name` helper; the page needs one for serialised code to run.
const NAME_SHIM = 'window.__name = (f) => f;';

/** The floor: nothing but the three steps the budget names. */
function floorRun(terms: string[]): number {
  const t0 = performance.now();
  const esc = (t: string) => t.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  const re = new RegExp(`\\b(?:${[...terms].sort((a, b) => b.length - a.length).map(esc).join('|')})(?!\\w)`, 'gi');
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  const ranges: StaticRange[] = [];
  for (let n = walker.nextNode() as Text | null; n; n = walker.nextNode() as Text | null) {
    const text = n.data;
    re.lastIndex = 0;
    let m: RegExpExecArray | null;
    while ((m = re.exec(text)) !== null) {
      ranges.push(new StaticRange({ startContainer: n, startOffset: m.index, endContainer: n, endOffset: m.index + m[0].length }));
    }
  }
  CSS.highlights.set('floor', new Highlight(...ranges));
  (window as unknown as { __count: number }).__count = ranges.length;
  return performance.now() - t0;
}

function floorUndo(): void {
  CSS.highlights.delete('floor');
}

function oursRun(site: string): number {
  const w = window as unknown as { __cwrInpage: { startInPageHelp(o: unknown): { markedCount: number } }; __help: unknown; __count: number };
  const t0 = performance.now();
  const help = w.__cwrInpage.startInPageHelp({ doc: document, site });
  const ms = performance.now() - t0;
  w.__help = help;
  w.__count = help.markedCount;
  return ms;
}

function oursUndo(): void {
  (window as unknown as { __help?: { stop(): void } }).__help?.stop();
}

function markjsRun(terms: string[]): number {
  const w = window as unknown as { Mark: new (el: Element) => { mark(t: string[], o: unknown): void }; __count: number };
  const t0 = performance.now();
  let count = 0;
  new w.Mark(document.body).mark(terms, {
    separateWordSearch: false,
    diacritics: false,
    exclude: ['input', 'textarea', 'select', '[role=menubar]'],
    each: () => {
      count++;
    },
  });
  w.__count = count;
  return performance.now() - t0;
}

async function bundleInpage(): Promise<{ code: string; gzip: number; raw: number }> {
  const result = await build({
    entryPoints: [join(ROOT, 'components/inpage/index.ts')],
    bundle: true,
    minify: true,
    format: 'iife',
    globalName: '__cwrInpage',
    target: 'chrome120',
    write: false,
    logLevel: 'silent',
  });
  const code = result.outputFiles[0]!.text;
  return { code, raw: code.length, gzip: gzipSync(code).length };
}

// ---- measuring ---------------------------------------------------------------------------------

/**
 * Main-thread time is read as the renderer main thread's CPU time (CDP Performance.ThreadTime)
 * around the call plus the frame that follows it (the style and paint work marks cause), less
 * the same window around an empty call. CPU time, unlike wall time, does not count the moments
 * a busy machine keeps the thread waiting, so runs on a loaded box stay comparable.
 */
class Meter {
  private constructor(private readonly page: Page, private readonly cdp: CDPSession) {}

  static async open(page: Page): Promise<Meter> {
    const cdp = await page.context().newCDPSession(page);
    await cdp.send('Performance.enable', { timeDomain: 'threadTicks' });
    return new Meter(page, cdp);
  }

  private async threadMs(): Promise<number> {
    const { metrics } = await this.cdp.send('Performance.getMetrics');
    return (metrics.find((m) => m.name === 'ThreadTime')?.value ?? 0) * 1000;
  }

  /** CPU ms of `expr` and the frame after it; the expression's own wall-clock ms and count. */
  async run(expr: string, withFrame = true): Promise<{ cpu: number; wall: number; count: number }> {
    const before = await this.threadMs();
    const wall = (await this.page.evaluate(`(async () => {
      const ms = ${expr};
      ${withFrame ? 'await new Promise((r) => requestAnimationFrame(() => setTimeout(r, 0)));' : ''}
      return ms;
    })()`)) as number;
    const cpu = (await this.threadMs()) - before;
    const count = (await this.page.evaluate('window.__count ?? 0')) as number;
    return { cpu, wall, count };
  }
}

interface Sample {
  cold: number;
  warm: number[];
  wall: number;
  count: number;
}

async function load(page: Page, html: string, setup: string[]): Promise<void> {
  await page.setContent(html, { waitUntil: 'load', timeout: 0 });
  for (const content of [NAME_SHIM, ...setup]) await page.addScriptTag({ content });
  await page.evaluate(() => new Promise<void>((r) => requestAnimationFrame(() => requestAnimationFrame(() => r()))));
}

/** Cold: first call on a fresh page, as a content script pays it. Warm: repeats on that page. */
async function measure(page: Page, meter: Meter, idle: number, html: string, setup: string[], run: string, undo: string, warm: number): Promise<Sample> {
  await load(page, html, setup);
  const first = await meter.run(run);
  const again: number[] = [];
  for (let i = 0; i < warm; i++) {
    await page.evaluate(`(${undo})()`);
    again.push((await meter.run(run)).cpu - idle);
  }
  return { cold: first.cpu - idle, warm: again, wall: first.wall, count: first.count };
}

const median = (xs: number[]): number => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length === 0 ? NaN : s[Math.floor(s.length / 2)]!;
};
const fmt = (ms: number): string => `${ms.toFixed(1)} ms`;

/**
 * One batch = 100 rows appended to the grid, or 100 existing rows recycled in place (GWT shows
 * other records in the same <tr>s as the user scrolls). The page's own change and its layout
 * happen first, unmeasured; then the CPU time of our flush (gathering the mutation records,
 * re-reading the changed text, updating marks and the painted window), less an empty call's.
 * The frame after it is left out: on a 10,000-row page the host's own rendering of that frame
 * varied by ±30 ms between runs with no help installed at all, drowning ours (a few ms, since
 * only the window around the viewport is painted).
 */
async function mutationBatches(page: Page, meter: Meter, html: string, setup: string[], site: Side): Promise<{ append: number[]; recycle: number[] }> {
  await load(page, html, setup);
  await page.evaluate((siteName) => {
    const w = window as unknown as { __cwrInpage: { startInPageHelp: (o: unknown) => unknown }; __help: unknown };
    w.__help = w.__cwrInpage.startInPageHelp({ doc: document, site: siteName, batchDelayMs: 600_000 });
  }, site);
  const idles: number[] = [];
  for (let i = 0; i < 5; i++) idles.push((await meter.run('0', false)).cpu);
  const idle = median(idles);
  const append: number[] = [];
  const recycle: number[] = [];
  const settle = () => page.evaluate(() => new Promise<void>((r) => requestAnimationFrame(() => setTimeout(r, 0))));
  const flush = '(() => { const t0 = performance.now(); window.__help.flush(); return performance.now() - t0; })()';
  for (let round = 0; round < BATCHES; round++) {
    await page.evaluate((n) => {
      const tbodies = document.querySelectorAll('tbody');
      const tbody = tbodies[tbodies.length - 1]!;
      for (const row of Array.from(tbody.rows).slice(0, 100)) {
        const copy = row.cloneNode(true) as HTMLTableRowElement;
        copy.cells[copy.cells.length - 1]!.textContent = `${n % 2 ? 'Correction Addition' : 'Invoice line'} appended ${n}`;
        tbody.appendChild(copy);
      }
    }, round);
    await settle();
    // Clamped: the empty call's own cost varies by a few ms, more than a quiet flush takes.
    append.push(Math.max(0, (await meter.run(flush, false)).cpu - idle));
    await page.evaluate((n) => {
      const tbodies = document.querySelectorAll('tbody');
      const all = Array.from(tbodies[tbodies.length - 1]!.rows);
      const start = 200 + n * 100;
      for (let r = start; r < start + 100; r++) {
        const source = all[(r + 5003) % all.length]!;
        Array.from(all[r]!.cells).forEach((cell, k) => {
          if (k === 0) return;
          const target = cell.querySelector('a') ?? cell;
          const from = source.cells[k]?.querySelector('a') ?? source.cells[k];
          target.textContent = from?.textContent ?? '';
        });
      }
    }, round);
    await settle();
    recycle.push(Math.max(0, (await meter.run(flush, false)).cpu - idle));
  }
  await page.evaluate(() => (window as unknown as { __help: { stop(): void } }).__help.stop());
  return { append, recycle };
}

/** Prints the batch figures; false when a median is over the one-frame budget. */
function reportBatches(batches: { append: number[]; recycle: number[] }): boolean {
  const worst = Math.max(...batches.append, ...batches.recycle);
  console.log(
    `  100-row mutation batch (our flush, CPU): appended median ${fmt(median(batches.append))}, recycled median ${fmt(median(batches.recycle))}, worst ${fmt(worst)} (budget ≤ 16 ms)`,
  );
  return median(batches.append) <= 16 && median(batches.recycle) <= 16;
}

async function main(): Promise<boolean> {
  const inpage = await bundleInpage();
  const markjs = readFileSync(join(ROOT, 'node_modules/mark.js/dist/mark.min.js'), 'utf8');
  const browser = await chromium.launch({ executablePath: '/usr/bin/chromium', headless: false, args: CHROMIUM_ARGS });
  const page = await browser.newPage({ viewport: { width: 1400, height: 900 } });
  const meter = await Meter.open(page);
  let ok = true;
  try {
    console.log(`bench:tooltips · ${ROWS} rows per page · ${RUNS} page loads each (median), ${WARM} warm repeats · Chromium ${browser.version()}`);
    console.log('main-thread CPU time of the call plus the frame after it, less an empty call\'s');
    for (const site of SITES) {
      const html = site === 'platform' ? platformPage(ROWS) : connectwisePage(ROWS);
      if (BATCHES_ONLY) {
        console.log(`\n[${site}] ${(html.length / 1e6).toFixed(1)} MB of HTML`);
        if (!reportBatches(await mutationBatches(page, meter, html, [inpage.code], site))) ok = false;
        continue;
      }
      const terms = JSON.stringify(termsFor(site));
      await load(page, html, []);
      const idles: number[] = [];
      for (let i = 0; i < 5; i++) idles.push((await meter.run('0')).cpu);
      const idle = median(idles);
      const ours: Sample[] = [];
      const floor: Sample[] = [];
      const floorCall = `(${floorRun.toString()})(${terms})`;
      const oursCall = `(${oursRun.toString()})('${site}')`;
      for (let i = 0; i < RUNS; i++) {
        // Alternate which goes first so drift in machine load hits both alike.
        if (i % 2 === 0) floor.push(await measure(page, meter, idle, html, [], floorCall, floorUndo.toString(), WARM));
        ours.push(await measure(page, meter, idle, html, [inpage.code], oursCall, oursUndo.toString(), WARM));
        if (i % 2 === 1) floor.push(await measure(page, meter, idle, html, [], floorCall, floorUndo.toString(), WARM));
      }
      let mark: { mark: Sample; ours: Sample } | undefined;
      if (!SKIP_MARKJS) {
        const cut = site === 'platform' ? platformPage(Math.min(ROWS, MARKJS_ROWS)) : connectwisePage(Math.min(ROWS, MARKJS_ROWS));
        mark = {
          mark: await measure(page, meter, idle, cut, [markjs], `(${markjsRun.toString()})(${terms})`, '() => 0', 0),
          ours: await measure(page, meter, idle, cut, [inpage.code], oursCall, oursUndo.toString(), 0),
        };
      }
      const f = { cold: median(floor.map((x) => x.cold)), warm: median(floor.flatMap((x) => x.warm)) };
      const o = { cold: median(ours.map((x) => x.cold)), warm: median(ours.flatMap((x) => x.warm)) };
      const ratio = { cold: o.cold / f.cold, warm: o.warm / f.warm };
      console.log(`\n[${site}] ${(html.length / 1e6).toFixed(1)} MB of HTML, ${termsFor(site).length} term forms, empty call ${fmt(idle)}`);
      const warm = (ms: number) => (Number.isNaN(ms) ? '' : `  warm ${fmt(ms)}`);
      console.log(`  floor    cold ${fmt(f.cold)}${warm(f.warm)}  (${floor[0]!.count} ranges painted)`);
      console.log(`  ours     cold ${fmt(o.cold)}${warm(o.warm)}  (${ours[0]!.count} marks found, those near the viewport painted)`);
      console.log(`  ours / floor: ${ratio.cold.toFixed(2)}× cold${Number.isNaN(ratio.warm) ? '' : `, ${ratio.warm.toFixed(2)}× warm`} (budget ≤ 1.5×)`);
      if (mark) {
        console.log(
          `  mark.js on the page's first ${Math.min(ROWS, MARKJS_ROWS)} rows: ${fmt(mark.mark.cold)} (${mark.mark.count} marks) vs ours ${fmt(mark.ours.cold)} ` +
            `(${mark.ours.count}) = ${(mark.mark.cold / Math.max(mark.ours.cold, 0.1)).toFixed(0)}× ours`,
        );
      }
      if (ratio.cold > 1.5) ok = false;

      if (!reportBatches(await mutationBatches(page, meter, html, [inpage.code], site))) ok = false;
    }

    console.log(`\ncontent-script bundle (components/inpage alone, esbuild minified): ${(inpage.raw / 1024).toFixed(1)} kB raw, ${(inpage.gzip / 1024).toFixed(1)} kB gzipped`);
    const built = join(ROOT, '.output/chrome-mv3/content-scripts');
    if (existsSync(built)) {
      for (const file of readdirSync(built).filter((f) => f.endsWith('.js'))) {
        const gz = gzipSync(readFileSync(join(built, file))).length;
        console.log(`  built ${file}: ${(gz / 1024).toFixed(1)} kB gzipped${gz > 50 * 1024 ? '  OVER BUDGET' : ''}`);
        if (gz > 50 * 1024) ok = false;
      }
    } else {
      console.log('  (.output/chrome-mv3 not built: run `npm run build` to measure the full content scripts)');
    }
    if (inpage.gzip > 50 * 1024) ok = false;
  } finally {
    await browser.close();
  }
  return ok;
}

runBench(main, { blankLineBefore: true });
