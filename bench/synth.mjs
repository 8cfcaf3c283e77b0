// Synthetic drift streams: rows/s in memory and the positive rate of each stream at its defaults
// (100k events, seed 1), plus Agrawal's ten functions. Uses the built dist/.
// `node bench/run.mjs synth` prints the rows docs/synth.md quotes.
import { createRequire } from 'node:module';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';

const require = createRequire(import.meta.url);
const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

export async function run() {
  const { SynthStream, SYNTH_NAMES } = require(path.join(root, 'dist/synth/synth-stream.js'));
  const rows = [];
  const measure = (options) => {
    let n = 0;
    let pos = 0;
    let bayes = 0;
    let withOracle = 0;
    const t = process.hrtime.bigint();
    for (const r of new SynthStream(options)) {
      n++;
      pos += r.y;
      if (r.oracle_p !== undefined) {
        withOracle++;
        if ((r.oracle_p >= 0.5 ? 1 : 0) === r.y) bayes++;
      }
    }
    const secs = Number(process.hrtime.bigint() - t) / 1e9;
    return { rate: pos / n, perSec: n / secs, bayes: withOracle ? bayes / withOracle : null };
  };
  for (const name of SYNTH_NAMES) {
    const m = measure({ name, events: 100_000, seed: 1 });
    rows.push({ name: `${name}: rows/s (in memory)`, value: m.perSec, unit: 'rows/s' });
    rows.push({ name: `${name}: positive rate`, value: m.rate, unit: 'share' });
    if (m.bayes !== null) rows.push({ name: `${name}: Bayes accuracy (oracle_p ≥ 0.5)`, value: m.bayes, unit: 'share' });
  }
  for (let f = 1; f <= 10; f++) rows.push({ name: `agrawal F${f}: positive rate`, value: measure({ name: 'agrawal', function: f, events: 100_000, seed: 1 }).rate, unit: 'share' });
  return rows;
}
