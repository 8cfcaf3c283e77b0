import type { Worker } from 'node:worker_threads';

/**
 * A worker's messages in arrival order, taken one at a time: next() resolves with the next message,
 * and rejects when the worker failed, or exited before sending one more.
 */
export class WorkerInbox<M> {
  private readonly queue: M[] = [];
  private failure: Error | null = null;
  private exited = false;
  private wake: (() => void) | null = null;

  /** `stopped`: the error message for a worker that exited while a message was still awaited. */
  constructor(worker: Worker, private readonly stopped: string) {
    worker.on('message', (m: M) => {
      this.queue.push(m);
      this.wake?.();
    });
    worker.on('error', (err) => {
      this.failure = err;
      this.wake?.();
    });
    worker.on('exit', () => {
      this.exited = true;
      this.wake?.();
    });
  }

  async next(): Promise<M> {
    while (this.queue.length === 0) {
      if (this.failure) throw this.failure;
      if (this.exited) throw new Error(this.stopped);
      await new Promise<void>((resolve) => { this.wake = resolve; });
      this.wake = null;
    }
    return this.queue.shift()!;
  }
}
