/**
 * Bit-identity guard for the speed work on the tree family: the prequential probabilities (predictMany
 * before learnMany, batch 1 and batch 7), the learnMany losses and the final checkpoint of naive Bayes,
 * the Hoeffding tree, the adaptive tree and the forest, on NE weather (data/ne-weather.csv) and on a
 * seeded synthetic stream with numeric, categorical and hashed fields, missing values and an abrupt
 * concept change, are hashed (SHA-256 of the float64 bytes) and compared with the hashes recorded from
 * the code before it was made faster (commit 311468a). A change that alters any result fails here;
 * one that alters results on purpose must say so and record new hashes.
 *
 * `GOLDEN_PRINT=1 node --test build/test/learn/tree/golden.test.js` prints the current hashes.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { createLearner } from '../../../src/learn/create-learner';
import type { LearnerOptions } from '../../../src/learn/learner';
import { Rng } from '../../../src/learn/rng';
import type { Row, Schema } from '../../../src/types';

const ROOT = join(__dirname, '..', '..', '..', '..');

function neWeather(): { schema: Schema; rows: Row[]; labels: number[] } {
  const schema = JSON.parse(readFileSync(join(ROOT, 'schemas', 'ne-weather.json'), 'utf8')) as Schema;
  const lines = readFileSync(join(ROOT, 'data', 'ne-weather.csv'), 'utf8').trim().split('\n');
  const head = lines[0]!.split(',');
  const rows: Row[] = [];
  const labels: number[] = [];
  for (const line of lines.slice(1)) {
    const v = line.split(',');
    const row: Row = {};
    head.forEach((h, i) => { if (schema.numeric.includes(h)) row[h] = Number(v[i]); });
    rows.push(row);
    labels.push(v[head.indexOf('rain')] === '1' ? 1 : 0);
  }
  return { schema, rows, labels };
}

const SYNTH_SCHEMA: Schema = {
  label: { field: 'y', positive: [1] },
  numeric: ['a', 'b', 'c', 'big'],
  categorical: ['colour', 'size'],
  hashed: ['host'],
  log: ['big'],
};

/**
 * 12,000 events: label from a + b and the colour until event 6,000, then from c and the size; 3% label
 * noise; a, colour and host are sometimes missing; 40 colours (more than the coder's 32 codes).
 */
function synth(): { schema: Schema; rows: Row[]; labels: number[] } {
  const rng = new Rng('golden-synth');
  const rows: Row[] = [];
  const labels: number[] = [];
  for (let i = 0; i < 12_000; i++) {
    const a = 10 * rng.next();
    const b = 10 * rng.next();
    const c = 10 * rng.next() - 5;
    const big = Math.exp(12 * rng.next());
    const colour = rng.int(40);
    const size = ['s', 'm', 'l'][rng.int(3)]!;
    const host = `h${rng.int(500)}`;
    let y = i < 6000 ? (a + b > 10 || colour < 4 ? 1 : 0) : (c > 1 || size === 's' ? 1 : 0);
    if (rng.next() < 0.03) y = 1 - y;
    const row: Row = { a: rng.next() < 0.05 ? null : a, b, c, big, colour: rng.next() < 0.05 ? '' : `k${colour}`, size, host: rng.next() < 0.05 ? null : host };
    rows.push(row);
    labels.push(y);
  }
  return { schema: SYNTH_SCHEMA, rows, labels };
}

const sha = (a: Float64Array): string => createHash('sha256').update(Buffer.from(a.buffer, a.byteOffset, a.byteLength)).digest('hex').slice(0, 16);
const shaText = (s: string): string => createHash('sha256').update(s).digest('hex').slice(0, 16);

/** Prequential pass in batches of `batch`: hashes of the probabilities, of the losses and of the final state. */
async function fingerprint(data: { schema: Schema; rows: Row[]; labels: number[] }, options: Partial<LearnerOptions>, batch: number): Promise<string> {
  const L = await createLearner({ schema: data.schema, constraints: [], seed: 3, ...options } as LearnerOptions);
  const n = data.rows.length;
  const probs = new Float64Array(n);
  const losses: number[] = [];
  for (let i = 0; i < n; i += batch) {
    const rows = data.rows.slice(i, i + batch);
    probs.set(L.predictMany(rows), i);
    losses.push(L.learnMany(rows, data.labels.slice(i, i + batch)).loss);
  }
  const state = JSON.stringify(L.getState());
  L.dispose();
  return `${sha(probs)} ${sha(Float64Array.from(losses))} ${shaText(state)}`;
}

