// `auto` against its own members, scikit-learn's SGDClassifier and the fair no-change baseline, at batch 1
// and 256, on every stream of the suite (issue 11's bar): the incident scenarios, every --synth stream with
// and without drift, NE weather and the paper's 1k file. One row per (stream, batch) with every figure of the
// comparison side by side in `note`; value = auto's accuracy, target = the bar max(best member − 0.005,
// sklearn, no-change). Plus auto's cost per event (events/s through `run` at batch 1 and 256).
// QUALITY_EVENTS (default 5000) sets the generated streams' length; QUALITY_ONLY=NAME,… picks streams;
// QUALITY_COMBINE=hedge runs auto with its Hedge mix instead of the default "best"; QUALITY_SELECT=log-loss
// makes "best" pick the member of lowest recent log loss instead of the default fewest recent errors;
// QUALITY_FIT_WEIGHT=W sets auto.fitWeight (0: the choice from prequential errors alone, as before the fit term),
// QUALITY_FIT_ROWS=N auto.fitRows.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { realStreams } from './lib/real-streams.mjs';

const here = dirname(fileURLToPath(import.meta.url));
const root = join(here, '..');
const dist = (p) => import(join(root, 'dist', p));
const EVENTS = Number(process.env.QUALITY_EVENTS ?? 5000);
const BATCHES = [1, 256];

/** auto's options from QUALITY_COMBINE, QUALITY_SELECT, QUALITY_FIT_WEIGHT and QUALITY_FIT_ROWS (unset: the defaults). */
export function autoOptionsFromEnv(env = process.env) {
  return {
    ...(env.QUALITY_COMBINE ? { combine: env.QUALITY_COMBINE } : {}),
    ...(env.QUALITY_SELECT ? { select: env.QUALITY_SELECT } : {}),
    ...(env.QUALITY_FIT_WEIGHT ? { fitWeight: Number(env.QUALITY_FIT_WEIGHT) } : {}),
    ...(env.QUALITY_FIT_ROWS ? { fitRows: Number(env.QUALITY_FIT_ROWS) } : {}),
  };
}

export async function run() {
  const { runExperiment } = await dist('evaluate/run-experiment.js');
  const { AUTO_MEMBERS } = await dist('learn/auto-learner.js');
  const { synthSchema, SYNTH_NAMES } = await dist('synth/synth-stream.js');
  const { SCENARIO_NAMES } = await dist('stream/scenarios.js');
  const { parseSchema } = await dist('stream/schema.js');
  const cli = join(root, 'dist/cli/main.js');
  const dir = mkdtempSync(join(tmpdir(), 'onthefly-quality-'));
  const streams = [];
  try {
    const generatorSchema = JSON.parse(readFileSync(join(root, 'schemas/generator.json'), 'utf8'));
    for (const s of SCENARIO_NAMES) {
      const file = join(dir, `${s}.jsonl`);
      execFileSync(process.execPath, [cli, 'generate', '--scenario', s, '--events', String(EVENTS), '--seed', '1', '--out', file]);
      streams.push({ name: `scenario ${s}`, file, schema: generatorSchema, dedup: true });
    }
    for (const s of SYNTH_NAMES) {
      for (const drift of [false, true]) {
        const file = join(dir, `${s}${drift ? '-drift' : ''}.jsonl`);
        execFileSync(process.execPath, [cli, 'generate', '--synth', s, ...(drift ? ['--drift-at', '0.5'] : []), '--events', String(EVENTS), '--seed', '1', '--out', file]);
        streams.push({ name: `synth ${s}${drift ? ' drift@0.5' : ''}`, file, schema: synthSchema({ name: s }), dedup: false });
      }
    }
    streams.push(...realStreams(root, dir));

    const only = process.env.QUALITY_ONLY?.split(',');
    const rows = [];
    const cost = { 1: [], 256: [] };
    for (const s of streams.filter((x) => !only || only.some((o) => x.name.includes(o)))) {
      const schemaFile = join(dir, 'schema.json');
      writeFileSync(schemaFile, JSON.stringify(parseSchema(s.schema)));
      for (const batch of BATCHES) {
        const base = { input: s.file, schema: parseSchema(s.schema), batch, seed: 1, ...(s.dedup ? {} : { dedup: false }) };
        const autoOptions = autoOptionsFromEnv();
        const auto = await runExperiment({ ...base, learner: { model: 'auto', auto: autoOptions } });
        cost[batch].push(auto.timing.eventsPerSec);
        const members = [];
        for (const m of AUTO_MEMBERS) members.push({ name: m.name, accuracy: (await runExperiment({ ...base, learner: { ...m.options } })).metrics.accuracy });
        const best = members.reduce((a, b) => (b.accuracy > a.accuracy ? b : a));
        // scikit-learn cannot run every stream (its StandardScaler refuses a stream without numeric features,
        // e.g. STAGGER): then it is left out of the bar and shown as n/a.
        let peer = { accuracy: Number.NaN };
        try {
          peer = JSON.parse(execFileSync('/usr/bin/python3', [join(here, 'sklearn_prequential.py'), s.peerFile ?? s.file, schemaFile, String(batch), ...(s.dedup ? [] : ['nodedup'])], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }));
        } catch { /* n/a */ }
        const noChange = auto.baselines.noChange.accuracy;
        const bar = Math.max(best.accuracy - 0.005, Number.isNaN(peer.accuracy) ? 0 : peer.accuracy, noChange);
        rows.push({
          name: `quality: auto accuracy, ${s.name}, batch ${batch}`,
          value: auto.metrics.accuracy,
          unit: 'accuracy',
          target: `>= ${bar.toFixed(4)}`,
          ...(Number.isNaN(peer.accuracy) ? {} : { peer: peer.accuracy }),
          note: `auto ${auto.metrics.accuracy.toFixed(4)} (chosen at end: ${auto.auto.chosen}) | best member ${best.name} ${best.accuracy.toFixed(4)} | members ${members.map((m) => `${m.name} ${m.accuracy.toFixed(4)}`).join(', ')} | sklearn SGD ${peer.accuracy.toFixed(4)} | fair no-change ${noChange.toFixed(4)} | ${auto.events} events`,
        });
        // Progress (the whole suite takes minutes): each row on stderr as it is measured.
        process.stderr.write(`quality: ${s.name}, batch ${batch}: auto ${auto.metrics.accuracy.toFixed(4)} vs bar ${bar.toFixed(4)} (${auto.metrics.accuracy >= bar ? 'ok' : 'NO'}) | ${rows.at(-1).note}\n`);
      }
    }
    const median = (a) => { const b = [...a].sort((x, y) => x - y); return b.length ? b[Math.floor(b.length / 2)] : 0; };
    for (const batch of BATCHES) {
      rows.push({ name: `auto: events/s through run, batch ${batch} (median over the streams)`, value: median(cost[batch]), unit: 'events/s', target: '>= 50000', note: '5 members learn every event; whole pipeline (read, dedup, predict, learn); learner alone: bench/learner.mjs' });
    }
    return rows;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
