import { test } from 'node:test';
import assert from 'node:assert/strict';
import { FeatureSpace } from '../../src/features/feature-space';
import { timePhase } from '../../src/features/time-features';
import { parseSchema } from '../../src/stream/schema';

const U = Date.UTC;
const close = (a: number, b: number, what: string): void => assert.ok(Math.abs(a - b) < 1e-12, `${what}: ${a} vs ${b}`);

test('timePhase: hour of day and weekday in UTC, continuous, Monday 00:00 = weekday phase 0', () => {
  close(timePhase(U(2026, 0, 1, 6, 30), 'hour'), 6.5 / 24, 'hour');
  close(timePhase(U(2026, 0, 1), 'hour'), 0, 'midnight');
  close(timePhase(U(1969, 11, 31, 18), 'hour'), 0.75, 'before 1970');
  close(timePhase(U(2025, 11, 29), 'weekday'), 0, 'Monday 2025-12-29');
  close(timePhase(U(2026, 0, 4, 12), 'weekday'), 6.5 / 7, 'Sunday noon');
  close(timePhase(0, 'weekday'), 3 / 7, '1970-01-01 was a Thursday');
  close(timePhase(U(1969, 11, 29), 'weekday'), 0, 'a Monday before 1970');
});

test('FeatureSpace: (sin, cos) pairs after the other blocks; no readable time leaves (0, 0)', () => {
  const s = parseSchema({ label: { field: 'y', positive: [1] }, numeric: ['x'], timestamp: 'ts', timeFeatures: ['hour', 'weekday'] });
  const fs = new FeatureSpace(s);
  assert.equal(fs.dim, 2 + 4);
  assert.deepEqual(fs.columnNames().slice(2), ['ts:hour_sin', 'ts:hour_cos', 'ts:weekday_sin', 'ts:weekday_cos']);
  assert.equal(fs.nonZeroWidth, 1 + 4);
  const t = U(2025, 11, 29, 6); // Monday 06:00
  const rows = [{ x: 1, ts: t }, { x: 1, ts: '2025-12-29T11:30:00+05:30' }, { x: 1, ts: null }];
  const nz = new Int32Array(3 * fs.nonZeroWidth);
  const X = fs.encodeMany(rows, undefined, undefined, nz);
  for (const i of [0, 1]) {
    close(X[i * 6 + 2]!, 1, 'sin 90°');
    close(X[i * 6 + 3]!, 0, 'cos 90°');
    close(X[i * 6 + 4]!, Math.sin((2 * Math.PI * 0.25) / 7), 'weekday sin');
    close(X[i * 6 + 5]!, Math.cos((2 * Math.PI * 0.25) / 7), 'weekday cos');
  }
  assert.deepEqual([...X.subarray(12 + 2, 18)], [0, 0, 0, 0]);
  assert.deepEqual([...nz.subarray(0, 5)], [0, 2, 3, 4, 5]);
  assert.deepEqual([...nz.subarray(10, 15)], [0, -1, -1, -1, -1]);
});
