import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createDetector, DETECTOR_NAMES, isDetectorName } from '../../src/drift/create-detector';
import { Adwin } from '../../src/drift/adwin';
import { PageHinkley } from '../../src/drift/page-hinkley';
import { Ddm } from '../../src/drift/ddm';
import { DriftDetectorError } from '../../src/drift/detector-error';
import { bernoulli, drifts } from './helpers';

test('createDetector: each name builds its detector with its options', () => {
  assert.ok(createDetector('adwin') instanceof Adwin);
  assert.ok(createDetector('page-hinkley', { threshold: 10 }) instanceof PageHinkley);
  assert.ok(createDetector('ddm') instanceof Ddm);
  assert.equal((createDetector('adwin', { delta: 0.01 }) as Adwin).options.delta, 0.01);
  const xs = bernoulli('factory', 8000, 0.2, 0.5, 4000);
  for (const name of DETECTOR_NAMES) assert.ok(drifts(createDetector(name), xs).some((i) => i >= 4000), name);
});

test('createDetector: an unknown name or a bad option throws DriftDetectorError naming it', () => {
  assert.throws(() => createDetector('kswin'), (e: unknown) => e instanceof DriftDetectorError && /unknown drift detector "kswin".*adwin, page-hinkley, ddm/.test(e.message));
  assert.throws(() => createDetector('adwin', { delta: -0.5 }), /adwin: option "delta"/);
  assert.throws(() => createDetector('ddm', { delta: 0.1 } as never), /ddm: unknown option "delta"/);
  assert.equal(isDetectorName('ddm'), true);
  assert.equal(isDetectorName('DDM'), false);
});
