// Sweeps: 24 configurations × 5 seeds over one 100k-event JSONL file. `onthefly sweep --workers 2`
// against `--workers 1` (same process, the stream parsed once either way) and against the same runs as
// separate `onthefly run` processes (each reading and parsing the file itself), all wall clock in the
// same bench run. The separate-process figure times one process per configuration (24 of the 120, the
// seeds taken in turn) and scales by 5 — it states so in its note. The model is pinned (logistic), so
// the figures do not move when the default model changes.
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { availableParallelism, tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const cli = join(root, 'dist/cli/main.js');

const LAMBDAS = ['0', '0.1', '1'];
const LRS = ['0.005', '0.01', '0.05', '0.1'];
const BATCHES = ['64', '256'];
const SEEDS = ['1', '2', '3', '4', '5'];

function wall(args) {
  const t0 = process.hrtime.bigint();
  const r = spawnSync(process.execPath, [cli, ...args], { encoding: 'utf8', maxBuffer: 1 << 28 });
  if (r.status !== 0) throw new Error(`onthefly ${args.join(' ')} failed: ${r.stderr}`);
  return { ms: Number(process.hrtime.bigint() - t0) / 1e6, stdout: r.stdout };
}

export async function run() {
  const dir = mkdtempSync(join(tmpdir(), 'onthefly-bench-sweep-'));
  try {
    const file = join(dir, 'stationary-100k.jsonl');
    execFileSync(process.execPath, [cli, 'generate', '--scenario', 'stationary', '--events', '100000', '--seed', '1', '--out', file]);
    const sweep = ['sweep', '--input', file, '--model', 'logistic', '--lambda', LAMBDAS.join(','), '--lr', LRS.join(','), '--batch', BATCHES.join(','), '--seeds', SEEDS.join(','), '--json'];
    const one = wall([...sweep, '--workers', '1']);
    const two = wall([...sweep, '--workers', '2']);
    const f1 = (s) => JSON.parse(s).runs.map((r) => r.result.metrics.f1);
    const same = JSON.stringify(f1(one.stdout)) === JSON.stringify(f1(two.stdout));
    const runs = JSON.parse(one.stdout).runs.length;
    // One separate process per configuration, seeds in turn, scaled to all runs.
    let sampledMs = 0;
    let sampled = 0;
    for (const lambda of LAMBDAS) for (const lr of LRS) for (const batch of BATCHES) {
      const seed = SEEDS[sampled % SEEDS.length];
      sampledMs += wall(['run', '--input', file, '--model', 'logistic', '--lambda', lambda, '--lr', lr, '--batch', batch, '--seed', seed, '--json']).ms;
      sampled++;
    }
    const separateMs = (sampledMs / sampled) * runs;
    return [
      { name: `sweep ${runs / SEEDS.length} configurations × ${SEEDS.length} seeds, 100k-event JSONL, --workers 1 (wall)`, value: one.ms / 1000, unit: 's' },
      { name: '  same sweep, --workers 2 (wall)', value: two.ms / 1000, unit: 's', note: `identical F1 in every run: ${same ? 'yes' : 'NO'}; ${availableParallelism()} cores` },
      { name: '  speed-up, --workers 2 over --workers 1', value: one.ms / two.ms, unit: '×', target: '>= 1.7' },
      { name: `  the same ${runs} runs as separate onthefly run processes (wall, estimated)`, value: separateMs / 1000, unit: 's', note: `${sampled} processes timed (one per configuration), mean ${(sampledMs / sampled / 1000).toFixed(2)} s each, × ${runs} runs` },
      { name: '  speed-up, sweep --workers 2 over separate processes', value: separateMs / two.ms, unit: '×', target: '>= 5' },
    ];
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
