/**
 * The on-the-fly cyber-physical incident generator G(θ, ξ; s) → x (docs/generator.md).
 * An iterable: each pass re-creates its random source from the seed and replays the same stream.
 */
import { INCIDENT_TYPES, type IncidentEvent, type Row } from '../types';
import { batchesOf } from './batches';
import { ASSETS, EXTERNAL_IPS, INTERNAL_IPS, KINDS, USERS } from './assets';
import { LOG_SEPARATOR, logTail, makeMessage } from './messages';
import { createOracle, emissionLLR, priorLogit, sigmoid } from './oracle';
import { AssetStates, latencyOf, round2, roundLoad } from './physics';
import { createRng, cumulative, Draws, type Uniform } from './rng';
import { isScenarioName, SCENARIOS, type Phase, type ScenarioName, SCENARIO_NAMES } from './scenarios';
import { IsoFormatter } from './timestamp';
import type { Resolved } from './regimes';
import { DEFAULT_START, parseStart, Timeline, type Segment } from './timeline';

/** Options of {@link IncidentGenerator}. */
export interface GeneratorOptions {
  /** Scenario (regimes over time). Default "stationary". */
  scenario?: ScenarioName;
  /** Number of events in the stream (phase boundaries are fractions of it). Default 10000. */
  events?: number;
  /** Seed of all randomness: same options → same events. Default 1. */
  seed?: string | number;
  /** Time of the stream's start, ISO 8601. Default "2025-10-07T00:00:00.000Z". */
  start?: string;
}

/** In a storm phase: chance that a fresh incident starts a burst of repeats. */
export const BURST_START_P = 0.02;
/** Repeats per burst: uniform integer in [BURST_MIN, BURST_MAX]. */
export const BURST_MIN = 10;
export const BURST_MAX = 60;
/** While a burst runs, chance that the next event is one of its repeats. */
export const BURST_REPEAT_P = 0.5;

const ASSET_CUM = cumulative(ASSETS.map((a) => a.profile.rate));
const TYPE_CUM = KINDS.map((k) => cumulative(k.types));
const KIND_OF_ASSET = ASSETS.map((a) => KINDS.indexOf(a.profile));
const EXTERNAL_DEST: boolean[] = INCIDENT_TYPES.map((t) => t === 'network_anomaly' || t === 'data_exfiltration');

/** "ev-" and the zeros that pad an id of n digits to 8. */
const ID_PREFIX = Array.from({ length: 17 }, (_, n) => `ev-${'0'.repeat(Math.max(0, 8 - n))}`);
/** The id of event index i: "ev-" and i + 1 with at least 8 digits. */
function eventId(i: number): string {
  const s = String(i + 1);
  return ID_PREFIX[s.length] + s;
}
/** "000"…"999": the last three digits of an id. */
const DIGITS3: string[] = Array.from({ length: 1000 }, (_, i) => String(i).padStart(3, '0'));

/**
 * Event ids for increasing indexes without a number-to-string conversion per event: the id
 * without its last three digits is cached per block of 1000 numbers (a number's digit count only
 * changes at a power of ten, which starts a block).
 */
class EventIds {
  private block = -1;
  private prefix = '';

  id(i: number): string {
    const n = i + 1;
    const block = Math.floor(n / 1000);
    if (block !== this.block) {
      this.block = block;
      this.prefix = block === 0 ? 'ev-00000' : eventId(block * 1000 - 1).slice(0, -3);
    }
    return this.prefix + DIGITS3[n - block * 1000];
  }
}

/** One pass over the stream. */
export class GeneratorRun implements IterableIterator<IncidentEvent> {
  private readonly u: Uniform;
  private readonly d: Draws;
  private readonly timeline: Timeline;
  private readonly states: AssetStates;
  private readonly fmt = new IsoFormatter();
  private readonly ids = new EventIds();
  private readonly n: number;
  private i = 0;
  private segIndex = -1;
  private seg!: Segment;
  private x = 0;
  private remaining = 0;
  private burstLeft = 0;
  private burstSource = -1;
  private burst: IncidentEvent | null = null;

  constructor(scenario: ScenarioName, events: number, seed: string | number, startMs: number) {
    this.n = events;
    this.u = createRng(seed);
    this.d = new Draws(this.u);
    this.timeline = new Timeline(scenario, events, startMs);
    this.states = new AssetStates(startMs, this.u);
  }

  [Symbol.iterator](): IterableIterator<IncidentEvent> {
    return this;
  }

