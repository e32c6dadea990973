/*
 * The zod-free part of the protocol: content scripts import only this (and types), which keeps
 * the schema library out of their bundle (DESIGN §8: ≤ 50 kB gzipped).
 */

export type ErrorCode = 'invalid' | 'forbidden' | 'not_found' | 'cancelled' | 'unavailable' | 'failed';
export const ERROR_CODES: readonly ErrorCode[] = ['invalid', 'forbidden', 'not_found', 'cancelled', 'unavailable', 'failed'];

export type Result<T> = { ok: true; value: T } | { ok: false; error: { code: ErrorCode; message: string } };

/** Thrown on the caller's side when the other context answered with an error. */
export class ProtocolError extends Error {
  constructor(
    readonly code: ErrorCode,
    message: string,
  ) {
    super(message);
    this.name = 'ProtocolError';
  }
}

/** Events carry this marker so a listener can tell them from requests in the same channel. */
export const EVENT_CHANNEL = 'cw-reconciler/event' as const;

/** Reads a Result envelope without a schema library; null when it is not one. */
export function readResult(raw: unknown): Result<unknown> | null {
  if (typeof raw !== 'object' || raw === null) return null;
  const r = raw as { ok?: unknown; value?: unknown; error?: { code?: unknown; message?: unknown } };
  if (r.ok === true) return { ok: true, value: r.value };
  if (r.ok === false && r.error && typeof r.error.message === 'string' && ERROR_CODES.includes(r.error.code as ErrorCode)) {
    return { ok: false, error: { code: r.error.code as ErrorCode, message: r.error.message } };
  }
  return null;
}

export function errorResult(error: unknown): Result<never> {
  if (error instanceof ProtocolError) return { ok: false, error: { code: error.code, message: error.message } };
  return { ok: false, error: { code: 'failed', message: error instanceof Error ? error.message : String(error) } };
}
