/**
 * Issue 7 item 4 / DESIGN §8: in-page help cost in real Chromium, on a generated 10,000-row page
 * of each app, every figure measured in this one run:
 *   - annotate with ours  vs  (a) mark.js with the same terms  vs  (b) the floor: one TreeWalker
 *     pass + one combined regex + one CSS.highlights.set. Budget: ours ≤ 1.5 × floor.
 *   - one mutation batch of 100 rows (appended, and recycled in place as GWT does). Budget ≤ 16 ms.
 *   - the content-script bundle, gzipped. Budget ≤ 50 kB.
 * Usage: npm run bench:tooltips [-- --rows 10000 --runs 5 --skip-markjs]
 */
import { readFileSync, readdirSync, existsSync } from 'node:fs';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';
import { build } from 'esbuild';
import { chromium, type Page } from 'playwright-core';
import { BUILTIN_DICTIONARY } from '../core/dictionary/builtin';
import { surfaceForms } from '../core/dictionary/forms';
import type { Side } from '../core/dictionary/types';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');
const argv = process.argv.slice(2);
const flag = (name: string, fallback: number): number => {
  const i = argv.indexOf(`--${name}`);
  return i >= 0 ? Number(argv[i + 1]) : fallback;
};
const ROWS = flag('rows', 10_000);
const RUNS = flag('runs', 5);
const SKIP_MARKJS = argv.includes('--skip-markjs');
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
  return `<!doctype html><html lang="en"><head><title>Mapping · Invoices</title></head><body>
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
  return `<!doctype html><html lang="en"><head><title>Agreement</title></head><body>
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

interface Result {
  ms: number;
  count: number;
}

/** The floor: nothing but the three steps the budget names. */
function floorRun(terms: string[]): Result {
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
  return { ms: performance.now() - t0, count: ranges.length };
}

function oursRun(site: string): Result {
  const w = window as unknown as { __cwrInpage: { startInPageHelp(o: unknown): { markedCount: number } } };
  const t0 = performance.now();
  const help = w.__cwrInpage.startInPageHelp({ doc: document, site });
  return { ms: performance.now() - t0, count: help.markedCount };
}

function markjsRun(terms: string[]): Result {
  const w = window as unknown as { Mark: new (el: Element) => { mark(t: string[], o: unknown): void } };
  const t0 = performance.now();
  let count = 0;
  new w.Mark(document.body).mark(terms, {
    separateWordSearch: false,
    diacritics: false,
    accuracy: 'exactly',
    exclude: ['input', 'textarea', 'select', '[role=menubar]'],
    each: () => {
      count++;
    },
  });
  return { ms: performance.now() - t0, count };
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

async function nextFrame(page: Page): Promise<void> {
  await page.evaluate(() => new Promise<void>((r) => requestAnimationFrame(() => requestAnimationFrame(() => r()))));
}

interface Sample {
  script: number;
  frame: number;
  count: number;
}

async function measure<A>(page: Page, html: string, setup: string[], run: (arg: A) => Result, arg: A): Promise<Sample> {
  await page.setContent(html, { waitUntil: 'load' });
  for (const content of [NAME_SHIM, ...setup]) await page.addScriptTag({ content });
  await nextFrame(page);
  // The style and paint work the marks cause lands in the next frame: time up to it as well.
  return page.evaluate(`(async () => {
    const t0 = performance.now();
    const res = (${run.toString()})(${JSON.stringify(arg)});
    await new Promise((r) => requestAnimationFrame(() => setTimeout(r, 0)));
    return { script: res.ms, frame: performance.now() - t0, count: res.count };
  })()`) as Promise<Sample>;
}

const median = (xs: number[]): number => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)]!;
};
const fmt = (ms: number): string => `${ms.toFixed(1)} ms`;

