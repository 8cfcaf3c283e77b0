/** What a drift detector saw at the value it was just fed. */
export type DriftSignal = 'none' | 'warning' | 'drift';

/**
 * A concept-drift detector with River's shape: feed it one value at a time, read what it detected.
 * Every detector here is deterministic (no randomness), so the same values give the same signals.
 */
export interface DriftDetector {
  /** Feed one value (an error indicator 0/1, or any real value for ADWIN/Page-Hinkley); returns what it detected at this value. */
  update(x: number): DriftSignal;
  /** Set by the last update. */
  readonly driftDetected: boolean;
  /** Set by the last update. */
  readonly warningDetected: boolean;
  /** Forget everything, as if freshly constructed with the same options. */
  reset(): void;
  /** JSON-safe snapshot (options included). */
  getState(): unknown;
  /** Validates, then replaces; the detector then behaves bit-identically to the one the state came from. */
  setState(state: unknown): void;
}
