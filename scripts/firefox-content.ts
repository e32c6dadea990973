/**
 * Readings of the Firefox content process that shows a sandbox page, taken from the browser's
 * chrome context over Marionette: its CPU time and memory, and a quiet small page of the same site
 * to rest a tab on between loads; and what the page itself shows: its frames while the user acts.
 * bench:pageload:firefox, profile:pageload:firefox and probe:highlight-scroll:firefox share them.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { startTlsSandbox } from '../tests/e2e/chromium';
import { launchFirefox, removeProfile, type FirefoxSession, type FirefoxTab, type LaunchOptions } from '../tests/e2e/firefox/firefox';

/**
 * Chrome-context text: the content process (from `ChromeUtils.requestProcInfo()`'s `info`) whose
 * window shows `host`, or undefined. Both readings below pick the process this way.
 */
export const SHOWING_HOST = `const showing = (info, host) =>
  info.children.find((c) => (c.windows || []).some((w) => w.documentURI && w.documentURI.spec.startsWith('https://' + host + '/')));`;

/**
 * CPU time (ms) of the content process whose window shows `host`: its main thread (the page's
 * script, style, layout and our content scripts, the thread bench:pageload's task time counts)
 * and all its threads (adding the HTML parser, networking and GC helpers). Read from the kernel's
 * scheduler statistics (`/proc/<pid>/task/<tid>/schedstat`, nanoseconds on the CPU) where this
 * machine has them, as Firefox runs beside the script; Firefox's own figure otherwise
 * (`ChromeUtils.requestProcInfo`), which Linux counts in 10 ms ticks: on a page of 50 ms that
 * step alone is 20%.
 */
export async function contentCpu(session: FirefoxSession, host: string): Promise<{ pid: number; main: number; all: number; exact: boolean }> {
  const ms = await session.chrome<{ pid: number; main: number; all: number } | null>(
    `${SHOWING_HOST}
     const host = arguments[0];
     return ChromeUtils.requestProcInfo().then((info) => {
       const proc = showing(info, host);
       if (!proc) return null;
       const main = proc.threads.find((t) => t.tid === proc.pid);
       return { pid: proc.pid, main: main ? main.cpuTime / 1e6 : -1, all: proc.cpuTime / 1e6 };
     });`,
    [host],
  );
  if (!ms) throw new Error(`no content process shows ${host}`);
  if (ms.main < 0) throw new Error(`the content process showing ${host} lists no main thread`);
  const exact = schedCpu(ms.pid);
  return exact ? { pid: ms.pid, ...exact, exact: true } : { ...ms, exact: false };
}

/** Main-thread and all-thread CPU ms of `pid` from schedstat, or undefined where it cannot be read. */
function schedCpu(pid: number): { main: number; all: number } | undefined {
  const onCpu = (tid: string): number => Number(readFileSync(`/proc/${pid}/task/${tid}/schedstat`, 'utf8').split(' ')[0]) / 1e6;
  try {
    const main = onCpu(String(pid));
    let all = 0;
    for (const tid of readdirSync(`/proc/${pid}/task`)) {
      try {
        all += onCpu(tid);
      } catch {
        // A thread that ended between the listing and the read.
      }
    }
    // A kernel without scheduler statistics answers zeros.
    return Number.isFinite(main) && main > 0 ? { main, all } : undefined;
  } catch {
    return undefined;
  }
}

/** Has every process collect its garbage (the GC and cycle collection about:memory's button runs). */
export const MINIMISE = `const mgr = Cc['@mozilla.org/memory-reporter-manager;1'].getService(Ci.nsIMemoryReporterManager);
  const minimised = new Promise((resolve) => mgr.minimizeMemoryUsage(() => resolve()));`;

/**
 * MB the content process showing `host` holds once every process has minimised its memory:
 * jemalloc's `heap-allocated` plus the used part of the JS GC heap (which is not malloc'd).
 */
