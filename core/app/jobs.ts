import { ProtocolError, type JobKind, type JobProgress } from '../protocol/messages';

/**
 * Long jobs (capture, reconcile, API pull) run in the background with an AbortSignal, report
 * progress to every open page, and can be cancelled by id from any page. One registry holds the
 * running ones so a cancel from the panel reaches a capture the options page never saw.
 */
export interface JobRegistry {
  run<T>(
    kind: JobKind,
    jobId: string | undefined,
    work: (job: RunningJob) => Promise<T>,
  ): Promise<T>;
  cancel(jobId: string): boolean;
  isRunning(jobId: string): boolean;
}

export interface RunningJob {
  id: string;
  signal: AbortSignal;
  progress(phase: string, done: number, total?: number, message?: string): void;
  /** Throws a `cancelled` ProtocolError when the job was cancelled. */
  throwIfCancelled(): void;
}

export function createJobRegistry(deps: {
  newId: () => string;
  onProgress: (progress: JobProgress) => void;
}): JobRegistry {
  const running = new Map<string, AbortController>();
  return {
    async run(kind, requestedId, work) {
      const id = requestedId ?? deps.newId();
      if (running.has(id)) throw new ProtocolError('invalid', `job ${id} is already running`);
      const controller = new AbortController();
      running.set(id, controller);
      const job: RunningJob = {
        id,
        signal: controller.signal,
        progress(phase, done, total, message) {
          if (controller.signal.aborted) return;
          deps.onProgress({ jobId: id, job: kind, phase, done, total, message });
        },
        throwIfCancelled() {
          if (controller.signal.aborted) throw new ProtocolError('cancelled', `the ${kind} was cancelled`);
        },
      };
      try {
        return await work(job);
      } catch (error) {
        if (controller.signal.aborted && !(error instanceof ProtocolError && error.code !== 'cancelled')) {
          throw new ProtocolError('cancelled', `the ${kind} was cancelled`);
        }
        throw error;
      } finally {
        running.delete(id);
      }
    },
    cancel(jobId) {
      const controller = running.get(jobId);
      if (!controller) return false;
      controller.abort();
      return true;
    },
    isRunning: (jobId) => running.has(jobId),
  };
}
