import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, openSync, readFileSync, statSync, writeSync, closeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { runExperiment, StrictModeError } from '../../src/evaluate/run-experiment';
import type { Schema } from '../../src/types';

const tmp = (): string => mkdtempSync(join(tmpdir(), 'onthefly-storm-'));

/** A small schema so that a long stream stays a small file. */
const SCHEMA: Schema = {
  label: { field: 'y', positive: [1] },
  numeric: ['x'],
  categorical: ['k'],
  key: ['k'],
  timestamp: 't',
  id: 'id',
};

/** `n` events repeating 3 keys, one every ms; `bad`: a line number holding a record without a label. */
function stormFile(dir: string, n: number, bad?: number): string {
  const path = join(dir, 'storm.jsonl');
  const fd = openSync(path, 'w');
  let buf = '';
  for (let i = 1; i <= n; i++) {
    const k = i % 3;
    buf += i === bad ? `{"id":"e${i}","t":${1e12 + i},"k":"k${k}","x":${k}}\n` : `{"id":"e${i}","t":${1e12 + i},"k":"k${k}","x":${k},"y":${k === 0 ? 1 : 0}}\n`;
    if (buf.length > 1 << 16) { writeSync(fd, buf); buf = ''; }
  }
  writeSync(fd, buf);
  closeSync(fd);
  return path;
}

test('an alert storm (200,000 events, 3 keys) keeps at most max(batch, 1024) events waiting for their prediction', async () => {
  const dir = tmp();
  const input = stormFile(dir, 200_000);
  const r = await runExperiment({ input, schema: SCHEMA, parseThread: false, dedup: { windowMs: Infinity } });
  assert.equal(r.events, 200_000);
  assert.equal(r.unique, 3);
  assert.ok(r.timing.maxPending > 0 && r.timing.maxPending <= 1024, `maxPending ${r.timing.maxPending}`);
  const big = await runExperiment({ input, schema: SCHEMA, parseThread: false, dedup: { windowMs: Infinity }, batch: 4096 });
  assert.ok(big.timing.maxPending <= 4096, `maxPending ${big.timing.maxPending} with batch 4096`);
  assert.deepEqual(big.metrics, r.metrics, 'nothing is learned (3 novel events): the same predictions either way');
});

test('during a storm, duplicates are logged as they arrive and checkpoints are written', async () => {
  const dir = tmp();
  // A strict run stops with an error at line 150,000: what it left on disk is what a crash there leaves.
  const input = stormFile(dir, 200_000, 150_000);
  const audit = join(dir, 'audit.jsonl');
  const checkpoint = join(dir, 'ck');
  await assert.rejects(
    runExperiment({ input, schema: SCHEMA, parseThread: false, dedup: { windowMs: Infinity }, strict: true, audit, checkpoint, checkpointEvery: 10_000 }),
    StrictModeError,
  );
  assert.ok(existsSync(join(checkpoint, 'state.json')), 'a checkpoint was written during the storm');
  const state = JSON.parse(readFileSync(join(checkpoint, 'state.json'), 'utf8'));
  assert.equal(state.consumed, 140_000);
  // The audit log holds a line for every event up to the checkpoint, and more written since.
  assert.ok(statSync(audit).size >= state.auditBytes);
  const lines = readFileSync(audit, 'utf8').slice(0, state.auditBytes).split('\n');
  assert.equal(lines.length - 1, 140_000);
  assert.equal(JSON.parse(lines[139_999]).id, 'e140000');
});
