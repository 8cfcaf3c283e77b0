/**
 * Prequential quality on the generator's stationary stream, with the default options:
 * logistic F1 ≥ 0.95 × Bayes F1 (Bayes prediction: oracle_p ≥ 0.5), at batch 1 and batch 256.
 * Plus replay against forgetting on `recurring`.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { Row } from '../../src/types';
import { generateEvents } from '../../src/stream/generator';
import { GENERATOR_SCHEMA } from '../../src/stream/default-schema';
import { createLearner } from '../../src/learn/create-learner';
import type { LearnerOptions } from '../../src/learn/learner';

function f1(pred: Uint8Array, y: number[]): number {
  let tp = 0;
  let fp = 0;
  let fn = 0;
  y.forEach((yi, i) => {
    if (pred[i] && yi) tp++;
    else if (pred[i]) fp++;
    else if (yi) fn++;
  });
  return (2 * tp) / (2 * tp + fp + fn);
}

const N = 50000;
const events = generateEvents({ scenario: 'stationary', events: N, seed: 'quality' }) as unknown as Row[];
const labels = events.map((e) => e.critical as number);

async function prequential(options: Partial<LearnerOptions>, batch: number, rows = events, ys = labels): Promise<Uint8Array> {
  const L = await createLearner({ schema: GENERATOR_SCHEMA, ...options });
  const pred = new Uint8Array(rows.length);
  for (let i = 0; i < rows.length; i += batch) {
    const b = rows.slice(i, i + batch);
    const p = L.predictMany(b);
    p.forEach((pi, j) => { pred[i + j] = pi >= 0.5 ? 1 : 0; });
    L.learnMany(b, ys.slice(i, i + batch));
  }
  return pred;
}

const bayes = Uint8Array.from(events.map((e) => ((e.oracle_p as number) >= 0.5 ? 1 : 0)));
const bayesF1 = f1(bayes, labels);

for (const batch of [1, 256]) {
  test(`stationary, ${N} events, logistic (defaults), batch ${batch}: F1 ≥ 0.95 × Bayes F1`, async () => {
    const ours = f1(await prequential({}, batch), labels);
    assert.ok(ours >= 0.95 * bayesF1, `F1 ${ours.toFixed(4)} vs Bayes ${bayesF1.toFixed(4)} (ratio ${(ours / bayesF1).toFixed(4)})`);
  });
}

test('recurring: replay reduces the accuracy drop at the return to regime A', async () => {
  const M = 30000;
  const rows = generateEvents({ scenario: 'recurring', events: M, seed: 'forget' }) as unknown as Row[];
  const ys = rows.map((e) => e.critical as number);
  const regimes = rows.map((r) => r.regime as string);
  // Phases: A … B … A. Last 1000 of the first A phase vs the first 1000 after the return.
  const firstB = regimes.indexOf('B');
  const returnA = regimes.indexOf('A', regimes.lastIndexOf('B'));
  assert.ok(firstB > 1000 && returnA > firstB);
  const acc = (pred: Uint8Array, from: number, to: number) => {
    let c = 0;
    for (let i = from; i < to; i++) c += pred[i] === ys[i] ? 1 : 0;
    return c / (to - from);
  };
  const drop = async (options: Partial<LearnerOptions>) => {
    const pred = await prequential(options, 16, rows, ys);
    return acc(pred, firstB - 1000, firstB) - acc(pred, returnA, returnA + 1000);
  };
  const plain = await drop({});
  const replay = await drop({ replay: 1, replaySize: 4000 });
  assert.ok(replay < plain, `drop with replay ${replay.toFixed(4)} vs without ${plain.toFixed(4)}`);
});
