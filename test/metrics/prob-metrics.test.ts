import { test } from 'node:test';
import assert from 'node:assert/strict';
import seedrandom from 'seedrandom';
import { Brier, LogLoss, RocAuc, type ProbMetric } from '../../src/metrics';

type Pair = [0 | 1, number];

/** Plain references from scratch (all pairs compared for AUC; no shared code with src/metrics). */
function reference(pairs: Pair[]) {
  const n = pairs.length;
  let ll = 0, br = 0, wins = 0, np = 0, nn = 0;
  for (const [y, p] of pairs) {
    const q = Math.min(1 - 1e-15, Math.max(1e-15, p));
    ll += y ? -Math.log(q) : -Math.log(1 - q);
    br += (p - y) ** 2;
    if (y) np++;
    else nn++;
  }
  for (const [ya, pa] of pairs) {
    if (ya !== 1) continue;
    for (const [yb, pb] of pairs) if (yb === 0) wins += pa > pb ? 1 : pa === pb ? 0.5 : 0;
  }
  return { log_loss: n ? ll / n : 0, brier: n ? br / n : 0, roc_auc: np * nn ? wins / (np * nn) : 0 };
}

const FACTORIES: Record<string, () => ProbMetric> = {
  roc_auc: () => new RocAuc(),
  log_loss: () => new LogLoss(),
  brier: () => new Brier(),
};

/** Scores with many ties (rounded to `digits`) and some exact 0/1 (log-loss clipping). */
function randomPairs(seed: string, n: number, pPos: number, digits: number): Pair[] {
  const rng = seedrandom.alea(seed);
  const out: Pair[] = [];
  for (let i = 0; i < n; i++) {
    const y = (rng() < pPos ? 1 : 0) as 0 | 1;
    const r = rng();
    let p = Math.min(1, Math.max(0, (y ? 0.6 : 0.4) + (rng() - 0.5) * 0.9));
    if (r < 0.03) p = y ? 0 : 1; // a confident mistake
    out.push([y, Number(p.toFixed(digits))]);
  }
  return out;
}

const close = (a: number, b: number, msg: string) => assert.ok(Math.abs(a - b) <= 1e-9 * Math.max(1, Math.abs(b)), `${msg}: ${a} vs ${b}`);

for (const [pPos, digits] of [[0.3, 2], [0.05, 1], [0.9, 3], [0.5, 6]] as const) {
  test(`ROC AUC, log loss and Brier equal the reference on every prefix (pPos=${pPos}, ${digits} digits)`, () => {
    const pairs = randomPairs(`pm-${pPos}-${digits}`, 400, pPos, digits);
    const ms = Object.entries(FACTORIES).map(([k, f]) => [k, f()] as const);
    for (let i = 0; i <= pairs.length; i++) {
      const ref = reference(pairs.slice(0, i));
      for (const [k, m] of ms) close(m.get(), ref[k as keyof typeof ref], `${k} at prefix ${i}`);
      if (i < pairs.length) for (const [, m] of ms) m.update(pairs[i]![0], pairs[i]![1]);
    }
  });
}

test('revert undoes update exactly on every step of a sliding window (any order of removal)', () => {
  const pairs = randomPairs('rev', 600, 0.4, 2);
  const W = 150;
  for (const [k, f] of Object.entries(FACTORIES)) {
    const m = f();
    for (let i = 0; i < pairs.length; i++) {
      m.update(pairs[i]![0], pairs[i]![1]);
      if (i >= W) m.revert(pairs[i - W]![0], pairs[i - W]![1]);
      const lo = Math.max(0, i - W + 1);
      close(m.get(), reference(pairs.slice(lo, i + 1))[k as 'brier'], `${k} window ending ${i}`);
    }
    // revert the newest first: back to empty
    for (let i = pairs.length - 1; i >= pairs.length - W; i--) m.revert(pairs[i]![0], pairs[i]![1]);
    assert.equal(m.get(), 0, `${k} empty after reverting all`);
  }
});

test('clone is independent; empty and one-class cases are 0', () => {
  for (const [k, f] of Object.entries(FACTORIES)) {
    const m = f();
    assert.equal(m.get(), 0, `${k} empty`);
    m.update(1, 0.7);
    const c = m.clone();
    m.update(0, 0.2);
    assert.notEqual(c.get(), m.get(), `${k} clone shares state`);
  }
  const auc = new RocAuc();
  auc.update(1, 0.9);
  auc.update(1, 0.1);
  assert.equal(auc.get(), 0, 'one class only');
  auc.update(0, 0.5);
  assert.equal(auc.get(), 0.5);
});

