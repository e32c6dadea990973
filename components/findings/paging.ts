import type { MoneyView } from '../../core/model';
import type { RunPages } from '../api';

/*
 * What a run read back in pages can do beyond reading its pages in order, where the adapter
 * offers it (the background does; a run handed over whole needs none of it): read the page that
 * holds one finding before those ahead of it, read the money view only when it is opened, and
 * export what the filters show with the matches behind it.
 */

export type RunPage = Awaited<ReturnType<RunPages['load']>>;

export interface PagesBeyondOrder {
  /** The page holding the finding with row key `key`, on the grid `offset + n·limit`; null when the run has no such finding. */
  pageOf?(key: string, offset: number, limit: number): Promise<(RunPage & { offset: number }) | null>;
  /** Whether the run has a money view (it is not read with the run). */
  hasMoney?: boolean;
  /** The run's money view, read when it is asked for. */
  money?(): Promise<MoneyView | undefined>;
  /** The findings with these row keys, with their verdicts and the matches behind them, as the background writes them. */
  exportKeys?(format: 'csv' | 'json', keys: string[]): Promise<{ filename: string; mime: string; text: string }>;
}

export type ProtocolRunPages = RunPages & PagesBeyondOrder;

export function beyondOrder(pages: RunPages | undefined): PagesBeyondOrder {
  return (pages ?? {}) as PagesBeyondOrder;
}

/** Hands the thread back between pages: to idle time where the browser has it, else the next task. */
export function nextSlice(): Promise<void> {
  const g = globalThis as { requestIdleCallback?: (cb: () => void, opts?: { timeout: number }) => number };
  return new Promise((resolve) => (g.requestIdleCallback ? g.requestIdleCallback(() => resolve(), { timeout: 200 }) : setTimeout(resolve, 0)));
}
