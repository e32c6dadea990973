/** A counting semaphore: at most `max` holders; waiters are served first come, first served. */
export interface Limiter {
  acquire(): Promise<void>;
  release(): void;
  readonly active: number;
}

export function createLimiter(max: number): Limiter {
  if (!Number.isInteger(max) || max < 1) throw new Error(`concurrency must be a positive integer, got ${max}`);
  let active = 0;
  const waiting: (() => void)[] = [];
  return {
    get active() {
      return active;
    },
    acquire() {
      if (active < max) {
        active++;
        return Promise.resolve();
      }
      // The releasing holder hands its slot straight to the next waiter, so `active` stays put.
      return new Promise<void>((resolve) => waiting.push(resolve));
    },
    release() {
      const next = waiting.shift();
      if (next) next();
      else active--;
    },
  };
}
