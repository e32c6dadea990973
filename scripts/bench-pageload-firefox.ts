/**
 * What the extension costs a page in Firefox: the same sandbox pages as bench:pageload (the
 * ConnectWise look-alike's Additions tab and the Platform look-alike's invoices grid), loaded in
 * Debian's Firefox ESR with and without the production Firefox build (`.output/firefox-mv2`),
 * driven over Marionette, in one run, alternating which goes first.
 *
 * Firefox has no CDP metrics, so the figures come from what it does offer:
 *   - at load: the CPU time of the content process showing the page (ChromeUtils.requestProcInfo,
 *     every thread of that process), from just before the navigation to SETTLE_MS after `load`.
 *     Both browsers keep one tab on the site, so the process is the same from load to load;
 *   - memory: that process's malloc heap (`heap-allocated`) and used JS GC heap, from its memory
 *     reporters, read right after the CPU figure once every process has been asked to minimise
 *     its memory (the GC and cycle collection about:memory's button runs). Our content scripts
 *     live in that process; the extension's background does not;
 *   - on the first pointer move, while scrolling five screens, and for the floor (one visible
 *     change of the page's own: a cell's background): the longest gap between two animation
 *     frames, recorded in the page. A frame the main thread holds up (script, style, layout,
 *     paint) shows as a long gap, whoever caused it.
 * Budget on every page: with / without ≤ 1.10× CPU time at load; the longest frame on input and
 * scroll at most the floor (× 1.25) plus one frame, as in bench:pageload; at most 5 MB more memory.
 *
 * Usage: npm run bench:pageload:firefox [-- --runs 7 --settle 4000 --sizes 100,1000,5000 --sites connectwise,platform --extension <dir> --samples --no-build]
 */
import { spawnSync } from 'node:child_process';
import { ROOT, cwAgreementUrl, platformUrl, startTlsSandbox } from '../tests/e2e/chromium';
import { launchFirefox, removeProfile, type FirefoxSession, type FirefoxTab } from '../tests/e2e/firefox/firefox';
import { BUDGET_HEAP_MB, BUDGET_RATIO, INPUT_TOLERANCE, MONTH, inputOver, median, world } from './pageload-world';
import { runBench } from './bench-verdict';

const argv = process.argv.slice(2);
const option = (name: string): string | undefined => {
  const i = argv.indexOf(`--${name}`);
  return i >= 0 ? argv[i + 1] : undefined;
};
// Loads per page: 7 up to 1,000 rows (their own time is small, so a few ms of noise moves the
// ratio), 5 above; as bench:pageload.
const runsFor = (size: number): number => Number(option('runs') ?? (size <= 1000 ? 7 : 5));
const SETTLE_MS = Number(option('settle') ?? 4000);
const INPUT_SETTLE_MS = 2000;
const SIZES = (option('sizes') ?? '100,1000,5000').split(',').map(Number);
const SITES = (option('sites') ?? 'connectwise,platform').split(',');
// Another build (a copy kept aside, e.g. to compare two versions) instead of `.output/firefox-mv2`.
const BUILD = option('extension');

interface Browser {
  name: 'without' | 'with';
  session: FirefoxSession;
  tab: FirefoxTab;
}

interface Sample {
  cpu: number;
  /** MB: malloc heap plus used JS GC heap of the content process, after minimising. */
  memory: number;
  inputFrame: number;
  scrollFrame: number;
  scrollLong: number;
  floorFrame: number;
}

/**
 * Chrome-context text: the content process (from `ChromeUtils.requestProcInfo()`'s `info`) whose
 * window shows `host`, or undefined. Both readings below pick the process this way.
 */
const SHOWING_HOST = `const showing = (info, host) =>
  info.children.find((c) => (c.windows || []).some((w) => w.documentURI && w.documentURI.spec.startsWith('https://' + host + '/')));`;

/** CPU time (ms) of the content process whose window shows `host`, all its threads. */
async function contentCpu(session: FirefoxSession, host: string): Promise<number> {
  const ms = await session.chrome<number>(
    `${SHOWING_HOST}
     const host = arguments[0];
     return ChromeUtils.requestProcInfo().then((info) => {
       const proc = showing(info, host);
       return proc ? proc.cpuTime / 1e6 : -1;
     });`,
    [host],
  );
  if (ms < 0) throw new Error(`no content process shows ${host}`);
  return ms;
}

/**
 * MB the content process showing `host` holds once every process has minimised its memory:
 * jemalloc's `heap-allocated` plus the used part of the JS GC heap (which is not malloc'd).
 */
