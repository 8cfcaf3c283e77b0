import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';

const CLI = join(__dirname, '../../../dist/cli/main.js');
const tmp = (): string => mkdtempSync(join(tmpdir(), 'onthefly-api-cli-'));

function cli(args: string[], input?: string): { code: number | null; stdout: string; stderr: string } {
  const r = spawnSync(process.execPath, [CLI, ...args], { encoding: 'utf8', input, maxBuffer: 1 << 26 });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

/** ESC, BEL, CSI (C1) and the rest: nothing that drives a terminal, in any line. */
const CONTROL = /[\x00-\x09\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]/;

/** A small JSONL stream whose regime names (the generator's regime field) are terminal escapes. */
function hostileStream(dir: string): string {
  const evil = '\x1b]0;owned\x07\x9b2J\u202e';
  const lines: string[] = [];
  let i = 0;
  for (const regime of [evil, 'B', evil]) {
    for (let k = 0; k < 60; k++, i++) {
      lines.push(JSON.stringify({
        event_id: `e${i}`, timestamp: 1_700_000_000_000 + i * 60_000, incident_type: 'login_failure', severity: 1 + (i % 5),
        source: `srv-${i % 7}`, source_kind: 'server', user: `u${i}`, cpu_load: (i % 10) / 10, net_bytes: i, temperature_c: 40,
        latency_ms: 5, failed_logins: i % 3, message: 'm', regime, critical: i % 2,
      }));
    }
  }
  const file = join(dir, 'hostile-regime.jsonl');
  writeFileSync(file, lines.join('\n') + '\n');
  return file;
}

test('run and evaluate print a hostile regime escaped (text and --json), never raw', () => {
  const dir = tmp();
  const input = hostileStream(dir);
  const audit = join(dir, 'audit.jsonl');
  const run = cli(['run', '--input', input, '--batch', '16', '--window', '20', '--audit', audit]);
  assert.equal(run.code, 0, run.stderr);
  assert.ok(run.stdout.includes('regime \\x1b]0;owned\\x07\\x9b2J\\u{202e}:'), run.stdout);
  assert.ok(!CONTROL.test(run.stdout), JSON.stringify(run.stdout));
  const json = cli(['run', '--input', input, '--batch', '16', '--window', '20', '--json']);
  assert.equal(json.code, 0, json.stderr);
  assert.ok(!CONTROL.test(json.stdout));
  assert.equal(JSON.parse(json.stdout).forgetting.regime, '\x1b]0;owned\x07\x9b2J\u202e');
  const ev = cli(['evaluate', '--audit', audit, '--window', '20']);
  assert.equal(ev.code, 0, ev.stderr);
  assert.ok(ev.stdout.includes('regime \\x1b]0;owned\\x07\\x9b2J\\u{202e}:'), ev.stdout);
  assert.ok(!CONTROL.test(ev.stdout));
  const evJson = cli(['evaluate', '--audit', audit, '--window', '20', '--json']);
  assert.ok(!CONTROL.test(evJson.stdout));
  assert.equal(JSON.parse(evJson.stdout).forgetting.regime, '\x1b]0;owned\x07\x9b2J\u202e');
});

test('an error message that quotes the input is escaped too', () => {
  const r = cli(['frobnicate\x1b]0;t\x07']);
  assert.equal(r.code, 2);
  assert.ok(!CONTROL.test(r.stderr), JSON.stringify(r.stderr));
  assert.ok(r.stderr.includes('frobnicate\\x1b]0;t\\x07'));
});

test('--dedup-key naming a field the schema does not name is a usage error (exit 2) naming it; a schema key too', () => {
  const dir = tmp();
  const input = join(dir, 's.jsonl');
  assert.equal(cli(['generate', '--scenario', 'storm', '--events', '3000', '--seed', '1', '--out', input]).code, 0);
  const typo = cli(['run', '--input', input, '--dedup-key', 'incident_type,usr', '--dedup-window', 'inf']);
  assert.equal(typo.code, 2, typo.stderr);
  assert.match(typo.stderr, /^onthefly: --dedup-key: "usr" is not a field the schema names \(a typo\?\)/);
  assert.equal(typo.stdout, '');
  assert.equal(cli(['run', '--input', input, '--dedup-key', ' , ']).code, 2);
  const schema = join(dir, 'schema.json');
  writeFileSync(schema, JSON.stringify({ label: { field: 'critical', positive: [1] }, numeric: ['severity'], categorical: ['source'], key: ['source', 'usr'] }));
  const bad = cli(['run', '--input', input, '--schema', schema]);
  assert.equal(bad.code, 2);
  assert.match(bad.stderr, /--schema .*schema\.json: "key" field "usr" is not named anywhere else in the schema/);
  const byId = cli(['run', '--input', input, '--dedup-key', 'event_id', '--dedup-window', 'inf', '--json']);
  assert.equal(byId.code, 0, byId.stderr);
  const o = JSON.parse(byId.stdout);
  assert.equal(o.unique, o.accepted);
});

test('run prints a warning for a schema field that never appears; --json keeps them in "warnings"', () => {
  const dir = tmp();
  const input = join(dir, 's.jsonl');
  assert.equal(cli(['generate', '--scenario', 'stationary', '--events', '1200', '--seed', '1', '--out', input]).code, 0);
  const schema = join(dir, 'schema.json');
  writeFileSync(schema, JSON.stringify({ label: { field: 'critical', positive: [1] }, numeric: ['severity', 'cpu_lod'], categorical: ['source'] }));
  const r = cli(['run', '--input', input, '--schema', schema, '--json']);
  assert.equal(r.code, 0, r.stderr);
  assert.match(r.stderr, /^onthefly run: warning: schema field "cpu_lod" \(numeric\) is missing or empty in the first 1000 records: a typo in the schema\?$/m);
  const warnings = JSON.parse(r.stdout).warnings as string[];
  assert.equal(warnings[0], 'schema field "cpu_lod" (numeric) is missing or empty in the first 1000 records: a typo in the schema?');
  // the key includes the missing field, so dedup starves the learner, and the run says so too
  assert.deepEqual(warnings.slice(1).map((w) => w.slice(0, 15)), ['dedup withheld ']);
});

test('the CLI and the library give the same words for a bad choice (one table)', () => {
  const r = cli(['run', '--events', '100', '--optimizer', 'rmsprop']);
  assert.equal(r.code, 2);
  assert.equal(r.stderr, 'onthefly: --optimizer must be one of sgd, adam, adagrad, ftrl, got "rmsprop"\n');
});

test('sweep progress and table escape a hostile seed name', () => {
  const r = cli(['sweep', '--scenario', 'stationary', '--events', '300', '--lambda', '0', '--seeds', 'a\x1b]0;t\x07']);
  assert.equal(r.code, 0, r.stderr);
  assert.ok(!CONTROL.test(r.stderr.replace(/\x1b\[K\r/g, '')), JSON.stringify(r.stderr));
  assert.ok(r.stderr.includes('seed=a\\x1b]0;t\\x07'), r.stderr);
  assert.ok(!CONTROL.test(r.stdout));
});
