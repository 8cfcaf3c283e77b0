import { DedupCenter, type DedupOptions } from '../dedup/dedup-center';
import type { PackedGrouping } from '../dedup/dedup-replay';
import { batchesOf } from '../stream/batches';
import { GENERATOR_SCHEMA } from '../stream/default-schema';
import { RecordPacker, RecordUnpacker, type PackedBatch } from '../stream/packed-records';
import { openSourceBatches, recordsFromEvents, type Validated } from '../stream/source';
import type { Row, Schema } from '../types';
import type { ExperimentConfig } from './experiment-config';
import type { ResolvedExperiment } from './resolve-experiment';

/**
 * A stream read, parsed and validated once, held as packed typed-array batches (see
 * src/stream/packed-records.ts): a sweep replays it for every configuration instead of reading the
 * source again, and can copy it to worker threads without one object per record.
 */
export interface PackedStream {
  format: 'onthefly-packed-stream';
  /** The schema the records were validated against (a replay must use the same). */
  schema: Schema;
  /** Records (accepted + rejected). */
  records: number;
  batches: PackedBatch[];
  /** Dedup decisions made over these records, by the JSON of the dedup options (see groupPackedStream). */
  groupings?: Record<string, PackedGrouping>;
}

/** Options for {@link readPackedStream}: the source part of an experiment. */
export type PackedStreamSource = Pick<ExperimentConfig, 'input' | 'scenario' | 'events' | 'seed' | 'schema' | 'parseThread' | 'synth'>;

/**
 * Read an experiment's source once: the file `input`, or the generator's stream for
 * (scenario, events, seed) — the same records runExperiment would read itself.
 */
export async function readPackedStream(source: PackedStreamSource): Promise<PackedStream> {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const synthMod = source.synth ? (require('../synth/synth-stream') as typeof import('../synth/synth-stream')) : null;
  const synth = synthMod && source.synth ? synthMod.resolveSynth({ ...source.synth, events: source.events ?? 10_000, seed: source.seed ?? 1 }) : null;
  const schema = source.schema ?? (synthMod && synth ? synthMod.synthSchema(synth) : GENERATOR_SCHEMA);
  const packer = new RecordPacker(schema);
  const batches: PackedBatch[] = [];
  let records = 0;
  const add = (items: Validated[]): void => {
    if (items.length === 0) return;
    batches.push(packer.pack(items));
    records += items.length;
  };
  if (source.input !== undefined) {
    const it = openSourceBatches(source.input, schema, { parallel: source.parseThread });
    try {
      for await (const items of it) add(items);
    } finally {
      if ('close' in it) await it.close();
    }
  } else if (synthMod && synth) {
    for (const items of batchesOf(recordsFromEvents(new synthMod.SynthStream(synth), schema), 1024)) add(items);
  } else {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const { IncidentGenerator } = require('../stream/generator') as typeof import('../stream/generator');
    const generator = new IncidentGenerator({ scenario: source.scenario ?? 'stationary', events: source.events ?? 10_000, seed: source.seed ?? 1 });
    for (const items of batchesOf(recordsFromEvents(generator as Iterable<unknown> as Iterable<Row>, schema), 1024)) add(items);
  }
  return { format: 'onthefly-packed-stream', schema, records, batches };
}

/**
 * How many unpacked records a thread keeps for later replays, over all streams (about 0.5 KB each on
 * generator events): the oldest kept stream is let go first. A stream larger than this is unpacked
 * afresh on every replay, so its memory stays that of the packed form.
 */
export const REUSE_RECORDS_MAX = 500_000;

/** Options for {@link replayPackedStream}. */
export interface ReplayOptions {
  /** Records this thread may keep unpacked over all streams, this one included. Default REUSE_RECORDS_MAX; 0: keep none. */
  keepRecords?: number;
}

