import { dedupOptionsForSchema, resolveDedupOptions, type DedupOptions } from '../dedup/dedup-options';
import { fingerprintString, FingerprintHasher } from '../dedup/fingerprint';
import { createLearner } from '../learn/create-learner';
import type { Learner, LearnerOptions } from '../learn/learner';
import { GENERATOR_SCHEMA } from '../stream/default-schema';
import { rawText, validateRow } from '../stream/validate';
import type { Row, Schema } from '../types';
import { PROCESS_BATCH, PUBLISH_MODEL, RELEASE_LEASE, RENEW_LEASE, SCORE_LABEL } from './scripts';

type Client = ReturnType<typeof import('redis').createClient>;

/** The redis client, loaded on first use (importing the library does not load it). */
// eslint-disable-next-line @typescript-eslint/no-require-imports
const createClient = (options: { url: string }): Client => (require('redis') as typeof import('redis')).createClient(options);

/** Options for {@link runWorker}. */
export interface WorkerOptions {
  /** Redis URL, e.g. redis://127.0.0.1:6379. Required. */
  redis: string;
  /** Input stream (events as entries with one field `e` holding the event's JSON). Required. */
  input: string;
  /** Output stream: one entry per input event id with `id, p, prediction, group, duplicate, version`. Required. */
  output: string;
  /** Consumer group of the workers on `input`. Required. */
  group: string;
  /** Labels stream (`id`, `label` entries) when labels come apart from the events. Default: none (labels ride on the events). */
  labels?: string;
  /** This worker's consumer name (keep it across restarts to resume its own pending entries). Default: host-pid. */
  consumer?: string;
  /** Prefix of every shared key. Default `onthefly:<group>`. */
  prefix?: string;
  /** How to read events. Default: the generator's schema. */
  schema?: Schema;
  /** Learner options (every worker must use the same). Default: logistic, as createLearner. */
  learner?: Omit<LearnerOptions, 'schema'>;
  /** Labelled novel events per learning step (trainer). Default 256. */
  batch?: number;
  /** Dedup (key, windowMs; exact fingerprints only), or false. Default {} (the schema's key, 5 minutes). */
  dedup?: DedupOptions | false;
  /** Entries per read. Default 1000. */
  count?: number;
  /** Pending entries idle this long are claimed from other consumers (XAUTOCLAIM). Default 10,000 ms. */
  claimIdleMs?: number;
  /** The trainer's lease; another worker takes training over within this long after it dies. Default 3,000 ms. */
  leaseMs?: number;
  /** How often a non-trainer checks for a new model version. Default 200 ms. */
  syncMs?: number;
  /** How long ids (written, scored) and unlabelled events are remembered. Default 86,400 s. */
  ttlSeconds?: number;
  /** How long the trainer keeps retrying a label whose event it has not seen yet. Default 60,000 ms. */
  labelWaitMs?: number;
  /** Stop when aborted: the batch in hand is finished and acknowledged first. */
  signal?: AbortSignal;
  /** Called after each processed batch. */
  onBatch?: (stats: WorkerStats) => void;
}

/** What a worker did (this process only). */
export interface WorkerStats {
  consumer: string;
  /** Entries processed (including redeliveries). */
  processed: number;
  /** Predictions this worker wrote (redeliveries of already written ids excluded). */
  written: number;
  /** Entries whose id had been written already (redelivered after a crash). */
  redelivered: number;
  rejected: number;
  /** Entries claimed from other consumers. */
  claimed: number;
  /** Model version in use. */
  version: number;
  /** Learning steps this worker took as the trainer. */
  steps: number;
  trainer: boolean;
}

const BUSY = /BUSYGROUP/;

/** A label entry's value as 0/1 through the schema's positive (or negative) values; null when absent. */
export function labelOf(schema: Schema, raw: string | undefined): 0 | 1 | null {
  if (raw === undefined || raw.trim() === '') return null;
  const t = raw.trim().toLowerCase();
  const listed = (values: unknown[]): boolean => values.some((v) => String(v).trim().toLowerCase() === t || (Number.isFinite(Number(t)) && Number(v) === Number(t)));
  if (schema.label.positive) return listed(schema.label.positive) ? 1 : 0;
  return listed(schema.label.negative ?? []) ? 0 : 1;
}

async function ensureGroup(client: Client, stream: string, group: string): Promise<void> {
  try {
    await client.sendCommand(['XGROUP', 'CREATE', stream, group, '0', 'MKSTREAM']);
  } catch (err) {
    if (!BUSY.test((err as Error).message)) throw err;
  }
}

type Entry = [id: string, fields: string[]];

/**
 * Entries of a one-stream XREADGROUP reply: null, [[stream, entries]] (RESP2 arrays) or
 * { stream: entries } (the map node-redis makes of it); each entry [id, [k, v, …]].
 */
