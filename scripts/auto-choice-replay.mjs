// Replays choice rules for `auto` on its members' recorded predictions. The members learn the same
// whatever the ensemble predicts with (their inputs are the events and labels only), so one auto run per
// (stream, batch) records, per learned batch, every member's P(y = 1) before learning it and, at batch
// ≥ 2, after (the fit); any rule for choosing among the members is then scored offline on those. Accuracy
// here is over learned events (on the deduplicated scenarios duplicates are left out), the bar is
// max(best member − 0.005, fair no-change) — no scikit-learn (bench/quality.mjs has the full bar).
// usage: node scripts/auto-choice-replay.mjs   (after npm run build; env QUALITY_ONLY=NAME,…,
// QUALITY_EVENTS (5000), QUALITY_BATCHES (1,256); REPLAY_TRACE=1 also prints, per stream and learned
// batch, each member's errors before and after learning it and the member each rule predicted it with).
// Prints, per rule and batch, the rows below that bar.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createRequire } from 'node:module';
import { suiteStreams } from '../bench/lib/real-streams.mjs';

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
const only = process.env.QUALITY_ONLY?.split(',');
const K = AUTO_MEMBERS.length;
const EPS = 1e-6;
const ll = (p, y) => { const q = y >= 0.5 ? p : 1 - p; return -Math.log(q < EPS ? EPS : q > 1 - EPS ? 1 - EPS : q); };
const wrong = (p, y) => ((p >= 0.5) !== (y >= 0.5) ? 1 : 0);

/** A rule: state() → s; predict(s, P, n) → probabilities; update(s, P, y, Q) after the batch (Q: the fit, or null). */
function select({ halfLife = 500, hl = (b) => halfLife, fitWeight = 0, fitRows = 64, margin = 0, top = 1 } = {}) {
  return (batch) => {
    const g = 2 ** (-1 / hl(batch));
    const s = { E: new Float64Array(K), L: new Float64Array(K), F: new Float64Array(K), G: new Float64Array(K), cur: 0 };
    const score = (k) => s.E[k] + fitWeight * s.F[k];
    const loss = (k) => s.L[k] + fitWeight * s.G[k];
    const order = () => [...Array(K).keys()].sort((a, b) => score(a) - score(b) || loss(a) - loss(b) || a - b);
    return {
      predict: (P, n) => {
        if (top === 1) return P[s.cur];
        const out = new Float64Array(n);
        for (const k of order().slice(0, top)) for (let i = 0; i < n; i++) out[i] += P[k][i] / top;
        return out;
      },
      update: (P, y, Q) => {
        const n = y.length;
        const d = g ** n;
        s.F.fill(0);
        s.G.fill(0);
        for (let k = 0; k < K; k++) {
          let e = 0, l = 0;
          for (let i = 0; i < n; i++) { e += wrong(P[k][i], y[i]); l += ll(P[k][i], y[i]); }
          s.E[k] = d * s.E[k] + e;
          s.L[k] = d * s.L[k] + l;
          if (fitWeight > 0 && Q && n >= fitRows) for (let i = 0; i < n; i++) { s.F[k] += wrong(Q[k][i], y[i]); s.G[k] += ll(Q[k][i], y[i]); }
        }
        const best = order()[0];
        if (best !== s.cur && (margin === 0 || score(s.cur) - score(best) > margin)) s.cur = best;
      },
    };
  };
}

function hedge({ halfLife = 500, eta = 1 } = {}) {
  return () => {
    const g = 2 ** (-1 / halfLife);
    const L = new Float64Array(K);
    return {
      predict: (P, n) => {
        const min = Math.min(...L);
        const w = Array.from(L, (l) => Math.exp(-eta * (l - min)));
        const z = w.reduce((a, b) => a + b, 0);
        const out = new Float64Array(n);
        for (let k = 0; k < K; k++) for (let i = 0; i < n; i++) out[i] += (w[k] / z) * P[k][i];
        return out;
      },
      update: (P, y) => { const d = g ** y.length; for (let k = 0; k < K; k++) { let l = 0; for (let i = 0; i < y.length; i++) l += ll(P[k][i], y[i]); L[k] = d * L[k] + l; } },
    };
  };
}

