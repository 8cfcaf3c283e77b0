// Memory under an alert storm: `onthefly run` on a JSONL file of 1M events repeating 3 keys, one every
// 1 ms (the generator's events and schema), peak RSS of the whole process (parser thread included) beside
// the same run on the first 10,000 events (the start-up floor). Events wait for their prediction at most
// max(batch, 1024) at a time, so the peak must not grow with the stream. Uses the built dist/. The model is
// pinned (logistic), so the figures do not move with the default model.
import { spawnSync } from 'node:child_process';
import { closeSync, mkdtempSync, openSync, rmSync, writeFileSync, writeSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const require = createRequire(import.meta.url);
const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const cli = join(root, 'dist/cli/main.js');
const { generateEvents } = require('../dist/stream/generator');

/** `n` events cycling over 3 generated ones (so 3 dedup keys), 1 ms apart, as JSONL. */
function writeStorm(path, n) {
  const base = generateEvents({ scenario: 'stationary', events: 3, seed: 1 });
  const t0 = Date.parse('2025-10-07T00:00:00Z');
  const fd = openSync(path, 'w');
  let buf = [];
  for (let i = 0; i < n; i++) {
    buf.push(JSON.stringify({ ...base[i % 3], event_id: `s-${i}`, timestamp: new Date(t0 + i).toISOString() }));
    if (buf.length === 10_000) { writeSync(fd, `${buf.join('\n')}\n`); buf = []; }
  }
  if (buf.length > 0) writeSync(fd, `${buf.join('\n')}\n`);
  closeSync(fd);
}

/** Peak RSS (MB) and the result of `onthefly run` on a file, measured by the process itself at exit. */
function peakRss(dir, input) {
  const probe = join(dir, 'rss.cjs');
  writeFileSync(probe, "process.on('exit', () => require('fs').writeSync(2, `\\nmaxrss-kb ${process.resourceUsage().maxRSS}\\n`));\n");
  const r = spawnSync(process.execPath, ['-r', probe, cli, 'run', '--input', input, '--model', 'logistic', '--json', '--audit', join(dir, 'audit.jsonl')], { encoding: 'utf8', maxBuffer: 1 << 26 });
  if (r.status !== 0) throw new Error(`onthefly run failed: ${r.stderr}`);
  const kb = Number(/maxrss-kb (\d+)/.exec(r.stderr)?.[1]);
  return { mb: kb / 1024, out: JSON.parse(r.stdout.trim().split('\n').pop()) };
}

export async function run() {
  const dir = mkdtempSync(join(tmpdir(), 'onthefly-bench-storm-'));
  try {
    const big = join(dir, 'storm-1m.jsonl');
    const small = join(dir, 'storm-10k.jsonl');
    writeStorm(big, 1_000_000);
    writeStorm(small, 10_000);
    const floor = peakRss(dir, small);
    const storm = peakRss(dir, big);
    return [{
      name: 'onthefly run, 1M-event storm repeating 3 keys: peak RSS',
      value: storm.mb, unit: 'MB', target: '<= 512', peer: floor.mb,
      note: `peer: the same run on its first 10,000 events (${floor.mb.toFixed(0)} MB); ${storm.out.events} events, ${storm.out.unique} unique, at most ${storm.out.timing.maxPending} waiting for their prediction; ${Math.round(storm.out.timing.eventsPerSec)} events/s; audit log written (one line per event)`,
    }];
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
