import { test } from 'node:test';
import assert from 'node:assert/strict';
import seedrandom from 'seedrandom';
import { DedupCenter, type DedupDecision, type DedupOptions, type GroupRecord } from '../../src/dedup/dedup-center';
import { FingerprintHasher, fingerprintHex } from '../../src/dedup/fingerprint';
import { maskTemplate } from '../../src/dedup/template-mask';
import type { Row } from '../../src/types';

const T0 = Date.UTC(2025, 0, 1);
const W = 300_000;

function ev(incident_type: string, source = 'srv-01', user = 'alice', extra: Row = {}): Row {
  return { incident_type, source, user, ...extra };
}

/**
 * Reference model written from the documented rules, with a JS Map in insertion order for the
 * least-recently-seen order (delete + set on touch). The optimised center must agree with it on
 * every decision, every group record and every counter.
 */
class Reference {
  private readonly hasher: FingerprintHasher;
  private live = new Map<number, GroupRecord>();
  private nextId = 1;
  events = 0;
  unique = 0;
  duplicates = 0;
  evictions = 0;
  closed = 0;
  outOfOrder = 0;
  closedEvents = 0;
  constructor(private readonly o: Required<Omit<DedupOptions, 'onClose' | 'windowEvents'>>) {
    this.hasher = new FingerprintHasher(o.key);
  }
  observe(fields: Row, time: number, id: string): DedupDecision {
    this.events++;
    const raw = fields[this.o.textField];
    const template = this.o.nearDup && raw != null ? maskTemplate(String(raw)) : undefined;
    const key = this.o.nearDup ? this.hasher.hash(fields, true, template) : this.hasher.hash(fields);
    const fingerprint = fingerprintHex(key);
    const g = this.live.get(key);
    const open = (): DedupDecision => {
      const r: GroupRecord = {
        id: this.nextId++, fingerprint, count: 1, firstSeen: time, lastSeen: time, representative: id, lastPrediction: null,
      };
      if (template !== undefined) r.template = template;
      this.live.delete(key);
      this.live.set(key, r);
      this.unique++;
      return { group: r.id, fingerprint, duplicate: false };
    };
    if (!g) {
      if (this.live.size >= this.o.maxGroups) {
        const [k, old] = this.live.entries().next().value as [number, GroupRecord];
        this.live.delete(k);
        this.evictions++;
        this.closedEvents += old.count;
      }
      return open();
    }
    if (time < g.lastSeen) this.outOfOrder++;
    const lo = Math.min(g.firstSeen, time);
    const hi = Math.max(g.lastSeen, time);
    if (hi - lo < this.o.windowMs) {
      g.count++;
      g.firstSeen = lo;
      g.lastSeen = hi;
      this.duplicates++;
      this.live.delete(key);
      this.live.set(key, g);
      return { group: g.id, fingerprint, duplicate: true };
    }
    if (time >= g.firstSeen) {
      this.closed++;
      this.closedEvents += g.count;
      return open();
    }
    this.closed++;
    this.closedEvents++;
    this.unique++;
    return { group: this.nextId++, fingerprint, duplicate: false };
  }
  setPrediction(group: number, p: number): void {
    for (const g of this.live.values()) if (g.id === group) g.lastPrediction = p;
  }
  groups(): GroupRecord[] {
    return [...this.live.values()].reverse().map((g) => ({ ...g }));
  }
}

function fullOptions(o: DedupOptions): Required<Omit<DedupOptions, 'onClose' | 'windowEvents'>> {
  return {
    key: o.key ?? ['incident_type', 'source', 'user'],
    windowMs: o.windowMs ?? W,
    maxGroups: o.maxGroups ?? 100_000,
    nearDup: o.nearDup ?? false,
    textField: o.textField ?? 'message',
  };
}

/** A seeded random stream over a few keys, with jittered (sometimes out-of-order) times. */
function randomStream(seed: string, n: number, keys: number, jitterMs: number, stepMs: number): Array<[Row, number, string]> {
  const rng = seedrandom.alea(seed);
  const out: Array<[Row, number, string]> = [];
  let clock = T0;
  for (let i = 0; i < n; i++) {
    clock += Math.floor(rng() * stepMs);
    const k = Math.floor(rng() ** 2 * keys); // skewed: some keys storm
    const t = clock - Math.floor(rng() * jitterMs);
    const msg = `disk /data/${k % 3} at ${Math.floor(rng() * 100)}% on 10.0.${k % 5}.${Math.floor(rng() * 255)}`;
    out.push([ev(`t${k % 7}`, `srv-${k % 11}`, `u${k}`, { message: msg, severity: 1 + (k % 5) }), t, `e${i}`]);
  }
  return out;
}