export function entriesOf(reply: unknown): Entry[] {
  if (reply === null || typeof reply !== 'object') return [];
  const entries = Array.isArray(reply) ? (reply[0] as [string, unknown] | undefined)?.[1] : Object.values(reply)[0];
  return Array.isArray(entries) ? entries.filter((e): e is Entry => Array.isArray(e) && typeof e[0] === 'string' && Array.isArray(e[1])) : [];
}

function field(fields: string[], name: string): string | undefined {
  for (let i = 0; i + 1 < fields.length; i += 2) if (fields[i] === name) return fields[i + 1];
  return undefined;
}

/**
 * One worker of a consumer group on a Redis stream (docs/scale-out.md): reads events, groups them
 * against dedup keys shared in Redis, predicts with the newest model version, and writes exactly one
 * prediction per event id (an atomic script makes redeliveries no-ops). One worker at a time holds the
 * trainer's lease: it learns from the labelled novel events (a shared train stream, or the labels
 * stream joined with the stored events) and publishes versioned snapshots the others load without
 * stopping. A killed worker's pending entries are claimed by the others after `claimIdleMs`.
 */
export async function runWorker(options: WorkerOptions): Promise<WorkerStats> {
  const schema = options.schema ?? GENERATOR_SCHEMA;
  const prefix = options.prefix ?? `onthefly:${options.group}`;
  const consumer = options.consumer ?? `${require('node:os').hostname()}-${process.pid}`;
  const count = options.count ?? 1000;
  const claimIdle = options.claimIdleMs ?? 10_000;
  const leaseMs = options.leaseMs ?? 3000;
  const syncMs = options.syncMs ?? 200;
  const ttl = String(options.ttlSeconds ?? 86_400);
  const batch = options.batch ?? 256;
  const labelWaitMs = options.labelWaitMs ?? 60_000;
  for (const [name, v] of [['count', count], ['claimIdleMs', claimIdle], ['leaseMs', leaseMs], ['syncMs', syncMs], ['batch', batch]] as const) {
    if (!Number.isInteger(v) || v < 1) throw new RangeError(`worker: ${name} must be a positive integer, got ${v}`);
  }
  const dedup = options.dedup === false ? null : resolveDedupOptions(dedupOptionsForSchema(schema, options.dedup ?? {}));
  const hasher = dedup ? new FingerprintHasher(dedup.key) : null;
  const windowTtl = !dedup ? 'off' : Number.isFinite(dedup.windowMs) && dedup.windowMs > 0 ? String(Math.ceil(dedup.windowMs)) : '0';
  const keys = {
    lease: `${prefix}:lease`,
    model: `${prefix}:model`,
    version: `${prefix}:model-version`,
    metrics: `${prefix}:metrics`,
    train: `${prefix}:train`,
    rejects: `${options.output}:rejects`,
    done: (id: string) => `${prefix}:done:${id}`,
    scored: (id: string) => `${prefix}:scored:${id}`,
    event: (id: string) => `${prefix}:event:${id}`,
    dedup: (fp: string) => `${prefix}:dedup:${fp}`,
  };
  const trainerGroup = 'trainer';

  const client: Client = createClient({ url: options.redis });
  client.on('error', () => {}); // reconnects are the client's; commands that fail reject on their own
  await client.connect();
  const learner: Learner = await createLearner({ seed: 1, ...options.learner, schema });
  const stats: WorkerStats = { consumer, processed: 0, written: 0, redelivered: 0, rejected: 0, claimed: 0, version: 0, steps: 0, trainer: false };
  try {
    await ensureGroup(client, options.input, options.group);
    await ensureGroup(client, keys.train, trainerGroup);
    if (options.labels) await ensureGroup(client, options.labels, trainerGroup);
    const sha = async (script: string): Promise<string> => String(await client.sendCommand(['SCRIPT', 'LOAD', script]));
    const scripts = { batch: await sha(PROCESS_BATCH), score: await sha(SCORE_LABEL), renew: await sha(RENEW_LEASE), release: await sha(RELEASE_LEASE), publish: await sha(PUBLISH_MODEL) };
    const evalsha = (s: string, ks: string[], args: string[]): Promise<unknown> => client.sendCommand(['EVALSHA', s, String(ks.length), ...ks, ...args]);

    const loadModel = async (): Promise<void> => {
      const v = Number(await client.sendCommand(['GET', keys.version]) ?? 0);
      if (v > stats.version) {
        const state = await client.sendCommand(['GET', keys.model]);
        if (typeof state === 'string') {
          learner.setState(JSON.parse(state));
          stats.version = v;
        }
      }
    };

    // Trainer state: rows waiting for a full batch, with the train/labels entries they came from.
    let trainRows: Row[] = [];
    let trainLabels: number[] = [];
    let trainAcks: { stream: string; id: string }[] = [];
    let waitingLabels: { entryId: string; f: string[]; since: number }[] = [];
    const becomeTrainer = async (): Promise<void> => {
      stats.trainer = true;
      await loadModel();
      trainRows = [];
      trainLabels = [];
      trainAcks = [];
      waitingLabels = [];
    };
    const lease = async (): Promise<void> => {
      if (stats.trainer) {
        if (Number(await evalsha(scripts.renew, [keys.lease], [consumer, String(leaseMs)])) !== 1) stats.trainer = false;
      } else if ((await client.sendCommand(['SET', keys.lease, consumer, 'NX', 'PX', String(leaseMs)]) as unknown) === 'OK') {
        await becomeTrainer();
      }
    };

    /** The trainer's round: everything new on the train (or labels) stream, learned `batch` rows at a time. */
    const train = async (): Promise<void> => {
      const stream = options.labels ?? keys.train;
      // Entries a dead trainer had read but not acknowledged come first (only one trainer at a time).
      // Both reads in one round trip (pipelined, executed in this order).
      const [claimed, freshReply] = await Promise.all([
        client.sendCommand(['XAUTOCLAIM', stream, trainerGroup, consumer, '0', '0-0', 'COUNT', String(count)]) as Promise<[string, Entry[]]>,
        client.sendCommand(['XREADGROUP', 'GROUP', trainerGroup, consumer, 'COUNT', String(count), 'STREAMS', stream, '>']),
      ]);
      const fresh = entriesOf(freshReply);
      const held = new Set([...trainAcks.map((a) => a.id), ...waitingLabels.map((w) => w.entryId)]);
      const entries = [...(claimed?.[1] ?? []).filter((e) => Array.isArray(e) && Array.isArray(e[1]) && !held.has(e[0])), ...fresh];
      if (entries.length === 0 && waitingLabels.length === 0) return;
      if (options.labels) {
        // A label may arrive before its event was processed: unmatched labels wait (in memory and still
        // pending in Redis) and are retried each round, for up to labelWaitMs, then counted as unknown.
        const now = Date.now();
        for (const [entryId, f] of entries) waitingLabels.push({ entryId, f, since: now });
        const batchLabels = waitingLabels;
        waitingLabels = [];
        const stored = await Promise.all(batchLabels.map(({ f }) => client.sendCommand(['GET', keys.event(field(f, 'id') ?? '')])));
        const scoring: Promise<unknown>[] = [];
        const unknown: string[] = [];
        batchLabels.forEach((w, i) => {
          const s = stored[i] as unknown;
          const label = labelOf(schema, field(w.f, 'label'));
          if (typeof s === 'string' && label !== null) {
            const ev = JSON.parse(s) as { f: Row; pred: number };
            scoring.push(evalsha(scripts.score, [keys.scored(field(w.f, 'id')!), keys.metrics], [String(label), String(ev.pred), ttl]));
            trainRows.push(ev.f);
            trainLabels.push(label);
            trainAcks.push({ stream, id: w.entryId });
          } else if (label !== null && now - w.since < labelWaitMs) {
            waitingLabels.push(w);
          } else {
            unknown.push(w.entryId);
          }
        });
        await Promise.all(scoring);
        if (unknown.length > 0) {
          await client.sendCommand(['HINCRBY', keys.metrics, 'unknownLabels', String(unknown.length)]);
          await client.sendCommand(['XACK', stream, trainerGroup, ...unknown]);
        }
      } else {
        for (const [entryId, f] of entries) {
          const e = JSON.parse(field(f, 'e') ?? 'null') as { f: Row; y: number } | null;
          if (e) {
            trainRows.push(e.f);
            trainLabels.push(e.y);
          }
          trainAcks.push({ stream, id: entryId });
        }
      }
      let from = 0;
      let learned = false;
      while (trainRows.length - from >= batch) {
        const step = learner.learnMany(trainRows.slice(from, from + batch), trainLabels.slice(from, from + batch));
        from += batch;
        if (!step.skipped) {
          stats.steps++;
          learned = true;
        }
      }
      if (from === 0) return;
      trainRows = trainRows.slice(from);
      trainLabels = trainLabels.slice(from);
      if (learned) {
        const next = Math.max(stats.version, Number(await client.sendCommand(['GET', keys.version]) ?? 0)) + 1;
        if (Number(await evalsha(scripts.publish, [keys.lease, keys.model, keys.version], [consumer, JSON.stringify(learner.getState()), String(next)])) !== 1) {
          stats.trainer = false; // lost the lease: the new trainer relearns our unacknowledged entries
          return;
        }
        stats.version = next;
      }
      // Acknowledge what the published model has learned; the rows short of a batch stay pending.
      const keep = trainRows.length;
      const done = trainAcks.slice(0, Math.max(0, trainAcks.length - keep));
      trainAcks = trainAcks.slice(done.length);
      if (done.length > 0) await client.sendCommand(['XACK', done[0]!.stream, trainerGroup, ...done.map((a) => a.id)]);
    };

    /** Predict one batch of input entries; write, count and acknowledge them in one atomic script. */
    const processEntries = async (entries: Entry[]): Promise<void> => {
      if (entries.length === 0) return;
      const recs: { id: string; fields: Row; label: number | null }[] = [];
      const rejects: { entry: string; reason: string; raw: string }[] = [];
      for (const [entryId, f] of entries) {
        stats.processed++;
        const text = field(f, 'e');
        let event: unknown;
        try {
          event = JSON.parse(text ?? '');
        } catch {
          event = undefined;
        }
        const lf = schema.label.field;
        const labelled = event !== null && typeof event === 'object' && (event as Row)[lf] !== undefined;
        const v = event !== null && typeof event === 'object' && !Array.isArray(event)
          ? validateRow(labelled ? event : { ...(event as Row), [lf]: (schema.label.positive ?? schema.label.negative ?? [0])[0] }, 0, schema)
          : { rejected: { line: 0, reason: text === undefined ? 'entry has no field "e"' : 'not a JSON object', raw: rawText(text ?? '') } };
        if ('rejected' in v) {
          stats.rejected++;
          rejects.push({ entry: entryId, reason: v.rejected.reason, raw: v.rejected.raw });
          continue;
        }
        recs.push({ id: v.record.id, fields: v.record.fields, label: labelled ? v.record.label : null });
      }
      const probs = recs.length > 0 ? learner.predictMany(recs.map((r) => r.fields)) : new Float64Array(0);
      const store = options.labels ? '1' : '0';
      const batchKeys = [options.output, keys.metrics, keys.train, options.input, keys.rejects];
      const args = [ttl, windowTtl, options.group, store, String(recs.length), String(rejects.length)];
      recs.forEach((r, i) => {
        let dedupKey = keys.dedup('-');
        if (hasher) {
          hasher.lanes(r.fields);
          dedupKey = keys.dedup(fingerprintString(hasher.hi, hasher.lo));
        }
        batchKeys.push(dedupKey, keys.done(r.id), keys.event(r.id));
        const p = probs[i]!;
        // The fields travel only when the script may need them: for training, or kept for a late label.
        const fields = r.label !== null || store === '1' ? JSON.stringify(r.fields) : '';
        args.push(r.id, String(p), p >= 0.5 ? '1' : '0', String(stats.version), r.label === null ? '-1' : String(r.label), fields);
      });
      for (const r of rejects) {
        batchKeys.push(keys.done(`entry:${r.entry}`));
        args.push(r.entry, r.reason, r.raw);
      }
      for (const [entryId] of entries) args.push(entryId);
      const [written, redelivered] = (await evalsha(scripts.batch, batchKeys, args)) as [number, number, number];
      stats.written += Number(written);
      stats.redelivered += Number(redelivered);
    };

    let ownPending = true;
    let lastClaim = 0;
    let lastSync = 0;
    let lastLease = 0;
    while (!options.signal?.aborted) {
      const now = Date.now();
      if (now - lastLease >= leaseMs / 3) {
        lastLease = now;
        await lease();
      }
      if (!stats.trainer && now - lastSync >= syncMs) {
        lastSync = now;
        await loadModel();
      }
      if (now - lastClaim >= claimIdle / 2) {
        lastClaim = now;
        const reply = await client.sendCommand(['XAUTOCLAIM', options.input, options.group, consumer, String(claimIdle), '0-0', 'COUNT', String(count)]) as [string, Entry[]];
        const claimed = (reply?.[1] ?? []).filter((e) => Array.isArray(e) && Array.isArray(e[1]));
        stats.claimed += claimed.length;
        await processEntries(claimed);
      }
      // First our own pending entries (from before a restart), then new ones.
      const entries = entriesOf(await client.sendCommand(['XREADGROUP', 'GROUP', options.group, consumer, 'COUNT', String(count),
        ...(ownPending ? [] : ['BLOCK', String(Math.min(200, syncMs))]), 'STREAMS', options.input, ownPending ? '0' : '>']));
      if (ownPending && entries.length === 0) ownPending = false;
      await processEntries(entries);
      if (stats.trainer) await train();
      options.onBatch?.(stats);
    }
    if (stats.trainer) await evalsha(scripts.release, [keys.lease], [consumer]);
    return stats;
  } finally {
    learner.dispose();
    await client.quit().catch(() => {});
  }
}