  next(): IteratorResult<IncidentEvent> {
    if (this.i >= this.n) return { done: true, value: undefined };
    return { done: false, value: this.step() };
  }

  /** The next event, or undefined at the end (like next(), without the result object). */
  nextEvent(): IncidentEvent | undefined {
    return this.i < this.n ? this.step() : undefined;
  }

  /** Events emitted so far in this pass. */
  get index(): number {
    return this.i;
  }

  /** Time of event i: uniform order statistics within its phase window (a Poisson process conditioned on the phase's count). */
  private nextTime(i: number): number {
    const segs = this.timeline.segments;
    while (this.segIndex < 0 || i >= this.seg.end) {
      this.seg = segs[++this.segIndex];
      this.x = 0;
      this.remaining = this.seg.end - this.seg.start;
    }
    const v = 1 - this.u();
    this.x += (1 - this.x) * (1 - Math.pow(v, 1 / this.remaining));
    this.remaining--;
    const seg = this.seg;
    let ms = Math.floor(seg.startMs + this.x * (seg.endMs - seg.startMs));
    if (ms >= seg.endMs) ms = seg.endMs - 1;
    return ms;
  }

  /** The next repeat of the running burst (storm scenario). */
  private repeat(i: number, ms: number, timestamp: string): IncidentEvent {
    const b = this.burst!;
    this.burstLeft--;
    this.states.touch(this.burstSource, ms);
    return {
      event_id: this.ids.id(i), timestamp, incident_type: b.incident_type, severity: b.severity,
      source: b.source, source_kind: b.source_kind, source_ip: b.source_ip, dest_ip: b.dest_ip,
      user: b.user, cpu_load: b.cpu_load, net_bytes: b.net_bytes, temperature_c: b.temperature_c,
      latency_ms: b.latency_ms, failed_logins: b.failed_logins, message: b.message,
      regime: b.regime, critical: b.critical, oracle_p: b.oracle_p,
    };
  }

  /** failed_logins ~ Poisson(λ_type · r^critical), with e^−λ cached per regime (one exp fewer per event). */
  private failedLogins(r: Resolved, type: number, critical: 0 | 1): number {
    const p = r.p;
    const lambda = p.failBase[type] * (critical ? p.failRatio : 1);
    const cache = r.failExpNeg;
    const k = critical * 8 + type;
    let e = cache[k];
    if (e !== e) e = cache[k] = Math.exp(-lambda);
    return this.d.poisson(lambda, e);
  }

  private step(): IncidentEvent {
    const u = this.u;
    const i = this.i++;
    const ms = this.nextTime(i);
    const seg = this.seg;
    const timestamp = this.fmt.format(ms);

    if (this.burstLeft > 0 && !seg.bursts) this.burstLeft = 0; // storms end with their phase
    if (this.burstLeft > 0 && u() < BURST_REPEAT_P) return this.repeat(i, ms, timestamp);

    // Source: by rate (never the asset of a running burst, whose state the repeats freeze).
    let src = this.d.pick(ASSET_CUM);
    while (src === this.burstSource && this.burstLeft > 0) src = this.d.pick(ASSET_CUM);
    const asset = ASSETS[src];
    const profile = asset.profile;
    const ki = KIND_OF_ASSET[src];
    const states = this.states;
    states.advance(src, ms, u());
    const load = roundLoad(states.load[src]);
    const temp = round2(states.temp[src]);
    const latency = round2(latencyOf(profile, states.load[src]));
    const type = this.d.pick(TYPE_CUM[ki]);

    const r = this.timeline.paramsIn(seg, ms);
    const p = r.p;
    const kind = asset.kindIndex;
    const prior = priorLogit(r, type, kind, src, load, temp, latency);
    const critical: 0 | 1 = u() < sigmoid(prior) ? 1 : 0;
    const severity = 1 + this.d.pick(critical ? r.sevCum1 : r.sevCum0);
    const failed = this.failedLogins(r, type, critical);
    const z = r.bytesMu0[kind * 8 + type] + p.bytesLoad * load + (critical ? p.bytesDelta : 0) + p.bytesSigma * this.d.normal();
    let bytes = Math.round(Math.exp(z));
    if (bytes < 1) bytes = 1;
    const zOracle = prior + emissionLLR(r, type, kind, load, severity, failed, bytes);

    const user = USERS[(u() * USERS.length) | 0];
    const destIp = EXTERNAL_DEST[type] && u() < 0.7
      ? EXTERNAL_IPS[(u() * EXTERNAL_IPS.length) | 0]
      : INTERNAL_IPS[(u() * INTERNAL_IPS.length) | 0];
    const ev: IncidentEvent = {
      event_id: this.ids.id(i), timestamp, incident_type: INCIDENT_TYPES[type], severity,
      source: asset.name, source_kind: asset.kind, source_ip: asset.ip, dest_ip: destIp,
      user, cpu_load: load, net_bytes: bytes, temperature_c: temp, latency_ms: latency,
      failed_logins: failed, message: '', regime: seg.regime, critical, oracle_p: NaN,
    };
    ev.message = makeMessage(u, type, ev);
    if (seg.logs) {
      const tail = logTail(u, critical);
      ev.message = flatten(ev.message + LOG_SEPARATOR + tail.text);
      ev.oracle_p = sigmoid(zOracle + tail.llr);
    } else {
      ev.oracle_p = sigmoid(zOracle);
    }
    if (seg.bursts && this.burstLeft === 0 && u() < BURST_START_P) {
      this.burst = ev;
      this.burstSource = src;
      this.burstLeft = this.d.int(BURST_MIN, BURST_MAX);
    } else if (this.burstLeft === 0) {
      this.burstSource = -1;
    }
    return ev;
  }
}

