// Deduplication center (src/dedup): exact-dedup throughput (1M events, 100k distinct keys, observe()
// timed alone) beside a plain Map-based implementation, near-dup throughput, the generator's `storm`
// compression, and the memory bound: 10M distinct keys through maxGroups = 100k in a child process,
// RSS sampled every 250k events. Uses the built dist/.
import { spawnSync } from 'node:child_process';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';

const require = createRequire(import.meta.url);
const { DedupCenter } = require('../dist/dedup/dedup-center');
const { maskTemplate } = require('../dist/dedup/template-mask');
const seedrandom = require('seedrandom');

const here = fileURLToPath(import.meta.url);
const T0 = Date.UTC(2025, 0, 1);
const TYPES = ['login_failure', 'malware_detection', 'sla_violation', 'network_anomaly', 'privilege_escalation', 'data_exfiltration', 'config_change', 'thermal_alarm'];

/** n pre-built rows over `keys` distinct (incident_type, source, user) triples, uniform, 1 ms apart. */
function buildRows(n, keys, seed) {
  const rng = seedrandom.alea(seed);
  const sources = Array.from({ length: 50 }, (_, i) => `srv-${String(i).padStart(2, '0')}`);
  const users = Array.from({ length: Math.ceil(keys / 400) }, (_, i) => `user${i}`);
  const rows = new Array(n);
  const ids = new Array(n);
  const times = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    const k = Math.floor(rng() * keys);
    rows[i] = {
      event_id: `e${i}`, incident_type: TYPES[k % 8], source: sources[(k >> 3) % 50], user: users[Math.floor(k / 400)],
      severity: 1 + (k % 5), cpu_load: rng(),
      message: `login failed for ${users[Math.floor(k / 400)]} from 10.${k % 256}.${i % 256}.${(i >> 8) % 256} after ${i % 97} attempts in ${i % 60}s (pid ${1000 + (i % 30000)})`,
    };
    ids[i] = rows[i].event_id;
    times[i] = T0 + i;
  }
  return { rows, ids, times };
}

/** The obvious implementation: a string key per event, a Map in insertion order for LRU. */
function naiveDedup(rows, ids, times, key, windowMs, maxGroups) {
  const live = new Map();
  let nextId = 1;
  let unique = 0;
  for (let i = 0; i < rows.length; i++) {
    const r = rows[i];
    const k = JSON.stringify(key.map((f) => r[f] ?? null));
    const t = times[i];
    let g = live.get(k);
    if (g && Math.max(g.last, t) - Math.min(g.first, t) < windowMs) {
      g.count++;
      if (t > g.last) g.last = t;
      if (t < g.first) g.first = t;
      live.delete(k);
      live.set(k, g);
    } else {
      if (!g && live.size >= maxGroups) live.delete(live.keys().next().value);
      g = { id: nextId++, count: 1, first: t, last: t, rep: ids[i] };
      live.delete(k);
      live.set(k, g);
      unique++;
    }
  }
  return unique;
}

function timeIt(fn) {
  const c0 = process.cpuUsage();
  const t0 = process.hrtime.bigint();
  const result = fn();
  const wall = Number(process.hrtime.bigint() - t0) / 1e9;
  const cu = process.cpuUsage(c0);
  return { wall, cpu: (cu.user + cu.system) / 1e6, result };
}

/** Child mode: stream `events` distinct keys through maxGroups, sample RSS, print one JSON line. */
function memoryChild(events, maxGroups) {
  const c = new DedupCenter({ maxGroups });
  const row = { incident_type: 'network_anomaly', source: 'srv-01', user: '' };
  const samples = [];
  const sample = (i) => samples.push([i, process.memoryUsage().rss]);
  // Live memory after a full GC (heap + array buffers): what the bound is about; RSS also holds
  // memory V8 has freed but not returned.
  const live = [];
  const liveAt = (i) => {
    global.gc();
    const m = process.memoryUsage();
    live.push([i, m.heapUsed + m.arrayBuffers]);
  };
  sample(0);
  const t0 = process.hrtime.bigint();
  for (let i = 0; i < events; i++) {
    row.user = `u${i}`; // every event a new fingerprint: every event past maxGroups evicts
    c.observe(row, T0 + i, row.user);
    if ((i + 1) % 250_000 === 0) sample(i + 1);
    if (i + 1 === 1_000_000 || i + 1 === events) liveAt(i + 1);
  }
  const secs = Number(process.hrtime.bigint() - t0) / 1e9;
  const s = c.stats();
  process.stdout.write(JSON.stringify({ samples, live, secs, stats: s }) + '\n');
}

