import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Poisson } from '../../../src/learn/tree/poisson';
import { Rng } from '../../../src/learn/rng';

test('Poisson(λ) draws: mean, variance and P(0) match the distribution (200k draws, 4 standard errors)', () => {
  for (const lambda of [1, 6]) {
    const P = new Poisson(lambda);
    const rng = new Rng(`poisson-${lambda}`);
    const n = 200_000;
    let s = 0;
    let s2 = 0;
    let zeros = 0;
    for (let i = 0; i < n; i++) {
      const k = P.draw(rng);
      s += k;
      s2 += k * k;
      if (k === 0) zeros++;
    }
    const mean = s / n;
    const variance = s2 / n - mean * mean;
    assert.ok(Math.abs(mean - lambda) < 4 * Math.sqrt(lambda / n), `λ ${lambda}: mean ${mean}`);
    assert.ok(Math.abs(variance - lambda) < 4 * lambda * Math.sqrt(2 / n), `λ ${lambda}: variance ${variance}`);
    const p0 = Math.exp(-lambda);
    assert.ok(Math.abs(zeros / n - p0) < 4 * Math.sqrt((p0 * (1 - p0)) / n) + 1e-4, `λ ${lambda}: P(0) ${zeros / n} vs ${p0}`);
  }
});
