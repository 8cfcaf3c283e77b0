/**
 * scripts/tslab-kernel.js, the kernel the set-up registers: a front-end probing for widgets
 * (comm_info_request, comm_open, comm_msg, comm_close) gets proper answers and no
 * `unknown msg_type` line on the kernel's stderr, and cells still run. The same probe on plain
 * tslab shows what the launcher is for (and that the probe can tell). Driven by jupyter_client
 * (test/notebook/comm-probe.py); skipped outside CI when it is not installed.
 */
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

const ROOT = resolve(__dirname, '../../..');
const PYTHON = process.env.ONTHEFLY_PYTHON ?? '/usr/bin/python3';
const LAUNCHER = join(ROOT, 'scripts', 'tslab-kernel.js');
const PROBE = join(ROOT, 'test', 'notebook', 'comm-probe.py');

function clientMissing(): string | false {
  const res = spawnSync(PYTHON, ['-c', 'import jupyter_client'], { encoding: 'utf8' });
  if (res.status === 0) return false;
  return process.env.CI ? false : `${PYTHON}: jupyter_client is not installed (set CI=1 to make this a failure)`;
}
const skip = clientMissing();

interface Reply { msg_type: string; content: Record<string, unknown> }
interface Probe { reply: Reply | null; iopub: Reply[] }
type ProbeResult = Record<'comm_info_request' | 'comm_open' | 'comm_msg' | 'comm_close' | 'execute', Probe> & { stderr: string };

let dir = '';
before(() => {
  if (skip) return;
  dir = mkdtempSync(join(tmpdir(), 'otf-kernel-'));
  const spec = (name: string, exe: string) => {
    mkdirSync(join(dir, 'kernels', name), { recursive: true });
    writeFileSync(join(dir, 'kernels', name, 'kernel.json'), JSON.stringify({
      argv: [exe, 'kernel', '--config-path', '{connection_file}'], display_name: name, language: 'typescript',
    }));
  };
  spec('otf-launcher', LAUNCHER);
  spec('otf-plain', join(ROOT, 'node_modules', '.bin', 'tslab'));
});
after(() => { if (dir) rmSync(dir, { recursive: true, force: true }); });

function probe(kernel: string): ProbeResult {
  const res = spawnSync(PYTHON, [PROBE, kernel, join(ROOT, 'notebooks'), join(dir, `${kernel}.stderr`)], {
    encoding: 'utf8', env: { ...process.env, JUPYTER_PATH: dir }, timeout: 180_000,
  });
  assert.equal(res.status, 0, `${res.stderr}\n${res.error ?? ''}`);
  return JSON.parse(res.stdout) as ProbeResult;
}

const types = (p: Probe) => p.iopub.map((m) => m.msg_type === 'status' ? `status:${String(m.content.execution_state)}` : m.msg_type);

test('the launcher is an executable file that runs tslab (kernel.json argv[0])', () => {
  assert.ok((statSync(LAUNCHER).mode & 0o111) !== 0, 'executable');
  const help = spawnSync(LAUNCHER, ['--help'], { encoding: 'utf8' });
  assert.equal(help.status, 0, help.stderr);
  assert.match(help.stdout, /kernel/);
});

test('widget probes get proper answers and leave stderr clean; cells still run', { skip }, () => {
  const r = probe('otf-launcher');
  assert.deepEqual(r.comm_info_request.reply, { msg_type: 'comm_info_reply', content: { status: 'ok', comms: {} } });
  assert.deepEqual(types(r.comm_info_request), ['status:busy', 'status:idle']);
  assert.deepEqual(types(r.comm_open), ['status:busy', 'comm_close', 'status:idle'], 'an unknown comm target is closed at once');
  assert.deepEqual(r.comm_open.iopub[1]!.content, { comm_id: 'otf-probe-1', data: {} });
  assert.deepEqual(types(r.comm_msg), ['status:busy', 'status:idle']);
  assert.deepEqual(types(r.comm_close), ['status:busy', 'status:idle']);
  assert.equal(r.execute.reply?.content.status, 'ok');
  assert.ok(r.execute.iopub.some((m) => m.msg_type === 'stream' && m.content.text === '42\n'), JSON.stringify(r.execute.iopub));
  assert.equal(r.stderr, '', 'nothing on the kernel\'s stderr');
});

test('plain tslab 1.0.22, probed the same way, prints unknown msg_type and mistypes the comm_info reply (why the launcher exists)', { skip }, () => {
  const r = probe('otf-plain');
  assert.match(r.stderr, /unknown msg_type: comm_open/);
  assert.notEqual(r.comm_info_request.reply?.msg_type, 'comm_info_reply');
  assert.equal(r.execute.reply?.content.status, 'ok');
});
