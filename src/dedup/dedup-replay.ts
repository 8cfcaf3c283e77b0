import type { Row } from '../types';
import type { DedupCenter, DedupStats } from './dedup-center';

/**
 * A stream's dedup decisions, made once by a {@link DedupCenter} over its accepted records in order
 * (see groupPackedStream): what a sweep hands to each of its runs instead of grouping the same stream
 * again. Structured-clone-safe (it travels to sweep threads with the stream).
 */
export interface PackedGrouping {
  /** The dedup options (runExperiment's, as JSON) the decisions were made with. */
  options: string;
  /** Per accepted record, in order: its group id. */
  group: Int32Array;
  /** Per accepted record: 1 when it joined an existing group. */
  duplicate: Uint8Array;
  /** The center's stats after the last record. */
  stats: DedupStats;
  /** The center's resolved options. */
  resolved: DedupCenter['options'];
}

/**
 * Replays a {@link PackedGrouping}: the same `observeGroup` answers as the DedupCenter that made it,
 * for the same records in the same order, without grouping again. Nothing else of a center: no
 * fingerprints (an audit log needs a real center) and no state to checkpoint.
 */
export class DedupReplay {
  readonly options: DedupCenter['options'];
  lastDuplicate = false;
  /** A replay holds no groups: no slot (see DedupCenter.lastSlot). */
  readonly lastSlot = -1;
  private next = 0;

  constructor(private readonly grouping: PackedGrouping) {
    this.options = grouping.resolved;
  }

  observeGroup(_fields: Row, _time: number | string, _id: string): number {
    const i = this.next++;
    if (i >= this.grouping.group.length) throw new RangeError(`DedupReplay: record ${i + 1} is past the ${this.grouping.group.length} the grouping was made from`);
    this.lastDuplicate = this.grouping.duplicate[i] === 1;
    return this.grouping.group[i]!;
  }

  lastFingerprint(): string {
    throw new Error('DedupReplay: a replayed grouping has no fingerprints (an audit log needs a DedupCenter)');
  }

  /** Group predictions are a center's report, not a decision: a replay keeps none. */
  setPrediction(_group: number, _p: number): void {}

  setPredictionAt(_group: number, _slot: number, _p: number): void {}

  /** The center's stats once every record it grouped was observed (a replay is only read whole). */
  stats(): DedupStats {
    if (this.next !== this.grouping.group.length) throw new Error(`DedupReplay: stats after ${this.next} of ${this.grouping.group.length} records`);
    return this.grouping.stats;
  }

  getState(): never {
    throw new Error('DedupReplay: a replayed grouping cannot be checkpointed');
  }

  setState(_state: unknown): never {
    throw new Error('DedupReplay: a replayed grouping cannot be restored');
  }
}
