import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { IncidentEvent } from '../../src/types';
import { generateEvents } from '../../src/stream/generator';
import { eventToJson, eventsToJsonl } from '../../src/stream/event-jsonl';
import { JsonlEncoder } from '../../src/stream/jsonl-encoder';
import { SCENARIO_NAMES } from '../../src/stream/scenarios';
import { IsoFormatter } from '../../src/stream/timestamp';

test('JsonlEncoder writes exactly JSON.stringify(event) + "\\n" for generated events', () => {
  for (const name of SCENARIO_NAMES) {
    const evs = generateEvents({ scenario: name, events: 3000, seed: 9 });
    const enc = new JsonlEncoder(4096); // small: exercises growing and taking
    const parts: Buffer[] = [];
    for (const e of evs) {
      enc.write(e);
      if (enc.length > 3000) parts.push(enc.take());
    }
    parts.push(enc.take());
    const text = Buffer.concat(parts).toString('utf8');
    assert.equal(text, evs.map((e) => `${JSON.stringify(e)}\n`).join(''));
    const lines = text.split('\n');
    assert.equal(lines.pop(), '');
    lines.forEach((l, i) => assert.deepEqual(JSON.parse(l), evs[i]));
    assert.equal(eventsToJsonl(evs), text);
    assert.equal(eventToJson(evs[0]), JSON.stringify(evs[0]));
  }
  assert.equal(eventsToJsonl([]), '');
});

test('the encoders escape like JSON.stringify for any strings and numbers', () => {
  const base = generateEvents({ events: 1, seed: 1 })[0];
  const odd: IncidentEvent = {
    ...base,
    event_id: 'a"b\\c',
    user: 'ünïcödé 😀 \u2028',
    message: 'tab\tnew\nline \u0001 "quoted" \\ lone \ud800 end',
    regime: '',
    cpu_load: -0,
    net_bytes: 2 ** 40 + 3,
    temperature_c: -12.5,
    latency_ms: 1e-7,
    failed_logins: NaN,
    severity: 2147483648,
    oracle_p: Infinity,
  };
  const want = JSON.stringify(odd);
  assert.equal(eventToJson(odd), want);
  const enc = new JsonlEncoder(16);
  enc.write(odd);
  enc.write(base);
  assert.equal(enc.take().toString('utf8'), `${want}\n${JSON.stringify(base)}\n`);
  // Cached segments (per type, asset, user, regime) never leak into an event with other values.
  const variants: IncidentEvent[] = [
    base,
    { ...base, source_ip: '10.9.9.9' },
    { ...base, source_kind: 'gateway' },
    { ...base, incident_type: 'thermal_alarm' },
    { ...base, user: 'user\u00e9' },
    { ...base, user: 'x' },
    { ...base, regime: 'Z' },
    { ...base, source: 'a"b' },
    base,
  ];
  const e2 = new JsonlEncoder();
  for (const v of variants) e2.write(v);
  assert.equal(e2.take().toString('utf8'), variants.map((v) => `${JSON.stringify(v)}\n`).join(''));
});

test('IsoFormatter matches Date.toISOString across days and years', () => {
  const f = new IsoFormatter();
  const start = Date.parse('2025-12-31T23:59:58.000Z');
  for (let ms = start; ms < start + 5000; ms += 7) assert.equal(f.format(ms), new Date(ms).toISOString());
  for (const ms of [0, 86_399_999, 86_400_000, Date.parse('2024-02-29T12:34:56.789Z')]) {
    assert.equal(f.format(ms), new Date(ms).toISOString());
  }
});
