// Drift detectors on the Bernoulli error stream (0.2 → 0.5 at event 5,000, 100 seeds) and on
// stationary Bernoulli(0.2) (10 × 100k): detection rate, delay, false alarms, and updates/s.
// Uses the built dist/. `node bench/run.mjs drift` prints the rows docs/drift.md quotes.
import { createRequire } from 'node:module';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';

const require = createRequire(import.meta.url);
const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

export async function run() {
  const { createDetector } = require(path.join(root, 'dist/drift/create-detector.js'));
  const { Rng } = require(path.join(root, 'dist/learn/rng.js'));
  const bern = (seed, n, a, b = a, at = n) => {
    const r = new Rng(seed);
    const out = new Uint8Array(n);
    for (let i = 0; i < n; i++) out[i] = r.next() < (i < at ? a : b) ? 1 : 0;
    return out;
  };
  const rows = [];
  const configs = [['adwin', {}], ['page-hinkley', {}], ['page-hinkley', { threshold: 150 }], ['ddm', {}]];
  for (const [name, opts] of configs) {
    const label = Object.keys(opts).length ? `${name} ${JSON.stringify(opts)}` : name;
    const delays = [];
    let early = 0;
    for (let s = 0; s < 100; s++) {
      const xs = bern(`shift-${s}`, 8000, 0.2, 0.5, 5000);
      const det = createDetector(name, opts);
      let first = -1;
      let falseAlarm = false;
      for (let i = 0; i < xs.length; i++) {
        if (det.update(xs[i]) === 'drift') {
          if (i < 5000) falseAlarm = true;
          else { first = i - 5000; break; }
        }
      }
      if (falseAlarm) early++;
      delays.push(first < 0 ? Infinity : first);
    }
    delays.sort((a, b) => a - b);
    rows.push({ name: `${label}: detected within 300 of the change`, value: delays.filter((d) => d < 300).length, unit: 'of 100 seeds' });
    rows.push({ name: `${label}: detection delay, median`, value: delays[50], unit: 'events' });
    rows.push({ name: `${label}: seeds with a false alarm before the change`, value: early, unit: 'of 100' });
    let alarms = 0;
    let values = 0;
    let secs = 0;
    for (let s = 0; s < 10; s++) {
      const xs = bern(`still-${s}`, 100_000, 0.2);
      const det = createDetector(name, opts);
      const t = process.hrtime.bigint();
      for (let i = 0; i < xs.length; i++) if (det.update(xs[i]) === 'drift') alarms++;
      secs += Number(process.hrtime.bigint() - t) / 1e9;
      values += xs.length;
    }
    rows.push({ name: `${label}: false alarms, stationary Bernoulli(0.2)`, value: alarms / 10, unit: 'per 100k' });
    rows.push({ name: `${label}: updates/s`, value: values / secs, unit: 'values/s' });
  }
  return rows;
}