test('window boundary: Δ < window joins, Δ = window opens a new group, Δ = window − 1 joins', () => {
  const c = new DedupCenter({ windowMs: W });
  const a = c.observe(ev('login_failure'), T0, 'e1');
  assert.equal(a.duplicate, false);
  const b = c.observe(ev('login_failure'), T0 + W - 1, 'e2');
  assert.equal(b.duplicate, true);
  assert.equal(b.group, a.group);
  const d = c.observe(ev('login_failure'), T0 + W, 'e3');
  assert.equal(d.duplicate, false, 'exactly windowMs after the first event starts a new group');
  assert.notEqual(d.group, a.group);
  assert.equal(d.fingerprint, a.fingerprint);
  const s = c.stats();
  assert.equal(s.closed, 1);
  assert.equal(s.live, 1);
  const [g] = c.groups();
  assert.equal(g.id, d.group);
  assert.equal(g.representative, 'e3');
  assert.equal(g.firstSeen, T0 + W);
});

test('window is counted from the first event (not sliding): a steady trickle opens a group per window', () => {
  const c = new DedupCenter({ windowMs: 1000 });
  const decisions = [];
  for (let i = 0; i < 10; i++) decisions.push(c.observe(ev('x'), T0 + i * 400, `e${i}`)); // 0,400,...,3600
  // groups start at 0, 1200 (1200-0 ≥ 1000), 2400, 3600
  assert.deepEqual(
    decisions.map((d) => d.duplicate),
    [false, true, true, false, true, true, false, true, true, false],
  );
});

test('window edge cases: Infinity never closes, 0 makes every event novel', () => {
  const inf = new DedupCenter({ windowMs: Infinity });
  inf.observe(ev('x'), T0, 'a');
  assert.equal(inf.observe(ev('x'), T0 + 1e12, 'b').duplicate, true);
  assert.equal(inf.observe(ev('x'), T0 - 1e12, 'c').duplicate, true);
  const zero = new DedupCenter({ windowMs: 0 });
  zero.observe(ev('x'), T0, 'a');
  assert.equal(zero.observe(ev('x'), T0, 'b').duplicate, false);
  assert.equal(zero.stats().unique, 2);
});

test('different keys never group; key option selects the fields', () => {
  const c = new DedupCenter();
  assert.equal(c.observe(ev('a', 's1', 'u1'), T0, '1').duplicate, false);
  assert.equal(c.observe(ev('a', 's1', 'u2'), T0, '2').duplicate, false);
  assert.equal(c.observe(ev('a', 's2', 'u1'), T0, '3').duplicate, false);
  assert.equal(c.observe(ev('a', 's1', 'u1', { severity: 5 }), T0 + 1, '4').duplicate, true);
  const bySource = new DedupCenter({ key: ['source'] });
  bySource.observe(ev('a', 's1', 'u1'), T0, '1');
  assert.equal(bySource.observe(ev('b', 's1', 'u9'), T0, '2').duplicate, true);
  const everything = new DedupCenter({ key: [] });
  everything.observe(ev('a'), T0, '1');
  assert.equal(everything.observe(ev('b', 'z', 'y'), T0, '2').duplicate, true);
});

test('out-of-order: a late event inside the span joins; older but within the window joins and moves firstSeen back; lastSeen never moves back', () => {
  const c = new DedupCenter({ windowMs: 1000 });
  c.observe(ev('x'), T0 + 500, 'a');
  c.observe(ev('x'), T0 + 900, 'b');
  assert.equal(c.observe(ev('x'), T0 + 700, 'c').duplicate, true); // inside [500, 900]
  assert.equal(c.observe(ev('x'), T0 + 100, 'd').duplicate, true); // 900 − 100 < 1000: span becomes [100, 900]
  let [g] = c.groups();
  assert.equal(g.firstSeen, T0 + 100);
  assert.equal(g.lastSeen, T0 + 900);
  assert.equal(g.count, 4);
  assert.equal(g.representative, 'a');
  // 1100 − 100 = 1000: the span would reach the window, so it opens a new group
  assert.equal(c.observe(ev('x'), T0 + 1100, 'e').duplicate, false);
  assert.equal(c.stats().outOfOrder, 2);
  [g] = c.groups();
  assert.equal(g.representative, 'e');
});

