import { dedupOptionsForSchema, resolveDedupOptions, type DedupOptions } from '../dedup/dedup-options';
import { fingerprintString, FingerprintHasher } from '../dedup/fingerprint';
import { createLearner } from '../learn/create-learner';
import type { Learner, LearnerOptions } from '../learn/learner';
import { GENERATOR_SCHEMA } from '../stream/default-schema';
import { rawText, validateRow } from '../stream/validate';
import type { Row, Schema } from '../types';
import { DEFAULT_PACK } from './produce';
import { MODEL_IF_NEWER, PROCESS_BATCH, PUBLISH_MODEL, RELEASE_LEASE, RENEW_LEASE, SCORE_LABEL } from './scripts';

type Client = ReturnType<typeof import('redis').createClient>;

/** The redis client, loaded on first use (importing the library does not load it). */
// eslint-disable-next-line @typescript-eslint/no-require-imports
const createClient = (options: { url: string }): Client => (require('redis') as typeof import('redis')).createClient(options);

/** Options for {@link runWorker}. */
export interface WorkerOptions {
  /** Redis URL, e.g. redis://127.0.0.1:6379. Required. */
  redis: string;
  /** Input stream: entries with one field `e` holding one event's JSON or several, one per line (`produce --pack`). Required. */
  input: string;
  /**
   * Output stream: one entry per input entry, field `r` = one JSON line `{id, p, prediction, group,
   * duplicate, version}` per valid event of the input entry, in its order. Required.
   */
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
  /** Learner options (every worker must use the same). Default: createLearner's (auto). */
  learner?: Omit<LearnerOptions, 'schema'>;
  /** Labelled novel events per learning step (trainer). Default 256. */
  batch?: number;
  /** Dedup (key, windowMs; exact fingerprints only), or false. Default {} (the schema's key, 5 minutes). */
  dedup?: DedupOptions | false;
  /** Events per read, about (entries are read whole: the entry count follows the events per entry seen). Default 1000. */
  count?: number;
  /** Pending entries idle this long are claimed from other consumers (XAUTOCLAIM). Default 10,000 ms. */
  claimIdleMs?: number;
  /** The trainer's lease; another worker takes training over within this long after it dies. Default 3,000 ms. */
  leaseMs?: number;
  /** How often a non-trainer checks for a new model version. Default 200 ms. */
  syncMs?: number;
  /** How long written entry ids, scored ids and unlabelled events are remembered: at least this and, for written entries (bucketed), less than twice this. Default 86,400 s. */
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
  /** Events (lines) in the entries processed, rejects and redeliveries included. */
  events: number;
  /** Predictions this worker wrote (events of entries written already excluded). */
  written: number;
  /** Events whose entry had been written already (redelivered after a crash). */
  redelivered: number;
  /** Events rejected (invalid lines, entries without `e`). */
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

/**
 * The trainer's entries (oldest first, each with how many of its rows are not learned yet) after the
 * oldest `learned` rows were learned: `done`, every row learned (to acknowledge), and `held`, the rest
 * (the first with its count reduced by the rows of it already learned). The inputs are not changed.
 */
export function splitLearned<A extends { rows: number }>(acks: A[], learned: number): { done: A[]; held: A[] } {
  let left = learned;
  let k = 0;
  while (k < acks.length && acks[k]!.rows <= left) left -= acks[k++]!.rows;
  const held = acks.slice(k);
  if (held.length > 0 && left > 0) held[0] = { ...held[0]!, rows: held[0]!.rows - left };
  return { done: acks.slice(0, k), held };
}

function field(fields: string[], name: string): string | undefined {
  for (let i = 0; i + 1 < fields.length; i += 2) if (fields[i] === name) return fields[i + 1];
  return undefined;
}

/**
 * One worker of a consumer group on a Redis stream (docs/scale-out.md): reads events, groups them
 * against dedup keys shared in Redis, predicts with the newest model version, and writes exactly one
 * prediction per event of each input entry, as one output entry per input entry (an atomic script keyed
 * on the input entry id makes redeliveries no-ops). One worker at a time holds the
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
    scored: (id: string) => `${prefix}:scored:${id}`,
    /** A novel unlabelled event kept for its late label (written by PROCESS_BATCH; the id as JSON). */
    event: (id: string) => `${prefix}:event:${JSON.stringify(id)}`,
  };
  const trainerGroup = 'trainer';

  const client: Client = createClient({ url: options.redis });
  client.on('error', () => {}); // reconnects are the client's; commands that fail reject on their own
  await client.connect();
  const learner: Learner = await createLearner({ seed: 1, ...options.learner, schema });
  const stats: WorkerStats = { consumer, processed: 0, events: 0, written: 0, redelivered: 0, rejected: 0, claimed: 0, version: 0, steps: 0, trainer: false };
  try {
    await ensureGroup(client, options.input, options.group);
    await ensureGroup(client, keys.train, trainerGroup);
    if (options.labels) await ensureGroup(client, options.labels, trainerGroup);
    const sha = async (script: string): Promise<string> => String(await client.sendCommand(['SCRIPT', 'LOAD', script]));
    const scripts = { batch: await sha(PROCESS_BATCH), score: await sha(SCORE_LABEL), renew: await sha(RENEW_LEASE), release: await sha(RELEASE_LEASE), publish: await sha(PUBLISH_MODEL), model: await sha(MODEL_IF_NEWER) };
    const evalsha = (s: string, ks: string[], args: string[]): Promise<unknown> => client.sendCommand(['EVALSHA', s, String(ks.length), ...ks, ...args]);

    /** MODEL_IF_NEWER's command: the model when its version is newer than ours (sent alone, or with a batch). */
    const modelIfNewer = (): string[] => ['EVALSHA', scripts.model, '2', keys.version, keys.model, String(stats.version)];
    /** Load the model of a MODEL_IF_NEWER reply ({version} or {version, state}) when it is newer. */
    const applyModel = (reply: unknown): void => {
      if (!Array.isArray(reply) || typeof reply[1] !== 'string') return;
      const v = Number(reply[0]);
      if (v > stats.version) {
        learner.setState(JSON.parse(reply[1]));
        stats.version = v;
      }
    };
    const loadModel = async (): Promise<void> => applyModel(await client.sendCommand(modelIfNewer()));

    // Trainer state: rows waiting for a full batch, with the train/labels entries they came from.
    let trainRows: Row[] = [];
    let trainLabels: number[] = [];
    /** The train (or labels) entries whose rows are in hand, oldest first, with how many of their rows are not learned yet. */
    let trainAcks: { stream: string; id: string; rows: number }[] = [];
    let waitingLabels: { entryId: string; f: string[]; since: number }[] = [];
    /** Whether the next train round claims every pending train entry (idle 0): the first after taking the lease. */
    let claimAll = true;
    const becomeTrainer = async (): Promise<void> => {
      stats.trainer = true;
      claimAll = true;
      await loadModel();
      trainRows = [];
      trainLabels = [];
      trainAcks = [];
      waitingLabels = [];
    };
    let lastLease = 0;
    /**
     * Renew the lease when a third of it has passed (or take it when free). Called between batches and
     * between the trainer's learning steps: a long round of learning (a new trainer relearning what the
     * old one left pending, a loaded machine) must not let the lease lapse before its model is published,
     * or every trainer in turn would lose it before publishing.
     */
    const leaseIfDue = async (): Promise<void> => {
      const now = Date.now();
      if (now - lastLease < leaseMs / 3) return;
      lastLease = now;
      await lease();
    };
    const lease = async (): Promise<void> => {
      if (stats.trainer) {
        if (Number(await evalsha(scripts.renew, [keys.lease, keys.version], [consumer, String(leaseMs), String(stats.version)])) !== 1) stats.trainer = false;
      } else if ((await client.sendCommand(['SET', keys.lease, consumer, 'NX', 'PX', String(leaseMs)]) as unknown) === 'OK') {
        await becomeTrainer();
      }
    };

    const trainStream = options.labels ?? keys.train;
    /**
     * The trainer's two reads of a round (XAUTOCLAIM, XREADGROUP on the train or labels stream): entries a
     * dead trainer had read but not acknowledged come first (only one trainer at a time): all of them on
     * the first round after taking the lease, then those idle for a lease (a trainer that lost the lease
     * late), not our own held entries again each round. Sent behind the batch script in its MULTI (the
     * batch's own train entry is then among them), or alone when there was no batch.
     */
    const trainReads = (): [string[], string[]] => {
      const minIdle = claimAll ? '0' : String(leaseMs);
      claimAll = false;
      return [
        ['XAUTOCLAIM', trainStream, trainerGroup, consumer, minIdle, '0-0', 'COUNT', String(count)],
        ['XREADGROUP', 'GROUP', trainerGroup, consumer, 'COUNT', String(count), 'STREAMS', trainStream, '>'],
      ];
    };

    /**
     * The trainer's round: everything new on the train (or labels) stream, learned `batch` rows at a time.
     * `read`: the replies of trainReads() when they went with the batch; otherwise they are sent now.
     */
    const train = async (read?: [unknown, unknown]): Promise<void> => {
      const stream = trainStream;
      const [claimed, freshReply] = (read ?? await Promise.all(trainReads().map((c) => client.sendCommand(c)))) as [[string, Entry[]] | null, unknown];
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
            trainAcks.push({ stream, id: w.entryId, rows: 1 });
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
        // One train entry per processed batch: `e` = its labelled events as they came, one JSON line each,
        // `m` = "1" for the lines to learn (novel, first written), one character per line (PROCESS_BATCH);
        // validated again here, as the worker that predicted them did.
        for (const [entryId, f] of entries) {
          const lines = (field(f, 'e') ?? '').split('\n');
          const mask = field(f, 'm') ?? '';
          let added = 0;
          for (let q = 0; q < lines.length && q < mask.length; q++) {
            if (mask.charCodeAt(q) !== 49) continue; // '1'
            let e: unknown;
            try {
              e = JSON.parse(lines[q]!);
            } catch {
              e = null;
            }
            const v = e !== null && typeof e === 'object' && !Array.isArray(e) ? validateRow(e, 0, schema) : null;
            if (v && 'record' in v) {
              trainRows.push(v.record.fields);
              trainLabels.push(v.record.label);
              added++;
            }
          }
          trainAcks.push({ stream, id: entryId, rows: added });
        }
      }
      let from = 0;
      let learned = false;
      while (trainRows.length - from >= batch) {
        if (from > 0) {
          await leaseIfDue();
          if (!stats.trainer) return; // lost the lease: the new trainer relearns our unacknowledged entries
        }
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
      // The entries whose rows the model has all learned are acknowledged with its publication, in one
      // script; an entry with rows short of a batch stays pending (a new trainer learns all its rows
      // again: at-least-once).
      const split = splitLearned(trainAcks, from);
      const done = split.done.map((a) => a.id);
      if (learned) {
        await leaseIfDue();
        if (!stats.trainer) return;
        const v = Number(await evalsha(scripts.publish, [keys.lease, keys.model, keys.version, stream], [consumer, JSON.stringify(learner.getState()), String(stats.version), trainerGroup, ...done]));
        if (v === 0) {
          stats.trainer = false; // lost the lease: the new trainer relearns our unacknowledged entries
          return;
        }
        stats.version = v;
      } else if (done.length > 0) {
        await client.sendCommand(['XACK', stream, trainerGroup, ...done]);
      }
      trainAcks = split.held;
    };

    /**
     * Predict one batch of input entries; write, count and acknowledge them in one atomic script. With
     * `after` (commands: the non-blocking XREADGROUP of the next batch, the trainer's reads of its train
     * stream, a non-trainer's model check), they go in the same MULTI/EXEC, right behind the script, and
     * their replies are returned: Redis serves them without another round trip each and before another
     * worker's script, so with several workers each one's wait for Redis is its own script, not its own
     * plus the others' once per command.
     */
    /**
     * Entries per read: about `count` events. processEntries adapts it to the events per entry it sees;
     * the first read assumes produce's default packing (a first batch of single-event entries is only smaller).
     */
    let readCount = Math.max(1, Math.ceil(count / DEFAULT_PACK));
    const processEntries = async (entries: Entry[], after: string[][] = []): Promise<unknown[] | null> => {
      if (entries.length === 0) return null;
      const recs: { id: string; fields: Row; label: number | null; text: string }[] = [];
      /** Valid events per entry, in entry order (the script writes each entry's records as one output entry). */
      const counts: number[] = new Array(entries.length);
      const rejects: { entry: number; line: number; reason: string; raw: string }[] = [];
      const lf = schema.label.field;
      const unlabelledValue = (schema.label.positive ?? schema.label.negative ?? [0])[0];
      let events = 0;
      for (let j = 0; j < entries.length; j++) {
        const f = entries[j]![1];
        stats.processed++;
        const packed = field(f, 'e');
        let valid = 0;
        if (packed === undefined) {
          stats.rejected++;
          rejects.push({ entry: j + 1, line: 1, reason: 'entry has no field "e"', raw: '' });
        } else {
          // One event per line (produce --pack K joins K lines with "\n"); blank lines are skipped.
          const lines = packed.indexOf('\n') < 0 ? [packed] : packed.split('\n');
          for (let q = 0; q < lines.length; q++) {
            const text = lines[q]!;
            if (lines.length > 1 && text.trim() === '') continue;
            events++;
            let event: unknown;
            try {
              event = JSON.parse(text);
            } catch {
              event = undefined;
            }
            const labelled = event !== null && typeof event === 'object' && (event as Row)[lf] !== undefined;
            const v = event !== null && typeof event === 'object' && !Array.isArray(event)
              ? validateRow(labelled ? event : { ...(event as Row), [lf]: unlabelledValue }, 0, schema)
              : { rejected: { line: 0, reason: 'not a JSON object', raw: rawText(text) } };
            if ('rejected' in v) {
              stats.rejected++;
              rejects.push({ entry: j + 1, line: q + 1, reason: v.rejected.reason, raw: v.rejected.raw });
              continue;
            }
            recs.push({ id: v.record.id, fields: v.record.fields, label: labelled ? v.record.label : null, text });
            valid++;
          }
        }
        counts[j] = valid;
      }
      stats.events += events;
      // The next read asks for about `count` events: entries are read whole, so the entry count follows
      // the events per entry seen last.
      readCount = Math.max(1, Math.min(count, Math.round(count * entries.length / Math.max(1, events))));
      const probs = recs.length > 0 ? learner.predictMany(recs.map((r) => r.fields)) : new Float64Array(0);
      const store = options.labels ? '1' : '0';
      const n = recs.length;
      const E = entries.length;
      const batchKeys = [options.output, keys.metrics, keys.train, options.input, keys.rejects];
      // The entry ids, their event counts, the labelled events' lines, then four blocks of n values (ids as
      // JSON, fingerprints, records as when novel, cells) and with store a fifth (the kept events), then
      // the rejects: see PROCESS_BATCH.
      const I = 10 + 2 * E;
      const blocks = store === '1' ? 5 : 4;
      const args: string[] = new Array(I + blocks * n);
      args[0] = prefix; args[1] = ttl; args[2] = windowTtl; args[3] = options.group; args[4] = store;
      const version = String(stats.version);
      args[5] = version; args[6] = String(E); args[7] = String(n); args[8] = String(rejects.length);
      for (let j = 0; j < E; j++) {
        args[9 + j] = entries[j]![0];
        args[9 + E + j] = String(counts[j]);
      }
      const tail = `,"duplicate":false,"version":${version}}`;
      let labelledLines = '';
      for (let i = 0; i < n; i++) {
        const r = recs[i]!;
        const jid = JSON.stringify(r.id);
        let fp = '';
        if (hasher) {
          hasher.lanes(r.fields);
          fp = fingerprintString(hasher.hi, hasher.lo);
        }
        const p = probs[i]!;
        const pred = p >= 0.5 ? 1 : 0;
        args[I + i] = jid;
        args[I + n + i] = fp;
        args[I + 2 * n + i] = `{"id":${jid},"p":${Number.isFinite(p) ? String(p) : 'null'},"prediction":${pred},"group":${jid}${tail}`;
        if (r.label === null) {
          args[I + 3 * n + i] = '';
          // Kept for a late label (labels apart).
          if (store === '1') args[I + 4 * n + i] = `{"f":${JSON.stringify(r.fields)},"pred":${pred}}`;
        } else {
          args[I + 3 * n + i] = r.label === 1 ? (pred === 1 ? 'tp' : 'fn') : pred === 1 ? 'fp' : 'tn';
          if (store === '1') args[I + 4 * n + i] = '';
          // The labelled event travels as it came (valid since it parsed; the trainer validates it again),
          // all of the batch's in one argument: the script marks which of them to learn.
          labelledLines = labelledLines === '' ? r.text : `${labelledLines}\n${r.text}`;
        }
      }
      args[9 + 2 * E] = labelledLines;
      for (const r of rejects) args.push(String(r.entry), String(r.line), r.reason, r.raw);
      const script = ['EVALSHA', scripts.batch, String(batchKeys.length), ...batchKeys, ...args];
      let reply: unknown;
      let replies: unknown[] = [];
      if (after.length > 0) {
        let multi = client.multi().addCommand(script);
        for (const c of after) multi = multi.addCommand(c);
        // A failed command inside the transaction surfaces as itself, not as node-redis' MultiErrorReply.
        [reply, ...replies] = await multi.exec()
          .catch((err: unknown) => { throw (err as { replies?: unknown[] }).replies?.find((x) => x instanceof Error) ?? err; });
      } else {
        reply = await client.sendCommand(script);
      }
      const [written, redelivered] = reply as [number, number, number];
      stats.written += Number(written);
      stats.redelivered += Number(redelivered);
      return replies;
    };

    let ownPending = true;
    let lastClaim = 0;
    let lastSync = 0;
    // First our own pending entries (from before a restart), then new ones.
    const readArgs = (block: boolean): string[] => ['XREADGROUP', 'GROUP', options.group, consumer, 'COUNT', String(readCount),
      ...(block && !ownPending ? ['BLOCK', String(Math.min(200, syncMs))] : []), 'STREAMS', options.input, ownPending ? '0' : '>'];
    /** Entries read behind the last script and not processed yet. */
    let prefetched: Entry[] | null = null;
    while (!options.signal?.aborted) {
      await leaseIfDue();
      const now = Date.now();
      // A non-trainer's model check goes with its batch when it has one in hand (below).
      if (!stats.trainer && !prefetched && now - lastSync >= syncMs) {
        lastSync = now;
        await loadModel();
      }
      if (now - lastClaim >= claimIdle / 2) {
        lastClaim = now;
        const reply = await client.sendCommand(['XAUTOCLAIM', options.input, options.group, consumer, String(claimIdle), '0-0', 'COUNT', String(readCount)]) as [string, Entry[]];
        const claimed = (reply?.[1] ?? []).filter((e) => Array.isArray(e) && Array.isArray(e[1]));
        stats.claimed += claimed.length;
        await processEntries(claimed);
      }
      const entries = prefetched ?? entriesOf(await client.sendCommand(readArgs(true)));
      prefetched = null;
      if (ownPending && entries.length === 0) ownPending = false;
      let trainRead: [unknown, unknown] | undefined;
      if (entries.length > 0) {
        // Behind the script, in its MULTI: the next read, and the trainer's reads or a non-trainer's model check.
        const after = [readArgs(false)];
        const trainer = stats.trainer;
        if (trainer) after.push(...trainReads());
        const sync = !trainer && now - lastSync >= syncMs;
        if (sync) {
          lastSync = now;
          after.push(modelIfNewer());
        }
        const replies = (await processEntries(entries, after))!;
        const next = entriesOf(replies[0]);
        if (next.length === 0) ownPending = false;
        else prefetched = next;
        if (trainer) trainRead = [replies[1], replies[2]];
        if (sync) applyModel(replies[1]);
      }
      if (stats.trainer) await train(trainRead);
      options.onBatch?.(stats);
    }
    // Stopping: entries already read behind the last script are finished too (not left pending).
    if (prefetched) await processEntries(prefetched);
    if (stats.trainer) await evalsha(scripts.release, [keys.lease], [consumer]);
    return stats;
  } finally {
    learner.dispose();
    await client.quit().catch(() => {});
  }
}
