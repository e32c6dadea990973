import { browser } from 'wxt/browser';
import type { ContentScriptContext } from 'wxt/utils/content-script-context';
import { createContentAgent } from '../../core/app/content-agent';
import { createProtocolClient, isEventEnvelope } from '../../core/protocol/client';
import type { AdditionVerdict, App, PageContext } from '../../core/model';
import { HOST_TAG, startInPageHelp, type InPageHelp } from './index';
import { rowsByPosition } from './badges';
import { rowsToVerdicts } from '../../core/app/verdicts';
import { CW_SELECTORS, cwRowRecordId, cwRowsSample } from '../../core/sites/connectwise';

/*
 * The body of both content scripts (Platform and ConnectWise): page detection reported to the
 * background, capture on request, and the in-page help. Every listener, observer and timer hangs
 * off WXT's context, so an extension reload or update (which invalidates the context) leaves no
 * listener behind and removes our UI from the page.
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

/**
 * Runs `fn` when the page's main thread is idle (at the latest after `timeout` ms), so our work
 * never competes with the page's own loading or input handling.
 */
function whenIdle(ctx: ContentScriptContext, fn: () => void, timeout: number): void {
  if (typeof window.requestIdleCallback === 'function') ctx.requestIdleCallback(() => fn(), { timeout });
  else ctx.setTimeout(fn, 0);
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

export function runContentScript(ctx: ContentScriptContext, app: App): void {
  const client = createProtocolClient({
    send: (message) => browser.runtime.sendMessage(message),
    listen: () => () => undefined,
  });
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

  let lastReported = '';
  let context: Omit<PageContext, 'tabId' | 'reachable'> | undefined;
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

  function report(): void {
    if (ctx.isInvalid) return;
    let next;
    try {
      next = agent.detect();
    } catch {
      return;
    }
    const key = JSON.stringify(next);
    if (key === lastReported) return;
    const agreementChanged = next.agreement?.id !== context?.agreement?.id || next.screen !== context?.screen;
    lastReported = key;
    context = next;
    void client.send('page.report', { context: next }).catch(() => undefined);
    if (agreementChanged) void refreshVerdicts();
  }

  // Mutations come in bursts (a grid filling, GWT recycling rows on scroll): one report per
  // burst, once the page is idle.
  let pending: number | undefined;
  const scheduleReport = () => {
    if (pending !== undefined) return;
    pending = ctx.setTimeout(() => {
      whenIdle(ctx, () => {
        pending = undefined;
        report();
      }, 1000);
    }, 250);
  };

  const onMessage = (message: unknown, sender: { id?: string }): Promise<unknown> | undefined => {
    if (sender.id !== browser.runtime.id) return undefined;
    const answer = agent.handle(message);
    if (answer) return answer;
    if (isEventEnvelope(message)) {
      const event = message.payload;
      if (event.event === 'data.changed') {
        if (event.stores.includes('settings') || event.stores.includes('dictionary')) {
          if (help) void startHelp().catch(() => undefined);
        }
        else if (event.stores.includes('runs')) void refreshVerdicts();
      }
    }
    return undefined;
  };
  browser.runtime.onMessage.addListener(onMessage);

  // Our own tooltip host and badges change the DOM too; those mutations must not re-trigger us.
  const observer = new MutationObserver((records) => {
    const ours = (node: Node) => node.nodeType === 1 && !!(node as Element).closest?.(`[data-cwr-ignore], ${HOST_TAG}`);
    const foreign = (list: NodeList) => {
      for (let i = 0; i < list.length; i++) if (!ours(list[i]!)) return true;
      return false;
    };
    if (!records.some((r) => !ours(r.target) && (foreign(r.addedNodes) || foreign(r.removedNodes)))) return;
    scheduleReport();
  });
  observer.observe(document.body ?? document.documentElement, { childList: true, subtree: true });
  ctx.addEventListener(window, 'wxt:locationchange', () => scheduleReport());

  // The dictionary's terms are marked once the user is at the page: the first pointer move,
  // key or touch starts the help (it then reads only the text near the viewport, at idle time).
  const input = new AbortController();
  const interacted = () => {
    input.abort();
    void ensureHelp();
  };
  for (const type of ['pointermove', 'pointerdown', 'keydown', 'touchstart', 'wheel']) {
    window.addEventListener(type, interacted, { capture: true, passive: true, signal: input.signal });
  }

  ctx.onInvalidated(() => {
    input.abort();
    browser.runtime.onMessage.removeListener(onMessage);
    observer.disconnect();
    agent.cancelAll();
    help?.stop();
    help = undefined;
  });

  // Nothing at load but what the side panel needs to name the page (and the agreement's badges,
  // when a run judged it), and that once idle.
  whenIdle(ctx, () => report(), 1000);
}
