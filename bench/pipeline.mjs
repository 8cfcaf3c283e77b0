// `onthefly run` end to end vs a scikit-learn prequential loop (bench/sklearn_prequential.py) on the
// same JSONL file and schema: wall clock of both processes, start-up included, and F1 of both.
// The model is pinned (logistic, the counterpart of the sklearn peer), so the figures do not move with the default model.
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { availableParallelism, tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const cli = join(root, 'dist/cli/main.js');
const schema = join(root, 'schemas/generator.json');

/** Best (shortest) wall clock of `repeat` runs, ours and the peer's interleaved so both see the same load. */
function best(runs) {
  return runs.reduce((a, b) => (b.ms < a.ms ? b : a));
}

function timed(cmd, args) {
  const t0 = process.hrtime.bigint();
  const r = spawnSync(cmd, args, { encoding: 'utf8', maxBuffer: 1 << 26 });
  const ms = Number(process.hrtime.bigint() - t0) / 1e6;
  if (r.status !== 0) throw new Error(`${cmd} ${args.join(' ')} failed: ${r.stderr}`);
  return { ms, out: JSON.parse(r.stdout.trim().split('\n').pop()) };
}

const REPEAT = 3;

export async function run() {
  const dir = mkdtempSync(join(tmpdir(), 'onthefly-bench-'));
  const rows = [];
  for (const [batch, events, factor] of [[256, 50_000, 2], [1, 10_000, 10]]) {
    const file = join(dir, `stationary-${events}.jsonl`);
    execFileSync(process.execPath, [cli, 'generate', '--scenario', 'stationary', '--events', String(events), '--seed', '1', '--out', file]);
    const oursRuns = [];
    const peerRuns = [];
    for (let r = 0; r < REPEAT; r++) {
      oursRuns.push(timed(process.execPath, [cli, 'run', '--input', file, '--model', 'logistic', '--batch', String(batch), '--json']));
      peerRuns.push(timed('/usr/bin/python3', [join(root, 'bench/sklearn_prequential.py'), file, schema, String(batch)]));
    }
    const ours = best(oursRuns);
    const peer = best(peerRuns);
    const oursRate = events / (ours.ms / 1000);
    const peerRate = events / (peer.ms / 1000);
    rows.push({
      name: `onthefly run, batch ${batch}, ${events} events (wall clock, start-up incl.)`,
      value: oursRate, unit: 'events/s', peer: peerRate,
      note: `best of ${REPEAT} interleaved runs each; sklearn SGDClassifier prequential loop ${Math.round(peerRate)} events/s; ratio ${(oursRate / peerRate).toFixed(1)}× (target ≥ ${factor}×); backend ${ours.out.backend}; ${availableParallelism()} cores (the JSONL parser thread needs 2)`,
    });
    rows.push({ name: `  speed-up over sklearn, batch ${batch}`, value: oursRate / peerRate, unit: '×', target: `>= ${factor}` });
    rows.push({ name: `  F1 onthefly − F1 sklearn, batch ${batch}`, value: ours.out.metrics.f1 - peer.out.f1, unit: 'F1', target: '>= 0', note: `F1 ${ours.out.metrics.f1.toFixed(3)} vs ${peer.out.f1.toFixed(3)}; Bayes F1 ${ours.out.bayes.f1.toFixed(3)}` });
  }
  return rows;
}
