/** The generator's scenarios: which regime is in force over which event indexes. */
import type { RegimeKey } from './regimes';

export type ScenarioName = 'stationary' | 'abrupt' | 'gradual' | 'recurring' | 'storm' | 'imbalanced' | 'logs'
  | 'delayed' | 'scarce' | 'confounded';
export const SCENARIO_NAMES: readonly ScenarioName[] = ['stationary', 'abrupt', 'gradual', 'recurring', 'storm', 'imbalanced', 'logs',
  'delayed', 'scarce', 'confounded'];

/** A run of events [start, end) (0-based event indexes) under one regime. */
export interface Phase {
  start: number;
  end: number;
  /** Regime name written in each event's `regime` field ("A", "B", "A-B" while moving from A to B, "rare"). */
  regime: string;
  /** True when incident storms (bursts of repeated incidents) occur in this phase. */
  bursts?: boolean;
  /** True when messages end with log words whose likelihoods differ by class (the `logs` scenario). */
  logs?: boolean;
}

/** Internal: a phase with the parameter sets it uses, in fractions of the event count. */
export interface PhaseSpec {
  from: number;
  to: number;
  regime: string;
  params: RegimeKey;
  /** When set, parameters move linearly (in event time) from `params` to `toward` across the phase. */
  toward?: RegimeKey;
  bursts?: boolean;
  logs?: boolean;
}

export interface Scenario {
  name: ScenarioName;
  description: string;
  /** The phases for a stream of `events` events; boundaries are Math.round(fraction · events). */
  phases(events: number): Phase[];
}

const SPECS: Record<ScenarioName, { description: string; specs: PhaseSpec[] }> = {
  stationary: {
    description: 'regime A throughout: fixed parameters, no drift',
    specs: [{ from: 0, to: 1, regime: 'A', params: 'A' }],
  },
  abrupt: {
    description: 'regime A, then at 50 % of the events an abrupt switch to regime B (type risks reversed, load/temperature/latency effects change sign)',
    specs: [
      { from: 0, to: 0.5, regime: 'A', params: 'A' },
      { from: 0.5, to: 1, regime: 'B', params: 'B' },
    ],
  },
  gradual: {
    description: 'regime A until 40 %, parameters move linearly (in event time) from A to B between 40 % and 60 %, regime B after',
    specs: [
      { from: 0, to: 0.4, regime: 'A', params: 'A' },
      { from: 0.4, to: 0.6, regime: 'A-B', params: 'A', toward: 'B' },
      { from: 0.6, to: 1, regime: 'B', params: 'B' },
    ],
  },
  recurring: {
    description: 'A → B → A: regime A for the first third, B for the second, A again for the last (measures forgetting)',
    specs: [
      { from: 0, to: 1 / 3, regime: 'A', params: 'A' },
      { from: 1 / 3, to: 2 / 3, regime: 'B', params: 'B' },
      { from: 2 / 3, to: 1, regime: 'A', params: 'A' },
    ],
  },
  storm: {
    description: 'regime A throughout; between 25 % and 75 % incident storms: an incident is repeated many times (same type, source, user, message, label), seconds apart',
    specs: [
      { from: 0, to: 0.25, regime: 'A', params: 'A' },
      { from: 0.25, to: 0.75, regime: 'A', params: 'A', bursts: true },
      { from: 0.75, to: 1, regime: 'A', params: 'A' },
    ],
  },
  imbalanced: {
    description: 'regime "rare": regime A with a lower base rate, about 3 % critical',
    specs: [{ from: 0, to: 1, regime: 'rare', params: 'rare' }],
  },
  logs: {
    description: 'regime A throughout; every message ends with 3–6 log words whose likelihoods differ by class (text evidence, included exactly in oracle_p)',
    specs: [{ from: 0, to: 1, regime: 'A', params: 'A', logs: true }],
  },
  delayed: {
    description: 'regime A throughout; labels reach the learner 2,000–5,000 events late, in bursts: every 3,000 events the labels of a whole block are released (see labelArrival)',
    specs: [{ from: 0, to: 1, regime: 'A', params: 'A' }],
  },
  scarce: {
    description: 'regime A throughout; only 1 event in 50 (chosen by a hash of seed and position) is ever labelled for the learner (see labelArrival)',
    specs: [{ from: 0, to: 1, regime: 'A', params: 'A' }],
  },
  confounded: {
    description: 'regime "C" for the first 40 %: many failed logins come from low-risk incident types, so failed_logins and critical are negatively correlated while P(critical | x) still rises by log 3 per failed login; then regime "D": high-risk types bring failed-login counts not seen early',
    specs: [
      { from: 0, to: 0.4, regime: 'C', params: 'C' },
      { from: 0.4, to: 1, regime: 'D', params: 'D' },
    ],
  },
};