test('out-of-order: a straggler too old for the live group is a closed group of one; the live group is untouched', () => {
  const closes: Array<[GroupRecord, string]> = [];
  const c = new DedupCenter({ windowMs: 1000, onClose: (g, why) => closes.push([g, why]) });
  const a = c.observe(ev('x'), T0 + 5000, 'a');
  c.observe(ev('x'), T0 + 5500, 'b');
  const late = c.observe(ev('x'), T0 + 4400, 'late'); // 5500 − 4400 = 1100 ≥ 1000
  assert.equal(late.duplicate, false);
  assert.notEqual(late.group, a.group);
  assert.equal(late.fingerprint, a.fingerprint);
  assert.equal(closes.length, 1);
  assert.equal(closes[0][1], 'late');
  assert.deepEqual(closes[0][0], {
    id: late.group, fingerprint: a.fingerprint, count: 1, firstSeen: T0 + 4400, lastSeen: T0 + 4400,
    representative: 'late', lastPrediction: null,
  });
  const [g] = c.groups();
  assert.deepEqual([g.id, g.count, g.firstSeen, g.lastSeen], [a.group, 2, T0 + 5000, T0 + 5500]);
  // the live group still takes in-window events
  assert.equal(c.observe(ev('x'), T0 + 5900, 'c').group, a.group);
  const s = c.stats();
  assert.equal(s.unique + s.duplicates, s.events);
  assert.equal(s.groups, s.live + s.evictions + s.closed);
  assert.equal(c.group(late.group), undefined);
});

test('eviction is least-recently-seen (by arrival), counted, reported through onClose', () => {
  const evicted: number[] = [];
  const c = new DedupCenter({ maxGroups: 3, onClose: (g, why) => why === 'evicted' && evicted.push(g.id) });
  const A = c.observe(ev('A'), T0, '1').group;
  const B = c.observe(ev('B'), T0 + 1, '2').group;
  const C = c.observe(ev('C'), T0 + 2, '3').group;
  c.observe(ev('A'), T0 + 3, '4'); // A becomes most recent: order B, C, A
  const D = c.observe(ev('D'), T0 + 4, '5').group; // evicts B
  assert.deepEqual(evicted, [B]);
  assert.deepEqual(c.groups().map((g) => g.id), [D, A, C]); // most recently seen first
  c.observe(ev('C'), T0 + 5, '6'); // order A, D, C
  c.observe(ev('E'), T0 + 6, '7'); // evicts A
  c.observe(ev('F'), T0 + 7, '8'); // evicts D
  assert.deepEqual(evicted, [B, A, D]);
  // an evicted fingerprint comes back as a new group
  const B2 = c.observe(ev('B'), T0 + 8, '9');
  assert.equal(B2.duplicate, false);
  assert.notEqual(B2.group, B);
  const s = c.stats();
  assert.equal(s.evictions, 4);
  assert.equal(s.live, 3);
  assert.equal(s.groups, 7);
});

test('a late straggler does not refresh recency', () => {
  const c = new DedupCenter({ maxGroups: 2, windowMs: 10 });
  const A = c.observe(ev('A'), T0 + 100, '1').group;
  const B = c.observe(ev('B'), T0 + 100, '2').group;
  c.observe(ev('A'), T0 + 50, 'late'); // too old for A: a closed group of one, A not touched
  const C = c.observe(ev('C'), T0 + 101, '3').group; // evicts A (least recently seen)
  assert.deepEqual(c.groups().map((g) => g.id), [C, B]);
  assert.equal(c.group(A), undefined);
});

