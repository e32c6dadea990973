import {
  EVENT_CHANNEL,
  ProtocolError,
  ProtocolEvent,
  ResultEnvelope,
  type EventEnvelope,
  type MessageType,
  type PayloadOf,
  type ResponseOf,
} from './messages';

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
  /** Calls `handler` for every valid event until the returned function is called. */
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
      const envelope = ResultEnvelope.safeParse(raw);
      if (!envelope.success) throw new ProtocolError('failed', `no valid answer to ${type}`);
      if (!envelope.data.ok) throw new ProtocolError(envelope.data.error.code, envelope.data.error.message);
      return envelope.data.value as ResponseOf<typeof type>;
    },
    onEvent(handler) {
      return transport.listen((message) => {
        if (!isEventEnvelope(message)) return;
        const event = ProtocolEvent.safeParse(message.payload);
        if (event.success) handler(event.data);
      });
    },
  };
}

export function isEventEnvelope(message: unknown): message is EventEnvelope {
  return typeof message === 'object' && message !== null && (message as { channel?: unknown }).channel === EVENT_CHANNEL;
}

export function eventEnvelope(payload: ProtocolEvent): EventEnvelope {
  return { channel: EVENT_CHANNEL, payload };
}