export interface ResolvedGeneratorOptions {
  scenario: ScenarioName;
  events: number;
  seed: string | number;
  start: string;
}

/** Check and complete generator options (throws a clear Error on bad values). */
export function resolveGeneratorOptions(options: GeneratorOptions = {}): ResolvedGeneratorOptions {
  const scenario = options.scenario ?? 'stationary';
  if (!isScenarioName(scenario)) throw new Error(`unknown scenario "${scenario}" (known: ${SCENARIO_NAMES.join(', ')})`);
  const events = options.events ?? 10000;
  if (!Number.isInteger(events) || events < 0) throw new Error(`events must be a non-negative integer, got ${events}`);
  const seed = options.seed ?? 1;
  if (typeof seed !== 'string' && !(typeof seed === 'number' && Number.isFinite(seed))) throw new Error(`seed must be a string or a finite number, got ${String(seed)}`);
  const start = options.start ?? DEFAULT_START;
  parseStart(start);
  return { scenario, events, seed, start };
}

/**
 * The incident stream as an iterable. Iterating twice gives the same events; pull them one at a
 * time (`for…of`, the iterator's next()), or in batches.
 */
export class IncidentGenerator implements Iterable<IncidentEvent> {
  readonly options: Readonly<ResolvedGeneratorOptions>;

  constructor(options: GeneratorOptions = {}) {
    this.options = Object.freeze(resolveGeneratorOptions(options));
  }

  /** A fresh pass over the stream. */
  [Symbol.iterator](): GeneratorRun {
    const o = this.options;
    return new GeneratorRun(o.scenario, o.events, o.seed, parseStart(o.start));
  }

  /** The first n events (of a fresh pass). */
  take(n: number = this.options.events): IncidentEvent[] {
    const run = this[Symbol.iterator]();
    const out: IncidentEvent[] = [];
    for (let e = out.length < n ? run.nextEvent() : undefined; e !== undefined; e = out.length < n ? run.nextEvent() : undefined) {
      out.push(e);
    }
    return out;
  }

  /** A fresh pass in arrays of `size` events (the last one may be shorter). */
  batches(size = 1000): Generator<IncidentEvent[]> {
    return batchesOf(this, size);
  }

  /** The exact posterior of this stream's model (createOracle with this stream's scenario, events and start). */
  oracle(): (row: Row | IncidentEvent) => number {
    return createOracle(this.options.scenario, this.options.events, this.options.start);
  }

  /** The scenario's phases for this stream's length. */
  phases(): Phase[] {
    return SCENARIOS[this.options.scenario].phases(this.options.events);
  }
}

/** All events of a stream, in memory. */
export function generateEvents(options: GeneratorOptions = {}): IncidentEvent[] {
  return new IncidentGenerator(options).take();
}

/**
 * The string s, flattened in place while its pieces are fresh: a message is built by concatenation (a
 * tree of pieces in V8), which its first character read copies into one flat string; read later, after
 * many other events were made, those pieces are cold in memory and that copy costs several times as
 * much (the logs scenario's text encoding paid it). The read's value goes to a module variable so the
 * compiler cannot drop it; the string is unchanged.
 */
function flatten(s: string): string {
  flatSink = (flatSink + s.charCodeAt(s.length - 1)) | 0;
  return s;
}
let flatSink = 0;