test('counts: unique + duplicates = events and Σ counts of all groups ever created = events', () => {
  const closedCounts = new Map<number, number>();
  const c = new DedupCenter({
    windowMs: 20_000, maxGroups: 25,
    onClose: (g) => {
      assert.ok(!closedCounts.has(g.id), 'a group closes once');
      closedCounts.set(g.id, g.count);
    },
  });
  const perGroup = new Map<number, number>();
  for (const [row, t, id] of randomStream('counts', 20_000, 200, 30_000, 2_000)) {
    const d = c.observe(row, t, id);
    perGroup.set(d.group, (perGroup.get(d.group) ?? 0) + 1);
  }
  const s = c.stats();
  assert.equal(s.events, 20_000);
  assert.equal(s.unique + s.duplicates, s.events);
  assert.equal(s.groups, perGroup.size);
  assert.equal(s.groups, s.live + s.evictions + s.closed);
  const live = c.groups();
  const liveSum = live.reduce((a, g) => a + g.count, 0);
  const closedSum = [...closedCounts.values()].reduce((a, b) => a + b, 0);
  assert.equal(liveSum + closedSum, s.events);
  assert.equal(s.closedEvents, closedSum);
  assert.equal(closedCounts.size + live.length, s.groups);
  // every group's count equals the decisions that named it
  for (const [id, n] of perGroup) assert.equal(closedCounts.get(id) ?? c.group(id)?.count, n);
  assert.ok(s.evictions > 0 && s.closed > 0 && s.outOfOrder > 0, JSON.stringify(s));
  assert.equal(s.compression, s.events / s.unique);
});

test('agrees with the reference model on random streams (window, out-of-order, eviction, near-dup)', () => {
  const configs: DedupOptions[] = [
    { windowMs: 5_000, maxGroups: 7 },
    { windowMs: 60_000, maxGroups: 1000 },
    { windowMs: 2_000, maxGroups: 1 },
    { windowMs: 10_000, maxGroups: 50, nearDup: true },
    { windowMs: 0, maxGroups: 5 },
    { windowMs: Infinity, maxGroups: 3000, key: ['source'] },
  ];
  for (const [i, o] of configs.entries()) {
    const c = new DedupCenter(o);
    const r = new Reference(fullOptions(o));
    const stream = randomStream(`ref${i}`, 6000, 400, 8_000, 1_500);
    for (const [j, [row, t, id]] of stream.entries()) {
      const got = c.observe(row, t, id);
      const want = r.observe(row, t, id);
      assert.deepEqual(got, want, `config ${i}, event ${j}`);
      if (j % 3 === 0) {
        c.setPrediction(got.group, j / 6000);
        r.setPrediction(want.group, j / 6000);
      }
      if (j % 997 === 0) assert.deepEqual(c.groups(), r.groups(), `config ${i}, groups at ${j}`);
    }
    assert.deepEqual(c.groups(), r.groups(), `config ${i}, final groups`);
    const s = c.stats();
    assert.deepEqual(
      [s.events, s.unique, s.duplicates, s.evictions, s.closed, s.outOfOrder, s.closedEvents],
      [r.events, r.unique, r.duplicates, r.evictions, r.closed, r.outOfOrder, r.closedEvents],
      `config ${i}, counters`,
    );
  }
});

test('determinism: same input → same decisions and state', () => {
  const run = (): [DedupDecision[], string] => {
    const c = new DedupCenter({ windowMs: 10_000, maxGroups: 40, nearDup: true });
    const ds = randomStream('det', 5000, 300, 5_000, 1_000).map(([row, t, id]) => c.observe(row, t, id));
    return [ds, JSON.stringify(c.getState())];
  };
  const [d1, s1] = run();
  const [d2, s2] = run();
  assert.deepEqual(d1, d2);
  assert.equal(s1, s2);
});

test('memory bound: live never exceeds maxGroups over a long random stream, storage stops growing', () => {
  const c = new DedupCenter({ maxGroups: 500, windowMs: 50_000 });
  const rng = seedrandom.alea('bound');
  let maxLive = 0;
  let t = T0;
  let stateSizeAtHalf = 0;
  for (let i = 0; i < 100_000; i++) {
    t += Math.floor(rng() * 100);
    const k = rng() < 0.5 ? Math.floor(rng() * 300) : i; // half recurring keys, half never seen again
    c.observe({ incident_type: 'x', source: `s${k % 13}`, user: `u${k}` }, t - Math.floor(rng() * 1000), `e${i}`);
    const live = c.stats().live;
    if (live > maxLive) maxLive = live;
    assert.ok(live <= 500);
    if (i === 50_000) stateSizeAtHalf = JSON.stringify(c.getState()).length;
  }
  const s = c.stats();
  assert.equal(maxLive, 500);
  assert.ok(s.evictions > 40_000, `evictions ${s.evictions}`);
  assert.equal(c.groups().length, 500);
  const stateSize = JSON.stringify(c.getState()).length;
  assert.ok(stateSize < stateSizeAtHalf * 1.1, `state grew from ${stateSizeAtHalf} to ${stateSize}`);
  assert.equal(s.unique + s.duplicates, s.events);
});

