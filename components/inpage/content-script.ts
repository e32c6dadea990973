import { browser } from 'wxt/browser';
import type { ContentScriptContext } from 'wxt/utils/content-script-context';
import { createContentAgent } from '../../core/app/content-agent';
import { createProtocolClient, isEventEnvelope } from '../../core/protocol/client';
import type { AdditionVerdict, App, DictionaryEntry, PageContext } from '../../core/protocol/messages';
import type { DictionaryEntry as CoreEntry } from '../../core/dictionary/types';
import { HOST_TAG, startInPageHelp, type InPageHelp } from './index';
import { recordIdOf, rowsByPosition } from './badges';
import { rowsToVerdicts } from '../../core/app/verdicts';

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

function toCoreEntry(e: DictionaryEntry): CoreEntry {
  return { id: e.id, kind: e.kind, platform: e.platform, connectwise: e.connectwise, explanation: e.explanation || '—', guideSection: e.section ?? '', origin: e.source };
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
    notify: (message) => void browser.runtime.sendMessage(message).catch(() => undefined),
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
  // Rows without a record id are told apart by their cells; reading the grid is a full pass, so
  // it is done only where a run judged this agreement, at idle time rather than inside the badge
  // layout (a scroll frame), and kept until the page or the verdicts change.
  let rowIds: Map<Element, number> | undefined;
  let rowIdsQueued = false;
  const readRowIds = () => {
    if (rowIdsQueued) return;
    rowIdsQueued = true;
    whenIdle(ctx, () => {
      rowIdsQueued = false;
      if (!verdicts?.length || !help || ctx.isInvalid) return;
      // Look-alike rows (a duplicate and its twin) that cells alone cannot tell apart go by position.
      rowIds = rowsByPosition(document, verdicts, rowsToVerdicts(document, verdicts, { url: location.href }), { url: location.href });
      help.setVerdicts(verdicts);
    }, 500);
  };
  const rowAdditionId = (row: Element): number | undefined => {
    const own = recordIdOf(row);
    if (own !== undefined || !verdicts?.length) return own;
    if (!rowIds) {
      readRowIds();
      return undefined;
    }
    return rowIds.get(row);
  };

  async function refreshVerdicts(): Promise<void> {
    if (!help || app !== 'connectwise') return;
    const id = context?.screen === 'connectwise.additions' ? context.agreement?.id : undefined;
    helpAgreement = id;
    if (id === undefined) {
      verdicts = null;
      rowIds = undefined;
      return help.setVerdicts(null);
    }
    const answer = await client.send('help.verdicts', { agreementId: id }).catch(() => null);
    if (helpAgreement !== id || ctx.isInvalid) return;
    verdicts = answer?.verdicts ?? null;
    rowIds = undefined;
    help.setVerdicts(verdicts);
  }

  async function startHelp(): Promise<void> {
    const [config, entries] = await Promise.all([client.send('help.config', { app }), client.send('dictionary.list', {})]);
    if (ctx.isInvalid) return;
    help?.stop();
    help = startInPageHelp({
      doc: document,
      site: app,
      entries: entries.map(toCoreEntry),
      enabled: config.tooltips,
      lookupEntity: async (kind, name) => {
        const found = await client.send('help.entities', { app, names: [name], kind }).catch(() => null);
        return found ? (found[0]?.mappedTo ?? []) : null;
      },
      onOpenFinding: (verdict: AdditionVerdict) => void client.send('help.open', { fingerprint: verdict.fingerprints[0], agreementId: helpAgreement }).catch(() => undefined),
      onMapRequest: () => void client.send('help.open', {}).catch(() => undefined),
      rowAdditionId,
    });
    await refreshVerdicts();
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
        if (event.stores.includes('settings') || event.stores.includes('dictionary')) void startHelp().catch(() => undefined);
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
    rowIds = undefined;
    scheduleReport();
  });
  observer.observe(document.body ?? document.documentElement, { childList: true, subtree: true });
  ctx.addEventListener(window, 'wxt:locationchange', () => scheduleReport());

  ctx.onInvalidated(() => {
    browser.runtime.onMessage.removeListener(onMessage);
    observer.disconnect();
    agent.cancelAll();
    help?.stop();
    help = undefined;
  });

  // Nothing at load but what the side panel needs to name the page, and that once idle.
  whenIdle(ctx, () => {
    report();
    void startHelp().catch(() => undefined);
  }, 1000);
}
