import type { ContentScriptContext } from 'wxt/utils/content-script-context';
import { createContentAgent } from '../../core/app/content-agent';
import type { AdditionVerdict } from '../../core/model';
import { startInPageHelp, type InPageHelp } from './index';
import { rowsByPosition } from './badges';
import { rowsToVerdicts } from '../../core/app/verdicts';
import { CW_SELECTORS, cwRowRecordId, cwRowsSample } from '../../core/sites/connectwise';
import { whenIdle, type LoaderHandoff, type PageCode } from './handoff';

/*
 * The in-page code of both content scripts (Platform and ConnectWise): capture on request, full
 * screen detection, and the in-page help with its badges. The loader (./loader.ts) runs on every
 * page and brings this in only when it is needed (entrypoints/inpage.ts, run by the background);
 * it keeps the messaging, the page reports and WXT's context, and hands them over here.
 */

/** A macrotask that hidden tabs do not throttle (timers there wait up to a second). */
function tick(): Promise<void> {
  return new Promise((resolve) => {
    const channel = new MessageChannel();
    channel.port1.onmessage = () => {
      channel.port1.close();
      resolve();
    };
    channel.port2.postMessage(null);
  });
}

/** Resolves true as soon as `changed()` holds after some DOM change, false after `ms`. */
function waitForDom(ctx: ContentScriptContext, changed: () => boolean, ms = 15_000): Promise<boolean> {
  if (changed()) return Promise.resolve(true);
  return new Promise((resolve) => {
    const observer = new MutationObserver(() => {
      if (!changed()) return;
      done(true);
    });
    const timer = ctx.setTimeout(() => done(changed()), ms);
    function done(value: boolean) {
      observer.disconnect();
      clearTimeout(timer);
      resolve(value);
    }
    observer.observe(document, { childList: true, subtree: true, characterData: true, attributes: true });
  });
}

export function startPageCode(handoff: LoaderHandoff): PageCode {
  const { ctx, app, client } = handoff;
  const agent = createContentAgent({
    app,
    doc: document,
    url: () => location.href,
    progress: (progress) => void client.send('capture.progress', { progress }).catch(() => undefined),
    settle: tick,
    waitFor: (changed) => waitForDom(ctx, changed),
    // Hidden tabs paint no frames, so a scroll never fires there; the page's handler gets one anyway.
    makeScrollEvent: () => new Event('scroll'),
  });

  let help: InPageHelp | undefined;
  let helpAgreement: number | undefined;
  let verdicts: AdditionVerdict[] | null = null;
  /**
   * Rows without a record id are told apart by their cells. Only the rows around the viewport are
   * read (copies of them under the grid's header), at idle time rather than inside the badge
   * layout (a scroll frame); each answer is kept with the row's text, so a row GWT recycles for
   * another Addition is read again and a row that merely moved is not.
   */
  let byCells = new WeakMap<Element, { text: string; id: number | undefined }>();
  let matchQueued = false;
  const matchVisibleRows = () => {
    if (matchQueued) return;
    matchQueued = true;
    whenIdle(ctx, () => {
      matchQueued = false;
      if (!verdicts?.length || !help || ctx.isInvalid) return;
      const rows = rowsNearViewport();
      const sample = cwRowsSample(rows);
      if (!sample) return;
      const opts = { url: location.href };
      // Look-alike rows (a duplicate and its twin) that cells alone cannot tell apart go by position.
      const found = rowsByPosition(sample.root, verdicts, rowsToVerdicts(sample.root, verdicts, opts), opts);
      const idOf = new Map<Element, number>();
      for (const [copy, id] of found) idOf.set(sample.originalOf.get(copy)!, id);
      for (const row of rows) byCells.set(row, { text: row.textContent ?? '', id: idOf.get(row) });
      help.setVerdicts(verdicts);
    }, 500);
  };
  /** The grid rows within a screen above and below the viewport (rows stack top to bottom). */
  const rowsNearViewport = (): Element[] => {
    const rows = document.querySelectorAll(CW_SELECTORS.additionRow);
    const h = window.innerHeight || 800;
    let lo = 0;
    let hi = rows.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (rows[mid]!.getBoundingClientRect().bottom < -h) lo = mid + 1;
      else hi = mid;
    }
    const out: Element[] = [];
    for (let i = lo; i < rows.length; i++) {
      const row = rows[i]!;
      const r = row.getBoundingClientRect();
      if (r.top > 2 * h) break;
      if (r.height > 0 || r.width > 0) out.push(row);
    }
    return out;
  };
  const rowAdditionId = (row: Element): number | undefined => {
    const own = cwRowRecordId(row);
    if (own !== undefined || !verdicts?.length) return own;
    const known = byCells.get(row);
    if (known && known.text === row.textContent) return known.id;
    matchVisibleRows();
    return undefined;
  };

  async function refreshVerdicts(): Promise<void> {
    if (app !== 'connectwise') return;
    const context = handoff.context();
    const id = context?.screen === 'connectwise.additions' ? context.agreement?.id : undefined;
    helpAgreement = id;
    if (id === undefined) {
      verdicts = null;
      return help?.setVerdicts(null);
    }
    const answer = await client.send('help.verdicts', { agreementId: id }).catch(() => null);
    if (helpAgreement !== id || ctx.isInvalid) return;
    verdicts = answer?.verdicts ?? null;
    byCells = new WeakMap();
    // Badges are what a judged agreement shows without being asked: they start the help.
    if (!help && verdicts?.length) return ensureHelp();
    help?.setVerdicts(verdicts);
  }

  let helpStarting: Promise<void> | undefined;
  function ensureHelp(): Promise<void> {
    return (helpStarting ??= startHelp().catch(() => undefined));
  }

  async function startHelp(): Promise<void> {
    const [config, entries] = await Promise.all([client.send('help.config', { app }), client.send('dictionary.list', {})]);
    if (ctx.isInvalid) return;
    help?.stop();
    help = startInPageHelp({
      doc: document,
      site: app,
      entries,
      enabled: config.tooltips,
      lookupEntity: async (kind, name) => {
        const found = await client.send('help.entities', { app, names: [name], kind }).catch(() => null);
        return found ? (found[0]?.mappedTo ?? []) : null;
      },
      onOpenFinding: (verdict: AdditionVerdict) => void client.send('help.open', { fingerprint: verdict.fingerprints[0], agreementId: helpAgreement }).catch(() => undefined),
      onMapRequest: () => void client.send('help.open', {}).catch(() => undefined),
      rowAdditionId,
    });
    help.setVerdicts(verdicts);
  }

  ctx.onInvalidated(() => {
    agent.cancelAll();
    help?.stop();
    help = undefined;
  });

  return {
    handle: (message) => agent.handle(message),
    event(event) {
      if (event.event !== 'data.changed') return;
      if (event.stores.includes('settings') || event.stores.includes('dictionary')) {
        if (help) void startHelp().catch(() => undefined);
      } else if (event.stores.includes('runs')) void refreshVerdicts();
    },
    contextChanged: () => void refreshVerdicts(),
    interacted: () => void ensureHelp(),
    detect: () => agent.detect(),
  };
}
