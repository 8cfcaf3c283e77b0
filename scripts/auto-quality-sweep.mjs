// A quicker sweep of bench/quality.mjs's comparison: one `auto` run per (stream, batch) instead of one run
// per member. The members' accuracies are read from inside the ensemble — each member's prediction of an
// event, made before it learns it, is scored on the events it learns (novel events; on the scenarios,
// which dedup, duplicates are left out, so a member's figure here can differ from its own run's in
// bench/quality.mjs). The members inside `auto` are bit-identical to the same learners run alone
// (test/learn/auto-learner.test.ts). The bar is max(best member − 0.005, scikit-learn SGD, fair no-change)
// as in bench/quality.mjs; scikit-learn (/usr/bin/python3 bench/sklearn_prequential.py) is left out of the
// bar where it fails on a stream.
// usage: node scripts/auto-quality-sweep.mjs   (after npm run build; env: QUALITY_ONLY=NAME,…, QUALITY_SELECT,
// QUALITY_COMBINE, QUALITY_FIT_WEIGHT, QUALITY_FIT_ROWS, QUALITY_EVENTS as for bench/quality.mjs; QUALITY_BATCHES=1,256
// the batch sizes). Prints one line per row and a markdown table.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createRequire } from 'node:module';
import { suiteStreams } from '../bench/lib/real-streams.mjs';
import { autoOptionsFromEnv } from '../bench/quality.mjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const require = createRequire(join(root, 'package.json'));
const { runExperiment } = require('./dist/evaluate/run-experiment');
const { createLearnerSync } = require('./dist/learn/create-learner');
const { AUTO_MEMBERS } = require('./dist/learn/auto-learner');
const { parseSchema } = require('./dist/stream/schema');
const { synthSchema, SYNTH_NAMES } = require('./dist/synth/synth-stream');
const { SCENARIO_NAMES } = require('./dist/stream/scenarios');
const EVENTS = Number(process.env.QUALITY_EVENTS ?? 5000);
const BATCHES = (process.env.QUALITY_BATCHES ?? '1,256').split(',').map(Number);
const cli = join(root, 'dist/cli/main.js');
const dir = mkdtempSync(join(tmpdir(), 'onthefly-sweep-'));
const auto = autoOptionsFromEnv();
const only = process.env.QUALITY_ONLY?.split(',');
const wanted = (name) => !only || only.some((o) => name.includes(o));
const table = [];
try {
  const streams = suiteStreams(root, dir, { SCENARIO_NAMES, SYNTH_NAMES, synthSchema });
  for (const s of streams.filter((x) => wanted(x.name))) {
    if (s.args) {
      s.file = join(dir, `${s.name.replace(/[^a-z0-9]+/gi, '-')}.jsonl`);
      execFileSync(process.execPath, [cli, 'generate', ...s.args, '--events', String(EVENTS), '--seed', '1', '--out', s.file]);
    }
    const schema = parseSchema(s.schema);
    const schemaFile = join(dir, 'schema.json');
    writeFileSync(schemaFile, JSON.stringify(schema));
    for (const batch of BATCHES) {
      let sk = Number.NaN;
      try {
        sk = JSON.parse(execFileSync('/usr/bin/python3', [join(root, 'bench/sklearn_prequential.py'), s.peerFile ?? s.file, schemaFile, String(batch), ...(s.dedup ? [] : ['nodedup'])], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] })).accuracy;
      } catch { /* scikit-learn cannot run this stream (e.g. no numeric feature for its StandardScaler) */ }
      const L = createLearnerSync({ schema, seed: 1, model: 'auto', auto });
      const K = AUTO_MEMBERS.length;
      const seen = new Map();
      const hits = new Float64Array(K);
      let scored = 0;
      const predict = L.predictMany.bind(L);
      const learn = L.learnMany.bind(L);
      // The members' predictions of each row, as the ensemble remembers them from predictMany (memoAt/memo).
      L.predictMany = (rows) => {
        const p = predict(rows);
        for (const r of rows) { const at = L.memoAt.get(r); if (at !== undefined && !seen.has(r)) seen.set(r, L.memo.slice(at * K, at * K + K)); }
        return p;
      };
      L.learnMany = (rows, labels, t) => {
        rows.forEach((r, i) => {
          const q = seen.get(r);
          if (!q) return;
          seen.delete(r);
          scored++;
          for (let k = 0; k < K; k++) if ((q[k] >= 0.5 ? 1 : 0) === (labels[i] >= 0.5 ? 1 : 0)) hits[k]++;
        });
        return learn(rows, labels, t);
      };
      const r = await runExperiment({ input: s.file, schema, batch, seed: 1, ...(s.dedup ? {} : { dedup: false }), model: L });
      const members = AUTO_MEMBERS.map((m, k) => ({ name: m.name, accuracy: hits[k] / scored }));
      const best = members.reduce((a, b) => (b.accuracy > a.accuracy ? b : a));
      const nc = r.baselines.noChange.accuracy;
      const bar = Math.max(best.accuracy - 0.005, Number.isNaN(sk) ? 0 : sk, nc);
      const a = r.metrics.accuracy;
      const row = { stream: s.name, batch, auto: a, best: `${best.name} ${best.accuracy.toFixed(4)}`, sk, nc, bar, ok: a >= bar, chosen: L.report().chosen };
      table.push(row);
      console.log(JSON.stringify({ ...row, members: members.map((m) => `${m.name} ${m.accuracy.toFixed(4)}`).join(', ') }));
    }
  }
} finally {
  rmSync(dir, { recursive: true, force: true });
}
const f = (x) => (Number.isNaN(x) ? 'n/a' : x.toFixed(4));
console.log('\n| stream | batch | auto | best member (inside auto) | sklearn SGD | fair no-change | bar | met |');
console.log('|---|---|---|---|---|---|---|---|');
for (const r of table) console.log(`| ${r.stream} | ${r.batch} | ${f(r.auto)} | ${r.best} | ${f(r.sk)} | ${f(r.nc)} | ${f(r.bar)} | ${r.ok ? 'yes' : `**no** (${(r.auto - r.bar).toFixed(4)})`} |`);