async function contentMemory(session: FirefoxSession, host: string): Promise<number> {
  const bytes = await session.chrome<number>(
    `${SHOWING_HOST}
     const host = arguments[0];
     const mgr = Cc['@mozilla.org/memory-reporter-manager;1'].getService(Ci.nsIMemoryReporterManager);
     return new Promise((resolve) => mgr.minimizeMemoryUsage(() => resolve()))
       .then(() => ChromeUtils.requestProcInfo())
       .then((info) => {
         const proc = showing(info, host);
         if (!proc) return -1;
         const tag = '(pid ' + proc.pid + ')';
         let total = 0;
         return new Promise((resolve) => mgr.getReports((process, path, kind, units, amount) => {
           if (!process.includes(tag) || units !== Ci.nsIMemoryReporter.UNITS_BYTES) return;
           if (path === 'heap-allocated' || path.startsWith('js-main-runtime-gc-heap-committed/used/')) total += amount;
         }, null, () => resolve(total), null, false));
       });`,
    [host],
  );
  if (bytes < 0) throw new Error(`no content process shows ${host}`);
  return bytes / 1e6;
}

/*
 * Page functions are written as text: tsx keeps function names with a helper (`__name`) the page
 * does not have, so a compiled function cannot be sent into the page as it is.
 */

/** Starts recording animation-frame times in the page; `stopFrames` ends it and answers the gaps. */
const startFrames = new Function(`
  const times = [];
  let on = true;
  const loop = (t) => {
    times.push(t);
    if (on) requestAnimationFrame(loop);
  };
  requestAnimationFrame(loop);
  // The page's DOM is shared by every script world, so the answer goes through it.
  document.addEventListener('cwr-bench-stop', () => {
    on = false;
    document.documentElement.setAttribute('data-cwr-bench-frames', JSON.stringify(times));
  }, { once: true });
`) as () => void;

const stopFrames = new Function(`
  document.dispatchEvent(new Event('cwr-bench-stop'));
  const times = JSON.parse(document.documentElement.getAttribute('data-cwr-bench-frames') || '[]');
  document.documentElement.removeAttribute('data-cwr-bench-frames');
  let longest = 0;
  let long = 0;
  for (let i = 1; i < times.length; i++) {
    const gap = times[i] - times[i - 1];
    longest = Math.max(longest, gap);
    if (gap > 50) long++;
  }
  return { longest, long };
`) as () => { longest: number; long: number };

async function framesDuring(tab: FirefoxTab, act: () => Promise<void>, settleMs: number): Promise<{ longest: number; long: number }> {
  await tab.evaluate(startFrames);
  await act();
  await new Promise((r) => setTimeout(r, settleMs));
  return tab.evaluate(stopFrames);
}

async function waitFor(tab: FirefoxTab, selector: string): Promise<void> {
  await tab.waitFor((sel) => document.querySelector(sel) !== null, selector, selector, 120_000);
}

async function loadOnce(b: Browser, url: string, ready: string): Promise<Sample> {
  const host = new URL(url).host;
  let before = 0;
  try {
    before = await contentCpu(b.session, host);
  } catch {
    // The first load of the site: its process does not exist yet (the warm-up load pays for it).
  }
  await b.tab.navigate(url);
  await waitFor(b.tab, ready);
  await new Promise((r) => setTimeout(r, SETTLE_MS));
  const cpu = (await contentCpu(b.session, host)) - before;
  const memory = await contentMemory(b.session, host);
  const box = await b.tab.evaluate(
    ([sel]) => {
      const r = document.querySelectorAll(sel)[2]?.getBoundingClientRect();
      // Over the row's first third, inside the viewport (a wide grid runs past its edge).
      return r ? { x: Math.min(r.left + r.width / 3, innerWidth / 2), y: r.top + r.height / 2 } : { x: 200, y: 300 };
    },
    [ready] as const,
  );
  const input = await framesDuring(b.tab, () => b.tab.mouseTo(box.x, box.y), INPUT_SETTLE_MS);
  const scroll = await framesDuring(
    b.tab,
    () =>
      b.session.marionette.send('WebDriver:PerformActions', {
        actions: [
          {
            type: 'wheel',
            id: 'wheel',
            actions: Array.from({ length: 25 }, () => [
              { type: 'scroll', x: Math.round(box.x), y: Math.round(box.y), deltaX: 0, deltaY: 170, origin: 'viewport', duration: 0 },
              { type: 'pause', duration: 16 },
            ]).flat(),
          },
        ],
      }).then(() => undefined),
    INPUT_SETTLE_MS,
  );
  const floor = await framesDuring(
    b.tab,
    () =>
      b.tab.evaluate(([sel]) => {
        const td = document.querySelector<HTMLElement>(`${sel} td`);
        if (td) td.style.backgroundColor = '#fef3c7';
      }, [ready] as const),
    1000,
  );
  return { cpu, memory, inputFrame: input.longest, scrollFrame: scroll.longest, scrollLong: scroll.long, floorFrame: floor.longest };
}

