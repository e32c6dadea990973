/**
 * A large generated month put into the extension the way a user would: the Platform invoices
 * grid of each month captured from the sandbox page (large pages, so the walk takes few steps)
 * and the ConnectWise data pulled through the sandbox REST API. Shared by the browser test of a
 * cancellable reconcile and by `npm run bench:extension`; it must not import vitest.
 */
import type { CwBundle, PlatformLine, ReconcileConfig } from '../../core/model';
import { generateLarge } from '../generator/index';
import { platformUrl, waitForScreen, type ExtensionSession } from './chromium';

export interface BigMonth {
  lines: PlatformLine[];
  bundle: CwBundle;
  config: ReconcileConfig;
  months: string[];
}

/**
 * `lines` generated lines and about `additionShare` of their Additions: the generator gives each
 * line its Addition, so dropping some leaves lines ConnectWise lacks, as at a real month-end.
 */
export function bigMonth(lines: number, additionShare: number, seed = 20261130): BigMonth {
  const scenario = generateLarge(lines, seed);
  const keepEvery = additionShare >= 1 ? Infinity : Math.round(1 / (1 - additionShare));
  const additions = Number.isFinite(keepEvery) ? scenario.bundle.additions.filter((_, i) => i % keepEvery !== 0) : scenario.bundle.additions;
  const months = [...new Set(scenario.lines.map((l) => l.invoiceDate.slice(0, 7)))].sort();
  return { lines: scenario.lines, bundle: { ...scenario.bundle, additions }, config: scenario.config, months };
}

export interface SeedTimes {
  /** Capturing every month's grid, each capture stored before it answers. */
  captureMs: number;
  /** The API pull of the ConnectWise data, stored before it answers. */
  pullMs: number;
  rows: number;
  additions: number;
}

/** Captures every month's grid and pulls the API, through the extension's own messages. */
export async function seedBigMonth(
  session: ExtensionSession,
  month: BigMonth,
  credentials: { companyId: string; publicKey: string; privateKey: string; clientId: string },
  pageSize = 5_000,
  log: (message: string) => void = () => undefined,
): Promise<SeedTimes> {
  await session.send('settings.set', { patch: { reconcile: month.config, cw: { region: 'na', ...credentials } } });
  let rows = 0;
  let captureMs = 0;
  for (const m of month.months) {
    const page = await session.context.newPage();
    await page.goto(platformUrl('/mapping/invoices', `month=${m}&pageSize=${pageSize}`), { timeout: 300_000 });
    const tabId = await waitForScreen(session, page, 'platform.invoices', 300_000);
    log(`the ${m} grid is open; capturing`);
    const t0 = performance.now();
    const capture = await session.send('capture.start', { tabId });
    captureMs += performance.now() - t0;
    if (!capture.complete) throw new Error(`the capture of ${m} stopped part-way (${capture.rows} rows)`);
    rows += capture.rows;
    log(`captured ${capture.rows} lines of ${m}`);
    await page.close();
  }
  const t0 = performance.now();
  const pull = await session.send('cw.pull', { jobId: 'seed-pull' });
  const pullMs = performance.now() - t0;
  if (!pull.complete) throw new Error(`the API pull stopped part-way (${pull.rows} Additions)`);
  return { captureMs, pullMs, rows, additions: pull.rows };
}
