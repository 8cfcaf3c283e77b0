/*
 * Cyclic time features (docs/features.md, "Time"): the event time in UTC as (sin, cos) pairs, so
 * 23:59 sits next to 00:00 and Sunday next to Monday.
 */

export type TimeFeature = 'hour' | 'weekday';

const DAY_MS = 86_400_000;
const TWO_PI = 2 * Math.PI;

/**
 * The phase in [0, 1) of an epoch-ms time: "hour" = time of day / 24 h (UTC, continuous: 06:30 → 0.2708…);
 * "weekday" = (days since Monday 00:00 UTC, fractional) / 7 (1970-01-01 was a Thursday, phase 3/7).
 */
export function timePhase(ms: number, feature: TimeFeature): number {
  if (feature === 'hour') {
    const r = ms % DAY_MS;
    return (r < 0 ? r + DAY_MS : r) / DAY_MS;
  }
  const w = (ms / DAY_MS + 3) % 7;
  return (w < 0 ? w + 7 : w) / 7;
}

/** Writes (sin 2πφ, cos 2πφ) of each feature's phase into out[at], out[at + 1], … */
export function writeTimeFeatures(ms: number, features: readonly TimeFeature[], out: Float64Array, at: number): void {
  for (let k = 0; k < features.length; k++) {
    const a = TWO_PI * timePhase(ms, features[k]!);
    out[at + 2 * k] = Math.sin(a);
    out[at + 2 * k + 1] = Math.cos(a);
  }
}