const RULES = {
  'errors (auto before the fit term)': select(),
  'errors + fit, w 1 (the default)': select({ fitWeight: 1 }),
  'errors + fit, w 0.5': select({ fitWeight: 0.5 }),
  'errors + fit, w 2': select({ fitWeight: 2 }),
  'errors + fit, w 1, on every batch of >= 2 rows (fitRows 2)': select({ fitWeight: 1, fitRows: 2 }),
  ...Object.fromEntries([2, 4, 8, 16].map((c) => [`half-life max(500, ${c}·batch)`, select({ hl: (b) => Math.max(500, c * b) })])),
  ...Object.fromEntries([1, 3, 10].map((m) => [`switching margin ${m} errors`, select({ margin: m })])),
  'mean of the two best members': select({ top: 2 }),
  ...Object.fromEntries([0.01, 0.1, 1].map((eta) => [`hedge, eta ${eta}`, hedge({ eta })])),
};

const dir = mkdtempSync(join(tmpdir(), 'onthefly-replay-'));
try {
  const streams = suiteStreams(root, dir, { SCENARIO_NAMES, SYNTH_NAMES, synthSchema });
  const rows = [];
  for (const s of streams.filter((x) => !only || only.some((o) => x.name.includes(o)))) {
    if (s.args) {
      s.file = join(dir, `${s.name.replace(/[^a-z0-9]+/gi, '-')}.jsonl`);
      execFileSync(process.execPath, [join(root, 'dist/cli/main.js'), 'generate', ...s.args, '--events', String(EVENTS), '--seed', '1', '--out', s.file]);
    }
    const schema = parseSchema(s.schema);
    for (const batch of BATCHES) {
      const L = createLearnerSync({ schema, seed: 1, model: 'auto' });
      const batches = [];
      const learn = L.learnMany.bind(L);
      // Each batch's member predictions before learning (as the ensemble remembers or asks them), and the fit after.
      L.learnMany = (r, y, t) => {
        const P = L.recalled(r) ?? L.predictAll(r);
        const out = learn(r, y, t);
        batches.push({ P, y: Array.from(y), Q: r.length >= 2 ? L.refitAll(r) : null });
        return out;
      };
      const res = await runExperiment({ input: s.file, schema, batch, seed: 1, ...(s.dedup ? {} : { dedup: false }), model: L });
      const hits = new Float64Array(K);
      let n = 0;
      for (const b of batches) { for (let i = 0; i < b.y.length; i++) for (let k = 0; k < K; k++) hits[k] += 1 - wrong(b.P[k][i], b.y[i]); n += b.y.length; }
      const bar = Math.max(Math.max(...hits) / n - 0.005, res.baselines.noChange.accuracy);
      rows.push({ name: s.name, batch, batches, n, bar });
      process.stderr.write(`replay: recorded ${s.name}, batch ${batch}\n`);
    }
  }
  for (const [rule, make] of Object.entries(RULES)) {
    for (const batch of BATCHES) {
      const miss = [];
      let sum = 0, count = 0;
      for (const row of rows.filter((r) => r.batch === batch)) {
        const r = make(batch);
        let err = 0;
        row.batches.forEach((b, t) => {
          const p = r.predict(b.P, b.y.length);
          let e = 0;
          for (let i = 0; i < b.y.length; i++) e += wrong(p[i], b.y[i]);
          err += e;
          if (process.env.REPLAY_TRACE && batch > 1) {
            const count = (Q) => (Q ? Q.map((q) => q.reduce((a, x, i) => a + wrong(x, b.y[i]), 0)).join(' ') : '-');
            console.log(`trace | ${rule} | ${row.name} | batch ${batch} | #${t} | errors before learning ${count(b.P)} | after ${count(b.Q)} | predicted with ${AUTO_MEMBERS.findIndex((_, k) => b.P[k].every((x, i) => x === p[i]))} (${e} errors)`);
          }
          r.update(b.P, b.y, b.Q);
        });
        const acc = 1 - err / row.n;
        sum += acc;
        count++;
        if (acc < row.bar) miss.push(`${row.name} ${(acc - row.bar).toFixed(4)}`);
      }
      console.log(`${rule} | batch ${batch} | mean accuracy ${(sum / count).toFixed(4)} | below the bar: ${miss.length}${miss.length ? ` (${miss.join('; ')})` : ''}`);
    }
  }
} finally {
  rmSync(dir, { recursive: true, force: true });
}
