import { EVENT_CHANNEL, ProtocolError, readResult } from './errors';
import type { EventEnvelope, MessageType, PayloadOf, ProtocolEvent, ResponseOf } from './messages';

/*
 * The caller's side of the protocol. It imports no schema library: pages and content scripts
 * trust what their own background answers (the background validates what it receives), and
 * keeping zod out of here keeps it out of the content-script bundle.
 */

/**
 * How a page reaches the background: `send` delivers one request and resolves with the raw
 * answer; `listen` subscribes to everything the background broadcasts and returns an unsubscribe.
 * `core/protocol/runtime.ts` binds this to `browser.runtime`; tests pass a fake.
 */
export interface Transport {
  send(message: unknown): Promise<unknown>;
  listen(listener: (message: unknown) => void): () => void;
}

export interface ProtocolClient {
  /** Sends a request and resolves with its typed answer; rejects with a ProtocolError. */
  send<T extends MessageType>(type: T, payload: PayloadOf<T>): Promise<ResponseOf<T>>;
  /** Calls `handler` for every event until the returned function is called. */
  onEvent(handler: (event: ProtocolEvent) => void): () => void;
}

export function createProtocolClient(transport: Transport): ProtocolClient {
  return {
    async send(type, payload) {
      let raw: unknown;
      try {
        raw = await transport.send({ ...payload, type });
      } catch (error) {
        // The background is restarting or the extension was reloaded under this page.
        throw new ProtocolError('unavailable', error instanceof Error ? error.message : String(error));
      }
      const result = readResult(raw);
      if (!result) throw new ProtocolError('failed', `no valid answer to ${type}`);
      if (!result.ok) throw new ProtocolError(result.error.code, result.error.message);
      return result.value as ResponseOf<typeof type>;
    },
    onEvent(handler) {
      return transport.listen((message) => {
        if (isEventEnvelope(message)) handler(message.payload);
      });
    },
  };
}

export function isEventEnvelope(message: unknown): message is EventEnvelope {
  if (typeof message !== 'object' || message === null) return false;
  const m = message as { channel?: unknown; payload?: { event?: unknown } };
  return m.channel === EVENT_CHANNEL && typeof m.payload === 'object' && m.payload !== null && typeof m.payload.event === 'string';
}

export function eventEnvelope(payload: ProtocolEvent): EventEnvelope {
  return { channel: EVENT_CHANNEL, payload };
}
