import { join } from 'node:path';
import { Worker } from 'node:worker_threads';
import type { ExperimentConfig } from './experiment-config';
import type { PackedStream } from './packed-stream';
import type { RunResult } from './run-result';
import { resolveExperiment } from './resolve-experiment';
import { canonicalJson } from '../options/canonical-json';
import { resolveLearnerOptions } from '../learn/create-learner';
import type { LearnerOptions } from '../learn/learner';
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
  /** The run's identity (see runIdentity); null: a run that always runs. */
  identity: string | null;
}

/** What became of a run the pool has seen: its result, or the jobs of other calls waiting for it. */
interface Known {
  result: RunResult | null;
  waiting: { batch: Batch; index: number }[];
}

/** Options that make a run write files: such a run always runs (see runIdentity). */
const WRITES = ['audit', 'rejects', 'checkpoint', 'resume', 'saveModel'] as const;

/**
 * A run's identity: what decides its result, with every default filled in — the experiment as its
 * checkpoint fingerprint describes it (source, schema, batch, dedup, window, label delay, …), the
 * learner's options as given, and the defaults of those left out (see resolveExperiment,
 * resolveLearnerOptions). Two spellings of one run
 * (a default given or left out, keys in another order) have the same identity; equal identities are
 * the same deterministic computation (a task's stream is by contract its configuration's own source).
 * A configuration that does not resolve (its run will fail) is identified by its own JSON. Null for a
 * run that writes files (audit, rejects, checkpoint, a saved model): it is never taken for another.
 */
export function runIdentity(config: ExperimentConfig): string | null {
  if (WRITES.some((k) => config[k] !== undefined && config[k] !== false)) return null;
  try {
    const r = resolveExperiment({ ...config, records: undefined });
    const learner = resolveLearnerOptions({ ...r.learner, schema: r.schema } as LearnerOptions);
    // the options given win over the resolved ones: resolving only fills in what is missing (and does not
    // list every option, e.g. constraints), so two different runs can never share an identity
    return canonicalJson({ ...r.described, learner: { ...learner, schema: undefined, ...r.learner }, strict: config.strict === true });
  } catch {
    return canonicalJson({ unresolved: { ...config, records: undefined } });
  }
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
  /** The model of the last task it ran (see modelOf): the code its JIT has warmed up. */
  model: string | null;
  job: Job | null;
}

/**
 * Worker threads that run whole experiments, kept for several calls: several sweeps (e.g. the studies
 * of `onthefly reproduce`) can share one pool and keep every core busy until the last task, instead of
 * each starting, filling and draining its own threads. Tasks are taken in submission order, threads
 * keeping to one model each where they can, and preferring a task that replays the stream they hold. Each run is the same deterministic
 * computation as in-process (runExperiment), so only timing fields can differ. `close()` ends the threads.
 */
export class SweepPool {
  readonly workers: number;
  private readonly script = join(__dirname, 'sweep-worker.js');
  private readonly threads: Thread[] = [];
  private queue: Job[] = [];
  /** Every run this pool has started, by identity: a second call for the same run gets its result (a copy) instead of running it again. */
  private readonly known = new Map<string, Known>();
  private ran = 0;
  private reused = 0;
  private closed = false;
  private broken: Error | null = null;

  constructor(options: SweepPoolOptions) {
    if (!options || !Number.isInteger(options.workers) || options.workers < 1) {
      throw new RangeError(`SweepPool: workers must be a positive integer, got ${String(options?.workers)}`);
    }
    this.workers = options.workers;
  }

  /** Runs started on the threads, and tasks answered with the result of an identical run instead. */
  get stats(): { ran: number; reused: number } {
    return { ran: this.ran, reused: this.reused };
  }

