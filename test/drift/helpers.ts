import assert from 'node:assert/strict';
import { Rng } from '../../src/learn/rng';
import type { DriftDetector, DriftSignal } from '../../src/drift/detector';

/** Bernoulli error indicators: P(1) = before for i < at, after from `at` on. */
export function bernoulli(seed: string, n: number, before: number, after = before, at = n): Uint8Array {
  const rng = new Rng(seed);
  const out = new Uint8Array(n);
  for (let i = 0; i < n; i++) out[i] = rng.next() < (i < at ? before : after) ? 1 : 0;
  return out;
}

/** Indexes at which the detector signalled a drift. */
export function drifts(det: DriftDetector, xs: ArrayLike<number>): number[] {
  const out: number[] = [];
  for (let i = 0; i < xs.length; i++) if (det.update(xs[i]!) === 'drift') out.push(i);
  return out;
}

/** First drift at or after `from`, or -1. */
export function firstDriftFrom(det: DriftDetector, xs: ArrayLike<number>, from: number): number {
  for (let i = 0; i < xs.length; i++) if (det.update(xs[i]!) === 'drift' && i >= from) return i;
  return -1;
}

/**
 * Feed a prefix, snapshot through JSON into a fresh detector, then feed both the same suffix: every
 * signal, flag and the final state must be identical.
 */
export function assertRoundTrip(make: () => DriftDetector, xs: ArrayLike<number>, cutAt: number): void {
  const a = make();
  for (let i = 0; i < cutAt; i++) a.update(xs[i]!);
  const b = make();
  b.setState(JSON.parse(JSON.stringify(a.getState())));
  assert.deepEqual(b.getState(), a.getState());
  const sa: DriftSignal[] = [];
  const sb: DriftSignal[] = [];
  for (let i = cutAt; i < xs.length; i++) {
    sa.push(a.update(xs[i]!));
    sb.push(b.update(xs[i]!));
    assert.equal(a.driftDetected, b.driftDetected);
    assert.equal(a.warningDetected, b.warningDetected);
  }
  assert.deepEqual(sb, sa);
  assert.deepEqual(b.getState(), a.getState());
}