test('getState / setState (through JSON) continues identically', () => {
  const stream = randomStream('resume', 8000, 300, 6_000, 1_000);
  const opts: DedupOptions = { windowMs: 15_000, maxGroups: 60, nearDup: true };
  const straight = new DedupCenter(opts);
  const expected = stream.map(([row, t, id], j) => {
    const d = straight.observe(row, t, id);
    if (j % 5 === 0) straight.setPrediction(d.group, (j % 100) / 100);
    return d;
  });
  for (const cut of [0, 1, 59, 61, 3000, 7999]) {
    const first = new DedupCenter(opts);
    const got: DedupDecision[] = [];
    for (let j = 0; j < cut; j++) {
      const [row, t, id] = stream[j];
      got.push(first.observe(row, t, id));
      if (j % 5 === 0) first.setPrediction(got[j].group, (j % 100) / 100);
    }
    const saved = JSON.parse(JSON.stringify(first.getState()));
    const resumed = new DedupCenter({ windowMs: 1, maxGroups: 2 }); // options come from the state
    resumed.setState(saved);
    assert.deepEqual(resumed.getState(), first.getState(), `state identical after restore at ${cut}`);
    assert.deepEqual(resumed.groups(), first.groups());
    for (let j = cut; j < stream.length; j++) {
      const [row, t, id] = stream[j];
      got.push(resumed.observe(row, t, id));
      if (j % 5 === 0) resumed.setPrediction(got[j].group, (j % 100) / 100);
    }
    assert.deepEqual(got, expected, `decisions after a restore at ${cut}`);
    assert.deepEqual(resumed.getState(), straight.getState(), `final state after a restore at ${cut}`);
    assert.deepEqual(resumed.stats(), straight.stats());
  }
});

test('state: Infinity window survives JSON; bad states are refused', () => {
  const c = new DedupCenter({ windowMs: Infinity });
  c.observe(ev('x'), T0, 'a');
  const r = new DedupCenter();
  r.setState(JSON.parse(JSON.stringify(c.getState())));
  assert.equal(r.options.windowMs, Infinity);
  assert.equal(r.observe(ev('x'), T0 + 1e13, 'b').duplicate, true);
  assert.throws(() => r.setState({}), TypeError);
  assert.throws(() => r.setState(null), TypeError);
  assert.throws(() => r.setState({ ...c.getState(), version: 99 }), TypeError);
  assert.throws(() => r.setState({ ...c.getState(), groups: [[1, 2]] }), TypeError);
});

test('setPrediction updates the live group; ignored for unknown/closed groups; non-finite → null', () => {
  const c = new DedupCenter({ windowMs: 100 });
  const a = c.observe(ev('x'), T0, 'a');
  c.setPrediction(a.group, 0.75);
  assert.equal(c.group(a.group)?.lastPrediction, 0.75);
  c.setPrediction(a.group, NaN);
  assert.equal(c.group(a.group)?.lastPrediction, null);
  c.setPrediction(12345, 0.5);
  c.setPrediction(-1, 0.5);
  c.setPrediction(1.5, 0.5);
  const b = c.observe(ev('x'), T0 + 100, 'b'); // a expires
  c.setPrediction(a.group, 0.1);
  assert.equal(c.group(a.group), undefined);
  assert.equal(c.group(b.group)?.lastPrediction, null);
});

