import assert from 'node:assert/strict';
import { test } from 'node:test';
import { DedupCenter } from '../../src/dedup/dedup-center';
import { DedupReplay } from '../../src/dedup/dedup-replay';
import { groupPackedStream, readPackedStream } from '../../src/evaluate/packed-stream';
import { OnlinePipeline } from '../../src/evaluate/online-pipeline';
import { createLearner } from '../../src/learn/create-learner';
import { GENERATOR_SCHEMA } from '../../src/stream/default-schema';
import { generateEvents } from '../../src/stream/generator';
import { recordsFromEvents } from '../../src/stream/source';
import type { Row } from '../../src/types';

for (const [scenario, options] of [['storm', {}], ['stationary', { windowEvents: 50, maxGroups: 40 }], ['logs', { nearDup: true }]] as const) {
  test(`groupPackedStream + DedupReplay answer as a DedupCenter, record by record (${scenario}, ${JSON.stringify(options)})`, async () => {
    const stream = await readPackedStream({ scenario, events: 4000, seed: 3 });
    const grouping = groupPackedStream(stream, options);
    const center = new DedupCenter(options);
    const replay = new DedupReplay(grouping);
    let n = 0;
    let dups = 0;
    for (const item of recordsFromEvents(generateEvents({ scenario, events: 4000, seed: 3 }) as unknown as Row[], GENERATOR_SCHEMA)) {
      if ('rejected' in item) continue;
      const r = item.record;
      const want = center.observeGroup(r.fields, r.time, r.id);
      assert.equal(replay.observeGroup(r.fields, r.time, r.id), want, `record ${n}`);
      assert.equal(replay.lastDuplicate, center.lastDuplicate, `record ${n}`);
      if (center.lastDuplicate) dups++;
      n++;
    }
    assert.equal(n, 4000);
    if (scenario === 'storm') assert.ok(dups > 500, `a storm has duplicates (${dups})`);
    assert.deepEqual(replay.stats(), center.stats());
    assert.deepEqual({ ...replay.options }, { ...center.options });
    assert.throws(() => replay.observeGroup({}, 0, 'x'), /past the 4000/);
  });
}

test('DedupReplay: no fingerprints, no state, stats only when read whole; a pipeline refuses it with an audit or without dedup', async () => {
  const stream = await readPackedStream({ scenario: 'storm', events: 200, seed: 1 });
  const grouping = groupPackedStream(stream, {});
  const replay = new DedupReplay(grouping);
  assert.throws(() => replay.stats(), /stats after 0 of 200 records/);
  assert.throws(() => replay.lastFingerprint(), /no fingerprints/);
  assert.throws(() => replay.getState(), /cannot be checkpointed/);
  const learner = await createLearner({ schema: GENERATOR_SCHEMA, seed: 1 });
  assert.throws(() => new OnlinePipeline({ learner, grouping, onOutcome: () => {} }), /needs dedup on and no onOutcome/);
  assert.throws(() => new OnlinePipeline({ learner, grouping, dedup: false }), /needs dedup on and no onOutcome/);
});
