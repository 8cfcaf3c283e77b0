/**
 * A sweep worker thread: runs whole experiments sent by {@link SweepPool} and posts their results.
 * It keeps the one packed stream it was last sent, so a stream crosses to a thread once per seed,
 * not once per configuration.
 */
import { parentPort } from 'node:worker_threads';
import type { ExperimentConfig } from './experiment-config';
import type { PackedStream } from './packed-stream';
import { runExperiment } from './run-experiment';

/** Messages from the pool to a worker. */
export type ToWorker =
  | { type: 'stream'; key: string; stream: PackedStream }
  | { type: 'run'; id: number; config: ExperimentConfig; stream: string | null };

/** Messages from a worker to the pool. */
export type FromWorker =
  | { type: 'done'; id: number; result: unknown }
  | { type: 'failed'; id: number; name: string; message: string };

if (parentPort) {
  const port = parentPort;
  let held: { key: string; stream: PackedStream } | null = null;
  port.on('message', (msg: ToWorker) => {
    if (msg.type === 'stream') {
      held = { key: msg.key, stream: msg.stream };
      return;
    }
    const records = msg.stream === null ? undefined : held?.key === msg.stream ? held.stream : undefined;
    if (msg.stream !== null && records === undefined) {
      port.postMessage({ type: 'failed', id: msg.id, name: 'Error', message: `sweep worker: stream ${msg.stream} was not sent` } satisfies FromWorker);
      return;
    }
    runExperiment({ ...msg.config, records }).then(
      (result) => port.postMessage({ type: 'done', id: msg.id, result } satisfies FromWorker),
      (err: unknown) => {
        const e = err instanceof Error ? err : new Error(String(err));
        port.postMessage({ type: 'failed', id: msg.id, name: e.name, message: e.message } satisfies FromWorker);
      },
    );
  });
}