async function mutationBatches(page: Page, html: string, setup: string[], site: Side): Promise<{ append: number[]; recycle: number[] }> {
  await page.setContent(html, { waitUntil: 'load' });
  for (const content of [NAME_SHIM, ...setup]) await page.addScriptTag({ content });
  return page.evaluate(async (siteName) => {
    const w = window as unknown as { __cwrInpage: { startInPageHelp: (o: unknown) => { flush(): void; stop(): void } } };
    const help = w.__cwrInpage.startInPageHelp({ doc: document, site: siteName, batchDelayMs: 60_000 });
    const tbody = document.querySelectorAll('tbody')[document.querySelectorAll('tbody').length - 1]!;
    const template = Array.from(tbody.rows).slice(0, 100);
    const append: number[] = [];
    const recycle: number[] = [];
    for (let round = 0; round < 8; round++) {
      for (const row of template) {
        const copy = row.cloneNode(true) as HTMLTableRowElement;
        const last = copy.cells[copy.cells.length - 1]!;
        last.textContent = `${round % 2 ? 'Correction Addition' : 'Invoice line'} appended ${round}`;
        tbody.appendChild(copy);
      }
      let t0 = performance.now();
      help.flush();
      append.push(performance.now() - t0);
      // GWT recycles rows on scroll: same <tr>s, new cell text.
      const start = 200 + round * 100;
      for (const row of Array.from(tbody.rows).slice(start, start + 100)) {
        for (const cell of Array.from(row.cells).slice(1)) {
          const target = cell.querySelector('a') ?? cell;
          target.textContent = `${target.textContent ?? ''} Custom invoices Additions`;
        }
      }
      t0 = performance.now();
      help.flush();
      recycle.push(performance.now() - t0);
      await new Promise((r) => setTimeout(r, 0));
    }
    help.stop();
    return { append, recycle };
  }, site);
}

async function main(): Promise<number> {
  const started = Date.now();
  const inpage = await bundleInpage();
  const markjs = readFileSync(join(ROOT, 'node_modules/mark.js/dist/mark.min.js'), 'utf8');
  const browser = await chromium.launch({ executablePath: '/usr/bin/chromium', headless: false, args: CHROMIUM_ARGS });
  const page = await browser.newPage({ viewport: { width: 1400, height: 900 } });
  let ok = true;
  try {
    console.log(`bench:tooltips · ${ROWS} rows per page · ${RUNS} runs each (median) · Chromium ${browser.version()}`);
    for (const site of ['platform', 'connectwise'] as const) {
      const html = site === 'platform' ? platformPage(ROWS) : connectwisePage(ROWS);
      const terms = termsFor(site);
      const ours: Sample[] = [];
      const floor: Sample[] = [];
      for (let i = 0; i < RUNS; i++) {
        floor.push(await measure(page, html, [], floorRun, terms));
        ours.push(await measure(page, html, [inpage.code], oursRun, site));
      }
      let mark: Sample | undefined;
      if (!SKIP_MARKJS) mark = await measure(page, html, [markjs], markjsRun, terms);
      const f = { script: median(floor.map((s) => s.script)), frame: median(floor.map((s) => s.frame)) };
      const o = { script: median(ours.map((s) => s.script)), frame: median(ours.map((s) => s.frame)) };
      const ratio = o.script / f.script;
      const ratioFrame = o.frame / f.frame;
      console.log(`\n[${site}] ${(html.length / 1e6).toFixed(1)} MB HTML, ${terms.length} term forms`);
      console.log(`  floor    script ${fmt(f.script)}  to next frame ${fmt(f.frame)}  (${floor[0]!.count} ranges)`);
      console.log(`  ours     script ${fmt(o.script)}  to next frame ${fmt(o.frame)}  (${ours[0]!.count} marks)`);
      if (mark) console.log(`  mark.js  script ${fmt(mark.script)}  to next frame ${fmt(mark.frame)}  (${mark.count} marks, one run)`);
      console.log(`  ours / floor = ${ratio.toFixed(2)}× script, ${ratioFrame.toFixed(2)}× to next frame (budget ≤ 1.5×)` +
        (mark ? `; mark.js / ours = ${(mark.script / o.script).toFixed(0)}×` : ''));
      if (ratio > 1.5) ok = false;

      const batches = await mutationBatches(page, html, [inpage.code], site);
      const worst = Math.max(...batches.append, ...batches.recycle);
      console.log(`  100-row mutation batch: appended median ${fmt(median(batches.append))}, recycled median ${fmt(median(batches.recycle))}, worst ${fmt(worst)} (budget ≤ 16 ms)`);
      if (median(batches.append) > 16 || median(batches.recycle) > 16) ok = false;
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
  console.log(`\n${ok ? 'within budget' : 'OVER BUDGET'} · ${((Date.now() - started) / 1000).toFixed(0)} s`);
  return ok ? 0 : 1;
}

main().then(
  (code) => process.exit(code),
  (err: unknown) => {
    console.error(err);
    process.exit(2);
  },
);
