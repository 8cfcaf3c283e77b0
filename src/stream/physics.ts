/**
 * Physical state of the simulated assets, advanced at each of the asset's events by Δt:
 * - utilisation: mean-reverting towards a daily cycle, with bounded noise ∝ √Δt;
 * - temperature: Newton's law of cooling towards ambient + heat · load (load held over the interval);
 * - latency: M/M/1-like base / (1 − ρ), ρ = min(load, RHO_MAX).
 */
import { ASSETS, type KindProfile } from './assets';
import type { Uniform } from './rng';

/** Mean events per second over all assets (nominal arrival rate). */
export const RATE_PER_SEC = 2;
/** Nominal milliseconds per event (1000 / RATE_PER_SEC); phase boundaries sit at index · MS_PER_EVENT. */
export const MS_PER_EVENT = 1000 / RATE_PER_SEC;
/** Mean-reversion rate of utilisation, 1/s (time constant 600 s). */
export const LOAD_THETA = 1 / 600;
/** Scale of the utilisation noise: increment = LOAD_NOISE · √Δt · U, U uniform on [−√3, √3] (unit variance). */
export const LOAD_NOISE = 0.1 * Math.sqrt(2 * LOAD_THETA);
/** Utilisation is clipped to [LOAD_MIN, LOAD_MAX]. */
export const LOAD_MIN = 0.02;
export const LOAD_MAX = 0.98;
/** Utilisation cap used by the queueing latency. */
export const RHO_MAX = 0.9;
/** Thermal time constant, s. */
export const TEMP_TAU = 180;
/** Largest per-kind temperature rise at full load, °C. */
export const MAX_HEAT = Math.max(...ASSETS.map((a) => a.profile.heat));

const SQRT3 = Math.sqrt(3);
const DAY_MS = 86_400_000;
const TWO_PI = 2 * Math.PI;
const PEAK_SHIFT_MS = 8 * 3_600_000; // sin peaks 6 h later: 14:00 UTC

/** Centre of the utilisation of this kind at absolute time ms (daily cycle). */
export function loadMean(profile: KindProfile, ms: number): number {
  const phase = ((ms - PEAK_SHIFT_MS) % DAY_MS) / DAY_MS;
  return profile.loadBase + profile.loadAmp * Math.sin(TWO_PI * phase);
}

/** Observed values are rounded: load to 4 decimals, temperature and latency to 2. */
export function roundLoad(x: number): number {
  return Math.round(x * 10_000) / 10_000;
}
export function round2(x: number): number {
  return Math.round(x * 100) / 100;
}

/** The true (unrounded) state of every asset; advanced in place. */
export class AssetStates {
  readonly load: Float64Array;
  readonly temp: Float64Array;
  /** Last update time, absolute ms. */
  readonly last: Float64Array;

  constructor(startMs: number, u: Uniform) {
    const n = ASSETS.length;
    this.load = new Float64Array(n);
    this.temp = new Float64Array(n);
    this.last = new Float64Array(n);
    for (let i = 0; i < n; i++) {
      const p = ASSETS[i].profile;
      const l = clipLoad(loadMean(p, startMs) + 0.1 * (2 * u() - 1));
      this.load[i] = l;
      this.temp[i] = p.ambient + p.heat * l;
      this.last[i] = startMs;
    }
  }

  /** Advance asset i to time ms with one uniform draw x ∈ [0, 1). */
  advance(i: number, ms: number, x: number): void {
    let dt = (ms - this.last[i]) / 1000;
    if (dt < 0) dt = 0;
    this.last[i] = ms;
    if (dt === 0) return;
    const p = ASSETS[i].profile;
    const u1 = this.load[i];
    // Newton's law of cooling, load held at its value over the interval.
    const target = p.ambient + p.heat * u1;
    this.temp[i] = target + (this.temp[i] - target) * Math.exp(-dt / TEMP_TAU);
    const m = loadMean(p, ms);
    const raw = m + (u1 - m) * Math.exp(-LOAD_THETA * dt) + LOAD_NOISE * Math.sqrt(dt) * SQRT3 * (2 * x - 1);
    this.load[i] = clipLoad(raw);
  }

  /** Mark asset i as observed at ms without changing its state (storm repeats). */
  touch(i: number, ms: number): void {
    if (ms > this.last[i]) this.last[i] = ms;
  }
}

export function clipLoad(x: number): number {
  return x < LOAD_MIN ? LOAD_MIN : x > LOAD_MAX ? LOAD_MAX : x;
}

/** Queueing latency, ms, for an asset of this kind at utilisation load. */
export function latencyOf(profile: KindProfile, load: number): number {
  const rho = load < RHO_MAX ? load : RHO_MAX;
  return profile.latencyBase / (1 - rho);
}
