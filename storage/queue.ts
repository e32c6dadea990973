/**
 * Runs writes one after another. IndexedDB already isolates transactions, but a repository write
 * may need several (read the current state, then write), and the panel and background of one
 * extension page share a connection: queueing keeps their writes in the order they were asked
 * for and makes "last write wins" mean the last one requested.
 */
export class WriteQueue {
  private tail: Promise<unknown> = Promise.resolve();

  run<T>(task: () => Promise<T>): Promise<T> {
    const result = this.tail.then(task, task);
    // A failed task must not stall the ones queued behind it.
    this.tail = result.catch(() => undefined);
    return result;
  }

  /** Resolves once every write queued so far has settled. */
  idle(): Promise<void> {
    return this.tail.then(() => undefined);
  }
}