/** Recorded from the code before the speed work (see the file's comment). */
const GOLDEN: Record<string, string> = {
  'ne naive-bayes b1': '1633899a429f8fa4 d7d3adbb80cc5c05 cbb2cc3f5c55aead',
  'ne hoeffding-tree b1': '7c2aabec8cee1788 3275578f17bfe3ae 1dc4ed76a669892e',
  'ne hat b1': 'c44ed08cc8dae599 cb1c351bd667f59a 47d6d02dd2930aec',
  'ne arf b1': '1cf1e55528ef2110 482d485a29209368 c5bcb147931e1710',
  'ne naive-bayes b7': 'a68c77630738985c fea1ec88814e6143 1d81a97b74c2cc77',
  'ne hoeffding-tree b7': '24ac8de6cf00dae0 b6056f2af5960aef 04d2fc1e234ebb48',
  'ne hat b7': 'a44ac88c0cb56844 078a51a9cf705fc4 4cd1b362a50b1949',
  'ne arf b7': '822d73ccf3bed3a1 846b1c381f45513b c86c8c9e62fd3da9',
  'ne hoeffding-tree binary mc': '0b56e5603c3c6263 c9ebf4adda4f4af9 9005d5aac3725755',
  'ne hoeffding-tree nb': 'b8b0cd2a39f03b11 45b5579d200122b4 277105c0b0b9acc3',
  'ne hat no bootstrap': '9af153adc140a168 6f839e716584ba91 81e17ba1bdb05962',
  'ne arf 3 trees all features unweighted': 'c539a56f8ca40de1 730283e30bff57d3 a636b4675bd87562',
  'synth naive-bayes b1': 'df492294c8c6d1bf b31095bd04266a16 63c704c9705327ef',
  'synth hoeffding-tree b1': '7127cb18967297e4 9ef48a10f8cd9ce6 ef9569d1c024c142',
  'synth hat b1': '9b6f99bc48d65e42 027a7b6bd7937669 dadb865124da5260',
  'synth arf b1': '14b51098a30906f1 ca1e0d95c110f5f1 e8f5ce1cec7daf9a',
  'synth naive-bayes b7': '5c1f61a2f93e98b6 fa6627f640180065 d6deb5f57e97a169',
  'synth hoeffding-tree b7': '90cb17fe44a5bbbf 048373768e012255 4d5b95439036732b',
  'synth hat b7': 'c6939fad8c6ef2d3 489d78f56cdce93e 50a68bcb4b7fb862',
  'synth arf b7': '2f3bb64f0ccc7595 971629bda05dacd3 2196cca53d00c64d',
  'synth hoeffding-tree binary mc': 'a67131a02cc9f2ed aeee784dafacdbc4 721890c78ac39958',
  'synth hoeffding-tree nb': 'ca99f1a3fd755262 bfa5619b5bf67aa3 9d1c22c76eacbf43',
  'synth hat no bootstrap': '4512741687bb16f1 16c862a394b9496f 7018a53329664efa',
  'synth arf 3 trees all features unweighted': '34e0f09f28a4ceef 1865f6ca56bbd1ec bd9eac7e0acfd52b',
};

const CASES: { name: string; stream: 'ne' | 'synth'; options: Partial<LearnerOptions>; batch: number }[] = [];
for (const stream of ['ne', 'synth'] as const) {
  for (const batch of [1, 7]) {
    CASES.push({ name: `${stream} naive-bayes b${batch}`, stream, options: { model: 'naive-bayes' }, batch });
    CASES.push({ name: `${stream} hoeffding-tree b${batch}`, stream, options: { model: 'hoeffding-tree' }, batch });
    CASES.push({ name: `${stream} hat b${batch}`, stream, options: { model: 'hat' }, batch });
    CASES.push({ name: `${stream} arf b${batch}`, stream, options: { model: 'arf' }, batch });
  }
  CASES.push({ name: `${stream} hoeffding-tree binary mc`, stream, options: { model: 'hoeffding-tree', tree: { nominalSplit: 'binary', leafPrediction: 'mc', gracePeriod: 50 } }, batch: 1 });
  CASES.push({ name: `${stream} hoeffding-tree nb`, stream, options: { model: 'hoeffding-tree', tree: { leafPrediction: 'nb', gracePeriod: 100 } }, batch: 1 });
  CASES.push({ name: `${stream} hat no bootstrap`, stream, options: { model: 'hat', tree: { bootstrap: false, gracePeriod: 50 } }, batch: 1 });
  CASES.push({ name: `${stream} arf 3 trees all features unweighted`, stream, options: { model: 'arf', tree: { trees: 3, maxFeatures: 'all', weightedVote: false } }, batch: 1 });
}

const streams = { ne: neWeather(), synth: synth() };
const print = process.env.GOLDEN_PRINT === '1';
const seen: Record<string, string> = {};

for (const c of CASES) {
  test(`golden: ${c.name} gives the probabilities, losses and state recorded before the speed work`, async () => {
    const got = await fingerprint(streams[c.stream], c.options, c.batch);
    seen[c.name] = got;
    if (print) return;
    assert.equal(got, GOLDEN[c.name], `${c.name}: results changed`);
  });
}

test('golden: print', { skip: !print }, () => {
  process.stdout.write(`${JSON.stringify(seen, null, 2)}\n`);
});
