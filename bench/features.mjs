// Features (docs/features.md): learner throughput (predictMany + learnMany, fused logistic, batch 256)
// on the generator's `logs` stream with text features (schemas/logs.json) beside the same stream without
// them (schemas/generator.json, the peer), the text encoder alone, and the peak RSS of a wide schema
// (10,000 categorical fields, dimension 340,002) at batch 1, 256 and 1024, each in a fresh process,
// beside the RSS of the same events without a learner (the peer). The learner and encoder rows keep the
// best of FEATURES_BENCH_PASSES passes (3) and add the CPU-time rate (cpu_events_per_sec, user + system:
// what a shared machine distorts least). Uses the built dist/ (or the build in $ONTHEFLY_DIST, to
// measure another commit with the same bench).
import { execFileSync } from 'node:child_process';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const require = createRequire(import.meta.url);
const here = fileURLToPath(import.meta.url);
const root = join(dirname(here), '..');
const dist = process.env.ONTHEFLY_DIST ?? join(root, 'dist');
const { createLearner } = require(join(dist, 'learn/create-learner'));
const { loadSchema } = require(join(dist, 'stream/schema'));
const { IncidentGenerator } = require(join(dist, 'stream/generator'));
const { encodeText } = require(join(dist, 'features/text'));

const EVENTS = Number(process.env.FEATURES_BENCH_EVENTS ?? 50_000);
const BATCH = 256;
/** Passes of the learner and encoder rows (the best is kept: the machine may be shared). */
const PASSES = Number(process.env.FEATURES_BENCH_PASSES ?? 3);

// The wide schema: 10,000 categorical fields (capacity 32: 34 columns each) and one numeric field.
const WIDE_FIELDS = 10_000;
// Fields an event sets (the others are absent, i.e. missing: their "missing" column is set).
const WIDE_SET = 100;
const WIDE_BATCHES = 4;

function wideSchema() {
  return { label: { field: 'y', positive: [1] }, numeric: ['x'], categorical: Array.from({ length: WIDE_FIELDS }, (_, k) => `c${k}`), timestamp: null };
}

/** A deterministic batch of wide events: x, WIDE_SET of the fields with one of 40 values, label from the first 50 fields. */
function wideBatch(n, state) {
  const rnd = () => ((state.s = (Math.imul(state.s, 1103515245) + 12345) >>> 0) / 2 ** 32);
  const rows = [];
  const labels = [];
  for (let i = 0; i < n; i++) {
    const r = { x: rnd() * 2 - 1 };
    let score = r.x;
    for (let f = 0; f < WIDE_SET; f++) {
      const k = (rnd() * WIDE_FIELDS) | 0;
      const v = (rnd() * 40) | 0;
      r[`c${k}`] = `v${v}`;
      if (k < 50) score += v < 20 ? 1 : -1;
    }
    rows.push(r);
    labels.push(score > 0 ? 1 : 0);
  }
  return { rows, labels };
}

/** In a fresh process: WIDE_BATCHES batches of `batch` wide events, predicted then learned (or only generated). */
async function wideChild(batch, learn) {
  const state = { s: 7 };
  const L = learn ? await createLearner({ schema: wideSchema(), engine: 'fused', model: 'logistic' }) : null;
  const t0 = performance.now();
  for (let b = 0; b < WIDE_BATCHES; b++) {
    const { rows, labels } = wideBatch(batch, state);
    if (L) {
      L.predictMany(rows);
      L.learnMany(rows, labels);
    }
  }
  const ms = performance.now() - t0;
  return { rssMB: process.resourceUsage().maxRSS / 1024, eventsPerSec: (batch * WIDE_BATCHES * 1000) / ms, dim: L ? L.features.dim : 0 };
}

if (process.argv[2] === '--wide') {
  process.stdout.write(JSON.stringify(await wideChild(Number(process.argv[3]), process.argv[4] === 'learn')));
  process.exit(0);
}

function wide(batch, learn) {
  return JSON.parse(execFileSync(process.execPath, [here, '--wide', String(batch), learn ? 'learn' : 'rows'], { encoding: 'utf8', env: process.env, maxBuffer: 1 << 20 }));
}