export async function contentMemory(session: FirefoxSession, host: string): Promise<number> {
  const bytes = await session.chrome<number>(
    `${SHOWING_HOST}
     ${MINIMISE}
     const host = arguments[0];
     return minimised
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

/** Where a tab waits between loads: a small page of the same site, so the same content process. */
export const restUrl = (host: string) => `https://${host}/cwr-bench-rest`;
// Long enough for the loader's report on the rest page (250 ms, then up to 1 s for idle).
const REST_MS = 1500;

/**
 * Sends the tab to the rest page, parks the pointer in its corner, waits for our loader there, and
 * has every process collect its garbage. Parked, the pointer's move onto the next page's grid is
 * a real move: without it each load after the first moved it to where it already was, so the
 * page saw no pointer move at all and its first input was the scroll.
 */
export async function rest(session: FirefoxSession, tab: FirefoxTab, host: string): Promise<void> {
  await tab.navigate(restUrl(host));
  await tab.mouseTo(2, 2);
  await new Promise((r) => setTimeout(r, REST_MS));
  await session.chrome(`${MINIMISE} return minimised;`);
}


/**
 * Closes the extension page the test harness opened to reach the background (launchFirefox). It
 * is the side panel's own page, and an open panel asks each page it sees what it shows, so the
 * page is watched from then on. A load is measured as a user with the panel closed has it; the
 * sidebar Firefox opens at install is closed by `sizeViewport`.
 */
export async function closePanelPage(session: FirefoxSession): Promise<void> {
  await (await session.extensionPage()).close();
}

/**
 * Runs `use` with one Firefox (a fresh profile) over a TLS sandbox serving `data`, then closes the
 * browser, removes its profile and stops the sandbox, whatever `use` did. For the scripts that
 * drive one browser (the profile and the probe); the bench drives two.
 */
export async function withFirefox(
  data: Parameters<typeof startTlsSandbox>[0],
  launch: Omit<LaunchOptions, 'sandboxPort'>,
  use: (session: FirefoxSession) => Promise<void>,
): Promise<void> {
  const sandbox = await startTlsSandbox(data);
  try {
    const session = await launchFirefox({ ...launch, sandboxPort: sandbox.port });
    try {
      await use(session);
    } finally {
      await session.close();
      removeProfile(session.profileDir);
    }
  } finally {
    await sandbox.close();
  }
}

/** Waits (up to 2 minutes, for the 5,000-row grids) until `selector` finds something in the page. */
export async function waitForGrid(tab: FirefoxTab, selector: string): Promise<void> {
  await tab.waitFor((sel) => document.querySelector(sel) !== null, selector, selector, 120_000);
}

/** Five screens down under the point (`x`, `y`): 25 wheel steps of 170 px, about a frame apart, as a user scrolls. */
export async function wheelScroll(session: FirefoxSession, x: number, y: number): Promise<void> {
  await session.marionette.send('WebDriver:PerformActions', {
    actions: [
      {
        type: 'wheel',
        id: 'wheel',
        actions: Array.from({ length: 25 }, () => [
          { type: 'scroll', x: Math.round(x), y: Math.round(y), deltaX: 0, deltaY: 170, origin: 'viewport', duration: 0 },
          { type: 'pause', duration: 16 },
        ]).flat(),
      },
    ],
  });
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
`) as () => Frames;

/** The longest gap between two animation frames, ms, and how many gaps were over 50 ms. */
export interface Frames {
  longest: number;
  long: number;
}

/**
 * The longest gap between two animation frames in the page (and how many gaps were over 50 ms)
 * while `act` runs and for `settleMs` after it. A frame the main thread holds up shows as a long
 * gap, whoever caused it.
 */
export async function framesDuring(tab: FirefoxTab, act: () => Promise<void>, settleMs: number): Promise<Frames> {
  await tab.evaluate(startFrames);
  await act();
  await new Promise((r) => setTimeout(r, settleMs));
  return tab.evaluate(stopFrames);
}
