import { browser } from 'wxt/browser';
import { createProtocolClient, type ProtocolClient } from './client';
import type { MessageType, PayloadOf, ResponseOf, ProtocolEvent } from './messages';

/*
 * The one browser-bound file of core/protocol (the uBlock "vAPI" idea): extension pages and
 * content scripts import `sendMessage` / `onProtocolEvent` from here; everything else in this
 * folder is pure and tested with a fake Transport.
 */

let client: ProtocolClient | undefined;

function runtimeClient(): ProtocolClient {
  client ??= createProtocolClient({
    send: (message) => browser.runtime.sendMessage(message),
    listen(listener) {
      const wrapped = (message: unknown) => {
        listener(message);
        // Returning nothing tells the browser this listener sends no answer.
        return undefined;
      };
      browser.runtime.onMessage.addListener(wrapped);
      return () => browser.runtime.onMessage.removeListener(wrapped);
    },
  });
  return client;
}

/** Asks the background; resolves with the typed answer or rejects with a ProtocolError. */
export function sendMessage<T extends MessageType>(type: T, payload: PayloadOf<T>): Promise<ResponseOf<T>> {
  return runtimeClient().send(type, payload);
}

/** Listens to background broadcasts (progress, page changes, data changes). */
export function onProtocolEvent(handler: (event: ProtocolEvent) => void): () => void {
  return runtimeClient().onEvent(handler);
}