test('group records: fields, template only with near-dup, copies not views', () => {
  const c = new DedupCenter({ nearDup: true });
  const d1 = c.observe(ev('x', 's', 'u', { message: 'disk /var at 91% on 10.0.0.7' }), T0, 'a');
  const d2 = c.observe(ev('x', 's', 'u', { message: 'disk /data at 97% on 10.0.0.9' }), T0 + 10, 'b');
  const d3 = c.observe(ev('x', 's', 'u', { message: 'disk /data ok on 10.0.0.9' }), T0 + 20, 'c');
  const d4 = c.observe(ev('x', 's', 'u'), T0 + 30, 'd'); // no message: its own template-less group
  assert.equal(d2.group, d1.group);
  assert.equal(d2.duplicate, true);
  assert.notEqual(d3.group, d1.group);
  assert.notEqual(d4.group, d1.group);
  assert.notEqual(d4.group, d3.group);
  const g = c.group(d1.group)!;
  assert.deepEqual(g, {
    id: d1.group, fingerprint: d1.fingerprint, count: 2, firstSeen: T0, lastSeen: T0 + 10, representative: 'a',
    lastPrediction: null, template: 'disk <PATH> at <NUM> on <IP>',
  });
  g.count = 99;
  assert.equal(c.group(d1.group)!.count, 2);
  assert.equal('template' in c.group(d4.group)!, false);
  const exact = new DedupCenter();
  exact.observe(ev('x', 's', 'u', { message: 'hello 1' }), T0, 'a');
  assert.equal(exact.observe(ev('x', 's', 'u', { message: 'other 2' }), T0, 'b').duplicate, true);
  assert.equal('template' in exact.groups()[0], false);
  // a custom text field, non-string text
  const custom = new DedupCenter({ nearDup: true, textField: 'msg', key: ['k'] });
  custom.observe({ k: 1, msg: 404 }, T0, 'a');
  assert.equal(custom.observe({ k: 1, msg: 500 }, T0, 'b').duplicate, true);
  assert.equal(custom.groups()[0].template, '<NUM>');
});

test('stats on an empty center; options validated; non-finite time refused', () => {
  const c = new DedupCenter();
  assert.deepEqual(c.stats(), {
    events: 0, unique: 0, duplicates: 0, groups: 0, live: 0, evictions: 0, compression: 1, closed: 0, outOfOrder: 0, closedEvents: 0,
  });
  assert.deepEqual(c.groups(), []);
  assert.deepEqual(c.options, { key: ['incident_type', 'source', 'user'], windowMs: 300_000, maxGroups: 100_000, nearDup: false, textField: 'message' });
  assert.throws(() => new DedupCenter({ maxGroups: 0 }), RangeError);
  assert.throws(() => new DedupCenter({ maxGroups: 1.5 }), RangeError);
  assert.throws(() => new DedupCenter({ windowMs: -1 }), RangeError);
  assert.throws(() => new DedupCenter({ windowMs: NaN }), RangeError);
  assert.throws(() => c.observe(ev('x'), NaN, 'a'), RangeError);
  assert.throws(() => c.observe(ev('x'), Infinity, 'a'), RangeError);
  assert.equal(c.stats().events, 0);
});

test('storage grows past the initial capacity and keeps every group', () => {
  const c = new DedupCenter({ maxGroups: 5000, windowMs: Infinity });
  for (let i = 0; i < 5000; i++) c.observe({ incident_type: 'x', source: 's', user: `u${i}` }, T0 + i, `a${i}`);
  for (let i = 0; i < 5000; i++) {
    const d = c.observe({ incident_type: 'x', source: 's', user: `u${i}` }, T0 + 5000 + i, `b${i}`);
    assert.equal(d.duplicate, true);
    assert.equal(d.group, i + 1);
  }
  const s = c.stats();
  assert.deepEqual([s.live, s.evictions, s.unique, s.duplicates], [5000, 0, 5000, 5000]);
  assert.equal(c.groups()[0].id, 5000);
  assert.equal(c.groups()[4999].id, 1);
});

test('observeGroup (the pipeline hot path) decides exactly as observe: group, duplicate, fingerprint, state', () => {
  const rng = seedrandom.alea('observe-group');
  const opts: DedupOptions = { key: ['incident_type', 'source'], windowMs: 5000, maxGroups: 40 };
  const a = new DedupCenter(opts);
  const b = new DedupCenter(opts);
  let t = T0;
  for (let i = 0; i < 3000; i++) {
    t += Math.floor(rng() * 400) - (rng() < 0.05 ? 9000 : 0); // out of order now and then: late stragglers
    const e = ev(`type-${Math.floor(rng() * 12)}`, `srv-${Math.floor(rng() * 8)}`);
    const d = a.observe(e, t, `ev-${i}`);
    const group = b.observeGroup(e, t, `ev-${i}`);
    assert.deepEqual({ group, duplicate: b.lastDuplicate, fingerprint: b.lastFingerprint() }, d, `event ${i}`);
  }
  assert.deepEqual(b.stats(), a.stats());
  assert.deepEqual(b.getState(), a.getState());
  assert.ok(a.stats().duplicates > 0 && a.stats().evictions > 0 && a.stats().closed > 0, 'joins, evictions and closes all exercised');
});

