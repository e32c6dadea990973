/**
 * Side panel benchmark (DESIGN §8: first render ≤ 200 ms with 10,000 findings; a windowed list).
 *
 * Measures, in the same process, the first render of the results view with 10,000 findings
 * against the same view with none (the baseline), then scrolling through the 10,000. Runs in
 * real Chromium (playwright-core + /usr/bin/chromium) when it can, and always in Node with
 * happy-dom; prints which. Also prints the side panel's bundle size, gzipped, from
 * .output/chrome-mv3 when a build is there.
 */
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';
import type { Browser } from 'playwright-core';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const FINDINGS = 10_000;
const BUDGET_MS = 200;
const REPEAT = 7;

// The page-side half: built once with esbuild, run in Chromium (and, unbundled, in happy-dom).
const ENTRY = `
import { h, render } from 'preact';
import { createFindingsModel } from './components/findings/model';
import { FindingsView } from './components/findings/FindingsView';
import { makeRun } from './tests/unit/components/fixtures';
import './components/styles.css';

const runs = { 0: makeRun(0, { id: 'empty' }), ${FINDINGS}: makeRun(${FINDINGS}, { id: 'big' }) };

function firstRender(n) {
  const host = document.createElement('div');
  host.style.height = '800px';
  host.className = 'app panel';
  document.body.append(host);
  const t0 = performance.now();
  const model = createFindingsModel(runs[n], []);
  render(h(FindingsView, { run: runs[n], model }), host);
  // Reading layout makes the browser finish style and layout inside the measurement.
  void host.getBoundingClientRect().height;
  const ms = performance.now() - t0;
  const rows = host.querySelectorAll('[role="treeitem"]').length;
  render(null, host);
  host.remove();
  return { ms, rows };
}

async function scroll(steps) {
  const host = document.createElement('div');
  host.className = 'app panel';
  document.body.append(host);
  const model = createFindingsModel(runs[${FINDINGS}], []);
  render(h(FindingsView, { run: runs[${FINDINGS}], model }), host);
  const list = host.querySelector('[data-testid="findings-list"]');
  const frame = () => new Promise((r) => requestAnimationFrame(() => r(undefined)));
  await frame();
  const max = list.scrollHeight - list.clientHeight;
  const times = [];
  for (let i = 1; i <= steps; i++) {
    const t0 = performance.now();
    list.scrollTop = Math.round((max * i) / steps);
    list.dispatchEvent(new Event('scroll'));
    await new Promise((r) => setTimeout(r, 0));
    void list.getBoundingClientRect();
    times.push(performance.now() - t0);
  }
  const lastRow = list.querySelector('[role="treeitem"]:last-child')?.textContent ?? '';
  render(null, host);
  host.remove();
  times.sort((a, b) => a - b);
  return { median: times[Math.floor(times.length / 2)], p95: times[Math.floor(times.length * 0.95)], max: times.at(-1), lastRow };
}

globalThis.bench = { firstRender, scroll };
`;

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)]!;
}

interface Bench {
  firstRender(n: number): { ms: number; rows: number };
  scroll(steps: number): Promise<{ median: number; p95: number; max: number; lastRow: string }>;
}

async function measure(label: string, run: (n: number) => Promise<{ ms: number; rows: number }>, scroll?: () => Promise<{ median: number; p95: number; max: number }>) {
  // Warm both paths once so the first sample does not pay for compilation.
  await run(0);
  await run(FINDINGS);
  const empty: number[] = [];
  const full: number[] = [];
  let rows = 0;
  for (let i = 0; i < REPEAT; i++) {
    empty.push((await run(0)).ms);
    const r = await run(FINDINGS);
    full.push(r.ms);
    rows = r.rows;
  }
  const base = median(empty);
  const big = median(full);
  // The machine may be shared: the minimum is the cost without interference, the median what a user would see here.
  console.log(`\n[${label}]`);
  console.log(`  first render, empty results view (baseline): median ${base.toFixed(1)} ms, min ${Math.min(...empty).toFixed(1)} ms (${REPEAT} runs)`);
  console.log(`  first render, ${FINDINGS} findings:            median ${big.toFixed(1)} ms, min ${Math.min(...full).toFixed(1)} ms (${REPEAT} runs); ${rows} rows in the DOM`);
  console.log(`  ratio to baseline: ${(big / Math.max(base, 0.01)).toFixed(1)}×; budget ${BUDGET_MS} ms: ${big <= BUDGET_MS ? 'within' : 'OVER'}`);
  if (scroll) {
    const s = await scroll();
    console.log(`  scroll through ${FINDINGS} findings, 60 jumps: median ${s.median.toFixed(1)} ms, p95 ${s.p95.toFixed(1)} ms, max ${s.max.toFixed(1)} ms per jump (16.7 ms = one frame)`);
  }
  return big;
}

