import { test } from 'node:test';
import assert from 'node:assert/strict';
import { INCIDENT_TYPES, SOURCE_KINDS, type IncidentEvent } from '../../src/types';
import { generateEvents, IncidentGenerator } from '../../src/stream/generator';
import { createOracle, SMOOTHNESS } from '../../src/stream/oracle';
import { SCENARIOS, SCENARIO_NAMES, type ScenarioName } from '../../src/stream/scenarios';

const FIELDS: [keyof IncidentEvent, string][] = [
  ['event_id', 'string'], ['timestamp', 'string'], ['incident_type', 'string'], ['severity', 'number'],
  ['source', 'string'], ['source_kind', 'string'], ['source_ip', 'string'], ['dest_ip', 'string'],
  ['user', 'string'], ['cpu_load', 'number'], ['net_bytes', 'number'], ['temperature_c', 'number'],
  ['latency_ms', 'number'], ['failed_logins', 'number'], ['message', 'string'], ['regime', 'string'],
  ['critical', 'number'], ['oracle_p', 'number'],
];

const mean = (xs: number[]): number => xs.reduce((a, b) => a + b, 0) / xs.length;
const bayesAccuracy = (evs: IncidentEvent[]): number => mean(evs.map((e) => Math.max(e.oracle_p, 1 - e.oracle_p)));

const stationary = generateEvents({ scenario: 'stationary', events: 60000, seed: 11 });