/** One pass of predictMany + learnMany over rows in batches: events/s by the clock and in CPU time (process.cpuUsage, user + system). */
async function learnerRate(schemaFile, rows) {
  const L = await createLearner({ schema: loadSchema(join(root, 'schemas', schemaFile)), engine: 'fused', model: 'logistic' });
  const labels = rows.map((r) => r.critical);
  const c0 = process.cpuUsage();
  const t0 = performance.now();
  for (let i = 0; i < rows.length; i += BATCH) {
    const b = rows.slice(i, i + BATCH);
    L.predictMany(b);
    L.learnMany(b, labels.slice(i, i + BATCH));
  }
  const ms = performance.now() - t0;
  const c = process.cpuUsage(c0);
  L.dispose();
  return { rate: (rows.length / ms) * 1000, cpu: rows.length / ((c.user + c.system) / 1e6) };
}

/**
 * The best of PASSES passes, by the clock and in CPU time; each pass on the events generated anew (the
 * same events: the same seed), so every pass reads strings as the generator gives them (flattened as
 * each message is made, src/stream/generator.ts; not read by an earlier pass), with a new learner.
 */
async function bestRate(schemaFile) {
  const best = { rate: 0, cpu: 0 };
  for (let p = 0; p < PASSES; p++) {
    const r = await learnerRate(schemaFile, logsEvents());
    best.rate = Math.max(best.rate, r.rate);
    best.cpu = Math.max(best.cpu, r.cpu);
  }
  return best;
}

const logsEvents = () => new IncidentGenerator({ scenario: 'logs', events: EVENTS, seed: 1 }).take();

export async function run() {
  const plain = await bestRate('generator.json');
  const text = await bestRate('logs.json');
  // The encoder alone on the messages (each with a space appended: a new string, not in a memo).
  const events = logsEvents();
  const enc = { rate: 0, cpu: 0 };
  for (let p = 0; p < PASSES; p++) {
    const messages = events.map((e) => `${e.message} `);
    const c0 = process.cpuUsage();
    const t0 = performance.now();
    for (const m of messages) encodeText(m, 4096);
    const c = process.cpuUsage(c0);
    enc.rate = Math.max(enc.rate, (messages.length / (performance.now() - t0)) * 1000);
    enc.cpu = Math.max(enc.cpu, messages.length / ((c.user + c.system) / 1e6));
  }
  const k = (x) => Math.round(x).toLocaleString('en-US');
  const rows = [
    {
      name: `learner predict+learn, text features (logs, ${EVENTS} events, batch ${BATCH})`, value: text.rate, unit: 'events/s', target: '>= 100000', peer: plain.rate, cpu_events_per_sec: text.cpu,
      note: `best of ${PASSES} passes; CPU-time rate ${k(text.cpu)} events/s (peer ${k(plain.cpu)}); peer: the same stream and learner without text features (schemas/generator.json); batches are sparse rows (a row's non-zeros only, of 4,096 text columns)`,
    },
    {
      name: 'text encoder alone (mask, tokens, bigrams, signed hashing)', value: enc.rate, unit: 'messages/s', cpu_events_per_sec: enc.cpu,
      note: `encodeText on the ${EVENTS} messages, best of ${PASSES} passes; CPU-time rate ${k(enc.cpu)} messages/s`,
    },
  ];
  for (const batch of [1, 256, 1024]) {
    const learner = wide(batch, true);
    const alone = wide(batch, false);
    rows.push({
      name: `wide schema (${WIDE_FIELDS} categorical fields, dim ${learner.dim}), batch ${batch}: peak RSS`, value: learner.rssMB, unit: 'MB',
      ...(batch === 1024 ? { target: '<= 300' } : {}), peer: alone.rssMB,
      ...(batch === 1024 ? { note: `${WIDE_BATCHES} batches predicted then learned (fused logistic) in a fresh process; each event sets ${WIDE_SET} of the fields (the others are missing: their "missing" column is set, so a row has ${WIDE_FIELDS + 1} non-zeros); peer: the same process generating the same events without a learner` } : {}),
    });
    // (batch 1: 4 events, mostly the first calls' compilation: no rate)
    if (batch > 1) rows.push({ name: `  same, predict+learn throughput`, value: learner.eventsPerSec, unit: 'events/s' });
  }
  return rows;
}
