import type { ContentScriptContext } from 'wxt/utils/content-script-context';
import type { Reported } from '../../core/app/page-outline';
import type { Result } from '../../core/protocol/errors';
import type { ProtocolClient } from '../../core/protocol/client';
import type { ProtocolEvent } from '../../core/protocol/messages';
import type { App } from '../../core/model';

/*
 * How the two halves of the content script meet. The loader (components/inpage/loader.ts) runs
 * on every page; the in-page code (components/inpage/content-script.ts, built as
 * entrypoints/inpage.ts) is run by the background in the same frame and isolated world when the
 * loader asks for it, and finds the loader through a slot on the isolated world's global object,
 * which the page's own scripts cannot see.
 */

/** What the loader hands the in-page code: its context, messaging and page reports. */
export interface LoaderHandoff {
  app: App;
  ctx: ContentScriptContext;
  client: ProtocolClient;
  /** What the page was last reported as; undefined before the first report. */
  context(): Reported | undefined;
}

/** What the in-page code answers the loader with. */
export interface PageCode {
  /** A background request (`content.*`); undefined when it is not one. */
  handle(message: unknown): Promise<Result<unknown>> | undefined;
  /** A background broadcast (data changed). */
  event(event: ProtocolEvent): void;
  /** The page now shows another screen or agreement. */
  contextChanged(): void;
  /** The user reached the page (pointer, key, touch, wheel): start the dictionary's help. */
  interacted(): void;
  /** The screen, read by the grid readers, for a page the outline leaves undecided. */
  detect(): Reported;
}

export type StartPageCode = (handoff: LoaderHandoff) => PageCode;

/**
 * Tag name of our own host elements (the in-page help's tooltip host): the help never scans inside
 * them, and the loader ignores the mutations they make. Here, in the light half both import.
 */
export const HOST_TAG = 'cwr-inpage-help';

const SLOT = Symbol.for('cw-reconciler.page-code');

interface Slot {
  arrive(start: StartPageCode): void;
}

/** The loader waits here for the in-page code. */
export function awaitPageCode(onArrive: (start: StartPageCode) => void): void {
  (globalThis as { [SLOT]?: Slot })[SLOT] = { arrive: onArrive };
}

/** The in-page code announcing itself; false when no loader is waiting (it then stays idle). */
export function announcePageCode(start: StartPageCode): boolean {
  const slot = (globalThis as { [SLOT]?: Slot })[SLOT];
  if (!slot) return false;
  slot.arrive(start);
  return true;
}

/**
 * Runs `fn` when the page's main thread is idle (at the latest after `timeout` ms), so our work
 * never competes with the page's own loading or input handling.
 */
export function whenIdle(ctx: ContentScriptContext, fn: () => void, timeout: number): void {
  if (typeof window.requestIdleCallback === 'function') ctx.requestIdleCallback(() => fn(), { timeout });
  else ctx.setTimeout(fn, 0);
}