function summarise(samples: Sample[]): Sample {
  const of = (k: keyof Sample) => median(samples.map((s) => s[k]));
  return { cpu: of('cpu'), memory: of('memory'), inputFrame: of('inputFrame'), scrollFrame: of('scrollFrame'), scrollLong: of('scrollLong'), floorFrame: of('floorFrame') };
}

async function main(): Promise<boolean> {
  if (!argv.includes('--no-build') && !BUILD) {
    const r = spawnSync('npx', ['wxt', 'build', '-b', 'firefox'], { cwd: ROOT, stdio: ['ignore', 'ignore', 'inherit'] });
    if (r.status !== 0) throw new Error('npx wxt build -b firefox failed');
  }
  const data = world(SIZES);
  const sandbox = await startTlsSandbox(data);
  const browsers: Browser[] = [];
  let ok = true;
  try {
    for (const name of ['without', 'with'] as const) {
      const session = await launchFirefox({ sandboxPort: sandbox.port, extension: name === 'with', build: BUILD });
      browsers.push({ name, session, tab: await session.openTab('about:blank') });
    }
    for (const b of browsers) await b.session.sizeViewport(b.tab, 1280, 860);
    const version = await browsers[0]!.session.chrome<string>('return Services.appinfo.version;');
    console.log(`bench:pageload:firefox · Firefox ${version} · ${option('runs') ?? '7 (5 above 1,000 rows)'} loads a page (median), read ${SETTLE_MS} ms after load, with and without alternating`);
    const pages: { label: string; url: string; ready: string; runs: number }[] = [];
    for (const size of SITES.includes('connectwise') ? SIZES : []) {
      pages.push({ label: `ConnectWise Additions, ${size.toLocaleString('en-US')} rows`, url: cwAgreementUrl(data.agreements.get(size)!), ready: 'tr.cw-ml-row', runs: runsFor(size) });
    }
    for (const size of SITES.includes('platform') ? SIZES : []) {
      pages.push({ label: `Platform invoices, ${size.toLocaleString('en-US')} lines`, url: platformUrl('/mapping/invoices', `month=${MONTH}&pageSize=${size}`), ready: 'table tbody tr', runs: runsFor(size) });
    }
    console.log('\npage                                 | content-process CPU ms without → with (ratio) | memory MB (extra) | longest frame ms: first pointer move · scrolling (frames over 50 ms) · floor');
    for (const p of pages) {
      // One unmeasured load per browser and site: it starts the site's content process.
      for (const b of browsers) await loadOnce(b, p.url, p.ready);
      const got: Record<Browser['name'], Sample[]> = { without: [], with: [] };
      for (let i = 0; i < p.runs; i++) {
        const order = i % 2 === 0 ? browsers : [...browsers].reverse();
        for (const b of order) got[b.name].push(await loadOnce(b, p.url, p.ready));
      }
      if (argv.includes('--samples')) {
        for (const n of ['without', 'with'] as const) console.log(`  ${n} CPU ms, load by load: ${got[n].map((x) => x.cpu.toFixed(0)).join(' ')}`);
      }
      const a = summarise(got.without);
      const b = summarise(got.with);
      const ratio = b.cpu / a.cpu;
      const floor = Math.max(a.floorFrame, b.floorFrame, a.inputFrame);
      const extra = b.memory - a.memory;
      const loadOver = ratio > BUDGET_RATIO || extra > BUDGET_HEAP_MB;
      const heldUp = inputOver(floor, b.inputFrame, b.scrollFrame, a.scrollFrame);
      if (loadOver || heldUp) ok = false;
      console.log(
        `${p.label.padEnd(36)} | ${a.cpu.toFixed(0)} → ${b.cpu.toFixed(0)} (${ratio.toFixed(2)}×) | ` +
          `${a.memory.toFixed(1)} → ${b.memory.toFixed(1)} (${extra >= 0 ? '+' : ''}${extra.toFixed(1)})${loadOver ? ' OVER BUDGET' : ''} | ` +
          `${a.inputFrame.toFixed(0)} → ${b.inputFrame.toFixed(0)} · ${a.scrollFrame.toFixed(0)} → ${b.scrollFrame.toFixed(0)} (${a.scrollLong.toFixed(0)} → ${b.scrollLong.toFixed(0)}) · ` +
          `${a.floorFrame.toFixed(0)} / ${b.floorFrame.toFixed(0)}${heldUp ? '  INPUT OVER' : '  ok'}`,
      );
    }
    console.log(
      `\nbudget on every page: ≤ ${BUDGET_RATIO.toFixed(2)}× content-process CPU and ≤ ${BUDGET_HEAP_MB} MB more memory at load; on the first pointer move and while scrolling, ` +
        `no frame longer than the page's own repaint (×${INPUT_TOLERANCE}) plus one frame`,
    );
  } finally {
    for (const b of browsers) {
      await b.session.close();
      removeProfile(b.session.profileDir);
    }
    await sandbox.close();
  }
  return ok;
}

runBench(main);
