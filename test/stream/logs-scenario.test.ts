import { test } from 'node:test';
import assert from 'node:assert/strict';
import { IncidentGenerator } from '../../src/stream/generator';
import { LOG_SEPARATOR, LOG_WORD_LLR, LOG_WORDS, logTailLLR } from '../../src/stream/messages';
import { sigmoid } from '../../src/stream/oracle';
import { SCENARIO_NAMES } from '../../src/stream/scenarios';

test('logs: every message ends with 3–6 log words, and oracle_p includes their evidence exactly', () => {
  assert.ok(SCENARIO_NAMES.includes('logs'));
  const g = new IncidentGenerator({ scenario: 'logs', events: 6000, seed: 5 });
  const oracle = g.oracle();
  const counts = [new Map<number, number>(), new Map<number, number>()];
  const words = [new Float64Array(LOG_WORDS.length), new Float64Array(LOG_WORDS.length)];
  let withText = 0;
  for (const e of g) {
    assert.equal(oracle(e), e.oracle_p, e.event_id);
    const tail = e.message.slice(e.message.lastIndexOf(LOG_SEPARATOR) + LOG_SEPARATOR.length).split(' ');
    assert.ok(tail.length >= 3 && tail.length <= 6);
    counts[e.critical]!.set(tail.length, (counts[e.critical]!.get(tail.length) ?? 0) + 1);
    for (const w of tail) words[e.critical]![LOG_WORDS.indexOf(w)]! += 1;
    // the oracle without the words' evidence differs: the text carries information
    const stripped = { ...e, message: e.message.slice(0, e.message.lastIndexOf(LOG_SEPARATOR)) };
    assert.ok(Number.isNaN(oracle(stripped)));
    const z = Math.log(e.oracle_p / (1 - e.oracle_p)) - logTailLLR(e.message);
    if (Math.abs(sigmoid(z) - e.oracle_p) > 0.05) withText++;
  }
  assert.ok(withText > 1000, `the words move oracle_p by > 0.05 on ${withText} of 6000 events`);
  // the word likelihoods differ by class in the direction of their LLR
  const share = (c: number, w: number): number => words[c]![w]! / words[c]!.reduce((a, b) => a + b, 0);
  const top = LOG_WORD_LLR.indexOf(Math.max(...LOG_WORD_LLR));
  const bottom = LOG_WORD_LLR.indexOf(Math.min(...LOG_WORD_LLR));
  assert.ok(share(1, top) > 2 * share(0, top));
  assert.ok(share(0, bottom) > 2 * share(1, bottom));
  // P(w | not critical) is uniform: LLRs average to log of a mean of exponentials = 0 under P0
  const meanRatio = LOG_WORD_LLR.reduce((a, l) => a + Math.exp(l), 0) / LOG_WORD_LLR.length;
  assert.ok(Math.abs(meanRatio - 1) < 1e-12);
});

test('logs is deterministic and other scenarios carry no log words', () => {
  const a = new IncidentGenerator({ scenario: 'logs', events: 300, seed: 'x' }).take();
  const b = new IncidentGenerator({ scenario: 'logs', events: 300, seed: 'x' }).take();
  assert.deepEqual(a, b);
  for (const e of new IncidentGenerator({ scenario: 'stationary', events: 300, seed: 'x' })) assert.equal(e.message.includes(LOG_SEPARATOR), false);
});

test('schemas/logs.json reads the generator stream with the message as text features', () => {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const { loadSchema } = require('../../src/stream/schema') as typeof import('../../src/stream/schema');
  const s = loadSchema(require('node:path').join(__dirname, '..', '..', '..', 'schemas', 'logs.json'));
  assert.deepEqual(s.textFeatures, ['message']);
  assert.equal(s.text, 'message');
});