  /**
   * Run the tasks; results in task order. Rejects at the first failing task (its other tasks are
   * dropped). A task identical to one this pool has run or is running (see runIdentity) is not run
   * again: it gets a copy of that run's result.
   */
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
        const identity = runIdentity(t.config);
        const known = identity === null ? undefined : this.known.get(identity);
        if (known) {
          this.reused++;
          if (known.result) this.complete(batch, i, structuredClone(known.result));
          else known.waiting.push({ batch, index: i });
          continue;
        }
        if (identity !== null) this.known.set(identity, { result: null, waiting: [] });
        this.queue.push({ task: t, stream, batch, index: i, identity });
      }
      while (this.threads.length < this.workers && this.threads.length < this.pendingJobs()) this.start();
      this.dispatch();
    });
  }

  /**
   * Start every thread now instead of with the first tasks: they load their modules while the caller
   * still reads the streams the tasks will replay. Does nothing on a closed or broken pool.
   */
  warm(): void {
    if (this.closed || this.broken) return;
    while (this.threads.length < this.workers) this.start();
  }

  /** End the threads (idempotent). Calls still running are rejected. */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    const err = new Error('SweepPool: closed');
    for (const t of this.threads) if (t.job) this.fail(t.job.batch, err);
    for (const j of this.queue) this.fail(j.batch, err);
    this.queue = [];
    this.failWaiting(err);
    await Promise.all(this.threads.map((t) => t.worker.terminate()));
  }

  private pendingJobs(): number {
    return this.queue.length + this.threads.filter((t) => t.job !== null).length;
  }

  private start(): void {
    const thread: Thread = { worker: new Worker(this.script), holds: null, model: null, job: null };
    this.threads.push(thread);
    thread.worker.on('message', (msg: FromWorker) => {
      const job = thread.job;
      thread.job = null;
      if (job) {
        const known = job.identity === null ? undefined : this.known.get(job.identity);
        if (msg.type === 'failed') {
          const err = new Error(msg.message);
          err.name = msg.name;
          if (job.identity !== null) this.known.delete(job.identity);
          this.fail(job.batch, err);
          for (const w of known?.waiting ?? []) this.fail(w.batch, err);
        } else {
          const result = msg.result as RunResult;
          if (known) {
            known.result = result;
            for (const w of known.waiting) this.complete(w.batch, w.index, structuredClone(result));
            known.waiting = [];
          }
          this.complete(job.batch, job.index, result);
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
      this.failWaiting(err);
      for (const t of this.threads) void t.worker.terminate();
    };
    thread.worker.on('error', broke);
    thread.worker.on('exit', (code) => broke(new Error(`sweep: a worker thread exited with code ${code}`)));
  }

  private complete(b: Batch, index: number, result: RunResult): void {
    if (b.failed) return;
    b.results[index] = result;
    b.finished++;
    b.onDone?.(index, b.finished);
    if (--b.left === 0) b.resolve(b.results);
  }

  private fail(batch: Batch, err: Error): void {
    if (batch.failed) return;
    batch.failed = true;
    const dropped = this.queue.filter((j) => j.batch === batch);
    this.queue = this.queue.filter((j) => j.batch !== batch);
    batch.reject(err);
    // A dropped run other calls wait for is still run, for the first of them.
    let requeued = false;
    for (const job of dropped) {
      if (job.identity === null) continue;
      const known = this.known.get(job.identity);
      const next = known?.waiting.findIndex((w) => !w.batch.failed) ?? -1;
      if (!known || next < 0) {
        this.known.delete(job.identity);
        continue;
      }
      const w = known.waiting.splice(next, 1)[0]!;
      this.reused--;
      this.queue.push({ ...job, batch: w.batch, index: w.index });
      requeued = true;
    }
    if (requeued) this.dispatch();
  }

  /** Fail every call still waiting for another call's run (the pool is closing or broke). */
  private failWaiting(err: Error): void {
    for (const k of this.known.values()) {
      for (const w of k.waiting) this.fail(w.batch, err);
      k.waiting = [];
    }
  }

  /**
   * Give every idle thread its next task, threads keeping to one model each where they can (its JIT
   * has warmed up that model's code: an MLP's first runs on a thread cost about twice its later ones):
   * a thread whose model no other thread runs takes the next task of its model; one without a model,
   * or sharing it with another thread, takes the next task of a model no other thread runs (so the
   * models spread over the threads), else of its own. Failing both, the next task. Within each choice,
   * one that replays the stream the thread holds comes first. Which thread runs a task never changes
   * its result.
   */
  private dispatch(): void {
    if (this.closed || this.broken) return;
    for (const thread of this.threads) {
      if (thread.job !== null || this.queue.length === 0) continue;
      const others = new Set<string>();
      for (const t of this.threads) if (t !== thread && t.model !== null) others.add(t.model);
      const held = (j: Job): boolean => j.task.stream === null || j.task.stream === thread.holds;
      const pick = (ok: (j: Job) => boolean): number => {
        const k = this.queue.findIndex((j) => ok(j) && held(j));
        return k >= 0 ? k : this.queue.findIndex(ok);
      };
      const mine = (j: Job): boolean => modelOf(j.task.config) === thread.model;
      const unclaimed = (j: Job): boolean => !others.has(modelOf(j.task.config));
      let k = thread.model !== null && !others.has(thread.model) ? pick(mine) : -1;
      if (k < 0) k = pick(unclaimed);
      if (k < 0 && thread.model !== null) k = pick(mine);
      if (k < 0) k = pick(() => true);
      const job = this.queue.splice(k, 1)[0]!;
      thread.job = job;
      thread.model = modelOf(job.task.config);
      this.ran++;
      const t = job.task;
      if (t.stream !== null && thread.holds !== t.stream) {
        thread.worker.postMessage({ type: 'stream', key: t.stream, stream: job.stream! } satisfies ToWorker);
        thread.holds = t.stream;
      }
      thread.worker.postMessage({ type: 'run', id: job.index, config: t.config, stream: t.stream } satisfies ToWorker);
    }
  }
}

/** The model a task's learner is (its `model` option as given; "" for the default). */
function modelOf(config: ExperimentConfig): string {
  const m = config.learner?.model;
  return typeof m === 'string' ? m : '';
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
