/**
 * Every failure the ConnectWise client raises. `userMessage` is written for a billing admin (what
 * went wrong, what to change, where); it never carries credentials, headers or response bodies
 * beyond ConnectWise's own one-line message.
 */
export type CwErrorCode =
  | 'Unauthorized'
  | 'Forbidden'
  | 'NotFound'
  | 'BadRequest'
  | 'RateLimited'
  | 'ServerError'
  | 'Network'
  | 'Timeout'
  | 'Aborted'
  | 'Malformed'
  | 'Invalid'
  | 'InvalidSite'
  /** A 3xx answer: never followed, so data from elsewhere is never taken for ConnectWise's. */
  | 'Redirect'
  /** An answer larger than the client reads. */
  | 'Oversize'
  /** A list that could be read only in part (paging the client does not trust). */
  | 'Incomplete'
  /** A request to a host other than the one the private key was entered for: never sent. */
  | 'KeyNotForSite'
  | 'HttpError';

export class CwApiError extends Error {
  override name = 'CwApiError';
  /** HTTP status; 0 when no response arrived (network, timeout, abort, bad site). */
  readonly status: number;
  readonly code: CwErrorCode;
  readonly userMessage: string;
  /** API path (no host, no query) the failure came from, when there was one. */
  readonly path?: string;
  /** ConnectWise's own error code from the body (`{code, message}`), when it sent one. */
  readonly cwCode?: string;

  constructor(init: { status: number; code: CwErrorCode; userMessage: string; path?: string; cwCode?: string }) {
    super(init.userMessage);
    this.status = init.status;
    this.code = init.code;
    this.userMessage = init.userMessage;
    this.path = init.path;
    this.cwCode = init.cwCode;
  }

  /** Worth another attempt: the server or the network may do better a moment later. */
  get retryable(): boolean {
    return ['RateLimited', 'ServerError', 'Network', 'Timeout', 'Malformed'].includes(this.code);
  }
}

export function isAbortError(err: unknown): boolean {
  return err instanceof CwApiError ? err.code === 'Aborted' : err instanceof Error && err.name === 'AbortError';
}
