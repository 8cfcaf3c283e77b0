/**
 * The generator's parameters θ: one set per regime. Scenarios switch or interpolate between them.
 * Every quantity here enters the exact posterior (see oracle.ts and docs/generator.md).
 */
import { ASSETS, KINDS } from './assets';

/** Parameters of the label model and of the label-dependent emissions. */
export interface RegimeParams {
  /** Base log-odds of the prior. */
  alpha: number;
  /** Prior log-odds offset per incident type (INCIDENT_TYPES order). */
  typeOffset: number[];
  /** Prior log-odds offset per source kind (SOURCE_KINDS order). */
  kindOffset: number[];
  /** Prior log-odds offset per asset (ASSETS order). */
  sourceOffset: number[];
  /** Prior log-odds per unit of cpu_load, centred at 0.5. */
  betaLoad: number;
  /** Prior log-odds per 10 °C of temperature_c, centred at 45 °C. */
  betaTemp: number;
  /** Prior log-odds per unit of log1p(latency_ms), centred at 3. */
  betaLatency: number;
  /** thermal_alarm only: prior log-odds per 10 °C above 55 °C (the one non-linearity). */
  thermalHinge: number;
  /** P(severity = s | not critical), s = 1..5. */
  sevWeights: number[];
  /** P(s | critical) ∝ P(s | not critical) · exp(sevKappa · s): the likelihood ratio grows with s. */
  sevKappa: number;
  /** Mean failed_logins when not critical, per incident type. */
  failBase: number[];
  /** Ratio of the failed_logins means, critical / not critical (> 1). */
  failRatio: number;
  /** Label-free shift of log(net_bytes) per incident type. */
  bytesTypeShift: number[];
  /** log(net_bytes) per unit of cpu_load. */
  bytesLoad: number;
  /** Shift of log(net_bytes) when critical. */
  bytesDelta: number;
  /** Standard deviation of log(net_bytes). */
  bytesSigma: number;
}

const SOURCE_OFFSET = ASSETS.map((a) => (a.name === 'srv-01' ? 0.5 : a.name === 'srv-02' || a.name === 'gw-01' ? 0.3 : 0));

// Types: login_failure, malware_detection, sla_violation, network_anomaly, privilege_escalation, data_exfiltration, config_change, thermal_alarm
const FAIL_BASE = [2.0, 0.2, 0.2, 0.3, 1.0, 0.2, 0.2, 0.1];
const BYTES_TYPE_SHIFT = [-0.5, 0, 0, 0.5, 0, 1.0, -0.3, -0.5];

/** Regime A: the normal operating picture. */
export const REGIME_A: RegimeParams = {
  alpha: -0.3,
  typeOffset: [-0.8, 1.0, -0.6, 0.0, 1.2, 1.3, -1.5, -0.3],
  kindOffset: [0.3, 0.0, 0.2, -0.4],
  sourceOffset: SOURCE_OFFSET,
  betaLoad: 2.0,
  betaTemp: 0.3,
  betaLatency: 0.3,
  thermalHinge: 0.8,
  sevWeights: [0.30, 0.28, 0.22, 0.13, 0.07],
  sevKappa: 1.0,
  failBase: FAIL_BASE,
  failRatio: 3,
  bytesTypeShift: BYTES_TYPE_SHIFT,
  bytesLoad: 1.2,
  bytesDelta: 1.2,
  bytesSigma: 0.9,
};

/**
 * Regime B: a changed threat picture. Type and kind offsets roughly reversed, the load,
 * temperature and latency effects change sign; severity and failed_logins keep their
 * monotone effect (so the constraints still hold).
 */
export const REGIME_B: RegimeParams = {
  ...REGIME_A,
  alpha: -2.0,
  typeOffset: [0.8, -1.0, 1.0, -0.8, 0.0, -0.6, 1.3, 0.8],
  kindOffset: [-0.3, 0.3, -0.2, 0.4],
  betaLoad: -2.0,
  betaTemp: -0.3,
  betaLatency: -0.3,
  sevWeights: [0.25, 0.25, 0.25, 0.15, 0.10],
  sevKappa: 0.9,
};

/** Regime "rare": regime A with a much lower base rate (about 3 % critical). */
export const REGIME_RARE: RegimeParams = { ...REGIME_A, alpha: -3.0 };

/**
 * Regime "C" (the `confounded` scenario's early phase): regime A with sharper type risks and many
 * failed logins from the low-risk types (login_failure, sla_violation, config_change), almost none
 * from the high-risk ones (malware_detection, privilege_escalation, data_exfiltration). Marginally,
 * many failed logins then mean a low-risk type and fewer criticals; given the type, the log-odds
 * still rise by log(failRatio) = log 3 per failed login.
 */
export const REGIME_C: RegimeParams = {
  ...REGIME_A,
  typeOffset: [-2.0, 1.5, -2.0, 0.0, 1.5, 1.5, -2.0, -0.3],
  failBase: [1.5, 0.05, 1.5, 0.3, 0.05, 0.05, 1.5, 0.1],
};

