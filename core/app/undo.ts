import type { Finding, ResolutionStatus } from '../model';

/**
 * The one undo log of resolutions: every verdict or note change the user makes (one finding or a
 * bulk action over thousands) is one step holding the states it replaced. The log is kept through
 * a small store port, so an undo still works after the service worker or the browser restarted.
 */

export interface UndoState {
  status: ResolutionStatus;
  note?: string;
}

export interface UndoChange {
  fingerprint: string;
  finding: Finding;
  /** The state before the step; null when the finding had none stored. */
  before: UndoState | null;
}

export interface UndoStep {
  label: string;
  at: string;
  changes: UndoChange[];
  /** The run the step was made in: once that run is signed off, the step can no longer be undone. */
  runId?: string;
}

/** Throws (leaving the step stored) when the step may not be undone, e.g. its run was signed off. */
export type UndoGuard = (step: UndoStep) => void | Promise<void>;

export interface UndoStore {
  load(): Promise<UndoStep[]>;
  save(steps: UndoStep[]): Promise<void>;
}

/** Steps kept; older ones fall off (a month-end review needs the last few, not a history). */
export const UNDO_LIMIT = 20;

function memoryStore(): UndoStore {
  let steps: UndoStep[] = [];
  return {
    load: () => Promise.resolve(steps),
    save(next) {
      steps = next;
      return Promise.resolve();
    },
  };
}

export function createUndoLog(store: UndoStore = memoryStore(), limit = UNDO_LIMIT) {
  // Steps are read and written one after another, so two quick clicks never lose a step.
  let tail: Promise<unknown> = Promise.resolve();
  const serial = <T>(task: () => Promise<T>): Promise<T> => {
    const result = tail.then(task, task);
    tail = result.catch(() => undefined);
    return result;
  };
  const load = async () => {
    const steps = await store.load();
    return Array.isArray(steps) ? steps : [];
  };

  return {
    push(step: UndoStep): Promise<void> {
      if (step.changes.length === 0) return Promise.resolve();
      return serial(async () => store.save([...(await load()), step].slice(-limit)));
    },
    /** Removes and answers the newest step; `guard` may refuse it, and the step then stays. */
    pop(guard?: UndoGuard): Promise<UndoStep | undefined> {
      return serial(async () => {
        const steps = await load();
        const last = steps.at(-1);
        if (!last) return undefined;
        await guard?.(last);
        steps.pop();
        await store.save(steps);
        return last;
      });
    },
    /**
     * Removes and answers this finding's change from the newest step that holds it (undo of one
     * finding from its own detail); the step keeps its other changes.
     */
    popFinding(fingerprint: string, guard?: UndoGuard): Promise<UndoChange | undefined> {
      return serial(async () => {
        const steps = await load();
        for (let i = steps.length - 1; i >= 0; i--) {
          const step = steps[i]!;
          const at = step.changes.findIndex((c) => c.fingerprint === fingerprint);
          if (at < 0) continue;
          await guard?.(step);
          const [change] = step.changes.splice(at, 1);
          if (step.changes.length === 0) steps.splice(i, 1);
          await store.save(steps);
          return change;
        }
        return undefined;
      });
    },
    /** Forgets every step (all data was cleared: there is nothing left to put back). */
    clear(): Promise<void> {
      return serial(() => store.save([]));
    },
    async peek(): Promise<UndoStep | undefined> {
      return serial(async () => (await load()).at(-1));
    },
  };
}

export type UndoLog = ReturnType<typeof createUndoLog>;