test('bad input is a RangeError naming the metric; reverting an unseen pair fails and changes nothing', () => {
  const auc = new RocAuc();
  auc.update(1, 0.8);
  auc.update(0, 0.3);
  assert.throws(() => auc.update(1, 1.5), /RocAuc\.update: p must be a number in \[0, 1\]/);
  assert.throws(() => auc.update(2 as 0, 0.5), /RocAuc\.update: y must be 0 or 1/);
  assert.throws(() => new LogLoss().update(0, Number.NaN), /LogLoss\.update: p/);
  assert.throws(() => new Brier().revert(0, 0.5), /Brier\.revert: nothing to revert/);
  assert.throws(() => auc.revert(0, 0.31), /RocAuc\.revert: no earlier update\(0, 0\.31\)/);
  assert.equal(auc.get(), 1);
});

/** The one-by-one RocAuc (a sorted insert and a U update per score), as the reference for the lazy one. */
class EagerAuc {
  pos: number[] = [];
  neg: number[] = [];
  u = 0;
  private static bound(a: number[], x: number, upper: boolean): number {
    let lo = 0, hi = a.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (upper ? a[mid]! <= x : a[mid]! < x) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }
  private wins(y: 0 | 1, p: number): number {
    const other = y === 1 ? this.neg : this.pos;
    const lo = EagerAuc.bound(other, p, false);
    const hi = EagerAuc.bound(other, p, true);
    return (y === 1 ? lo : other.length - hi) + (hi - lo) / 2;
  }
  update(y: 0 | 1, p: number): void {
    this.u += this.wins(y, p);
    const own = y === 1 ? this.pos : this.neg;
    own.splice(EagerAuc.bound(own, p, true), 0, p);
  }
  revert(y: 0 | 1, p: number): void {
    const own = y === 1 ? this.pos : this.neg;
    own.splice(EagerAuc.bound(own, p, false), 1);
    this.u -= this.wins(y, p);
  }
  get(): number {
    const pairs = this.pos.length * this.neg.length;
    return pairs === 0 ? 0 : this.u / pairs;
  }
}

test('RocAuc folds its pending scores in lazily and gives the one-by-one result bit for bit (get, revert, toJSON at any time)', () => {
  for (const [seed, n, digits] of [['a', 3000, 2], ['b', 5000, 6], ['c', 800, 1], ['d', 20000, 3]] as const) {
    const pairs = randomPairs(seed, n, 0.35, digits);
    const rng = seedrandom.alea(`${seed}-ops`);
    const lazy = new RocAuc();
    const eager = new EagerAuc();
    const live: Pair[] = [];
    for (let i = 0; i < pairs.length; i++) {
      const [y, p] = pairs[i]!;
      lazy.update(y, p);
      eager.update(y, p);
      live.push([y, p]);
      const r = rng();
      if (r < 0.002) {
        assert.equal(Object.is(lazy.get(), eager.get()), true, `${seed}: get() after ${i + 1} updates`);
      } else if (r < 0.004 && live.length > 10) {
        // a window's revert of its oldest score
        const [oy, op] = live.shift()!;
        lazy.revert(oy, op);
        eager.revert(oy, op);
      } else if (r < 0.005) {
        const s = lazy.toJSON();
        assert.deepEqual(s, { pos: eager.pos, neg: eager.neg, u: eager.u }, `${seed}: toJSON after ${i + 1} updates`);
        const c = new RocAuc();
        c.set(s);
        assert.equal(c.get(), lazy.get());
      }
    }
    assert.equal(Object.is(lazy.get(), eager.get()), true, `${seed}: final get()`);
    assert.deepEqual(lazy.toJSON(), { pos: eager.pos, neg: eager.neg, u: eager.u });
  }
});

test('RocAuc: a revert of a score only pending (never folded in) works, one never given still throws', () => {
  const a = new RocAuc();
  a.update(1, 0.9);
  a.update(0, 0.2);
  a.update(0, 0.95);
  a.revert(0, 0.95);
  assert.equal(a.get(), 1);
  assert.throws(() => a.revert(1, 0.5), /no earlier update/);
});
