import type { DriftDetector, DriftSignal } from './detector';
import { DriftDetectorError } from './detector-error';
import { checkInteger, checkKnownKeys, checkNumber, checkRecord, stateBoolean, stateNumber } from './check-options';

/** Options of {@link PageHinkley}; every default is River's `drift.PageHinkley`. */
export interface PageHinkleyOptions {
  /** No drift is reported before this many values. Default 30. */
  minInstances?: number;
  /** Magnitude of change tolerated (δ), in the values' unit. Default 0.005. */
  delta?: number;
  /** Detection threshold (λ), in the values' unit × values. Default 50. */
  threshold?: number;
  /** Forgetting factor of the cumulative sums, in (0, 1]. Default 1 − 0.0001. */
  alpha?: number;
  /** Which changes of the mean count: increases (`up`), decreases (`down`) or `both`. Default `both`. */
  mode?: 'up' | 'down' | 'both';
}

const NAME = 'page-hinkley';
const KEYS = ['minInstances', 'delta', 'threshold', 'alpha', 'mode'] as const;
const MODES = ['up', 'down', 'both'] as const;
type Resolved = Required<PageHinkleyOptions>;

function resolve(options: PageHinkleyOptions | undefined): Resolved {
  const o = options ?? {};
  if (typeof o !== 'object' || o === null) throw new DriftDetectorError(`${NAME}: options must be an object`);
  checkKnownKeys(NAME, o, KEYS);
  const mode = o.mode ?? 'both';
  if (!MODES.includes(mode)) throw new DriftDetectorError(`${NAME}: option "mode" must be one of ${MODES.join(', ')}, got ${JSON.stringify(mode)}`);
  return {
    minInstances: checkInteger(NAME, 'minInstances', o.minInstances ?? 30, 1),
    delta: checkNumber(NAME, 'delta', o.delta ?? 0.005, 0, Infinity, false, true),
    threshold: checkNumber(NAME, 'threshold', o.threshold ?? 50, 0, Infinity, true, true),
    alpha: checkNumber(NAME, 'alpha', o.alpha ?? 1 - 0.0001, 0, 1, true, false),
    mode,
  };
}

/**
 * Page-Hinkley test (Page 1954; the form of River's `drift.PageHinkley`): with x̄ the running mean,
 * S⁺ = α·S⁺ + (x − x̄ − δ) and S⁻ = α·S⁻ + (x − x̄ + δ); a drift is an increase when S⁺ − min S⁺ > λ,
 * a decrease when max S⁻ − S⁻ > λ (as `mode` asks), once `minInstances` values have been seen.
 * At the update after a drift, the detector starts afresh (River's behaviour). It never warns.
 */
export class PageHinkley implements DriftDetector {
  private o: Resolved;
  private n = 0;
  private mean = 0;
  private sumUp = 0;
  private sumDown = 0;
  private minUp = Infinity;
  private maxDown = -Infinity;
  private drift = false;

  constructor(options?: PageHinkleyOptions) {
    this.o = resolve(options);
  }

  get options(): Readonly<Resolved> {
    return this.o;
  }

  get driftDetected(): boolean {
    return this.drift;
  }

  get warningDetected(): boolean {
    return false;
  }

  reset(): void {
    this.n = 0;
    this.mean = 0;
    this.sumUp = 0;
    this.sumDown = 0;
    this.minUp = Infinity;
    this.maxDown = -Infinity;
    this.drift = false;
  }

  update(x: number): DriftSignal {
    if (typeof x !== 'number' || !Number.isFinite(x)) throw new DriftDetectorError(`${NAME}.update: value must be a finite number, got ${String(x)}`);
    if (this.drift) this.reset();
    this.n++;
    this.mean += (x - this.mean) / this.n;
    const dev = x - this.mean;
    const { alpha, delta, threshold, mode } = this.o;
    this.sumUp = alpha * this.sumUp + dev - delta;
    this.sumDown = alpha * this.sumDown + dev + delta;
    if (this.sumUp < this.minUp) this.minUp = this.sumUp;
    if (this.sumDown > this.maxDown) this.maxDown = this.sumDown;
    if (this.n >= this.o.minInstances) {
      const up = this.sumUp - this.minUp > threshold;
      const down = this.maxDown - this.sumDown > threshold;
      this.drift = mode === 'up' ? up : mode === 'down' ? down : up || down;
    }
    return this.drift ? 'drift' : 'none';
  }

  getState(): PageHinkleyState {
    return {
      kind: NAME,
      options: { ...this.o },
      n: this.n,
      mean: this.mean,
      sumUp: this.sumUp,
      sumDown: this.sumDown,
      minUp: Number.isFinite(this.minUp) ? this.minUp : null,
      maxDown: Number.isFinite(this.maxDown) ? this.maxDown : null,
      drift: this.drift,
    };
  }

  setState(state: unknown): void {
    const s = checkRecord(NAME, 'state', state);
    if (s.kind !== NAME) throw new DriftDetectorError(`${NAME}.setState: state is not a Page-Hinkley state (kind ${JSON.stringify(s.kind)})`);
    const o = resolve(checkRecord(NAME, 'options', s.options) as PageHinkleyOptions);
    const n = stateNumber(NAME, s, 'n');
    if (!Number.isInteger(n) || n < 0) throw new DriftDetectorError(`${NAME}.setState: "n" must be a non-negative integer`);
    const mean = stateNumber(NAME, s, 'mean');
    const sumUp = stateNumber(NAME, s, 'sumUp');
    const sumDown = stateNumber(NAME, s, 'sumDown');
    const minUp = s.minUp === null ? Infinity : stateNumber(NAME, s, 'minUp');
    const maxDown = s.maxDown === null ? -Infinity : stateNumber(NAME, s, 'maxDown');
    const drift = stateBoolean(NAME, s, 'drift');
    this.o = o;
    this.n = n;
    this.mean = mean;
    this.sumUp = sumUp;
    this.sumDown = sumDown;
    this.minUp = minUp;
    this.maxDown = maxDown;
    this.drift = drift;
  }
}

/** JSON-safe state of a {@link PageHinkley} (null stands for ±∞ before the first value). */
export interface PageHinkleyState {
  kind: 'page-hinkley';
  options: Required<PageHinkleyOptions>;
  n: number;
  mean: number;
  sumUp: number;
  sumDown: number;
  minUp: number | null;
  maxDown: number | null;
  drift: boolean;
}
