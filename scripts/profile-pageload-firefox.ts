/**
 * Where the extension's load cost goes in Firefox, page by page: the same sandbox pages as
 * bench:pageload:firefox, loaded with the production build under the Gecko profiler (JS stacks
 * sampled every 0.5 ms on the main thread of the content process showing the page), from the
 * navigation to SETTLE_MS after the grid is there. Each sample is put in one of three bins:
 *   - ours: a frame of our content scripts (a moz-extension: URL) is on the stack. This holds our
 *     code and whatever it calls into (the browser.* API bindings, messaging);
 *   - Firefox's extension machinery: only Firefox's own extension modules are (ExtensionContent,
 *     ExtensionProcessScript, ExtensionCommon, Schemas, ...): creating the content-script sandbox,
 *     compiling our scripts, injecting the manifest CSS, which any extension with a content script
 *     on the page pays;
 *   - the page: everything else.
 * A sample stands for 0.5 ms of the thread's time, whether it ran or waited; only the two
 * extension bins are read, and those are running JS. Beside them it prints the main thread's CPU
 * time for the same load (`contentCpu`: schedstat where the kernel has it), so the bins read as shares.
 *
 * This is a breakdown, not a budget: bench:pageload:firefox judges the cost, with and without.
 *
 * Usage: npm run profile:pageload:firefox [-- --runs 8 --sizes 100,5000 --sites connectwise,platform --extension <dir> --no-build]
 */
import { spawnSync } from 'node:child_process';
import { parseArgs } from 'node:util';
import { ROOT } from '../tests/e2e/chromium';
import { runScript } from './bench-verdict';
import { median, sandboxPages, world } from './pageload-world';
import { closePanelPage, contentCpu, rest, waitForGrid, withFirefox } from './firefox-content';

const { values: args } = parseArgs({
  options: {
    runs: { type: 'string', default: '8' },
    sizes: { type: 'string', default: '100,5000' },
    sites: { type: 'string', default: 'connectwise,platform' },
    extension: { type: 'string' },
    'no-build': { type: 'boolean', default: false },
  },
});
const RUNS = Number(args.runs);
const SIZES = args.sizes.split(',').map(Number);
const SITES = args.sites.split(',');
const SETTLE_MS = 4000;
const INTERVAL_MS = 0.5;

/** One load's bins, in samples. */
interface Bins {
  ours: number;
  firefox: number;
  /** Samples per outermost extension frame (where the work was entered from), both bins. */
  entries: Record<string, number>;
}

/*
 * Chrome-context text: stops the profiler and bins the samples of the main thread of process
 * `arguments[0]`. Gecko's own profile format: per thread a string table, and frame, stack and
 * sample tables whose `schema` names each column's index; a stack row points at its caller.
 */
const BIN_SAMPLES = `const pid = String(arguments[0]);
return Services.profiler.getProfileDataAsync().then((profile) => {
  Services.profiler.StopProfiler();
  const bins = { ours: 0, firefox: 0, entries: {} };
  const machinery = /resource:\\/\\/gre\\/modules\\/(Extension[A-Za-z]*|Schemas|MessageChannel|Conduits[A-Za-z]*)\\.sys\\.mjs/;
  const visit = (p) => {
    for (const th of p.threads) {
      if (String(th.pid) !== pid || th.name !== 'GeckoMain') continue;
      const strings = th.stringTable;
      const loc = th.frameTable.schema.location;
      const prefix = th.stackTable.schema.prefix;
      const frame = th.stackTable.schema.frame;
      const stackCol = th.samples.schema.stack;
      for (const sample of th.samples.data) {
        let outermost = null;
        let ours = false;
        for (let s = sample[stackCol]; s != null; s = th.stackTable.data[s][prefix]) {
          const where = strings[th.frameTable.data[th.stackTable.data[s][frame]][loc]];
          const mine = where.includes('moz-extension:');
          if (mine || machinery.test(where)) {
            outermost = where.replace(/moz-extension:\\/\\/[^/]+/, '').replace(/\\[\\d+\\]$/, '');
            ours = ours || mine;
          }
        }
        if (outermost === null) continue;
        if (ours) bins.ours++;
        else bins.firefox++;
        bins.entries[outermost] = (bins.entries[outermost] || 0) + 1;
      }
    }
    for (const child of p.processes || []) visit(child);
  };
  visit(profile);
  return bins;
});`;

async function main(): Promise<void> {
  if (!args['no-build'] && !args.extension) {
    const r = spawnSync('npx', ['wxt', 'build', '-b', 'firefox'], { cwd: ROOT, stdio: ['ignore', 'ignore', 'inherit'] });
    if (r.status !== 0) throw new Error('npx wxt build -b firefox failed');
  }
  const data = world(SIZES);
  await withFirefox(data, { build: args.extension }, async (session) => {
    await closePanelPage(session);
    const tab = await session.openTab('about:blank');
    await session.sizeViewport(tab, 1280, 860);
    console.log(`profile:pageload:firefox · ${RUNS} loads a page (median), main thread sampled every ${INTERVAL_MS} ms until ${SETTLE_MS} ms after the grid is there`);
    console.log('\npage                                 | main-thread CPU ms | ms in our content scripts | ms in Firefox\'s extension machinery');
    const pages = sandboxPages(data.agreements, SIZES, SITES);
    for (const p of pages) {
      const host = new URL(p.url).host;
      const loads: (Bins & { cpu: number })[] = [];
      // The first load starts the site's content process and is not counted.
      for (let i = 0; i <= RUNS; i++) {
        await rest(session, tab, host);
        await session.chrome(`Services.profiler.StartProfiler(1 << 22, ${INTERVAL_MS}, ['js', 'cpu'], ['GeckoMain']); return true;`);
        const before = await contentCpu(session, host);
        await tab.navigate(p.url);
        await waitForGrid(tab, p.ready);
        await new Promise((r) => setTimeout(r, SETTLE_MS));
        const after = await contentCpu(session, host);
        const bins = await session.chrome<Bins>(BIN_SAMPLES, [after.pid]);
        if (after.pid !== before.pid) throw new Error(`${host} moved from content process ${before.pid} to ${after.pid} during a load`);
        if (i > 0) loads.push({ ...bins, cpu: after.main - before.main });
      }
      const ms = (k: 'ours' | 'firefox') => median(loads.map((l) => l[k])) * INTERVAL_MS;
      console.log(`${p.label.padEnd(36)} | ${median(loads.map((l) => l.cpu)).toFixed(0).padStart(18)} | ${ms('ours').toFixed(1).padStart(25)} | ${ms('firefox').toFixed(1).padStart(10)}`);
      const entries: Record<string, number> = {};
      for (const l of loads) for (const [k, v] of Object.entries(l.entries)) entries[k] = (entries[k] ?? 0) + v;
      const top = Object.entries(entries).sort((a, b) => b[1] - a[1]).slice(0, 6);
      for (const [where, n] of top) console.log(`    ${((n / loads.length) * INTERVAL_MS).toFixed(1).padStart(5)} ms a load entered at ${where.slice(0, 100)}`);
    }
  });
}

runScript(main);
