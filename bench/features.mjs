// Features (docs/features.md): learner throughput (predictMany + learnMany, fused logistic, batch 256)
// on the generator's `logs` stream with text features (schemas/logs.json) beside the same stream without
// them (schemas/generator.json, the peer), and the text encoder alone. Uses the built dist/.
// Not measured here yet: the 10k-categorical-field schema at batch 1024 (docs/design.md §9 sparse end
// to end is not built; batches are encoded densely, ≈ 2.8 GB for that batch's matrix alone).
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const require = createRequire(import.meta.url);
const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const { createLearner } = require('../dist/learn/create-learner');
const { loadSchema } = require('../dist/stream/schema');
const { IncidentGenerator } = require('../dist/stream/generator');
const { encodeText } = require('../dist/features/text');

const EVENTS = Number(process.env.FEATURES_BENCH_EVENTS ?? 50_000);
const BATCH = 256;

async function learnerRate(schemaFile, rows) {
  const L = await createLearner({ schema: loadSchema(join(root, 'schemas', schemaFile)), engine: 'fused' });
  const labels = rows.map((r) => r.critical);
  const t0 = performance.now();
  for (let i = 0; i < rows.length; i += BATCH) {
    const b = rows.slice(i, i + BATCH);
    L.predictMany(b);
    L.learnMany(b, labels.slice(i, i + BATCH));
  }
  const ms = performance.now() - t0;
  L.dispose();
  return (rows.length / ms) * 1000;
}

export async function run() {
  const events = new IncidentGenerator({ scenario: 'logs', events: EVENTS, seed: 1 }).take();
  // fresh copies per learner: derived/text state never leaks between the two
  const copy = () => events.map((e) => ({ ...e }));
  const plain = await learnerRate('generator.json', copy());
  const text = await learnerRate('logs.json', copy());
  const messages = events.map((e) => `${e.message} `);
  const t0 = performance.now();
  for (const m of messages) encodeText(m, 4096);
  const encodeRate = (messages.length / (performance.now() - t0)) * 1000;
  return [
    {
      name: `learner predict+learn, text features (logs, ${EVENTS} events, batch ${BATCH})`, value: text, unit: 'events/s', target: '>= 100000', peer: plain,
      note: 'peer: the same stream and learner without text features (schemas/generator.json); batches are still encoded densely (4,096 text columns per row)',
    },
    { name: 'text encoder alone (mask, tokens, bigrams, signed hashing)', value: encodeRate, unit: 'messages/s' },
  ];
}
