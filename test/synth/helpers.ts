import type { Row } from '../../src/types';
import { SynthStream, type SynthOptions } from '../../src/synth/synth-stream';

export const rows = (o: SynthOptions): Row[] => [...new SynthStream(o)];

/** Mean label per oracle_p bin (10 bins), for bins with at least `min` events: [mean oracle, mean label, n]. */
export function calibration(rs: Row[], min = 200): [number, number, number][] {
  const bins = Array.from({ length: 10 }, () => ({ p: 0, y: 0, n: 0 }));
  for (const r of rs) {
    const p = r.oracle_p as number;
    const b = bins[Math.min(9, Math.floor(p * 10))]!;
    b.p += p;
    b.y += r.y as number;
    b.n++;
  }
  return bins.filter((b) => b.n >= min).map((b) => [b.p / b.n, b.y / b.n, b.n]);
}
