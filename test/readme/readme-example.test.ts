import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';

const ROOT = join(__dirname, '..', '..', '..');

/** The code block after a `<!-- readme-example: NAME -->` marker in the README. */
function example(name: string): string {
  const readme = readFileSync(join(ROOT, 'README.md'), 'utf8');
  const m = new RegExp(`<!-- readme-example: ${name} -->\\n\`\`\`js\\n([\\s\\S]*?)\`\`\``).exec(readme);
  assert.ok(m, `README has a "${name}" example`);
  return m[1]!;
}

test("the README's \"Use it from Node\" example runs as written, against the built package", () => {
  const dir = mkdtempSync(join(tmpdir(), 'otf-readme-'));
  try {
    // `require('onthefly')` resolves to this repository, as after `npm install onthefly`.
    mkdirSync(join(dir, 'node_modules'));
    symlinkSync(ROOT, join(dir, 'node_modules', 'onthefly'), 'dir');
    writeFileSync(join(dir, 'example.js'), example('node'));
    const r = spawnSync(process.execPath, ['example.js'], { cwd: dir, encoding: 'utf8', timeout: 120_000 });
    assert.equal(r.status, 0, r.stderr);
    const [scores, listening, last] = r.stdout.trim().split('\n');
    const m = /^F1 (0\.\d{3}), (\d+) events learned, model version (\d+)$/.exec(scores ?? '');
    assert.ok(m, r.stdout);
    assert.ok(Number(m[1]) > 0.5, `F1 ${m[1]}`);
    assert.ok(Number(m[2]) > 1000 && Number(m[3]) > 30);
    assert.match(listening ?? '', /^listening on http:\/\/127\.0\.0\.1:\d+$/);
    assert.match(last ?? '', /^last p (0|1)\.\d{3}$/);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