/** Unpacked records kept per stream, for streams whose records no run writes into (see reusable). */
const unpacked = new WeakMap<PackedStream, Validated[][]>();
/** The kept streams, oldest first, with their record counts (weakly: a stream nobody holds is gone). */
const keptOrder: { stream: WeakRef<PackedStream>; records: number }[] = [];

/**
 * Whether runs may share one set of unpacked record objects: nothing a run does writes into a
 * record or its fields, except derived features (they store each row's values in the row itself,
 * see DerivedFeatures.observe), so a schema without `derived` columns is safe to share.
 */
function reusable(stream: PackedStream, budget: number): boolean {
  return stream.records <= budget && (stream.schema.derived ?? []).length === 0;
}

function keep(stream: PackedStream, items: Validated[][], budget: number): void {
  let total = stream.records;
  for (let i = keptOrder.length - 1; i >= 0; i--) {
    const s = keptOrder[i]!.stream.deref();
    if (s === undefined || !unpacked.has(s)) keptOrder.splice(i, 1);
    else total += keptOrder[i]!.records;
  }
  while (total > budget && keptOrder.length > 0) {
    const oldest = keptOrder.shift()!;
    const s = oldest.stream.deref();
    if (s !== undefined) unpacked.delete(s);
    total -= oldest.records;
  }
  unpacked.set(stream, items);
  keptOrder.push({ stream: new WeakRef(stream), records: stream.records });
}

/**
 * The records of a packed stream again, in order. The first replay unpacks them; later replays of a
 * stream whose records no run writes into (no derived features) get the same record objects again,
 * instead of unpacking them and collecting them once per run (a thread keeps at most
 * REUSE_RECORDS_MAX records so). Either way the records equal the ones packed.
 */
export function* replayPackedStream(stream: PackedStream, options: ReplayOptions = {}): Generator<Validated[]> {
  const budget = options.keepRecords ?? REUSE_RECORDS_MAX;
  const kept = unpacked.get(stream);
  if (kept) {
    yield* kept;
    return;
  }
  const items = reusable(stream, budget) ? [] as Validated[][] : null;
  const unpacker = new RecordUnpacker(stream.schema);
  for (const b of stream.batches) {
    const batch = unpacker.unpack(b);
    items?.push(batch);
    yield batch;
  }
  // only a replay that ran to the end is kept (a run stopped midway has not unpacked every batch)
  if (items) keep(stream, items, budget);
}

/** Whether later replays of `stream` reuse the record objects of an earlier one (see replayPackedStream). */
export function reusesRecords(stream: PackedStream): boolean {
  return unpacked.has(stream);
}

/**
 * The dedup decisions of `options` over a packed stream's accepted records, in order: what a
 * DedupCenter given them one by one decides (a run replays them, see OnlinePipeline's `grouping`).
 */
export function groupPackedStream(stream: PackedStream, options: DedupOptions): PackedGrouping {
  const center = new DedupCenter(options);
  const group: number[] = [];
  const duplicate: number[] = [];
  for (const items of replayPackedStream(stream)) {
    for (const item of items) {
      if ('rejected' in item) continue;
      const r = item.record;
      group.push(center.observeGroup(r.fields, r.time, r.id));
      duplicate.push(center.lastDuplicate ? 1 : 0);
    }
  }
  return { options: JSON.stringify(options), group: Int32Array.from(group), duplicate: Uint8Array.from(duplicate), stats: center.stats(), resolved: { ...center.options } };
}

/**
 * Under which key of `PackedStream.groupings` a run finds its dedup decisions, or null when it must
 * group itself: without dedup, with an onClose callback (a replay closes no groups), or with an audit
 * log or a checkpoint (they need fingerprints and a center's state).
 */
export function groupingKey(cfg: Pick<ResolvedExperiment, 'dedup' | 'audit' | 'checkpoint'>): string | null {
  if (!cfg.dedup || cfg.dedup.onClose !== undefined || cfg.audit || cfg.checkpoint) return null;
  return JSON.stringify(cfg.dedup);
}
