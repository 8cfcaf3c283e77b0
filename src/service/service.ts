import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { performance } from 'node:perf_hooks';
import type { OnlinePipeline } from '../evaluate/online-pipeline';

/** Options for {@link startService}. Every field but `pipeline` has a default. */
export interface ServiceOptions {
  /** The pipeline that predicts, learns and scores. Required. */
  pipeline: OnlinePipeline;
  /** Port; 0 picks a free one. Default 0. */
  port?: number;
  /** Address to bind. Default "127.0.0.1" (loopback only). */
  host?: string;
  /** Largest request body accepted, in bytes; a larger one gets 413. Default 1 MiB. */
  maxBodyBytes?: number;
  /** Requests handled at once; one more gets 503. Default 64. */
  maxInFlight?: number;
  /** Called after every request that changed the pipeline (for periodic checkpoints). */
  onChange?: () => void;
}

/** A running service. */
export interface Service {
  server: Server;
  /** The bound port. */
  port: number;
  url: string;
  /** Requests being handled now. */
  readonly inFlight: number;
  /** Stop accepting connections and wait for the requests in flight to finish. */
  close(): Promise<void>;
}

/** An error answered as JSON with a status code. */
class HttpError extends Error {
  constructor(readonly status: number, message: string) {
    super(message);
  }
}

/** Latency histogram buckets, in seconds. */
const BUCKETS = [0.00005, 0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25];

/**
 * The pipeline over HTTP (docs/design.md §10): `POST /events` (NDJSON or a JSON array → NDJSON, one
 * line per event), `POST /labels` (NDJSON `{id, label}`), `GET /metrics` (Prometheus text),
 * `GET /healthz`, `GET /model` and `PUT /model` (the pipeline's whole state). Bodies over
 * `maxBodyBytes` get 413 and more than `maxInFlight` concurrent requests get 503, each with a JSON
 * error; nothing a client sends can crash the server or grow an unbounded queue.
 */
