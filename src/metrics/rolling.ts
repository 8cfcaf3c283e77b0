import type { Metric } from './metric';

/**
 * A metric over the last `window` pairs only: each update beyond the window reverts the oldest pair
 * (River's `utils.Rolling`). O(1) per update; memory: one byte per pair in the window.
 */
export class Rolling implements Metric {
  readonly name: string;
  readonly window: number;
  private readonly metric: Metric;
  /** Ring buffer of pairs, encoded y·2 + yPred. */
  private readonly ring: Uint8Array;
  private head = 0;
  private count = 0;

  /** `metric` is a factory (`() => new F1()`) or a fresh metric instance that this wrapper then owns. */
  constructor(metric: Metric | (() => Metric), window: number) {
    if (!Number.isInteger(window) || window < 1) throw new RangeError(`Rolling window must be an integer ≥ 1, got ${window}`);
    this.metric = typeof metric === 'function' ? metric() : metric;
    this.window = window;
    this.name = `rolling_${this.metric.name}`;
    this.ring = new Uint8Array(window);
  }

  /** Pairs currently in the window (≤ window). */
  get size(): number {
    return this.count;
  }

  update(y: 0 | 1, yPred: 0 | 1): void {
    if (this.count === this.window) {
      const old = this.ring[this.head];
      this.metric.revert((old >> 1) as 0 | 1, (old & 1) as 0 | 1);
    } else {
      this.count++;
    }
    this.ring[this.head] = (y << 1) | yPred;
    this.head = this.head + 1 === this.window ? 0 : this.head + 1;
    this.metric.update(y, yPred);
  }

  /** Undo the most recent update still in the window (only the newest pair can be reverted). */
  revert(y: 0 | 1, yPred: 0 | 1): void {
    if (this.count === 0) throw new Error('Rolling.revert: window is empty');
    const last = this.head === 0 ? this.window - 1 : this.head - 1;
    if (this.ring[last] !== ((y << 1) | yPred)) throw new Error('Rolling.revert: pair is not the most recent one');
    this.head = last;
    this.count--;
    this.metric.revert(y, yPred);
  }

  get(): number {
    return this.metric.get();
  }

  clone(): Rolling {
    const r = new Rolling(this.metric.clone(), this.window);
    r.ring.set(this.ring);
    r.head = this.head;
    r.count = this.count;
    return r;
  }

  /** The pairs in the window, oldest first, as [y, yPred]. */
  pairs(): Array<[0 | 1, 0 | 1]> {
    const out: Array<[0 | 1, 0 | 1]> = [];
    const start = (this.head - this.count + this.window) % this.window;
    for (let i = 0; i < this.count; i++) {
      const v = this.ring[(start + i) % this.window];
      out.push([(v >> 1) as 0 | 1, (v & 1) as 0 | 1]);
    }
    return out;
  }
}