export async function run() {
  const out = [];
  const N = 1_000_000;
  const KEYS = 100_000;
  const KEY = ['incident_type', 'source', 'user'];
  const { rows, ids, times } = buildRows(N, KEYS, 'dedup-bench');

  // exact dedup: best of 5 (the machine is shared); observe() alone is timed
  let best = null;
  let stats = null;
  for (let rep = 0; rep < 5; rep++) {
    const c = new DedupCenter({ key: KEY });
    const r = timeIt(() => {
      let dup = 0;
      for (let i = 0; i < N; i++) if (c.observe(rows[i], times[i], ids[i]).duplicate) dup++;
      return dup;
    });
    if (!best || r.wall < best.wall) best = r;
    stats = c.stats();
  }
  let naive = null;
  for (let rep = 0; rep < 3; rep++) {
    const r = timeIt(() => naiveDedup(rows, ids, times, KEY, 300_000, 100_000));
    if (!naive || r.wall < naive.wall) naive = r;
  }
  if (naive.result !== stats.unique) throw new Error(`bench: naive dedup disagrees (${naive.result} vs ${stats.unique} unique)`);
  out.push({
    name: 'exact dedup, 1M events / 100k keys (observe)', value: Math.round(N / best.wall), unit: 'events/s', target: '>= 2000000',
    peer: Math.round(N / naive.wall),
    note: `best of 5; CPU-time rate ${Math.round(N / best.cpu).toLocaleString('en-US')}/s; ${stats.unique} unique, compression ${stats.compression.toFixed(2)}, window 5 min, events 1 ms apart; peer = JSON key + Map LRU (same decisions)`,
  });

  // near-dup: the template of a 90-character message is masked and hashed with the key
  const M = 200_000;
  let nd = null;
  let ndStats = null;
  for (let rep = 0; rep < 3; rep++) {
    const c = new DedupCenter({ key: KEY, nearDup: true });
    const r = timeIt(() => {
      for (let i = 0; i < M; i++) c.observe(rows[i], times[i], ids[i]);
    });
    if (!nd || r.wall < nd.wall) nd = r;
    ndStats = c.stats();
  }
  out.push({
    name: 'near-dup dedup (masking + key), 200k events', value: Math.round(M / nd.wall), unit: 'events/s',
    note: `best of 3; ${ndStats.unique} unique of ${M}; template e.g. "${maskTemplate(rows[0].message)}"`,
  });
  let mk = null;
  for (let rep = 0; rep < 3; rep++) {
    const r = timeIt(() => {
      let len = 0;
      for (let i = 0; i < M; i++) len += maskTemplate(rows[i].message).length;
      return len;
    });
    if (!mk || r.wall < mk.wall) mk = r;
  }
  out.push({ name: 'template masking alone (maskTemplate)', value: Math.round(M / mk.wall), unit: 'messages/s' });

  // the generator's storm scenario with default options (key incident_type, source, user; 5 min)
  try {
    const { IncidentGenerator } = require('../dist/stream/generator');
    const events = [...new IncidentGenerator({ scenario: 'storm', events: 100_000, seed: 1 })];
    const c = new DedupCenter();
    const near = new DedupCenter({ nearDup: true });
    const t = timeIt(() => {
      for (const e of events) near.observe(e, Date.parse(e.timestamp), e.event_id);
    });
    for (const e of events) c.observe(e, Date.parse(e.timestamp), e.event_id);
    const s = c.stats();
    const sn = near.stats();
    out.push({ name: 'storm scenario compression (default options)', value: Number(s.compression.toFixed(3)), unit: 'events/unique', target: '>= 1', note: `${s.events} events, ${s.unique} unique, ${s.duplicates} duplicates` });
    out.push({ name: 'storm scenario, near-dup on: throughput', value: Math.round(sn.events / t.wall), unit: 'events/s', note: `${sn.unique} unique (key + message template), compression ${sn.compression.toFixed(3)}; Date.parse included` });
  } catch (err) {
    out.push({ name: 'storm scenario compression (default options)', value: 'n/a', unit: '', note: String(err?.message ?? err) });
  }

  // memory bound: 10M distinct keys, maxGroups 100k, in a fresh process
  const EVENTS = 10_000_000;
  const MAX = 100_000;
  const child = spawnSync(process.execPath, ['--expose-gc', here, '--memory-child', String(EVENTS), String(MAX)], { encoding: 'utf8', maxBuffer: 1 << 24 });
  if (child.status !== 0) throw new Error(`bench: memory child failed: ${child.stderr}`);
  const m = JSON.parse(child.stdout.trim().split('\n').pop());
  const mb = (b) => Math.round((b / 2 ** 20) * 10) / 10;
  const rssAt = (i) => m.samples.find(([k]) => k >= i)[1];
  const peak = Math.max(...m.samples.map(([, r]) => r));
  const peakAfter1M = Math.max(...m.samples.filter(([k]) => k >= 1_000_000).map(([, r]) => r));
  const minAfter1M = Math.min(...m.samples.filter(([k]) => k >= 1_000_000).map(([, r]) => r));
  out.push({
    name: 'memory bound: 10M distinct keys, maxGroups 100k — peak RSS', value: mb(peak), unit: 'MB',
    note: `RSS at start ${mb(m.samples[0][1])} MB, at 1M ${mb(rssAt(1_000_000))} MB, at 10M ${mb(rssAt(EVENTS))} MB; between 1M and 10M it stays within ${mb(minAfter1M)}–${mb(peakAfter1M)} MB (${m.samples.length} samples); live ${m.stats.live}, evictions ${m.stats.evictions}`,
  });
  out.push({ name: 'memory bound: RSS growth from 1M to 10M events', value: mb(rssAt(EVENTS) - rssAt(1_000_000)), unit: 'MB' });
  const [[, live1M], [, live10M]] = m.live;
  out.push({
    name: 'memory bound: live memory after GC, growth from 1M to 10M events', value: mb(live10M - live1M), unit: 'MB', target: '<= 4',
    note: `heap + array buffers after a full GC: ${mb(live1M)} MB at 1M events, ${mb(live10M)} MB at 10M (100k live groups throughout)`,
  });
  out.push({ name: 'eviction path: 10M new keys through a full center', value: Math.round(EVENTS / m.secs), unit: 'events/s', note: 'every event a new group evicting the least recently seen; key strings built per event' });
  return out;
}

if (process.argv[2] === '--memory-child') {
  memoryChild(Number(process.argv[3]), Number(process.argv[4]));
} else if (import.meta.url === `file://${process.argv[1]}`) {
  for (const r of await run()) {
    console.log(`${r.name.padEnd(62)} ${String(r.value).padStart(12)} ${r.unit}${r.target ? `  (target ${r.target})` : ''}${r.peer !== undefined ? `  peer ${r.peer}` : ''}`);
    if (r.note) console.log(`    ${r.note}`);
  }
}
