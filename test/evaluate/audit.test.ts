import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { spawnSync } from 'node:child_process';
import seedrandom from 'seedrandom';
import { AuditWriter, auditOutcome, evaluateAudit, formatAuditLine, readAudit, type AuditLine } from '../../src/evaluate/audit';
import { PrequentialCollector } from '../../src/evaluate/collector';

const dir = mkdtempSync(join(tmpdir(), 'otf-audit-'));
test.after(() => rmSync(dir, { recursive: true, force: true }));

function makeLines(seed: string, n: number): AuditLine[] {
  const rng = seedrandom.alea(seed);
  const ids = ['plain', 'quote"s', 'back\\slash', 'new\nline', 'ünï✓', '\u0001ctl', 'tab\t'];
  const out: AuditLine[] = [];
  for (let i = 0; i < n; i++) {
    const p = rng();
    const oracle = rng();
    out.push({
      id: i % 50 === 0 ? ids[(i / 50) % ids.length] : `evt-${i}`,
      line: i + 1,
      time: 1767225600000 + i * 997,
      fingerprint: (rng() * 1e9).toString(36),
      group: Math.floor(rng() * 100),
      duplicate: rng() < 0.1,
      p: i === 7 ? NaN : p,
      pred: p >= 0.5 ? 1 : 0,
      label: rng() < oracle ? 1 : 0,
      oracle: i < 3000 ? oracle : oracle, // all present
      regime: i < 1000 ? 'A' : i < 2000 ? 'B' : i < 3000 ? 'A' : null,
      version: Math.floor(i / 256),
      latency_us: rng() * 50,
      violation: rng() < 0.05,
    });
  }
  return out;
}

async function readAll(path: string): Promise<AuditLine[]> {
  const out: AuditLine[] = [];
  for await (const a of readAudit(path)) out.push(a);
  return out;
}

test('formatAuditLine is valid JSON equal to the line (numbers round-trip exactly)', () => {
  for (const a of makeLines('fmt', 400)) {
    const back = JSON.parse(formatAuditLine(a));
    assert.deepEqual({ ...back, p: back.p === null ? NaN : back.p }, a);
  }
});

test('AuditWriter → readAudit round trip; evaluateAudit equals the collector fed directly', async () => {
  const lines = makeLines('rt', 3500);
  const path = join(dir, 'rt.jsonl');
  const w = new AuditWriter(path, { bufferChars: 1000 });
  for (const a of lines) w.write(a);
  await w.close();
  assert.equal(w.bytesWritten, statSync(path).size);
  const back = await readAll(path);
  assert.deepEqual(back, lines);
  const direct = new PrequentialCollector({ window: 200, forgettingWindow: 300 });
  for (const a of lines) direct.update(auditOutcome(a));
  assert.deepEqual(await evaluateAudit(path, { window: 200, forgettingWindow: 300 }), direct.summary());
});

test('resume: append after truncating to a checkpoint offset gives the uninterrupted file', async () => {
  const lines = makeLines('resume', 2000);
  const full = join(dir, 'full.jsonl');
  const wf = new AuditWriter(full);
  lines.forEach((a) => wf.write(a));
  await wf.close();

  const part = join(dir, 'part.jsonl');
  const w1 = new AuditWriter(part, { bufferChars: 512 });
  lines.slice(0, 1200).forEach((a) => w1.write(a));
  const checkpoint = w1.bytesWritten; // flushed, on disk
  lines.slice(1200, 1500).forEach((a) => w1.write(a)); // written after the checkpoint, then "killed"
  w1.flush();
  writeFileSync(part, readFileSync(part).subarray(0, statSync(part).size - 17)); // a torn last line
  const w2 = new AuditWriter(part, { append: true, truncateTo: checkpoint });
  lines.slice(1200).forEach((a) => w2.write(a));
  await w2.close();
  assert.deepEqual(readFileSync(part), readFileSync(full));

  const w3 = new AuditWriter(part, { append: true }); // plain append keeps the content
  assert.equal(w3.bytesWritten, statSync(full).size);
  await w3.close();
  assert.throws(() => new AuditWriter(part, { append: true, truncateTo: 1e12 }), /cannot resume at offset/);
});

test('readAudit rejects what is not an audit log, naming the line', async () => {
  const path = join(dir, 'bad.jsonl');
  writeFileSync(path, formatAuditLine(makeLines('x', 1)[0]) + '\n{"id": "x", "label": 2, "pred": 0}\n');
  await assert.rejects(readAll(path), /bad\.jsonl:3: not an audit line \(label and pred must be 0 or 1\)/);
  writeFileSync(path, '{"torn": ');
  await assert.rejects(readAll(path), /bad\.jsonl:1: not an audit line \(malformed JSON/);
});

const CLI = join(__dirname, '..', '..', 'src', 'cli', 'main.js');

test('onthefly evaluate: --json prints one object equal to evaluateAudit; table; exit codes', async () => {
  const path = join(dir, 'cli.jsonl');
  const w = new AuditWriter(path);
  makeLines('cli', 2500).forEach((a) => w.write(a));
  await w.close();
  const r = spawnSync(process.execPath, [CLI, 'evaluate', '--audit', path, '--json'], { encoding: 'utf8' });
  assert.equal(r.status, 0, r.stderr);
  const lines = r.stdout.trim().split('\n');
  assert.equal(lines.length, 1, 'exactly one line on stdout');
  const obj = JSON.parse(lines[0]);
  const expected = JSON.parse(JSON.stringify(await evaluateAudit(path)));
  assert.deepEqual({ ...obj, audit: undefined }, { ...expected, audit: undefined });
  assert.equal(obj.audit, path);
  assert.equal(typeof obj.forgetting.before, 'number');

  const t = spawnSync(process.execPath, [CLI, 'evaluate', '--audit', path], { encoding: 'utf8' });
  assert.equal(t.status, 0);
  assert.match(t.stdout, /model\s+\d\.\d{4}/);
  assert.match(t.stdout, /bayes ceiling/);
  assert.match(t.stdout, /forgetting\s+regime A/);

  const missing = spawnSync(process.execPath, [CLI, 'evaluate', '--audit', join(dir, 'nope.jsonl'), '--json'], { encoding: 'utf8' });
  assert.equal(missing.status, 1);
  assert.equal(missing.stdout, '');
  assert.match(missing.stderr, /cannot read .*nope\.jsonl: ENOENT/);
  const usage = spawnSync(process.execPath, [CLI, 'evaluate'], { encoding: 'utf8' });
  assert.equal(usage.status, 2);
  assert.match(usage.stderr, /needs --audit FILE/);
  const w500 = spawnSync(process.execPath, [CLI, 'evaluate', '--audit', path, '--json', '--window', '500'], { encoding: 'utf8' });
  assert.deepEqual(JSON.parse(w500.stdout).forgetting, JSON.parse(JSON.stringify(await evaluateAudit(path, { window: 500, forgettingWindow: 500 }))).forgetting, 'forgetting window follows --window');
  const badOpt = spawnSync(process.execPath, [CLI, 'evaluate', '--audit', path, '--window', '0'], { encoding: 'utf8' });
  assert.equal(badOpt.status, 2);
});
