import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

const ROOT = resolve(__dirname, '../../..');
const PYTHON = process.env.ONTHEFLY_PYTHON ?? '/usr/bin/python3';

/** The README's conda kernel registration line (the one command conda users run to register tslab). */
function readmeInstallLine(): string {
  const readme = readFileSync(join(ROOT, 'README.md'), 'utf8');
  const lines = readme.split('\n').filter((l) => l.startsWith('npx tslab install --sys-prefix'));
  assert.equal(lines.length, 1, 'README has one conda "npx tslab install --sys-prefix" line');
  return lines[0]!;
}

test("the README's conda command registers a tslab kernel whose argv[0] is an existing executable", () => {
  const line = readmeInstallLine();
  assert.match(line, /--binary "\$PWD\/scripts\/tslab-kernel\.js"/, 'argv must not rely on tslab being on PATH (the launcher: tslab with comm probes answered)');
  // conda cannot run here: --sys-prefix (the env's prefix) becomes a temporary prefix, `which python` ours.
  const prefix = mkdtempSync(join(tmpdir(), 'otf-conda-'));
  try {
    const cmd = line.replace('--sys-prefix', `--prefix "${prefix}"`).replace('"$(which python)"', `"${PYTHON}"`);
    const r = spawnSync('bash', ['-c', cmd], { cwd: ROOT, encoding: 'utf8' });
    assert.equal(r.status, 0, `${cmd}\n${r.stderr}`);
    const env = { ...process.env, JUPYTER_PATH: join(prefix, 'share', 'jupyter') };
    const list = spawnSync(PYTHON, ['-m', 'jupyter', 'kernelspec', 'list', '--json'], { encoding: 'utf8', env });
    assert.equal(list.status, 0, list.stderr);
    const spec = JSON.parse(list.stdout).kernelspecs.tslab as { resource_dir: string; spec: { argv: string[] } };
    assert.ok(spec, 'a "tslab" kernelspec is listed');
    assert.ok(spec.resource_dir.startsWith(prefix), `the listed tslab is the one just installed: ${spec.resource_dir}`);
    const exe = spec.spec.argv[0]!;
    assert.ok(exe.startsWith('/'), `argv[0] is an absolute path: ${exe}`);
    assert.ok(existsSync(exe), `argv[0] exists: ${exe}`);
    assert.ok((statSync(exe).mode & 0o111) !== 0, `argv[0] is executable: ${exe}`);
    assert.deepEqual(spec.spec.argv.slice(1), ['kernel', '--config-path', '{connection_file}']);
    const help = spawnSync(exe, ['--help'], { encoding: 'utf8' });
    assert.equal(help.status, 0, `${exe} --help runs`);
  } finally {
    rmSync(prefix, { recursive: true, force: true });
  }
});
