/**
 * Runs async tasks one after another, in the order they were queued. A failed task fails only
 * its own caller; the tasks after it still run. Used wherever writes to one file (or reads that
 * must see earlier writes) may be started concurrently.
 */
export class SerialQueue {
  private tail: Promise<unknown> = Promise.resolve();

  run<T>(task: () => Promise<T>): Promise<T> {
    const result = this.tail.then(task);
    this.tail = result.catch(() => undefined);
    return result;
  }

  /** Resolves once every task queued so far has finished (failed or not). */
  async idle(): Promise<void> {
    await this.tail;
  }
}