test('setPredictionAt with the slot kept from observeGroup, applied later, equals setPrediction (through growth, evictions, closes, stragglers)', () => {
  const configs: DedupOptions[] = [
    { windowMs: 5_000, maxGroups: 40 },
    { windowMs: 60_000, maxGroups: 100_000 },
    { windowMs: Infinity, maxGroups: 70_000 },
  ];
  for (const [c, o] of configs.entries()) {
    const rng = seedrandom.alea(`slot-${c}`);
    const a = new DedupCenter(o);
    const b = new DedupCenter(o);
    // The reference model (setPrediction scans its live groups) only on the small config.
    const r = c === 0 ? new Reference(fullOptions(o)) : null;
    let pending: [number, number, number][] = [];
    const flush = (): void => {
      for (const [g, slot, p] of pending) {
        a.setPrediction(g, p);
        b.setPredictionAt(g, slot, p);
        r?.setPrediction(g, Number.isFinite(p) ? p : (null as unknown as number));
      }
      pending = [];
    };
    let t = T0;
    const N = c === 0 ? 4000 : 100_000; // past 65,536 slots
    for (let i = 0; i < N; i++) {
      t += Math.floor(rng() * 50) - (rng() < 0.02 ? 9000 : 0); // stragglers now and then
      const k = rng() < 0.7 ? i : Math.floor(rng() * 30); // mostly distinct, some storms
      const e = ev(`t${k % 5}`, `srv-${k % 3}`, `u${k}`);
      const ga = a.observeGroup(e, t, `e${i}`);
      const gb = b.observeGroup(e, t, `e${i}`);
      assert.equal(ga, gb);
      assert.equal(b.lastDuplicate, a.lastDuplicate);
      if (r) {
        const want = r.observe(e, t, `e${i}`);
        assert.equal(gb, want.group, `config ${c}, event ${i}`);
        assert.equal(b.lastDuplicate, want.duplicate);
      }
      if (b.lastDuplicate) assert.ok(b.lastSlot >= 0);
      pending.push([gb, b.lastSlot, rng() < 0.05 ? NaN : rng()]);
      if (pending.length > 300 || rng() < 0.01) flush(); // predicted later, as the pipeline does
    }
    flush();
    assert.deepEqual(b.getState(), a.getState(), `config ${c}: state`);
    if (r) assert.deepEqual(b.groups(), r.groups(), `config ${c}: groups and predictions as the reference model`);
    if (Number.isFinite(o.windowMs)) assert.ok(a.stats().closed > 0, 'closes exercised');
    if (c > 0) assert.ok(a.stats().live > 65_536, 'grown past 65,536 slots');
    // b never looked an id up: its id index is built on the first group()/setPrediction, then kept
    const groups = a.stats().groups;
    for (let g = 1; g <= groups + 1; g += 37) assert.deepEqual(b.group(g), a.group(g), `config ${c}: group ${g}`);
    for (let i = 0; i < 3000; i++) {
      t += Math.floor(rng() * 50);
      const e = ev(`t${i % 5}`, `srv-${i % 3}`, `late${Math.floor(rng() * 1500)}`);
      const g = a.observeGroup(e, t, `x${i}`);
      assert.equal(b.observeGroup(e, t, `x${i}`), g);
      a.setPrediction(g, i / 3000);
      b.setPrediction(g, i / 3000);
    }
    assert.deepEqual(b.getState(), a.getState(), `config ${c}: state after the index was built`);
    for (let g = 1; g <= a.stats().groups + 1; g += 41) assert.deepEqual(b.group(g), a.group(g), `config ${c}: group ${g}, later`);
    if (c === 0) assert.ok(a.stats().evictions > 0, 'evictions exercised');
  }
  // a slot given with the wrong group, or out of range, changes nothing
  const d = new DedupCenter({});
  const g = d.observeGroup(ev('x'), T0, 'a');
  d.setPredictionAt(g + 1, d.lastSlot, 0.5);
  d.setPredictionAt(g, 5, 0.5);
  d.setPredictionAt(g, -1, 0.5);
  assert.equal(d.group(g)?.lastPrediction, null);
  d.setPredictionAt(g, d.lastSlot, 0.25);
  assert.equal(d.group(g)?.lastPrediction, 0.25);
});
