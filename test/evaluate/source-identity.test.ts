import assert from 'node:assert/strict';
import { appendFileSync, mkdtempSync, readFileSync, truncateSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { runExperiment } from '../../src/evaluate/run-experiment';
import { RecordDigest, sampleFile } from '../../src/evaluate/source-identity';
import { generateEvents } from '../../src/stream/generator';
import { SourceError } from '../../src/stream/source';

const tmp = (): string => mkdtempSync(join(tmpdir(), 'onthefly-ident-'));
const jsonl = (seed: number, events: number): string => `${generateEvents({ scenario: 'abrupt', events, seed }).map((e) => JSON.stringify(e)).join('\n')}\n`;

test('sampleFile reads 16 blocks of 4 KB at most and sees a change in any sampled block', () => {
  const dir = tmp();
  const path = join(dir, 'f');
  const data = Buffer.alloc(1 << 20, 7);
  writeFileSync(path, data);
  const a = sampleFile(path, data.length);
  data[0] = 8;
  writeFileSync(path, data);
  assert.notEqual(sampleFile(path, data.length), a, 'first block');
  data[0] = 7;
  data[data.length - 1] = 8;
  writeFileSync(path, data);
  assert.notEqual(sampleFile(path, data.length), a, 'last block');
  data[data.length - 1] = 7;
  writeFileSync(path, data);
  assert.equal(sampleFile(path, data.length), a);
  assert.equal(sampleFile(path, 10), sampleFile(path, 10));
  const d = new RecordDigest();
  const e = new RecordDigest();
  for (let i = 0; i < 2000; i++) {
    d.update({ rejected: { line: i, reason: 'r', raw: '' } });
    e.update({ rejected: { line: i === 1500 ? -1 : i, reason: 'r', raw: '' } });
  }
  assert.equal(d.records, 1024);
  assert.equal(d.value(), e.value(), 'only the first 1024 records count');
});

test('--resume refuses a source that was truncated below the checkpoint, replaced, or changed; a grown one resumes', async () => {
  const dir = tmp();
  const input = join(dir, 'in.jsonl');
  const original = jsonl(1, 6000);
  const opts = { input, parseThread: false, batch: 32, checkpoint: join(dir, 'ck'), checkpointEvery: 1000 };
  const stop = new AbortController();
  writeFileSync(input, original);
  const first = await runExperiment({ ...opts, signal: stop.signal, onStep: (s) => { if (s.events >= 3000) stop.abort(); } });
  assert.equal(first.stopped, true);
  const state = readFileSync(join(dir, 'ck', 'state.json'));
  const restore = (): void => writeFileSync(join(dir, 'ck', 'state.json'), state);

  truncateSync(input, 1000);
  await assert.rejects(runExperiment({ ...opts, resume: true }), (err: Error) =>
    err instanceof SourceError && err.message.startsWith(`${input}: has 1000 bytes, fewer than the ${original.length}`));
  restore();
  writeFileSync(input, jsonl(2, 7000)); // another stream, longer
  await assert.rejects(runExperiment({ ...opts, resume: true }), (err: Error) => err instanceof SourceError && /content changed since the checkpoint/.test(err.message));
  restore();
  writeFileSync(input, original.replace('"ev-00000001"', '"ev-0000000X"'));
  await assert.rejects(runExperiment({ ...opts, resume: true }), /content changed since the checkpoint/);
  restore();
  writeFileSync(input, original);
  appendFileSync(input, jsonl(3, 100));
  const grown = await runExperiment({ ...opts, resume: true });
  assert.equal(grown.events, 6100, 'events appended after the checkpoint are read');
});

test('a stream shorter than the checkpoint, or with other first records, is refused without a size on record (as for stdin)', async () => {
  const dir = tmp();
  const input = join(dir, 'in.jsonl');
  writeFileSync(input, jsonl(1, 3000));
  const opts = { input, parseThread: false, batch: 32, checkpoint: join(dir, 'ck'), checkpointEvery: 500 };
  const stop = new AbortController();
  await runExperiment({ ...opts, signal: stop.signal, onStep: (s) => { if (s.events >= 2000) stop.abort(); } });
  const state = JSON.parse(readFileSync(join(dir, 'ck', 'state.json'), 'utf8'));
  assert.equal(state.source.headRecords, 1024);
  assert.equal(typeof state.source.size, 'number');
  // Without the file's size on record (as for stdin), the record count and digest still catch it.
  delete state.source.size;
  delete state.source.sample;
  writeFileSync(join(dir, 'ck', 'state.json'), JSON.stringify(state));
  writeFileSync(input, jsonl(1, 3000).split('\n').slice(0, 1500).join('\n'));
  await assert.rejects(runExperiment({ ...opts, resume: true }), (err: Error) =>
    err instanceof SourceError && err.message.includes(`ended after 1500 records, but the checkpoint in ${join(dir, 'ck')} is at record ${state.consumed}`));
  writeFileSync(input, jsonl(5, 3000));
  await assert.rejects(runExperiment({ ...opts, resume: true }), /its first 1024 records differ from those the checkpoint was written from/);
});
