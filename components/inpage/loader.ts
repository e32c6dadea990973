import { browser } from 'wxt/browser';
import type { ContentScriptContext } from 'wxt/utils/content-script-context';
import { detectPage, type Reported } from '../../core/app/page-outline';
import { createProtocolClient, isEventEnvelope } from '../../core/protocol/client';
import { errorResult, ProtocolError, type Result } from '../../core/protocol/errors';
import type { ContentMessageType } from '../../core/protocol/messages';
import type { App } from '../../core/model';
import { awaitPageCode, HOST_TAG, whenIdle, type LoaderHandoff, type PageCode, type StartPageCode } from './handoff';

/*
 * What every Platform and ConnectWise page runs at load: small on purpose, since the page pays
 * for compiling and running it whether or not the user ever asks us for anything. At load it
 * only listens: for the user's first pointer, key, touch or wheel event, and for the background.
 * Nothing reads the page until one of them asks:
 * - the background asks what the page shows (`content.context`) when the side panel wants to
 *   know; from then on the loader watches the page and reports each new screen or agreement
 *   (`page.report`), once the page is idle;
 * - the first input, a capture, or a run's verdicts for the agreement shown bring in the in-page
 *   code (help, badges, capture; components/inpage/content-script.ts), which needs the same
 *   watching to keep its badges on the agreement shown;
 * - a page the outline cannot place is left to the in-page code's readers.
 * Every listener, observer and timer hangs off WXT's context, so an extension reload or update
 * (which invalidates it) leaves nothing behind.
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
    }).then(
      (c) => {
        // Badges follow the agreement shown: on ConnectWise the page is watched from here on, and
        // named once it is idle (the code came in on an input event, which must not wait for it).
        // The Platform's help needs neither; only an open panel has its pages watched.
        if (app === 'connectwise') {
          watch();
          if (!context) scheduleReport();
        }
        return c;
      },
      (error: unknown) => {
        loading = undefined;
        throw error;
      },
    );
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

  /**
   * Takes `next` as what the page shows. `send` is false when the background asked, and so
   * already has it. A new screen or agreement tells the in-page code, or brings it in when a run
   * judged that agreement.
   */
  function accept(next: Reported, send: boolean): void {
    const key = JSON.stringify(next);
    if (key === lastReported || ctx.isInvalid) return;
    const changed = next.agreement?.id !== context?.agreement?.id || next.screen !== context?.screen;
    lastReported = key;
    context = next;
    if (send) void client.send('page.report', { context: next }).catch(() => undefined);
    if (!changed) return;
    if (code) code.contextChanged();
    else void loadIfBadgesDue(next).catch(() => undefined);
  }

  /** What the page shows now, from its outline; null when only the grid readers can tell. */
  function detect(): Reported | null {
    return code ? code.detect() : detectPage(app, document, location.href, false);
  }

  function report(): void {
    if (ctx.isInvalid) return;
    let next: Reported | null;
    try {
      next = detect();
    } catch {
      return;
    }
    if (next) accept(next, true);
    // A grid the outline cannot place: the readers decide.
    else void load().then((c) => accept(c.detect(), true)).catch(() => undefined);
  }

  /** The background asked what the page shows (the side panel wants it): answered, then watched. */
  async function answerContext(message: unknown): Promise<Result<unknown>> {
    watch();
    if (!code) {
      const next = detect();
      if (next) {
        accept(next, false);
        return { ok: true, value: next };
      }
    }
    const answer = await inPage(message, 'content.context');
    if (answer.ok) accept(answer.value as Reported, false);
    return answer;
  }

  /** A background request the in-page code answers, brought in first when it is not yet. */
  function inPage(message: unknown, type: string): Promise<Result<unknown>> {
    return load().then((c) => c.handle(message) ?? errorResult(new ProtocolError('invalid', `${type} was not understood`)), errorResult);
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
  let watching = false;
  /** From here on, every new screen or agreement is reported once the page settles. */
  function watch(): void {
    if (watching || ctx.isInvalid) return;
    watching = true;
    observer.observe(document.body ?? document.documentElement, { childList: true, subtree: true });
    ctx.addEventListener(window, 'wxt:locationchange', () => scheduleReport());
  }

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
      else if (app === 'connectwise' && event.event === 'data.changed' && event.stores.includes('runs')) {
        // A run finished: its badges may now be due on the agreement shown. A page nobody
        // watched is read now, once.
        let shown: Reported | null | undefined = watching ? context : undefined;
        try {
          shown ??= detect();
        } catch {
          shown = null;
        }
        if (shown) void loadIfBadgesDue(shown).catch(() => undefined);
      }
      return undefined;
    }
    const type = typeof message === 'object' && message !== null ? (message as { type?: unknown }).type : undefined;
    if (typeof type !== 'string' || !Object.hasOwn(CONTENT_REQUESTS, type)) return undefined;
    if (type === 'content.context') return answerContext(message).catch(errorResult);
    // Nothing runs before the in-page code does, so there is nothing to cancel.
    if (type === 'content.cancel' && !code) return Promise.resolve({ ok: true, value: { cancelled: false } });
    return inPage(message, type);
  };
  browser.runtime.onMessage.addListener(onMessage);

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
}
