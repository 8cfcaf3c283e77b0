import { INCIDENT_TYPES, SOURCE_KINDS, type IncidentType, type SourceKind } from '../types';

/** Physical and traffic parameters of one kind of asset. */
export interface KindProfile {
  kind: SourceKind;
  /** Name prefix of its assets, e.g. "srv". */
  prefix: string;
  /** How many assets of this kind. */
  count: number;
  /** Relative event rate of each asset of this kind. */
  rate: number;
  /** Mean utilisation (daily-cycle centre). */
  loadBase: number;
  /** Amplitude of the daily cycle of utilisation (peak at 14:00 UTC). */
  loadAmp: number;
  /** Ambient temperature, °C. */
  ambient: number;
  /** Temperature rise at full load, °C (Newton target = ambient + heat · load). */
  heat: number;
  /** Service time, ms: latency = base / (1 − ρ), ρ = min(load, RHO_MAX). */
  latencyBase: number;
  /** Median traffic volume at zero load, bytes (log-normal centre before load and label). */
  bytesMedian: number;
  /** P(incident_type | kind), in INCIDENT_TYPES order. */
  types: number[];
}

// login_failure, malware_detection, sla_violation, network_anomaly, privilege_escalation, data_exfiltration, config_change, thermal_alarm
export const KINDS: readonly KindProfile[] = [
  { kind: 'server', prefix: 'srv', count: 6, rate: 1.2, loadBase: 0.45, loadAmp: 0.2, ambient: 30, heat: 40, latencyBase: 4, bytesMedian: 60_000,
    types: [0.18, 0.08, 0.18, 0.08, 0.12, 0.10, 0.14, 0.12] },
  { kind: 'endpoint', prefix: 'ep', count: 8, rate: 1.0, loadBase: 0.3, loadAmp: 0.2, ambient: 28, heat: 25, latencyBase: 15, bytesMedian: 20_000,
    types: [0.25, 0.22, 0.05, 0.08, 0.12, 0.14, 0.10, 0.04] },
  { kind: 'gateway', prefix: 'gw', count: 4, rate: 1.5, loadBase: 0.5, loadAmp: 0.25, ambient: 32, heat: 30, latencyBase: 2, bytesMedian: 200_000,
    types: [0.12, 0.04, 0.22, 0.30, 0.04, 0.12, 0.12, 0.04] },
  { kind: 'iot_sensor', prefix: 'iot', count: 6, rate: 0.6, loadBase: 0.2, loadAmp: 0.1, ambient: 20, heat: 15, latencyBase: 40, bytesMedian: 2_000,
    types: [0.06, 0.06, 0.14, 0.18, 0.02, 0.04, 0.12, 0.38] },
];

/** One simulated asset (fixed: the same for every seed). */
export interface Asset {
  index: number;
  name: string;
  kind: SourceKind;
  kindIndex: number;
  ip: string;
  profile: KindProfile;
}

function pad2(n: number): string {
  return n < 10 ? `0${n}` : String(n);
}

/** The 24 assets: srv-01…06, ep-01…08, gw-01…04, iot-01…06, each with a fixed 10.0.k.x address. */
export const ASSETS: readonly Asset[] = (() => {
  const out: Asset[] = [];
  KINDS.forEach((profile, kindIndex) => {
    for (let i = 1; i <= profile.count; i++) {
      out.push({
        index: out.length,
        name: `${profile.prefix}-${pad2(i)}`,
        kind: profile.kind,
        kindIndex: SOURCE_KINDS.indexOf(profile.kind),
        ip: `10.0.${kindIndex + 1}.${10 + i}`,
        profile,
      });
    }
  });
  return out;
})();

export const ASSET_BY_NAME: ReadonlyMap<string, Asset> = new Map(ASSETS.map((a) => [a.name, a]));
export const TYPE_INDEX: ReadonlyMap<string, number> = new Map(INCIDENT_TYPES.map((t, i) => [t, i]));
export const KIND_INDEX: ReadonlyMap<string, number> = new Map(SOURCE_KINDS.map((k, i) => [k, i]));
export type { IncidentType, SourceKind };

/** Number of users: user001 … user200. */
export const USER_COUNT = 200;
export const USERS: readonly string[] = Array.from({ length: USER_COUNT }, (_, i) => `user${String(i + 1).padStart(3, '0')}`);

/** Internal destination addresses (10.1.0.0/22) and external ones (documentation ranges). */
export const INTERNAL_IPS: readonly string[] = Array.from({ length: 1024 }, (_, i) => `10.1.${i >> 8}.${i & 255}`);
export const EXTERNAL_IPS: readonly string[] = (() => {
  const nets = ['203.0.113', '198.51.100', '192.0.2', '185.220.101'];
  const out: string[] = [];
  for (const n of nets) for (let i = 1; i < 255; i++) out.push(`${n}.${i}`);
  return out;
})();