/**
 * Regime "D" (the `confounded` scenario's later phase): regime A's type risks, and the high-risk
 * types now come with many failed logins (a mean of 3 when not critical, 9 when critical), so
 * counts well above those of regime C appear.
 */
export const REGIME_D: RegimeParams = {
  ...REGIME_A,
  failBase: [0.5, 3.0, 0.2, 0.3, 3.0, 3.0, 0.2, 0.1],
};

export const REGIMES = { A: REGIME_A, B: REGIME_B, rare: REGIME_RARE, C: REGIME_C, D: REGIME_D } as const;
export type RegimeKey = keyof typeof REGIMES;

/** Parameters ready for sampling and scoring (derived tables). */
export interface Resolved {
  p: RegimeParams;
  /** Cumulative P(severity | y = 0) and P(severity | y = 1). */
  sevCum0: Float64Array;
  sevCum1: Float64Array;
  /** log Σ_s P(s | 0) exp(κ s): LLR(s) = κ s − sevLogZ. */
  sevLogZ: number;
  failLogRatio: number;
  /** −λ0 (r − 1) per type. */
  failOffset: Float64Array;
  /** Mean of log(net_bytes) at zero load, not critical: [kind * 8 + type]. */
  bytesMu0: Float64Array;
  /**
   * e^−λ of the failed-logins Poisson, [critical * 8 + type], filled on first use by the generator
   * (NaN until then: a gradual phase resolves new parameters at nearly every event).
   */
  failExpNeg: Float64Array;
}

export function resolve(p: RegimeParams): Resolved {
  const q = p.sevWeights;
  let qs = 0;
  for (const v of q) qs += v;
  const w0 = q.map((v) => v / qs);
  const w1 = w0.map((v, i) => v * Math.exp(p.sevKappa * (i + 1)));
  const z1 = w1.reduce((a, b) => a + b, 0);
  const cum = (w: number[]): Float64Array => {
    const t = w.reduce((a, b) => a + b, 0);
    const out = new Float64Array(w.length);
    let acc = 0;
    w.forEach((v, i) => { acc += v; out[i] = acc / t; });
    out[w.length - 1] = 1;
    return out;
  };
  const bytesMu0 = new Float64Array(4 * 8);
  KINDS.forEach((k, ki) => {
    for (let t = 0; t < 8; t++) bytesMu0[ki * 8 + t] = Math.log(k.bytesMedian) + p.bytesTypeShift[t];
  });
  return {
    p,
    sevCum0: cum(w0),
    sevCum1: cum(w1),
    sevLogZ: Math.log(z1),
    failLogRatio: Math.log(p.failRatio),
    failOffset: Float64Array.from(p.failBase, (l) => -l * (p.failRatio - 1)),
    bytesMu0,
    failExpNeg: new Float64Array(16).fill(NaN),
  };
}

function lerp(a: number, b: number, w: number): number {
  return a + (b - a) * w;
}
function lerpArr(a: number[], b: number[], w: number): number[] {
  return a.map((v, i) => lerp(v, b[i], w));
}

/** Parameters a fraction w ∈ [0, 1] of the way from a to b (every number linearly). */
export function mix(a: RegimeParams, b: RegimeParams, w: number): RegimeParams {
  return {
    alpha: lerp(a.alpha, b.alpha, w),
    typeOffset: lerpArr(a.typeOffset, b.typeOffset, w),
    kindOffset: lerpArr(a.kindOffset, b.kindOffset, w),
    sourceOffset: lerpArr(a.sourceOffset, b.sourceOffset, w),
    betaLoad: lerp(a.betaLoad, b.betaLoad, w),
    betaTemp: lerp(a.betaTemp, b.betaTemp, w),
    betaLatency: lerp(a.betaLatency, b.betaLatency, w),
    thermalHinge: lerp(a.thermalHinge, b.thermalHinge, w),
    sevWeights: lerpArr(a.sevWeights, b.sevWeights, w),
    sevKappa: lerp(a.sevKappa, b.sevKappa, w),
    failBase: lerpArr(a.failBase, b.failBase, w),
    failRatio: lerp(a.failRatio, b.failRatio, w),
    bytesTypeShift: lerpArr(a.bytesTypeShift, b.bytesTypeShift, w),
    bytesLoad: lerp(a.bytesLoad, b.bytesLoad, w),
    bytesDelta: lerp(a.bytesDelta, b.bytesDelta, w),
    bytesSigma: lerp(a.bytesSigma, b.bytesSigma, w),
  };
}

/** All regimes a scenario can use, for bounds that must hold in every regime. */
export const ALL_REGIMES: readonly RegimeParams[] = [REGIME_A, REGIME_B, REGIME_RARE, REGIME_C, REGIME_D];
