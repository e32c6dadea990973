/**
 * Fault injection for the local ConnectWise API. Rules are checked in order against the API path
 * with its query (e.g. `/finance/agreements/3001/additions?pageSize=1000&page=1`); the first that
 * matches and still has firings left decides the answer.
 */
export type FaultKind =
  /** 429 with `Retry-After: retryAfter` seconds (default 1) and ConnectWise's own body. */
  | 'rate-limit'
  /** 500 (or `status`) with a ConnectWise error body. */
  | 'server-error'
  /** Headers and half the body, then the socket is destroyed. */
  | 'drop'
  /** 200 with a body that is not JSON. */
  | 'malformed'
  /** Never answers (the client's timeout must fire). */
  | 'hang'
  /** Any status with a `{code, message}` body. */
  | 'status';

export interface FaultRule {
  kind: FaultKind;
  /** Substring of, or pattern over, the path with query; every request when absent. */
  match?: string | RegExp;
  /** Let this many matching requests through first. */
  skip?: number;
  /** Fire this many times, then let requests through (default: always). */
  count?: number;
  retryAfter?: number;
  /** How a `rate-limit` states its wait: seconds (default), an HTTP date, or not at all. */
  retryAfterForm?: 'seconds' | 'date' | 'none';
  status?: number;
  code?: string;
  message?: string;
}

export interface FaultConfig {
  /** Added before every API answer, to model a real network. */
  latencyMs?: number;
  rules?: FaultRule[];
}

interface RuleState {
  rule: FaultRule;
  seen: number;
  fired: number;
}

export function createFaults(initial: FaultConfig = {}) {
  let config = initial;
  let states: RuleState[] = [];
  const reset = (next: FaultConfig) => {
    config = next;
    states = (next.rules ?? []).map((rule) => ({ rule, seen: 0, fired: 0 }));
  };
  reset(initial);
  return {
    get latencyMs() {
      return config.latencyMs ?? 0;
    },
    set(next: FaultConfig) {
      reset(next);
    },
    /** The rule to apply to this request, counting it as fired. */
    pick(pathWithQuery: string): FaultRule | undefined {
      for (const state of states) {
        const { match } = state.rule;
        const hit = match === undefined || (typeof match === 'string' ? pathWithQuery.includes(match) : match.test(pathWithQuery));
        if (!hit) continue;
        state.seen++;
        if (state.seen <= (state.rule.skip ?? 0)) continue;
        if (state.fired >= (state.rule.count ?? Infinity)) continue;
        state.fired++;
        return state.rule;
      }
      return undefined;
    },
  };
}
