import { DriftDetectorError } from './detector-error';

/** Rejects option keys the detector does not know (a typo would otherwise be ignored silently). */
export function checkKnownKeys(detector: string, options: object, known: readonly string[]): void {
  for (const key of Object.keys(options)) {
    if (!known.includes(key)) throw new DriftDetectorError(`${detector}: unknown option "${key}" (known: ${known.join(', ')})`);
  }
}

/** A finite number within (lo, hi) or [lo, hi], else a DriftDetectorError naming the option. */
export function checkNumber(detector: string, name: string, value: unknown, lo: number, hi: number, openLo: boolean, openHi: boolean): number {
  const ok = typeof value === 'number' && Number.isFinite(value)
    && (openLo ? value > lo : value >= lo) && (openHi ? value < hi : value <= hi);
  if (!ok) {
    const range = `${openLo ? '(' : '['}${lo}, ${hi === Infinity ? '∞' : hi}${openHi ? ')' : ']'}`;
    throw new DriftDetectorError(`${detector}: option "${name}" must be a number in ${range}, got ${JSON.stringify(value) ?? String(value)}`);
  }
  return value as number;
}

/** An integer ≥ min, else a DriftDetectorError naming the option. */
export function checkInteger(detector: string, name: string, value: unknown, min: number): number {
  if (typeof value !== 'number' || !Number.isInteger(value) || value < min) {
    throw new DriftDetectorError(`${detector}: option "${name}" must be an integer ≥ ${min}, got ${JSON.stringify(value) ?? String(value)}`);
  }
  return value;
}

/** A plain object, else a DriftDetectorError (for setState). */
export function checkRecord(detector: string, what: string, value: unknown): Record<string, unknown> {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new DriftDetectorError(`${detector}.setState: ${what} must be an object`);
  }
  return value as Record<string, unknown>;
}

/** A finite number field of a state object, else a DriftDetectorError. */
export function stateNumber(detector: string, state: Record<string, unknown>, key: string): number {
  const v = state[key];
  if (typeof v !== 'number' || !Number.isFinite(v)) throw new DriftDetectorError(`${detector}.setState: "${key}" must be a finite number`);
  return v;
}

/** A boolean field of a state object, else a DriftDetectorError. */
export function stateBoolean(detector: string, state: Record<string, unknown>, key: string): boolean {
  const v = state[key];
  if (typeof v !== 'boolean') throw new DriftDetectorError(`${detector}.setState: "${key}" must be a boolean`);
  return v;
}