async function bundleEntry() {
  const { build } = await import('esbuild');
  const out = await build({
    stdin: { contents: ENTRY, resolveDir: ROOT, loader: 'tsx', sourcefile: 'bench-entry.tsx' },
    bundle: true,
    write: false,
    format: 'iife',
    outdir: join(ROOT, '.bench-out'),
    jsx: 'automatic',
    jsxImportSource: 'preact',
    minify: true,
    define: { 'process.env.NODE_ENV': '"production"' },
    logLevel: 'silent',
  });
  const js = out.outputFiles.find((f) => f.path.endsWith('.js'))!.text;
  const css = out.outputFiles.find((f) => f.path.endsWith('.css'))?.text ?? '';
  return { js, css };
}

async function inChromium(): Promise<boolean> {
  const exe = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
  if (!existsSync(exe)) {
    console.log(`\n[Chromium] skipped: ${exe} not found`);
    return false;
  }
  let browser: Browser | undefined;
  try {
    const { js, css } = await bundleEntry();
    const { chromium } = await import('playwright-core');
    browser = await chromium.launch({
      executablePath: exe,
      headless: true,
      args: ['--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage', '--disable-background-networking', '--disable-component-update'],
    });
    const page = await browser.newPage({ viewport: { width: 420, height: 900 } });
    await page.setContent(`<!doctype html><html lang="en"><head><style>${css}</style></head><body></body></html>`);
    await page.addScriptTag({ content: js });
    await measure(
      `real Chromium ${browser.version()}, headless, 420×900 panel`,
      (n) => page.evaluate((k) => (globalThis as unknown as { bench: Bench }).bench.firstRender(k), n),
      () => page.evaluate(() => (globalThis as unknown as { bench: Bench }).bench.scroll(60)),
    );
    return true;
  } catch (e) {
    console.log(`\n[Chromium] could not run: ${e instanceof Error ? e.message.split('\n')[0] : String(e)}`);
    return false;
  } finally {
    await browser?.close();
  }
}

async function inHappyDom() {
  const { Window } = await import('happy-dom');
  const window = new Window({ url: 'chrome-extension://bench/sidepanel.html' });
  const g = globalThis as Record<string, unknown>;
  for (const key of ['document', 'Node', 'Element', 'HTMLElement', 'Text', 'Event', 'KeyboardEvent', 'MouseEvent', 'SVGElement', 'requestAnimationFrame', 'cancelAnimationFrame']) {
    g[key] = (window as unknown as Record<string, unknown>)[key];
  }
  g.window = window;
  const [{ h, render }, { createFindingsModel }, { FindingsView }, { makeRun }] = await Promise.all([
    import('preact'),
    import('../components/findings/model'),
    import('../components/findings/FindingsView'),
    import('../tests/unit/components/fixtures'),
  ]);
  const runs = { 0: makeRun(0, { id: 'empty' }), [FINDINGS]: makeRun(FINDINGS, { id: 'big' }) } as Record<number, ReturnType<typeof makeRun>>;
  const doc = window.document as unknown as Document;
  await measure('Node + happy-dom (no layout engine: DOM work only)', async (n) => {
    const host = doc.createElement('div');
    doc.body.append(host);
    const t0 = performance.now();
    const model = createFindingsModel(runs[n]!, []);
    render(h(FindingsView, { run: runs[n]!, model }), host);
    const ms = performance.now() - t0;
    const rows = host.querySelectorAll('[role="treeitem"]').length;
    render(null, host);
    host.remove();
    return { ms, rows };
  });
  await window.happyDOM.close();
}

function bundleSize() {
  // `--dir <build>` measures another build (e.g. one made with a separate outDir).
  const flag = process.argv.indexOf('--dir');
  const dir = flag > 0 && process.argv[flag + 1] ? resolve(process.argv[flag + 1]!) : join(ROOT, '.output', 'chrome-mv3');
  const html = join(dir, 'sidepanel.html');
  if (!existsSync(html)) {
    console.log(`\n[bundle] ${dir}/sidepanel.html not found: run \`npm run build\` first for the size.`);
    return;
  }
  const seen = new Set<string>();
  const queue: string[] = [];
  const text = readFileSync(html, 'utf8');
  for (const m of text.matchAll(/(?:src|href)="([^"]+\.(?:js|css))"/g)) queue.push(join(dir, m[1]!.replace(/^\//, '')));
  while (queue.length) {
    const file = queue.pop()!;
    if (seen.has(file) || !existsSync(file)) continue;
    seen.add(file);
    if (!file.endsWith('.js')) continue;
    const src = readFileSync(file, 'utf8');
    for (const m of src.matchAll(/(?:from|import)\s*\(?\s*["'](\.{1,2}\/[^"']+|\/[^"']+)["']/g)) {
      const spec = m[1]!;
      queue.push(spec.startsWith('/') ? join(dir, spec) : resolve(dirname(file), spec));
    }
  }
  let raw = 0;
  let gz = 0;
  for (const f of seen) {
    const buf = readFileSync(f);
    raw += buf.length;
    gz += gzipSync(buf, { level: 9 }).length;
  }
  console.log(`\n[bundle] side panel: ${seen.size} files, ${(raw / 1024).toFixed(1)} kB raw, ${(gz / 1024).toFixed(1)} kB gzipped`);
}

console.log(`Side panel benchmark: ${FINDINGS} findings (synthetic report over ~200 companies), budget ${BUDGET_MS} ms first render.`);
await inChromium();
await inHappyDom();
bundleSize();
