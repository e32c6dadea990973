import { z } from 'zod';
import {
  MESSAGES,
  ProtocolError,
  isMessageType,
  type ErrorCode,
  type MessageType,
  type RequestOf,
  type ResponseOf,
  type Result,
  type SenderRole,
} from './messages';

/** The fields the browser itself fills in on a runtime message (never trusted from the payload). */
export interface SenderInfo {
  /** Present when the message came from a tab (a content script). */
  tab?: { id?: number; url?: string };
  frameId?: number;
  url?: string;
  /** Chrome sets `origin`; Firefox does not, so `url` is checked too. */
  origin?: string;
  /** The sending extension; a message from another extension is refused. */
  id?: string;
}

export interface HandlerContext {
  role: SenderRole;
  /** The sending tab, for content scripts. */
  tabId?: number;
  frameId?: number;
  url?: string;
}

export type Handler<T extends MessageType> = (
  request: RequestOf<T>,
  context: HandlerContext,
) => Promise<ResponseOf<T>> | ResponseOf<T>;
export type Handlers = { [T in MessageType]?: Handler<T> };

export interface RoleRules {
  extensionId: string;
  /** `chrome-extension://<id>` or `moz-extension://<uuid>`, without a trailing slash. */
  extensionOrigin: string;
  /** Path names (`/sidepanel.html`) of each extension page allowed to ask. */
  pages: { panel: readonly string[]; options: readonly string[] };
}

/**
 * Who sent a message, from what the browser reports: our own pages by their path, content
 * scripts by their tab. Anything else (another extension, an unknown page of ours, a frame
 * without a tab) has no role and is refused; there is no default.
 */
export function senderRole(sender: SenderInfo, rules: RoleRules): SenderRole | null {
  if (sender.id !== undefined && sender.id !== rules.extensionId) return null;
  const url = sender.url ?? '';
  const fromExtension = url.startsWith(`${rules.extensionOrigin}/`) && (sender.origin === undefined || sender.origin === rules.extensionOrigin);
  if (fromExtension && !sender.tab?.url?.startsWith('http')) {
    const path = new URL(url).pathname;
    if (rules.pages.panel.includes(path)) return 'panel';
    if (rules.pages.options.includes(path)) return 'options';
    return null;
  }
  if (sender.tab?.id !== undefined && /^https?:/.test(url)) return 'content';
  return null;
}

function fail(code: ErrorCode, message: string): Result<never> {
  return { ok: false, error: { code, message } };
}

/**
 * Builds the background's single entry point: validate the request against its schema, check
 * the sender's role against the message's allow-list, run the handler, and pass the answer
 * through its schema too, which strips any field the contract does not name (a stored secret
 * cannot ride along on a settings object by accident).
 */
export function createRouter(handlers: Handlers, rules: RoleRules, log: (message: string) => void = () => {}) {
  return async function route(raw: unknown, sender: SenderInfo): Promise<Result<unknown>> {
    const type = typeof raw === 'object' && raw !== null ? (raw as { type?: unknown }).type : undefined;
    if (!isMessageType(type)) return fail('invalid', `unknown message type ${JSON.stringify(type)}`);
    const definition = MESSAGES[type];
    const role = senderRole(sender, rules);
    if (role === null || !(definition.roles as readonly SenderRole[]).includes(role)) {
      log(`refused ${type} from ${role ?? 'an unknown sender'}`);
      return fail('forbidden', `${type} is not available to ${role ?? 'this sender'}`);
    }
    const parsed = definition.request.safeParse(raw);
    if (!parsed.success) return fail('invalid', `${type}: ${z.prettifyError(parsed.error)}`);
    const handler = handlers[type] as Handler<typeof type> | undefined;
    if (!handler) return fail('unavailable', `${type} is not handled yet`);
    const context: HandlerContext = { role, tabId: sender.tab?.id, frameId: sender.frameId, url: sender.url };
    try {
      const value = await (handler as (r: unknown, c: HandlerContext) => unknown)(parsed.data, context);
      const checked = definition.response.safeParse(value);
      if (!checked.success) {
        log(`${type} produced an answer outside its schema: ${z.prettifyError(checked.error)}`);
        return fail('failed', `${type} produced an invalid answer`);
      }
      return { ok: true, value: checked.data };
    } catch (error) {
      if (error instanceof ProtocolError) return fail(error.code, error.message);
      const message = error instanceof Error ? error.message : String(error);
      log(`${type} failed: ${message}`);
      return fail('failed', message);
    }
  };
}
