import { join } from 'node:path';
import { Worker } from 'node:worker_threads';
import type { ExperimentConfig } from './experiment-config';
import type { PackedStream } from './packed-stream';
import type { RunResult } from './run-result';
import type { FromWorker, ToWorker } from './sweep-worker';

/** One experiment for the pool: its configuration and, optionally, the packed stream it replays (by key). */
export interface PoolTask {
  config: ExperimentConfig;
  /** Key of a stream in the `streams` map given to {@link runOnPool}; null: the run reads its own source. */
  stream: string | null;
}

/** Options for {@link runOnPool}. */
export interface PoolOptions {
  /** Worker threads. Required (≥ 1). */
  workers: number;
  /** Called when a task finishes (in completion order). */
  onDone?: (index: number, finished: number) => void;
}

/**
 * Run experiments on worker threads, each thread taking whole experiments from a queue in order.
 * Results come back in task order; each run is the same deterministic computation as in-process
 * (runExperiment), so only timing fields can differ. A thread is sent a stream only when its next task
 * needs one it does not hold (order tasks stream-major to send each stream once per thread).
 */
export async function runOnPool(tasks: readonly PoolTask[], streams: ReadonlyMap<string, PackedStream>, options: PoolOptions): Promise<RunResult[]> {
  const results: RunResult[] = new Array(tasks.length);
  if (tasks.length === 0) return results;
  const n = Math.max(1, Math.min(options.workers, tasks.length));
  const script = join(__dirname, 'sweep-worker.js');
  let next = 0;
  let finished = 0;
  const workers: Worker[] = [];
  try {
    await new Promise<void>((resolve, reject) => {
      let failed = false;
      const fail = (err: Error): void => {
        if (failed) return;
        failed = true;
        reject(err);
      };
      for (let w = 0; w < n; w++) {
        const worker = new Worker(script);
        workers.push(worker);
        let holds: string | null = null;
        let retired = false;
        const give = (): void => {
          if (failed) return;
          if (next >= tasks.length) {
            retired = true;
            void worker.terminate();
            return;
          }
          const id = next++;
          const t = tasks[id]!;
          if (t.stream !== null && holds !== t.stream) {
            const stream = streams.get(t.stream);
            if (!stream) return fail(new Error(`sweep: no stream "${t.stream}"`));
            worker.postMessage({ type: 'stream', key: t.stream, stream } satisfies ToWorker);
            holds = t.stream;
          }
          worker.postMessage({ type: 'run', id, config: t.config, stream: t.stream } satisfies ToWorker);
        };
        worker.on('message', (msg: FromWorker) => {
          if (msg.type === 'failed') {
            const err = new Error(msg.message);
            err.name = msg.name;
            return fail(err);
          }
          results[msg.id] = msg.result as RunResult;
          finished++;
          options.onDone?.(msg.id, finished);
          if (finished === tasks.length) resolve();
          else give();
        });
        worker.on('error', fail);
        worker.on('exit', (code) => {
          if (!retired && !failed && finished < tasks.length) fail(new Error(`sweep: a worker thread exited with code ${code}`));
        });
        give();
      }
    });
  } finally {
    await Promise.all(workers.map((w) => w.terminate()));
  }
  return results;
}