/** Events between label releases in the `delayed` scenario. */
export const DELAY_BLOCK = 3000;
/** Least label delay of the `delayed` scenario, in events. */
export const DELAY_MIN = 2000;
/** In the `scarce` scenario, one event in this many is labelled. */
export const SCARCE_EVERY = 50;

/** 32-bit FNV-1a of a string. */
function fnv(s: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < s.length; i++) {
    h ^= s.charCodeAt(i);
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return h;
}

/**
 * When the label of event `position` (1-based: the events read so far when it arrived) reaches the
 * learner, as the number of events read by then; Infinity when never. Scenarios without a label
 * schedule return `position` (at once; the pipeline's labelDelay still applies on top).
 * - delayed: labels are released in bursts at DELAY_MIN + DELAY_BLOCK·k events (k = 0, 1, …): the
 *   label of event i arrives at the first release at least DELAY_MIN events later, so delays are
 *   DELAY_MIN … DELAY_MIN + DELAY_BLOCK (2,000–5,000 events);
 * - scarce: labelled iff FNV-1a("seed:position") mod SCARCE_EVERY = 0 (1 in 50), at once; never otherwise.
 * The pipeline applies it to generated streams (runExperiment without `input`).
 */
export function labelArrival(name: ScenarioName, seed: string | number, position: number): number {
  if (name === 'delayed') return DELAY_MIN + DELAY_BLOCK * Math.ceil(position / DELAY_BLOCK);
  if (name === 'scarce') return fnv(`${String(seed)}:${position}`) % SCARCE_EVERY === 0 ? position : Number.POSITIVE_INFINITY;
  return position;
}

/** True when the scenario has a label schedule (labelArrival differs from "at once"). */
export function hasLabelSchedule(name: ScenarioName): boolean {
  return name === 'delayed' || name === 'scarce';
}

/** Internal: phase specs with integer boundaries. */
export function phaseSpecs(name: ScenarioName, events: number): (PhaseSpec & { start: number; end: number })[] {
  const s = SPECS[name];
  if (!s) throw new Error(`unknown scenario "${name}" (known: ${SCENARIO_NAMES.join(', ')})`);
  return s.specs.map((p) => ({ ...p, start: Math.round(p.from * events), end: Math.round(p.to * events) }));
}

function makeScenario(name: ScenarioName): Scenario {
  return {
    name,
    description: SPECS[name].description,
    phases(events: number): Phase[] {
      return phaseSpecs(name, events).map((p) => {
        const out: Phase = { start: p.start, end: p.end, regime: p.regime };
        if (p.bursts) out.bursts = true;
        if (p.logs) out.logs = true;
        return out;
      });
    },
  };
}

export const SCENARIOS: Record<ScenarioName, Scenario> = {
  stationary: makeScenario('stationary'),
  abrupt: makeScenario('abrupt'),
  gradual: makeScenario('gradual'),
  recurring: makeScenario('recurring'),
  storm: makeScenario('storm'),
  imbalanced: makeScenario('imbalanced'),
  logs: makeScenario('logs'),
  delayed: makeScenario('delayed'),
  scarce: makeScenario('scarce'),
  confounded: makeScenario('confounded'),
};

export function isScenarioName(name: string): name is ScenarioName {
  return (SCENARIO_NAMES as readonly string[]).includes(name);
}
