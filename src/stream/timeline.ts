/** Maps event time to the regime parameters in force (shared by the generator and the oracle). */
import { MS_PER_EVENT } from './physics';
import { REGIMES, mix, resolve, type Resolved } from './regimes';
import { phaseSpecs, type ScenarioName } from './scenarios';

/** Default start of a generated stream. */
export const DEFAULT_START = '2025-10-07T00:00:00.000Z';

export interface Segment {
  /** Event indexes [start, end). */
  start: number;
  end: number;
  /** Time window [startMs, endMs), absolute ms: index · MS_PER_EVENT after the stream start. */
  startMs: number;
  endMs: number;
  regime: string;
  bursts: boolean;
  /** Messages carry label-dependent log words (see src/stream/messages.ts, LOG_WORDS). */
  logs: boolean;
  /** Parameters at the start of the segment, and at its end when they move (gradual). */
  from: Resolved;
  toward: Resolved | null;
}

const RESOLVED = new Map<string, Resolved>();
function resolvedOf(key: keyof typeof REGIMES): Resolved {
  let r = RESOLVED.get(key);
  if (!r) {
    r = resolve(REGIMES[key]);
    RESOLVED.set(key, r);
  }
  return r;
}

export function parseStart(start: string | number | undefined): number {
  const ms = typeof start === 'number' ? start : Date.parse(start ?? DEFAULT_START);
  if (!Number.isFinite(ms)) throw new Error(`invalid start time "${String(start)}"`);
  return Math.floor(ms);
}

export class Timeline {
  readonly segments: Segment[];
  private lastW = NaN;
  private lastMix: Resolved | null = null;

  constructor(readonly scenario: ScenarioName, readonly events: number, readonly startMs: number) {
    this.segments = phaseSpecs(scenario, events)
      .filter((p) => p.end > p.start)
      .map((p) => ({
        start: p.start,
        end: p.end,
        startMs: startMs + p.start * MS_PER_EVENT,
        endMs: startMs + p.end * MS_PER_EVENT,
        regime: p.regime,
        bursts: !!p.bursts,
        logs: !!p.logs,
        from: resolvedOf(p.params),
        toward: p.toward ? resolvedOf(p.toward) : null,
      }));
    if (this.segments.length === 0) {
      const p = phaseSpecs(scenario, 1)[0];
      this.segments.push({
        start: 0, end: 0, startMs, endMs: startMs, regime: p.regime, bursts: false, logs: !!p.logs,
        from: resolvedOf(p.params), toward: p.toward ? resolvedOf(p.toward) : null,
      });
    }
  }

  /** The segment in force at absolute time ms (the first before the stream, the last after it). */
  segmentAt(ms: number): Segment {
    const s = this.segments;
    let i = s.length - 1;
    while (i > 0 && ms < s[i].startMs) i--;
    return s[i];
  }

  /** Parameters in force at absolute time ms. */
  paramsAt(ms: number): Resolved {
    return this.paramsIn(this.segmentAt(ms), ms);
  }

  paramsIn(seg: Segment, ms: number): Resolved {
    if (!seg.toward) return seg.from;
    const span = seg.endMs - seg.startMs;
    let w = span > 0 ? (ms - seg.startMs) / span : 1;
    w = w < 0 ? 0 : w > 1 ? 1 : w;
    if (w !== this.lastW || !this.lastMix) {
      this.lastW = w;
      this.lastMix = resolve(mix(seg.from.p, seg.toward.p, w));
    }
    return this.lastMix;
  }
}