test('every field present, in order, typed and in range', () => {
  const ip = /^\d{1,3}\.\d{1,3}\.\d{1,3}\.\d{1,3}$/;
  for (const name of SCENARIO_NAMES) {
    const evs = name === 'stationary' ? stationary.slice(0, 5000) : generateEvents({ scenario: name, events: 5000, seed: 2 });
    let prev = -Infinity;
    for (const e of evs) {
      assert.deepEqual(Object.keys(e), FIELDS.map(([f]) => f));
      for (const [f, t] of FIELDS) assert.equal(typeof e[f], t, `${name} ${f}`);
      assert.ok((INCIDENT_TYPES as readonly string[]).includes(e.incident_type));
      assert.ok((SOURCE_KINDS as readonly string[]).includes(e.source_kind));
      assert.ok(Number.isInteger(e.severity) && e.severity >= 1 && e.severity <= 5);
      assert.ok(Number.isInteger(e.failed_logins) && e.failed_logins >= 0);
      assert.ok(Number.isInteger(e.net_bytes) && e.net_bytes >= 1);
      assert.ok(e.cpu_load >= 0 && e.cpu_load <= 1);
      assert.ok(e.temperature_c > 0 && e.temperature_c < 100);
      assert.ok(e.latency_ms > 0 && Number.isFinite(e.latency_ms));
      assert.ok(e.critical === 0 || e.critical === 1);
      assert.ok(e.oracle_p > 0 && e.oracle_p < 1);
      assert.match(e.source_ip, ip);
      assert.match(e.dest_ip, ip);
      assert.match(e.user, /^user\d{3}$/);
      assert.match(e.message, /^[\x20-\x7e]+$/);
      assert.doesNotMatch(e.message, /["\\]/);
      const t = Date.parse(e.timestamp);
      assert.equal(new Date(t).toISOString(), e.timestamp);
      assert.ok(t >= prev, 'timestamps never go back');
      prev = t;
    }
    assert.equal(new Set(evs.map((e) => e.event_id)).size, evs.length, 'event ids unique');
  }
});

test('assets and users: about 24 assets of 4 kinds with fixed IPs, about 200 users', () => {
  const bySource = new Map<string, Set<string>>();
  for (const e of stationary) {
    if (!bySource.has(e.source)) bySource.set(e.source, new Set());
    bySource.get(e.source)!.add(`${e.source_ip}|${e.source_kind}`);
  }
  assert.equal(bySource.size, 24);
  for (const s of bySource.values()) assert.equal(s.size, 1);
  assert.equal(new Set(stationary.map((e) => e.source_kind)).size, 4);
  assert.ok(new Set(stationary.map((e) => e.user)).size >= 190);
});

test('determinism: same options → same events; two passes equal; other seed differs', () => {
  const a = generateEvents({ scenario: 'storm', events: 3000, seed: 'abc' });
  const b = generateEvents({ scenario: 'storm', events: 3000, seed: 'abc' });
  assert.deepEqual(a, b);
  const g = new IncidentGenerator({ scenario: 'gradual', events: 2000, seed: 5 });
  assert.deepEqual([...g], [...g]);
  assert.deepEqual(g.take(100), [...g].slice(0, 100));
  const run = g[Symbol.iterator]();
  const pulled: IncidentEvent[] = [];
  for (let e = run.nextEvent(); e !== undefined; e = run.nextEvent()) pulled.push(e);
  assert.deepEqual(pulled, [...g]);
  assert.equal(run.index, 2000);
  const oracle = g.oracle();
  for (const e of pulled) assert.equal(oracle(e), e.oracle_p);
  const batches = [...g.batches(300)];
  assert.deepEqual(batches.map((x) => x.length), [300, 300, 300, 300, 300, 300, 200]);
  assert.deepEqual(batches.flat(), [...g]);
  const c = generateEvents({ scenario: 'storm', events: 3000, seed: 'abd' });
  assert.notDeepEqual(a.map((e) => e.oracle_p), c.map((e) => e.oracle_p));
  assert.deepEqual(generateEvents({ events: 10, seed: 7 }), generateEvents({ events: 10, seed: '7' }));
  // A later start shifts time only.
  const s1 = generateEvents({ events: 500, seed: 3 });
  const s2 = generateEvents({ events: 500, seed: 3, start: '2025-10-08T00:00:00.000Z' });
  assert.equal(Date.parse(s2[10].timestamp) - Date.parse(s1[10].timestamp), 86_400_000);
  assert.equal(new IncidentGenerator().options.events, 10000);
  assert.throws(() => new IncidentGenerator({ scenario: 'nope' as ScenarioName }), /unknown scenario/);
  assert.throws(() => new IncidentGenerator({ events: -1 }), /non-negative integer/);
  assert.equal(generateEvents({ events: 0 }).length, 0);
  assert.equal(generateEvents({ events: 1, scenario: 'recurring' }).length, 1);
});

test('oracle_p equals createOracle(scenario, events, start)(event) for every event of every scenario', () => {
  for (const name of SCENARIO_NAMES) {
    const n = 8000;
    const start = name === 'gradual' ? '2026-01-01T12:00:00.000Z' : undefined;
    const evs = generateEvents({ scenario: name, events: n, seed: 4, start });
    const oracle = createOracle(name, n, start);
    for (const e of evs) assert.equal(oracle(e), e.oracle_p, `${name} ${e.event_id}`);
  }
  assert.ok(Number.isNaN(createOracle()({ incident_type: 'x' })));
});

test('stationary: Bayes accuracy in [0.85, 0.97], critical rate moderate', () => {
  const acc = bayesAccuracy(stationary);
  assert.ok(acc >= 0.85 && acc <= 0.97, `Bayes accuracy ${acc}`);
  const rate = mean(stationary.map((e) => e.critical));
  assert.ok(rate > 0.15 && rate < 0.45, `critical rate ${rate}`);
});

test('no single field gives the label away (best single-field classifier ≥ 0.04 below Bayes)', () => {
  const half = stationary.length / 2;
  const train = stationary.slice(0, half);
  const testSet = stationary.slice(half);
  const bayes = mean(testSet.map((e) => ((e.oracle_p >= 0.5 ? 1 : 0) === e.critical ? 1 : 0)));
  const fields: (keyof IncidentEvent)[] = ['incident_type', 'severity', 'source', 'source_kind', 'source_ip', 'dest_ip', 'user',
    'cpu_load', 'net_bytes', 'temperature_c', 'latency_ms', 'failed_logins'];
  for (const f of fields) {
    let key: (v: unknown) => unknown = (v) => v;
    const values = train.map((e) => e[f]);
    if (typeof values[0] === 'number' && new Set(values).size > 30) {
      const sorted = (values as number[]).slice().sort((a, b) => a - b);
      const cuts = Array.from({ length: 19 }, (_, k) => sorted[Math.floor(((k + 1) * sorted.length) / 20)]);
      key = (v) => {
        let k = 0;
        while (k < cuts.length && (v as number) >= cuts[k]) k++;
        return k;
      };
    }
    const counts = new Map<unknown, [number, number]>();
    for (const e of train) {
      const k = key(e[f]);
      const c = counts.get(k) ?? [0, 0];
      c[e.critical]++;
      counts.set(k, c);
    }
    const overall = mean(train.map((e) => e.critical)) >= 0.5 ? 1 : 0;
    const acc = mean(testSet.map((e) => {
      const c = counts.get(key(e[f]));
      const guess = c ? (c[1] > c[0] ? 1 : 0) : overall;
      return guess === e.critical ? 1 : 0;
    }));
    assert.ok(acc <= bayes - 0.04, `${f}: ${acc} vs Bayes ${bayes}`);
  }
});

test('calibration: share critical per oracle_p decile matches its mean within 4 standard errors', () => {
  for (const [name, evs] of [['stationary', stationary], ['gradual', generateEvents({ scenario: 'gradual', events: 50000, seed: 12 })]] as const) {
    const bins = Array.from({ length: 10 }, () => ({ n: 0, p: 0, v: 0, y: 0 }));
    for (const e of evs) {
      const b = bins[Math.min(9, Math.floor(e.oracle_p * 10))];
      b.n++;
      b.p += e.oracle_p;
      b.v += e.oracle_p * (1 - e.oracle_p);
      b.y += e.critical;
    }
    for (const [i, b] of bins.entries()) {
      if (b.n < 30) continue;
      const se = Math.sqrt(b.v) / b.n;
      const diff = Math.abs(b.y / b.n - b.p / b.n);
      assert.ok(diff <= 4 * se + 1e-9, `${name} bin ${i}: observed ${b.y / b.n}, mean oracle ${b.p / b.n}, se ${se}`);
    }
  }
});

test('P(critical) non-decreasing in severity and in failed_logins, other fields fixed, in every regime of every scenario', () => {
  for (const name of SCENARIO_NAMES) {
    const n = 6000;
    const evs = generateEvents({ scenario: name, events: n, seed: 21 });
    const oracle = createOracle(name, n);
    const regimes = new Set<string>();
    for (let i = 0; i < evs.length; i += 20) {
      const e = evs[i];
      regimes.add(e.regime);
      let prev = -1;
      for (let s = 1; s <= 5; s++) {
        const p = oracle({ ...e, severity: s });
        assert.ok(p >= prev - 1e-12, `${name} severity ${s} at ${e.event_id}`);
        prev = p;
      }
      prev = -1;
      for (let k = 0; k <= 25; k++) {
        const p = oracle({ ...e, failed_logins: k });
        assert.ok(p >= prev - 1e-12, `${name} failed_logins ${k} at ${e.event_id}`);
        prev = p;
      }
      // And strictly: the top severity is more suspicious than the bottom.
      assert.ok(oracle({ ...e, severity: 5 }) > oracle({ ...e, severity: 1 }));
    }
    assert.deepEqual([...regimes].sort(), [...new Set(SCENARIOS[name].phases(n).map((p) => p.regime))].sort());
  }
});

test('SMOOTHNESS bound holds on every consecutive same-source pair', () => {
  assert.deepEqual([...SMOOTHNESS.stateFields], ['cpu_load', 'temperature_c', 'latency_ms']);
  assert.ok(SMOOTHNESS.epsilon > 0 && SMOOTHNESS.epsilon < 0.1);
  assert.ok(SMOOTHNESS.perSecond > 0 && SMOOTHNESS.perSecond < 0.05);
  for (const name of ['stationary', 'gradual', 'storm', 'recurring'] as ScenarioName[]) {
    const n = name === 'stationary' ? stationary.length : 30000;
    const evs = name === 'stationary' ? stationary : generateEvents({ scenario: name, events: n, seed: 31 });
    const oracle = createOracle(name, n);
    const last = new Map<string, IncidentEvent>();
    let pairs = 0;
    let worst = 0;
    for (const e of evs) {
      const prev = last.get(e.source);
      last.set(e.source, e);
      if (!prev) continue;
      pairs++;
      const dt = (Date.parse(e.timestamp) - Date.parse(prev.timestamp)) / 1000;
      const swapped = oracle({ ...e, cpu_load: prev.cpu_load, temperature_c: prev.temperature_c, latency_ms: prev.latency_ms });
      const change = Math.abs(swapped - e.oracle_p);
      const bound = SMOOTHNESS.epsilon + SMOOTHNESS.perSecond * dt;
      assert.ok(change <= bound, `${name} ${e.event_id}: change ${change} > bound ${bound} (dt ${dt} s)`);
      worst = Math.max(worst, change / bound);
    }
    assert.ok(pairs > n * 0.9);
    assert.ok(worst > 0.01, 'bound not vacuous');
  }
});

test('physics: temperature follows load with a lag; latency rises with load', () => {
  const bySource = new Map<string, IncidentEvent[]>();
  for (const e of stationary.slice(0, 30000)) {
    if (!bySource.has(e.source)) bySource.set(e.source, []);
    bySource.get(e.source)!.push(e);
  }
  const corr = (a: number[], b: number[]): number => {
    const ma = mean(a);
    const mb = mean(b);
    let s = 0, sa = 0, sb = 0;
    for (let i = 0; i < a.length; i++) {
      s += (a[i] - ma) * (b[i] - mb);
      sa += (a[i] - ma) ** 2;
      sb += (b[i] - mb) ** 2;
    }
    return s / Math.sqrt(sa * sb);
  };
  let positiveLag = 0;
  for (const evs of bySource.values()) {
    const u = evs.map((e) => e.cpu_load);
    const t = evs.map((e) => e.temperature_c);
    const l = evs.map((e) => e.latency_ms);
    // Changes of load, then changes of temperature k events later.
    const du = u.slice(1).map((x, i) => x - u[i]);
    const dt = t.slice(1).map((x, i) => x - t[i]);
    let best = -Infinity;
    let bestLag = 0;
    for (let k = -5; k <= 5; k++) {
      const a: number[] = [];
      const b: number[] = [];
      for (let i = Math.max(0, -k); i + k < du.length; i++) {
        a.push(du[i]);
        b.push(dt[i + k]);
      }
      const c = corr(a, b);
      if (c > best) {
        best = c;
        bestLag = k;
      }
    }
    if (bestLag > 0 && best > 0.1) positiveLag++;
    assert.ok(corr(u, l) > 0.95, 'latency rises with load');
    assert.ok(corr(u, t) > 0.3, 'temperature rises with load');
  }
  assert.ok(positiveLag >= 22, `temperature lags load on ${positiveLag} of ${bySource.size} assets`);
});

function criticalRateByType(evs: IncidentEvent[]): number[] {
  return INCIDENT_TYPES.map((t) => {
    const xs = evs.filter((e) => e.incident_type === t);
    return xs.length ? mean(xs.map((e) => e.critical)) : 0;
  });
}
const l1 = (a: number[], b: number[]): number => a.reduce((s, x, i) => s + Math.abs(x - b[i]), 0);

test('each scenario change is visible at its documented index', () => {
  const n = 24000;
  const w = 3000;
  for (const name of ['abrupt', 'recurring', 'gradual'] as ScenarioName[]) {
    const evs = generateEvents({ scenario: name, events: n, seed: 41 });
    const phases = SCENARIOS[name].phases(n);
    for (let j = 1; j < phases.length; j++) {
      const c = phases[j].start;
      assert.notEqual(evs[c - 1].regime, evs[c].regime, `${name}: regime field changes at ${c}`);
      assert.equal(evs[c].regime, phases[j].regime);
    }
    // Compare the per-type critical rates just before the first change and just after the last
    // one (recurring: around its first change), against the same distance within one regime.
    const c1 = phases[1].start;
    const c2 = name === 'recurring' ? c1 : phases[phases.length - 1].start;
    const before = criticalRateByType(evs.slice(c1 - w, c1));
    const after = criticalRateByType(evs.slice(c2, c2 + w));
    const control = criticalRateByType(evs.slice(c1 - 2 * w, c1 - w));
    assert.ok(l1(before, after) > 1.5, `${name}: change ${l1(before, after)}`);
    assert.ok(l1(control, before) < 0.8, `${name}: control ${l1(control, before)}`);
  }
  // recurring: each phase ≥ 2000 events at 10,000, A → B → A.
  const rec = SCENARIOS.recurring.phases(10000);
  assert.deepEqual(rec.map((p) => p.regime), ['A', 'B', 'A']);
  for (const p of rec) assert.ok(p.end - p.start >= 2000);
  // imbalanced: about 3 % critical.
  const imb = generateEvents({ scenario: 'imbalanced', events: 40000, seed: 5 });
  const rate = mean(imb.map((e) => e.critical));
  assert.ok(rate > 0.02 && rate < 0.045, `imbalanced rate ${rate}`);
});

test('regime B differs enough: the B-optimal decision loses accuracy on regime A events', () => {
  const n = 20000;
  const evs = generateEvents({ scenario: 'abrupt', events: n, seed: 51 });
  const oracle = createOracle('abrupt', n);
  const aEvents = evs.filter((e) => e.regime === 'A');
  const shift = n * 500; // half the stream later, in ms: inside regime B
  const accA = mean(aEvents.map((e) => ((e.oracle_p >= 0.5 ? 1 : 0) === e.critical ? 1 : 0)));
  const accB = mean(aEvents.map((e) => {
    const p = oracle({ ...e, timestamp: new Date(Date.parse(e.timestamp) + shift / 2 + 1000).toISOString() });
    return ((p >= 0.5 ? 1 : 0) === e.critical ? 1 : 0);
  }));
  assert.ok(accA - accB > 0.05, `A-oracle ${accA}, B-oracle ${accB} on A events`);
});

function duplicateShare(evs: IncidentEvent[], windowMs = 300_000): number {
  const last = new Map<string, number>();
  let dup = 0;
  for (const e of evs) {
    const k = `${e.incident_type}|${e.source}|${e.user}`;
    const t = Date.parse(e.timestamp);
    const p = last.get(k);
    if (p !== undefined && t - p <= windowMs) dup++;
    last.set(k, t);
  }
  return dup / evs.length;
}

test('storm: bursts of repeated incidents between 25 % and 75 %; few duplicates elsewhere', () => {
  const n = 20000;
  const evs = generateEvents({ scenario: 'storm', events: n, seed: 61 });
  const [p0, p1, p2] = SCENARIOS.storm.phases(n);
  assert.ok(p1.bursts && !p0.bursts && !p2.bursts);
  const inStorm = duplicateShare(evs.slice(p1.start, p1.end));
  const calm = duplicateShare(evs.slice(p0.start, p0.end));
  assert.ok(inStorm > 0.25, `storm duplicate share ${inStorm}`);
  assert.ok(calm < 0.05, `calm duplicate share ${calm}`);
  assert.ok(duplicateShare(stationary) < 0.05);
  // Repeats copy the incident (type, source, user, message, label, oracle_p, every field but
  // event_id and timestamp), inside the storm phase, seconds apart.
  const groups = new Map<string, number[]>();
  evs.forEach((e, i) => {
    const { event_id: _id, timestamp: _t, ...rest } = e;
    const k = JSON.stringify(rest);
    if (!groups.has(k)) groups.set(k, []);
    groups.get(k)!.push(i);
  });
  let bursts = 0;
  for (const idx of groups.values()) {
    if (idx.length < 5) continue;
    bursts++;
    assert.ok(idx[0] >= p1.start - 1 && idx[idx.length - 1] < p1.end, 'repeats stay inside the storm phase');
    const times = idx.map((i) => Date.parse(evs[i].timestamp));
    assert.ok(times[times.length - 1] - times[0] < 10 * 60_000, 'a burst lasts minutes, not hours');
    const gaps = times.slice(1).map((t, j) => t - times[j]);
    assert.ok(mean(gaps) < 5000, 'repeats are seconds apart');
  }
  const outside = (g: number[]) => g[0] < p1.start - 1 || g[g.length - 1] >= p1.end;
  assert.equal([...groups.values()].filter((g) => g.length >= 2 && outside(g)).length, 0, 'no repeats outside the storm');
  assert.ok(bursts >= 50, `bursts ${bursts}`);
});
