// Generator benchmarks: events/s in memory, JSONL encoding, and `onthefly generate` of 1,000,000
// events to a file (wall clock including Node start-up). Uses the built dist/.
import { createRequire } from 'node:module';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';

const require = createRequire(import.meta.url);
const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

function seconds(f) {
  const t = process.hrtime.bigint();
  f();
  return Number(process.hrtime.bigint() - t) / 1e9;
}

export async function run() {
  const { IncidentGenerator } = require(path.join(root, 'dist/stream/generator.js'));
  const { JsonlEncoder } = require(path.join(root, 'dist/stream/jsonl-encoder.js'));
  const n = 1_000_000;
  const load = () => `load avg ${os.loadavg()[0].toFixed(1)} on ${os.cpus().length} cores`;

  // Warm-up, then best of 3.
  for (const _ of new IncidentGenerator({ events: 50_000 })) { /* warm */ }
  let gen = Infinity;
  for (let r = 0; r < 3; r++) {
    gen = Math.min(gen, seconds(() => {
      let s = 0;
      for (const e of new IncidentGenerator({ scenario: 'stationary', events: n, seed: 1 })) s += e.severity;
      if (s === 0) throw new Error('no events');
    }));
  }

  const m = 300_000;
  let enc = Infinity;
  let str = Infinity;
  for (let r = 0; r < 2; r++) {
    enc = Math.min(enc, seconds(() => {
      const e = new JsonlEncoder();
      for (const ev of new IncidentGenerator({ events: m, seed: 1 })) {
        e.write(ev);
        if (e.length >= 1 << 20) e.take();
      }
    }));
    str = Math.min(str, seconds(() => {
      let lines = [];
      for (const ev of new IncidentGenerator({ events: m, seed: 1 })) {
        lines.push(JSON.stringify(ev));
        if (lines.length >= 4096) { `${lines.join('\n')}\n`; lines = []; }
      }
    }));
  }

  const out = path.join(os.tmpdir(), `onthefly-bench-${process.pid}.jsonl`);
  const main = path.join(root, 'dist/cli/main.js');
  let cli = Infinity;
  let bytes = 0;
  for (let r = 0; r < 2; r++) {
    const t = process.hrtime.bigint();
    const res = spawnSync(process.execPath, [main, 'generate', '--scenario', 'stationary', '--events', String(n), '--seed', '1', '--out', out], { stdio: ['ignore', 'ignore', 'pipe'] });
    if (res.status !== 0) throw new Error(`generate failed: ${res.stderr}`);
    cli = Math.min(cli, Number(process.hrtime.bigint() - t) / 1e9);
    bytes = fs.statSync(out).size;
  }
  fs.rmSync(out, { force: true });

  return [
    { name: 'generator in memory (stationary, 1M events)', value: Math.round(n / gen), unit: 'events/s', target: '>= 1000000', note: `best of 3; ${load()}` },
    { name: 'generator + JSONL encoder in memory', value: Math.round(m / enc), unit: 'events/s', peer: Math.round(m / str), note: 'peer: the same with JSON.stringify + join' },
    { name: 'onthefly generate --events 1000000 --out FILE (wall, incl. start-up)', value: Math.round(n / cli), unit: 'events/s', target: '>= 300000', note: `${(cli).toFixed(2)} s, ${(bytes / 1e6).toFixed(0)} MB; best of 2; ${load()}` },
  ];
}

if (import.meta.url === `file://${process.argv[1]}`) {
  run().then((rows) => console.table(rows));
}
