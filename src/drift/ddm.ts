import type { DriftDetector, DriftSignal } from './detector';
import { DriftDetectorError } from './detector-error';
import { checkInteger, checkKnownKeys, checkNumber, checkRecord, stateBoolean, stateNumber } from './check-options';

/** Options of {@link Ddm}; the defaults are Gama et al.'s (and River's `drift.binary.DDM`). */
export interface DdmOptions {
  /** No warning or drift before more than this many values. Default 30. */
  minInstances?: number;
  /** Warning when p + s ≥ p_min + warningLevel · s_min. Default 2. */
  warningLevel?: number;
  /** Drift when p + s ≥ p_min + driftLevel · s_min. Default 3 (must be ≥ warningLevel). */
  driftLevel?: number;
}

const NAME = 'ddm';
const KEYS = ['minInstances', 'warningLevel', 'driftLevel'] as const;
type Resolved = Required<DdmOptions>;

function resolve(options: DdmOptions | undefined): Resolved {
  const o = options ?? {};
  if (typeof o !== 'object' || o === null) throw new DriftDetectorError(`${NAME}: options must be an object`);
  checkKnownKeys(NAME, o, KEYS);
  const warningLevel = checkNumber(NAME, 'warningLevel', o.warningLevel ?? 2, 0, Infinity, true, true);
  const driftLevel = checkNumber(NAME, 'driftLevel', o.driftLevel ?? 3, 0, Infinity, true, true);
  if (driftLevel < warningLevel) throw new DriftDetectorError(`${NAME}: option "driftLevel" (${driftLevel}) must be ≥ "warningLevel" (${warningLevel})`);
  return { minInstances: checkInteger(NAME, 'minInstances', o.minInstances ?? 30, 0), warningLevel, driftLevel };
}

/**
 * DDM, the Drift Detection Method (Gama, Medas, Castillo & Rodrigues 2004, "Learning with drift
 * detection"), on a stream of error indicators (1 = the model was wrong, 0 = right). With p the error
 * rate so far and s = √(p(1 − p)/n), it remembers p_min and s_min where p + s was smallest; after more
 * than `minInstances` values it warns when p + s ≥ p_min + 2·s_min and signals a drift when
 * p + s ≥ p_min + 3·s_min. A point that sets a new minimum never signals (with s_min = 0, an all-correct
 * start, the paper's ≥ would otherwise fire on every value). At the update after a drift the detector
 * starts afresh, as in the paper and River.
 */
export class Ddm implements DriftDetector {
  private o: Resolved;
  private n = 0;
  private p = 0;
  private pMin = 0;
  private sMin = 0;
  private psMin = Infinity;
  private drift = false;
  private warning = false;

  constructor(options?: DdmOptions) {
    this.o = resolve(options);
  }

  get options(): Readonly<Resolved> {
    return this.o;
  }

  /** Error rate since the last drift. */
  get errorRate(): number {
    return this.p;
  }

  get driftDetected(): boolean {
    return this.drift;
  }

  get warningDetected(): boolean {
    return this.warning;
  }

  reset(): void {
    this.n = 0;
    this.p = 0;
    this.pMin = 0;
    this.sMin = 0;
    this.psMin = Infinity;
    this.drift = false;
    this.warning = false;
  }

  update(x: number): DriftSignal {
    if (x !== 0 && x !== 1) throw new DriftDetectorError(`${NAME}.update: value must be an error indicator 0 or 1, got ${String(x)}`);
    if (this.drift) this.reset();
    this.n++;
    this.p += (x - this.p) / this.n;
    const s = Math.sqrt((this.p * (1 - this.p)) / this.n);
    this.warning = false;
    if (this.n > this.o.minInstances) {
      const ps = this.p + s;
      if (ps <= this.psMin) {
        this.pMin = this.p;
        this.sMin = s;
        this.psMin = ps;
      } else if (ps >= this.pMin + this.o.driftLevel * this.sMin) {
        this.drift = true;
      } else if (ps >= this.pMin + this.o.warningLevel * this.sMin) {
        this.warning = true;
      }
    }
    return this.drift ? 'drift' : this.warning ? 'warning' : 'none';
  }

  getState(): DdmState {
    return {
      kind: NAME,
      options: { ...this.o },
      n: this.n,
      p: this.p,
      pMin: this.pMin,
      sMin: this.sMin,
      psMin: Number.isFinite(this.psMin) ? this.psMin : null,
      drift: this.drift,
      warning: this.warning,
    };
  }

  setState(state: unknown): void {
    const s = checkRecord(NAME, 'state', state);
    if (s.kind !== NAME) throw new DriftDetectorError(`${NAME}.setState: state is not a DDM state (kind ${JSON.stringify(s.kind)})`);
    const o = resolve(checkRecord(NAME, 'options', s.options) as DdmOptions);
    const n = stateNumber(NAME, s, 'n');
    if (!Number.isInteger(n) || n < 0) throw new DriftDetectorError(`${NAME}.setState: "n" must be a non-negative integer`);
    const p = stateNumber(NAME, s, 'p');
    if (p < 0 || p > 1) throw new DriftDetectorError(`${NAME}.setState: "p" must be in [0, 1]`);
    const pMin = stateNumber(NAME, s, 'pMin');
    const sMin = stateNumber(NAME, s, 'sMin');
    const psMin = s.psMin === null ? Infinity : stateNumber(NAME, s, 'psMin');
    const drift = stateBoolean(NAME, s, 'drift');
    const warning = stateBoolean(NAME, s, 'warning');
    this.o = o;
    this.n = n;
    this.p = p;
    this.pMin = pMin;
    this.sMin = sMin;
    this.psMin = psMin;
    this.drift = drift;
    this.warning = warning;
  }
}

/** JSON-safe state of a {@link Ddm} (psMin null = +∞, before the first minimum). */
export interface DdmState {
  kind: 'ddm';
  options: Required<DdmOptions>;
  n: number;
  p: number;
  pMin: number;
  sMin: number;
  psMin: number | null;
  drift: boolean;
  warning: boolean;
}