export async function startService(options: ServiceOptions): Promise<Service> {
  const pipeline = options.pipeline;
  const maxBody = options.maxBodyBytes ?? 1 << 20;
  const maxInFlight = options.maxInFlight ?? 64;
  if (!Number.isInteger(maxBody) || maxBody < 1) throw new RangeError(`maxBodyBytes must be a positive integer, got ${maxBody}`);
  if (!Number.isInteger(maxInFlight) || maxInFlight < 1) throw new RangeError(`maxInFlight must be a positive integer, got ${maxInFlight}`);
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const prom = require('prom-client') as typeof import('prom-client');
  const registry = new prom.Registry();
  const gauge = (name: string, help: string, get: () => number): void => {
    registry.registerMetric(new prom.Gauge({ name, help, registers: [], collect() { this.set(get()); } }));
  };
  gauge('onthefly_events_total', 'Events received (accepted + rejected).', () => pipeline.counts().events);
  gauge('onthefly_rejects_total', 'Events rejected by validation.', () => pipeline.counts().rejected);
  gauge('onthefly_duplicates_total', 'Events dedup grouped with an earlier one.', () => pipeline.counts().duplicates);
  gauge('onthefly_labelled_total', 'Labels that scored an event.', () => pipeline.counts().labelled);
  gauge('onthefly_learned_total', 'Events learned from.', () => pipeline.counts().learned);
  gauge('onthefly_unknown_labels_total', 'Labels for ids with no waiting event.', () => pipeline.counts().unknownLabels);
  gauge('onthefly_pending_labels', 'Predicted events waiting for a label.', () => pipeline.counts().pending);
  gauge('onthefly_model_version', 'Learning steps done.', () => pipeline.version);
  gauge('onthefly_rolling_f1', 'F1 over the last window of labelled events.', () => pipeline.metrics().rolling.f1);
  gauge('onthefly_rolling_accuracy', 'Accuracy over the last window of labelled events.', () => pipeline.metrics().rolling.accuracy);
  const latency = new prom.Histogram({ name: 'onthefly_prediction_seconds', help: 'Time to validate, group and predict one event.', buckets: BUCKETS, registers: [registry] });

  let inFlight = 0;
  const readBody = (req: IncomingMessage): Promise<string> => new Promise((resolve, reject) => {
    const declared = Number(req.headers['content-length']);
    if (Number.isFinite(declared) && declared > maxBody) return reject(new HttpError(413, `request body of ${declared} bytes is over the limit of ${maxBody}`));
    const chunks: Buffer[] = [];
    let size = 0;
    let over = false;
    req.on('data', (chunk: Buffer) => {
      if (over) return;
      size += chunk.length;
      if (size > maxBody) {
        over = true;
        chunks.length = 0;
        reject(new HttpError(413, `request body is over the limit of ${maxBody} bytes`));
        return;
      }
      chunks.push(chunk);
    });
    req.on('end', () => { if (!over) resolve(Buffer.concat(chunks).toString('utf8')); });
    req.on('error', reject);
  });

  const events = (body: string): string => {
    const out: string[] = [];
    const trimmed = body.trimStart();
    if (trimmed.startsWith('[')) {
      let items: unknown;
      try {
        items = JSON.parse(trimmed);
      } catch (err) {
        throw new HttpError(400, `body is not a JSON array: ${(err as Error).message}`);
      }
      if (!Array.isArray(items)) throw new HttpError(400, 'body is not a JSON array');
      items.forEach((item, i) => out.push(one(item, i + 1)));
    } else {
      const lines = body.split('\n');
      for (let i = 0; i < lines.length; i++) {
        const text = lines[i]!.trim();
        if (text === '') continue;
        let item: unknown;
        try {
          item = JSON.parse(text);
        } catch (err) {
          out.push(JSON.stringify({ line: i + 1, error: `not JSON: ${(err as Error).message}` }));
          continue;
        }
        out.push(one(item, i + 1));
      }
    }
    return out.length > 0 ? `${out.join('\n')}\n` : '';
  };
  const one = (item: unknown, line: number): string => {
    if (item === null || typeof item !== 'object' || Array.isArray(item)) return JSON.stringify({ line, error: 'an event must be a JSON object' });
    const t0 = performance.now();
    const r = pipeline.process(item);
    latency.observe((performance.now() - t0) / 1000);
    if ('rejected' in r) return JSON.stringify({ line, error: r.rejected.reason });
    return JSON.stringify(r);
  };
  const labels = (body: string): Record<string, unknown> => {
    const counts = { queued: 0, duplicate: 0, unknown: 0 };
    const errors: { line: number; error: string }[] = [];
    const lines = body.split('\n');
    for (let i = 0; i < lines.length; i++) {
      const text = lines[i]!.trim();
      if (text === '') continue;
      let item: { id?: unknown; label?: unknown };
      try {
        item = JSON.parse(text) as typeof item;
      } catch (err) {
        errors.push({ line: i + 1, error: `not JSON: ${(err as Error).message}` });
        continue;
      }
      const y = item?.label;
      if (typeof item?.id !== 'string' || !(y === 0 || y === 1 || y === true || y === false)) {
        errors.push({ line: i + 1, error: 'a label line is {"id": string, "label": 0|1|true|false}' });
        continue;
      }
      counts[pipeline.label(item.id, y)]++;
    }
    return { ...counts, errors };
  };

  const send = (res: ServerResponse, status: number, type: string, body: string): void => {
    res.writeHead(status, { 'content-type': type, 'content-length': Buffer.byteLength(body) });
    res.end(body);
  };
  const json = (res: ServerResponse, status: number, value: unknown): void => send(res, status, 'application/json', `${JSON.stringify(value)}\n`);

  const handle = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const path = (req.url ?? '/').split('?')[0];
    const route = `${req.method} ${path}`;
    switch (route) {
      case 'POST /events': {
        const out = events(await readBody(req));
        options.onChange?.();
        return send(res, 200, 'application/x-ndjson', out);
      }
      case 'POST /labels': {
        const out = labels(await readBody(req));
        options.onChange?.();
        return json(res, 200, out);
      }
      case 'GET /metrics':
        return send(res, 200, registry.contentType, await registry.metrics());
      case 'GET /healthz':
        return json(res, 200, { status: 'ok', ...pipeline.counts() });
      case 'GET /model':
        return json(res, 200, pipeline.getState());
      case 'PUT /model': {
        const body = await readBody(req);
        let state: unknown;
        try {
          state = JSON.parse(body);
        } catch (err) {
          throw new HttpError(400, `model is not JSON: ${(err as Error).message}`);
        }
        try {
          pipeline.setState(state);
        } catch (err) {
          throw new HttpError(400, `model rejected: ${(err as Error).message}`);
        }
        options.onChange?.();
        return json(res, 200, { status: 'loaded', version: pipeline.version });
      }
      default:
        throw new HttpError(404, `no route ${route} (POST /events, POST /labels, GET /metrics, GET /healthz, GET /model, PUT /model)`);
    }
  };

  const server = createServer((req, res) => {
    if (inFlight >= maxInFlight) {
      res.setHeader('connection', 'close');
      json(res, 503, { error: `busy: ${inFlight} requests in flight (limit ${maxInFlight}); retry later` });
      req.resume();
      return;
    }
    inFlight++;
    handle(req, res).catch((err: unknown) => {
      const status = err instanceof HttpError ? err.status : 500;
      if (status === 413) res.setHeader('connection', 'close');
      if (!res.headersSent) json(res, status, { error: err instanceof Error ? err.message : String(err) });
      else res.destroy();
      if (status === 413) req.resume();
    }).finally(() => {
      inFlight--;
    });
  });
  server.requestTimeout = 30_000;
  server.headersTimeout = 10_000;
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, options.host ?? '127.0.0.1', () => resolve());
  });
  const address = server.address() as AddressInfo;
  const host = address.family === 'IPv6' ? `[${address.address}]` : address.address;
  return {
    server,
    port: address.port,
    url: `http://${host}:${address.port}`,
    get inFlight() { return inFlight; },
    close: () => new Promise<void>((resolve) => {
      server.close(() => resolve());
      server.closeIdleConnections();
    }),
  };
}
