import { join } from 'node:path';
import { Worker } from 'node:worker_threads';
import type { ExperimentConfig } from './experiment-config';
import type { PackedStream } from './packed-stream';
import type { RunResult } from './run-result';
import type { FromWorker, ToWorker } from './sweep-worker';

/** One experiment for the pool: its configuration and, optionally, the packed stream it replays (by key). */
export interface PoolTask {
  config: ExperimentConfig;
  /**
   * Key of a stream in the `streams` map given with the task; null: the run reads its own source.
   * Equal keys must name identical streams (a thread keeps the last stream it was sent, by key).
   */
  stream: string | null;
}

/** Options for {@link runOnPool}. */
export interface PoolOptions {
  /** Worker threads (≥ 1). Required unless `pool` is given. */
  workers?: number;
  /** Run on this pool (its threads, shared with other callers) instead of starting threads for this call. Default: none. */
  pool?: SweepPool;
  /** Called when a task finishes (in completion order). */
  onDone?: (index: number, finished: number) => void;
}

/** Options for {@link SweepPool}. */
export interface SweepPoolOptions {
  /** Worker threads, started when the first task comes. Required (≥ 1). */
  workers: number;
}

interface Job {
  task: PoolTask;
  stream: PackedStream | null;
  batch: Batch;
  index: number;
}

interface Batch {
  results: RunResult[];
  left: number;
  finished: number;
  failed: boolean;
  resolve: (r: RunResult[]) => void;
  reject: (e: Error) => void;
  onDone?: (index: number, finished: number) => void;
}

interface Thread {
  worker: Worker;
  holds: string | null;
  job: Job | null;
}

/**
 * Worker threads that run whole experiments, kept for several calls: several sweeps (e.g. the studies
 * of `onthefly reproduce`) can share one pool and keep every core busy until the last task, instead of
 * each starting, filling and draining its own threads. Tasks are taken in submission order, a thread
 * preferring the next one that replays the stream it holds. Each run is the same deterministic
 * computation as in-process (runExperiment), so only timing fields can differ. `close()` ends the threads.
 */
export class SweepPool {
  readonly workers: number;
  private readonly script = join(__dirname, 'sweep-worker.js');
  private readonly threads: Thread[] = [];
  private queue: Job[] = [];
  private closed = false;
  private broken: Error | null = null;

  constructor(options: SweepPoolOptions) {
    if (!options || !Number.isInteger(options.workers) || options.workers < 1) {
      throw new RangeError(`SweepPool: workers must be a positive integer, got ${String(options?.workers)}`);
    }
    this.workers = options.workers;
  }

  /** Run the tasks; results in task order. Rejects at the first failing task (its other tasks are dropped). */
  run(tasks: readonly PoolTask[], streams: ReadonlyMap<string, PackedStream>, onDone?: (index: number, finished: number) => void): Promise<RunResult[]> {
    if (this.closed) return Promise.reject(new Error('SweepPool: closed'));
    if (this.broken) return Promise.reject(this.broken);
    if (tasks.length === 0) return Promise.resolve([]);
    return new Promise<RunResult[]>((resolve, reject) => {
      const batch: Batch = { results: new Array(tasks.length), left: tasks.length, finished: 0, failed: false, resolve, reject, onDone };
      for (let i = 0; i < tasks.length; i++) {
        const t = tasks[i]!;
        const stream = t.stream === null ? null : streams.get(t.stream) ?? null;
        if (t.stream !== null && stream === null) {
          this.fail(batch, new Error(`sweep: no stream "${t.stream}"`));
          return;
        }
        this.queue.push({ task: t, stream, batch, index: i });
      }
      while (this.threads.length < this.workers && this.threads.length < this.pendingJobs()) this.start();
      this.dispatch();
    });
  }

  /** End the threads (idempotent). Calls still running are rejected. */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    const err = new Error('SweepPool: closed');
    for (const t of this.threads) if (t.job) this.fail(t.job.batch, err);
    for (const j of this.queue) this.fail(j.batch, err);
    this.queue = [];
    await Promise.all(this.threads.map((t) => t.worker.terminate()));
  }

  private pendingJobs(): number {
    return this.queue.length + this.threads.filter((t) => t.job !== null).length;
  }

  private start(): void {
    const thread: Thread = { worker: new Worker(this.script), holds: null, job: null };
    this.threads.push(thread);
    thread.worker.on('message', (msg: FromWorker) => {
      const job = thread.job;
      thread.job = null;
      if (job && !job.batch.failed) {
        if (msg.type === 'failed') {
          const err = new Error(msg.message);
          err.name = msg.name;
          this.fail(job.batch, err);
        } else {
          const b = job.batch;
          b.results[job.index] = msg.result as RunResult;
          b.finished++;
          b.onDone?.(job.index, b.finished);
          if (--b.left === 0) b.resolve(b.results);
        }
      }
      this.dispatch();
    });
    const broke = (err: Error): void => {
      if (this.closed || this.broken) return;
      this.broken = err;
      for (const t of this.threads) if (t.job) this.fail(t.job.batch, err);
      for (const j of this.queue) this.fail(j.batch, err);
      this.queue = [];
      for (const t of this.threads) void t.worker.terminate();
    };
    thread.worker.on('error', broke);
    thread.worker.on('exit', (code) => broke(new Error(`sweep: a worker thread exited with code ${code}`)));
  }

  private fail(batch: Batch, err: Error): void {
    if (batch.failed) return;
    batch.failed = true;
    this.queue = this.queue.filter((j) => j.batch !== batch);
    batch.reject(err);
  }

  /** Give every idle thread its next task: the first one that replays the stream it holds, else the first. */
  private dispatch(): void {
    if (this.closed || this.broken) return;
    for (const thread of this.threads) {
      if (thread.job !== null || this.queue.length === 0) continue;
      let k = this.queue.findIndex((j) => j.task.stream === null || j.task.stream === thread.holds);
      if (k < 0) k = 0;
      const job = this.queue.splice(k, 1)[0]!;
      thread.job = job;
      const t = job.task;
      if (t.stream !== null && thread.holds !== t.stream) {
        thread.worker.postMessage({ type: 'stream', key: t.stream, stream: job.stream! } satisfies ToWorker);
        thread.holds = t.stream;
      }
      thread.worker.postMessage({ type: 'run', id: job.index, config: t.config, stream: t.stream } satisfies ToWorker);
    }
  }
}

/**
 * Run experiments on worker threads, each thread taking whole experiments from a queue in order.
 * Results come back in task order; each run is the same deterministic computation as in-process
 * (runExperiment), so only timing fields can differ. A thread is sent a stream only when its next task
 * needs one it does not hold. With `pool`, the pool's threads run the tasks (and stay up); otherwise
 * `workers` threads are started for this call and ended after it.
 */
export async function runOnPool(tasks: readonly PoolTask[], streams: ReadonlyMap<string, PackedStream>, options: PoolOptions): Promise<RunResult[]> {
  if (tasks.length === 0) return [];
  if (options.pool) return options.pool.run(tasks, streams, options.onDone);
  const pool = new SweepPool({ workers: Math.max(1, Math.min(options.workers ?? 1, tasks.length)) });
  try {
    return await pool.run(tasks, streams, options.onDone);
  } finally {
    await pool.close();
  }
}
