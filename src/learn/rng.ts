import seedrandom from 'seedrandom';

/** JSON-safe state of an {@link Rng}. */
export type RngState = { c: number; s0: number; s1: number; s2: number };

/** A seeded, checkpointable uniform generator (seedrandom's alea). */
export class Rng {
  private prng: seedrandom.StatefulPRNG<RngState>;

  constructor(seed: string | number, state?: RngState) {
    this.prng = seedrandom.alea(String(seed), { state: state ?? true }) as unknown as seedrandom.StatefulPRNG<RngState>;
  }

  /** Uniform in [0, 1). */
  next(): number {
    return this.prng();
  }

  /** Uniform integer in [0, n). */
  int(n: number): number {
    return Math.floor(this.prng() * n);
  }

  state(): RngState {
    return { ...this.prng.state() };
  }

  setState(state: RngState): void {
    this.prng = seedrandom.alea('', { state: { ...state } }) as unknown as seedrandom.StatefulPRNG<RngState>;
  }
}
