import type { z } from 'zod';
import { readResult } from './errors';
import { CONTENT_MESSAGES, ProtocolError, type ContentMessages, type ContentMessageType, type ContentRequestOf, type ContentResponseOf } from './messages';

/*
 * The background's side of its requests to content scripts (`tabs.sendMessage`), declared in
 * CONTENT_MESSAGES: a request is built and checked against its schema before it leaves, and the
 * page's answer is checked against the response schema when it comes back. The content scripts
 * answer through a handler table typed by the same declaration (`core/app/content-agent.ts`),
 * without carrying the schema library into every page.
 */

/** What a sender passes: the request without its `type`. */
export type ContentPayloadOf<T extends ContentMessageType> = Omit<z.input<ContentMessages[T]['request']>, 'type'>;

/** One handler per content-script request, each typed by the protocol; a missing one is a type error. */
export type ContentHandlers = { [T in ContentMessageType]: (request: ContentRequestOf<T>) => Promise<ContentResponseOf<T>> };

/** The request for `type`, checked against its schema. */
export function contentRequest<T extends ContentMessageType>(type: T, payload: ContentPayloadOf<T>): ContentRequestOf<T> {
  const parsed = CONTENT_MESSAGES[type].request.safeParse({ ...payload, type });
  if (!parsed.success) throw new ProtocolError('invalid', `${type}: ${parsed.error.issues.map((i) => `${i.path.join('.') || 'request'} ${i.message}`).join('; ')}`);
  return parsed.data as ContentRequestOf<T>;
}

/** A content script's answer to `type`: its value checked against the response schema, or its error thrown. */
export function contentAnswer<T extends ContentMessageType>(type: T, raw: unknown): ContentResponseOf<T> {
  const result = readResult(raw);
  if (!result) throw new ProtocolError('failed', `the page gave no valid answer to ${type}`);
  if (!result.ok) throw new ProtocolError(result.error.code, result.error.message);
  const parsed = CONTENT_MESSAGES[type].response.safeParse(result.value);
  if (!parsed.success) {
    throw new ProtocolError('failed', `the page's answer to ${type} does not fit the protocol: ${parsed.error.issues.map((i) => `${i.path.join('.') || 'value'} ${i.message}`).join('; ')}`);
  }
  return parsed.data as ContentResponseOf<T>;
}
