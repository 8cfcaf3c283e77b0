import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, readdirSync, realpathSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { after, test } from 'node:test';

const ROOT = join(__dirname, '../../..');
const PKG = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { version: string; dependencies: Record<string, string> };
const work = mkdtempSync(join(tmpdir(), 'onthefly-pack-'));
after(() => rmSync(work, { recursive: true, force: true }));

/** A fresh clone of the working tree (tracked and new files, nothing ignored: no dist/), sharing node_modules. */
function freshClone(): string {
  const dir = join(work, 'clone');
  const files = execFileSync('git', ['ls-files', '-z', '--cached', '--others', '--exclude-standard'], { cwd: ROOT }).toString().split('\0').filter((f) => f && f !== 'node_modules');
  for (const f of files) {
    try {
      const data = readFileSync(join(ROOT, f));
      mkdirSync(dirname(join(dir, f)), { recursive: true });
      writeFileSync(join(dir, f), data);
    } catch {
      // deleted in the working tree but not yet in the index
    }
  }
  symlinkSync(realpathSync(join(ROOT, 'node_modules')), join(dir, 'node_modules'));
  return dir;
}

let tarball = '';

test('npm pack from a fresh clone (no dist/) builds and contains the library: dist/index.js, its types, the CLI, the schemas', () => {
  const clone = freshClone();
  assert.throws(() => readdirSync(join(clone, 'dist')), /ENOENT/);
  const dry = spawnSync('npm', ['pack', '--dry-run', '--json'], { cwd: clone, encoding: 'utf8' });
  assert.equal(dry.status, 0, dry.stderr);
  const files = (JSON.parse(dry.stdout) as { files: { path: string }[] }[])[0]!.files.map((f) => f.path);
  for (const f of ['dist/index.js', 'dist/index.d.ts', 'dist/cli/main.js', 'dist/learn/export/save-model.js', 'schemas/generator.json', 'package.json', 'README.md']) {
    assert.ok(files.includes(f), `${f} in the package`);
  }
  assert.deepEqual(files.filter((f) => /^(src|test|build|notebooks|node_modules)\//.test(f)), []);
  const packed = spawnSync('npm', ['pack', '--json', '--ignore-scripts', '--pack-destination', work], { cwd: clone, encoding: 'utf8' });
  assert.equal(packed.status, 0, packed.stderr);
  tarball = join(work, (JSON.parse(packed.stdout) as { filename: string }[])[0]!.filename);
});

/** A project with the packed library in node_modules/onthefly and its dependencies (not danfojs, an optional peer). */
function consumer(): string {
  assert.ok(tarball, 'the pack test ran first');
  const dir = join(work, 'consumer');
  const nm = join(dir, 'node_modules');
  mkdirSync(join(nm, 'onthefly'), { recursive: true });
  execFileSync('tar', ['xzf', tarball, '-C', join(nm, 'onthefly'), '--strip-components=1']);
  const repoModules = realpathSync(join(ROOT, 'node_modules'));
  for (const name of [...Object.keys(PKG.dependencies), '@types/node']) {
    mkdirSync(dirname(join(nm, name)), { recursive: true });
    symlinkSync(join(repoModules, name), join(nm, name));
  }
  writeFileSync(join(dir, 'package.json'), JSON.stringify({ name: 'consumer', version: '1.0.0', private: true }));
  return dir;
}

test('a strict TypeScript project compiles against the packed library (node16 and node10 resolution), and no declaration names danfojs', () => {
  const dir = consumer();
  const dts = execFileSync('tar', ['xzf', tarball, '-O', '--wildcards', 'package/dist/*.d.ts']).toString();
  assert.doesNotMatch(dts, /from ['"]danfojs|import\(['"]danfojs/);
  writeFileSync(join(dir, 'main.ts'), `
import { createLearner, saveModel, loadModel, modelFileHandler, GENERATOR_SCHEMA, runExperiment, type Row, type DataFrame, type SavedModel, type RunResult } from 'onthefly';
import { version } from 'onthefly/package.json';
export async function main(rows: Row[], df: DataFrame): Promise<number> {
  const learner = await createLearner({ schema: GENERATOR_SCHEMA, model: 'mlp', hidden: [4] });
  const p: Float64Array = learner.predictMany(rows);
  const saved: SavedModel = saveModel(learner, 'm').model;
  const { learner: back } = await loadModel('m', { schema: saved.schema });
  const r: RunResult = await runExperiment({ events: 100 });
  const handler = modelFileHandler('m');
  return p[0]! + back.predictMany(rows)[0]! + r.events + df.columns.length + version.length + (typeof handler.load === 'function' ? 1 : 0);
}
`);
  const tsc = require.resolve('typescript/bin/tsc');
  for (const moduleResolution of ['node16', 'node10']) {
    writeFileSync(join(dir, 'tsconfig.json'), JSON.stringify({
      compilerOptions: { strict: true, noEmit: true, target: 'ES2022', module: moduleResolution === 'node16' ? 'node16' : 'commonjs', moduleResolution, types: ['node'], resolveJsonModule: true, esModuleInterop: true },
      files: ['main.ts'],
    }));
    const r = spawnSync(process.execPath, [tsc, '-p', dir], { encoding: 'utf8' });
    assert.equal(r.status, 0, `${moduleResolution}:\n${r.stdout}${r.stderr}`);
  }
});

test('without danfojs the library loads and runs, DataFrames fail with a one-line install hint, and sweep still prints its table', () => {
  const dir = join(work, 'consumer');
  const script = `
    const otf = require('onthefly');
    (async () => {
      const r = await otf.runExperiment({ events: 300 });
      let message = '';
      try { otf.toFrame([{ a: 1 }]); } catch (e) { message = e.message; }
      const loaded = Object.keys(require.cache).filter((k) => /danfo|tensorflow/.test(k));
      process.stdout.write(JSON.stringify({ events: r.events, available: otf.danfoAvailable(), message, loaded }));
    })();`;
  const r = spawnSync(process.execPath, ['-e', script], { cwd: dir, encoding: 'utf8' });
  assert.equal(r.status, 0, r.stderr);
  const o = JSON.parse(r.stdout);
  assert.equal(o.events, 300);
  assert.equal(o.available, false);
  assert.match(o.message, /^DataFrames need danfojs, an optional peer dependency of onthefly that is not installed: npm install danfojs@1\.2\.0/);
  assert.deepEqual(o.loaded, []);
  const cli = join(dir, 'node_modules/onthefly/dist/cli/main.js');
  const sweep = spawnSync(process.execPath, [cli, 'sweep', '--events', '400', '--lambda', '0,0.5', '--seeds', '1,2'], { cwd: dir, encoding: 'utf8' });
  assert.equal(sweep.status, 0, sweep.stderr);
  assert.match(sweep.stdout, /mean ± std over 2 seed\(s\)/);
  assert.equal(sweep.stdout.trim().split('\n').filter((l) => /^0(\.5)?\s/.test(l)).length, 2, sweep.stdout);
});

test('onthefly --version and -V print the package version', () => {
  for (const flag of ['--version', '-V']) {
    const r = spawnSync(process.execPath, [join(ROOT, 'dist/cli/main.js'), flag], { encoding: 'utf8' });
    assert.equal(r.status, 0, r.stderr);
    assert.equal(r.stdout, `${PKG.version}\n`);
  }
});
