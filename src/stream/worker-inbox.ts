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

  private readonly onMessage = (m: M): void => {
    this.queue.push(m);
    this.wake?.();
  };

  private readonly onError = (err: Error): void => {
    this.failure = err;
    this.wake?.();
  };

  private readonly onExit = (): void => {
    this.exited = true;
    this.wake?.();
  };

  /** `stopped`: the error message for a worker that exited while a message was still awaited. */
  constructor(private readonly worker: Worker, private readonly stopped: string) {
    worker.on('message', this.onMessage);
    worker.on('error', this.onError);
    worker.on('exit', this.onExit);
  }

  /** Stops listening to the worker (so it can serve someone else). */
  detach(): void {
    this.worker.off('message', this.onMessage);
    this.worker.off('error', this.onError);
    this.worker.off('exit', this.onExit);
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
