import { browser } from 'wxt/browser';
import type { ContentScriptContext } from 'wxt/utils/content-script-context';
import { detectPage, type Reported } from '../../core/app/page-outline';
import { createProtocolClient, isEventEnvelope } from '../../core/protocol/client';
import { errorResult, ProtocolError } from '../../core/protocol/errors';
import type { ContentMessageType } from '../../core/protocol/messages';
import type { App } from '../../core/model';
import { awaitPageCode, HOST_TAG, whenIdle, type LoaderHandoff, type PageCode, type StartPageCode } from './handoff';

/*
 * What every Platform and ConnectWise page runs at load: small on purpose, since the page pays
 * for compiling and running it whether or not the user ever asks us for anything. It tells the
 * background which screen the page shows (once idle, from the page's outline), and arms the
 * triggers that bring in the in-page code (help, badges, capture; components/inpage/content-
 * script.ts): the user's first pointer, key, touch or wheel event, a run's verdicts for the
 * agreement shown, a background request, or a page the outline cannot place. Every listener,
 * observer and timer hangs off WXT's context, so an extension reload or update (which
 * invalidates it) leaves nothing behind.
 */


/** The requests the background sends content scripts; the in-page code answers them. */
const CONTENT_REQUESTS: Record<ContentMessageType, true> = { 'content.context': true, 'content.capture': true, 'content.cancel': true };

export function runLoader(ctx: ContentScriptContext, app: App): void {
  const client = createProtocolClient({
    send: (message) => browser.runtime.sendMessage(message),
    listen: () => () => undefined,
  });

  let context: Reported | undefined;
  let lastReported = '';
  let code: PageCode | undefined;
  let loading: Promise<PageCode> | undefined;
  const handoff: LoaderHandoff = { app, ctx, client, context: () => context };

  /** The in-page code, run by the background in this frame on the first call. */
  function load(): Promise<PageCode> {
    loading ??= new Promise<PageCode>((resolve, reject) => {
      awaitPageCode((start: StartPageCode) => {
        if (!code && !ctx.isInvalid) code = start(handoff);
        if (code) resolve(code);
      });
      // The background answers once the script has run, which announced itself synchronously.
      client.send('help.load', {}).then(
        () => (code ? resolve(code) : reject(new ProtocolError('unavailable', 'the in-page code did not start'))),
        reject,
      );
    }).catch((error: unknown) => {
      loading = undefined;
      throw error;
    });
    return loading;
  }

  /**
   * Brings in the in-page code when a finished run judged the agreement shown: its badges are
   * due without being asked. Otherwise nothing is loaded.
   */
  async function loadIfBadgesDue(shown: Reported): Promise<void> {
    const id = app === 'connectwise' && shown.screen === 'connectwise.additions' ? shown.agreement?.id : undefined;
    if (id === undefined) return;
    const answer = await client.send('help.verdicts', { agreementId: id }).catch(() => null);
    if (answer?.verdicts.length) (await load()).contextChanged();
  }

  function publish(next: Reported): void {
    const key = JSON.stringify(next);
    if (key === lastReported || ctx.isInvalid) return;
    const changed = next.agreement?.id !== context?.agreement?.id || next.screen !== context?.screen;
    lastReported = key;
    context = next;
    void client.send('page.report', { context: next }).catch(() => undefined);
    if (!changed) return;
    if (code) code.contextChanged();
    else void loadIfBadgesDue(next).catch(() => undefined);
  }

  function report(): void {
    if (ctx.isInvalid) return;
    let next: Reported | null;
    try {
      next = code ? code.detect() : detectPage(app, document, location.href, false);
    } catch {
      return;
    }
    if (next) publish(next);
    // A grid the outline cannot place: the readers decide.
    else void load().then((c) => publish(c.detect())).catch(() => undefined);
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

  // Answered through `sendResponse`: the loader has no polyfill (wxt.config.ts), and Chromium's
  // own onMessage ignores a returned promise.
  const onMessage = (message: unknown, sender: { id?: string }, sendResponse: (answer: unknown) => void): true | undefined => {
    const answer = respond(message, sender);
    if (!answer) return undefined;
    void answer.then(sendResponse);
    return true;
  };
  const respond = (message: unknown, sender: { id?: string }): Promise<unknown> | undefined => {
    if (sender.id !== browser.runtime.id) return undefined;
    if (isEventEnvelope(message)) {
      const event = message.payload;
      if (code) code.event(event);
      else if (event.event === 'data.changed' && event.stores.includes('runs') && context) {
        // A run finished: its badges may now be due on the agreement shown.
        const shown = context;
        void loadIfBadgesDue(shown).catch(() => undefined);
      }
      return undefined;
    }
    const type = typeof message === 'object' && message !== null ? (message as { type?: unknown }).type : undefined;
    if (typeof type !== 'string' || !Object.hasOwn(CONTENT_REQUESTS, type)) return undefined;
    // Nothing runs before the in-page code does, so there is nothing to cancel.
    if (type === 'content.cancel' && !code) return Promise.resolve({ ok: true, value: { cancelled: false } });
    return load().then((c) => c.handle(message) ?? errorResult(new ProtocolError('invalid', `${type} was not understood`)), errorResult);
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
  // key or touch brings in the in-page code and starts the help.
  const input = new AbortController();
  const interacted = () => {
    input.abort();
    void load().then((c) => c.interacted()).catch(() => undefined);
  };
  for (const type of ['pointermove', 'pointerdown', 'keydown', 'touchstart', 'wheel']) {
    window.addEventListener(type, interacted, { capture: true, passive: true, signal: input.signal });
  }

  ctx.onInvalidated(() => {
    input.abort();
    browser.runtime.onMessage.removeListener(onMessage);
    observer.disconnect();
  });

  // Nothing at load but what the side panel needs to name the page, and that once idle.
  whenIdle(ctx, () => report(), 1000);
}
