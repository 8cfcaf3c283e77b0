/**
 * The exact Bayes posterior of the generator's label model (docs/generator.md).
 *
 *   logit P(critical = 1 | x) = prior logit(type, kind, source, load, temperature, latency; θ(t))
 *                              + LLR_severity + LLR_failed_logins + LLR_net_bytes
 */
import { INCIDENT_TYPES, type IncidentEvent, type Row } from '../types';
import { ASSET_BY_NAME, KIND_INDEX, TYPE_INDEX } from './assets';
import {
  LOAD_MAX, LOAD_MIN, LOAD_NOISE, LOAD_THETA, MAX_HEAT, RHO_MAX, TEMP_TAU,
} from './physics';
import { ALL_REGIMES, type Resolved } from './regimes';
import type { ScenarioName } from './scenarios';
import { logTailLLR } from './messages';
import { timeOf } from './timestamp';
import { parseStart, Timeline } from './timeline';

const THERMAL = INCIDENT_TYPES.indexOf('thermal_alarm');

/** Prior log-odds from the label-free fields. */
export function priorLogit(
  r: Resolved, type: number, kind: number, source: number, load: number, temp: number, latency: number,
): number {
  const p = r.p;
  let z = p.alpha + p.typeOffset[type] + p.kindOffset[kind] + (source >= 0 ? p.sourceOffset[source] : 0)
    + p.betaLoad * (load - 0.5) + p.betaTemp * (temp - 45) / 10 + p.betaLatency * (Math.log1p(latency) - 3);
  if (type === THERMAL && temp > 55) z += p.thermalHinge * (temp - 55) / 10;
  return z;
}

/** log-likelihood ratio of the label-dependent emissions. */
export function emissionLLR(
  r: Resolved, type: number, kind: number, load: number, severity: number, failed: number, bytes: number,
): number {
  const p = r.p;
  const s = severity < 1 ? 1 : severity > 5 ? 5 : severity;
  const sev = p.sevKappa * s - r.sevLogZ;
  const fail = failed * r.failLogRatio + r.failOffset[type];
  const x = Math.log(bytes > 1 ? bytes : 1);
  const mu0 = r.bytesMu0[kind * 8 + type] + p.bytesLoad * load;
  const d = p.bytesDelta;
  const net = (d * (x - mu0 - d / 2)) / (p.bytesSigma * p.bytesSigma);
  return sev + fail + net;
}

export function sigmoid(z: number): number {
  return 1 / (1 + Math.exp(-z));
}

/**
 * The oracle of a scenario: P(critical = 1 | the row's observed fields), exactly, under the
 * generator's model. The regime parameters are found from the row's timestamp, so it can be
 * evaluated on modified rows. Returns NaN when the row lacks a needed field or names an
 * unknown incident type / source kind.
 */
export function createOracle(
  scenario: ScenarioName = 'stationary', events = 10000, start?: string | number,
): (row: Row | IncidentEvent) => number {
  const timeline = new Timeline(scenario, events, parseStart(start));
  return (event: Row | IncidentEvent): number => {
    const row = event as Row;
    const type = TYPE_INDEX.get(row.incident_type as string);
    const kind = KIND_INDEX.get(row.source_kind as string);
    const ms = timeOf(row.timestamp);
    if (type === undefined || kind === undefined || !Number.isFinite(ms)) return NaN;
    const src = ASSET_BY_NAME.get(row.source as string);
    const seg = timeline.segmentAt(ms);
    const r = timeline.paramsIn(seg, ms);
    const load = Number(row.cpu_load);
    const z = priorLogit(r, type, kind, src ? src.index : -1, load, Number(row.temperature_c), Number(row.latency_ms))
      + emissionLLR(r, type, kind, load, Number(row.severity), Number(row.failed_logins), Number(row.net_bytes));
    // the logs scenario: the message's log words (NaN when the message has none)
    return sigmoid(seg.logs ? z + logTailLLR(row.message) : z);
  };
}

/** Point where √Δt is bounded by its tangent: √Δt ≤ √c/2 + Δt/(2√c), c = 12 s (≈ mean gap between events of one asset). */
const TANGENT_S = 12;

function smoothness() {
  const max = (f: (p: (typeof ALL_REGIMES)[number]) => number) => Math.max(...ALL_REGIMES.map(f));
  const min = (f: (p: (typeof ALL_REGIMES)[number]) => number) => Math.min(...ALL_REGIMES.map(f));
  // Lipschitz constants of the logit in each observed state field (max over regimes and their mixtures).
  const cLoad = max((p) => Math.abs(p.betaLoad)) + (max((p) => Math.abs(p.bytesDelta)) * max((p) => Math.abs(p.bytesLoad))) / min((p) => p.bytesSigma) ** 2;
  const cTemp = (max((p) => Math.abs(p.betaTemp)) + max((p) => Math.abs(p.thermalHinge))) / 10;
  const cLat = max((p) => Math.abs(p.betaLatency));
  // d log1p(base/(1−ρ)) / dρ = base / ((1−ρ)(1−ρ+base)) ≤ 1/(1−ρ) ≤ 1/(1−RHO_MAX).
  const latPerLoad = 1 / (1 - RHO_MAX);
  // |Δload| ≤ θΔt·|m − u| + noise ≤ θΔt + LOAD_NOISE·√3·(√c/2 + Δt/(2√c)).
  const noise = LOAD_NOISE * Math.sqrt(3);
  const loadEps = (noise * Math.sqrt(TANGENT_S)) / 2;
  const loadRate = LOAD_THETA * (LOAD_MAX - LOAD_MIN) + noise / (2 * Math.sqrt(TANGENT_S));
  // |ΔT| ≤ |target − T|·(1 − e^{−Δt/τ}) ≤ MAX_HEAT·(LOAD_MAX − LOAD_MIN)·Δt/τ.
  const tempRate = (MAX_HEAT * (LOAD_MAX - LOAD_MIN)) / TEMP_TAU;
  // Rounding of the observed values: load 1e-4, temperature 0.01, log1p(latency) ≤ 0.01 (two roundings each).
  const roundLogit = cLoad * 1e-4 + cTemp * 0.01 + cLat * 0.01;
  // |Δp| ≤ |Δlogit| / 4.
  const epsilon = (cLoad * loadEps + cLat * latPerLoad * loadEps + roundLogit) / 4;
  const perSecond = ((cLoad + cLat * latPerLoad) * loadRate + cTemp * tempRate) / 4;
  return { epsilon, perSecond };
}

const S = smoothness();

/**
 * A proven bound for temporal smoothness: for two consecutive events of the same source at
 * times t1 < t2, replacing the later event's state fields by the earlier event's changes the
 * oracle probability by at most epsilon + perSecond · (t2 − t1 in seconds).
 */
export const SMOOTHNESS: {
  stateFields: ['cpu_load', 'temperature_c', 'latency_ms'];
  epsilon: number;
  perSecond: number;
} = {
  stateFields: ['cpu_load', 'temperature_c', 'latency_ms'],
  epsilon: S.epsilon,
  perSecond: S.perSecond,
};
