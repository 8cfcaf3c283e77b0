import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';

const CLI = join(__dirname, '../../../dist/cli/main.js');
const ROOT = join(__dirname, '../../..');
const dir = mkdtempSync(join(tmpdir(), 'onthefly-predict-'));
after(() => rmSync(dir, { recursive: true, force: true }));
const at = (name: string): string => join(dir, name);

function cli(args: string[]): { code: number | null; stdout: string; stderr: string } {
  const r = spawnSync(process.execPath, [CLI, ...args], { encoding: 'utf8', maxBuffer: 1 << 28 });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}
const jsonl = (text: string): Record<string, unknown>[] => text.trim().split('\n').map((l) => JSON.parse(l));

// 3,072 generated events: the first 2,048 (8 batches of 256) to train, the last 1,024 to score.
const gen = cli(['generate', '--scenario', 'abrupt', '--events', '3072', '--seed', '5']);
assert.equal(gen.code, 0, gen.stderr);
const lines = gen.stdout.trim().split('\n');
writeFileSync(at('all.jsonl'), `${lines.join('\n')}\n`);
writeFileSync(at('first.jsonl'), `${lines.slice(0, 2048).join('\n')}\n`);
writeFileSync(at('rest.jsonl'), `${lines.slice(2048).join('\n')}\n`);

for (const model of ['logistic', 'mlp']) {
  test(`${model}: run --load-model continues exactly where run --save-model stopped (audit p and saved state equal one long run)`, () => {
    const common = ['--no-dedup', '--batch', '256', '--model', model];
    const whole = cli(['run', '--input', at('all.jsonl'), ...common, '--audit', at(`${model}-all.audit`), '--save-model', at(`${model}-all`), '--json']);
    assert.equal(whole.code, 0, whole.stderr);
    const first = cli(['run', '--input', at('first.jsonl'), ...common, '--save-model', at(`${model}-first`), '--json']);
    assert.equal(first.code, 0, first.stderr);
    const rest = cli(['run', '--input', at('rest.jsonl'), '--no-dedup', '--batch', '256', '--load-model', at(`${model}-first`), '--audit', at(`${model}-rest.audit`), '--save-model', at(`${model}-rest`), '--json']);
    assert.equal(rest.code, 0, rest.stderr);
    const pAll = jsonl(readFileSync(at(`${model}-all.audit`), 'utf8')).slice(2048).map((a) => a.p);
    const pRest = jsonl(readFileSync(at(`${model}-rest.audit`), 'utf8')).map((a) => a.p);
    assert.equal(pRest.length, 1024);
    assert.deepEqual(pRest, pAll);
    const state = (name: string): unknown => JSON.parse(readFileSync(join(at(name), 'onthefly.json'), 'utf8')).state;
    assert.deepEqual(state(`${model}-rest`), state(`${model}-all`));
    assert.equal(JSON.parse(readFileSync(join(at(`${model}-rest`), 'onthefly.json'), 'utf8')).family, model);
  });

  test(`${model}: predict on a saved model reproduces run's predictions of the same events`, () => {
    // A batch larger than the stream: run learns only after its last prediction, so every p in
    // its audit log comes from the loaded model, as every p of predict does.
    const run = cli(['run', '--input', at('rest.jsonl'), '--no-dedup', '--batch', '100000', '--load-model', at(`${model}-first`), '--audit', at(`${model}-frozen.audit`), '--json']);
    assert.equal(run.code, 0, run.stderr);
    const audit = jsonl(readFileSync(at(`${model}-frozen.audit`), 'utf8'));
    const out = cli(['predict', '--model', at(`${model}-first`), '--input', at('rest.jsonl')]);
    assert.equal(out.code, 0, out.stderr);
    assert.equal(out.stderr, '');
    const preds = jsonl(out.stdout);
    assert.equal(preds.length, 1024);
    assert.deepEqual(preds.map((p) => Object.keys(p)), preds.map(() => ['id', 'line', 'p', 'prediction']));
    assert.deepEqual(preds.map((p) => [p.id, p.line, p.p, p.prediction]), audit.map((a) => [a.id, a.line, a.p, a.pred]));
    assert.ok(new Set(preds.map((p) => p.prediction)).size === 2, 'both classes predicted');
    // --out writes the same lines to a file.
    const toFile = cli(['predict', '--model', at(`${model}-first`), '--input', at('rest.jsonl'), '--out', at(`${model}.pred`)]);
    assert.equal(toFile.code, 0, toFile.stderr);
    assert.equal(readFileSync(at(`${model}.pred`), 'utf8'), out.stdout);
    assert.match(toFile.stderr, /1024 predictions written to/);
  });
}

test('predict handles rejected records like run (counted, kept with --rejects, fatal with --strict) and needs no label', () => {
  const unlabeled = JSON.parse(lines[2]!);
  delete unlabeled.critical;
  const mixed = [lines[0]!, lines[1]!, JSON.stringify(unlabeled), '{not json', lines[3]!, JSON.stringify({ ...JSON.parse(lines[4]!), severity: 'abc' })].join('\n');
  writeFileSync(at('mixed.jsonl'), `${mixed}\n`);
  const r = cli(['predict', '--model', at('logistic-first'), '--input', at('mixed.jsonl')]);
  assert.equal(r.code, 0, r.stderr);
  assert.deepEqual(jsonl(r.stdout).map((p) => p.line), [1, 2, 3, 5]);
  // The unlabeled record (line 3) is scored like the same record with its label.
  const labeled = cli(['predict', '--model', at('logistic-first'), '--input', at('first.jsonl')]);
  assert.equal(jsonl(r.stdout)[2]!.p, jsonl(labeled.stdout)[2]!.p);
  assert.match(r.stderr, /2 records rejected; pass --rejects FILE/);
  const k = cli(['predict', '--model', at('logistic-first'), '--input', at('mixed.jsonl'), '--rejects', at('rejects.jsonl')]);
  assert.equal(k.code, 0, k.stderr);
  assert.deepEqual(jsonl(readFileSync(at('rejects.jsonl'), 'utf8')).map((x) => x.line), [4, 6]);
  const s = cli(['predict', '--model', at('logistic-first'), '--input', at('mixed.jsonl'), '--strict']);
  assert.equal(s.code, 1);
  assert.match(s.stderr, /^onthefly predict: .*mixed\.jsonl: line 4: /);
});

test('a missing, corrupted or unfitting model directory is a one-line error with exit 1', () => {
  const good = readFileSync(join(at('logistic-first'), 'onthefly.json'), 'utf8');
  const write = (name: string, text: string): string => {
    const d = at(name);
    spawnSync('mkdir', ['-p', d]);
    writeFileSync(join(d, 'onthefly.json'), text);
    return d;
  };
  const broken = JSON.parse(good);
  broken.state.params = broken.state.params.slice(1);
  const cases: [string[], RegExp][] = [
    [['predict', '--model', at('nothing-here'), '--input', at('rest.jsonl')], /nothing-here\/onthefly\.json: not found/],
    [['predict', '--model', write('truncated', good.slice(0, 500)), '--input', at('rest.jsonl')], /truncated\/onthefly\.json: not valid JSON/],
    [['predict', '--model', write('other', '{"format":"something"}'), '--input', at('rest.jsonl')], /other\/onthefly\.json: not an onthefly model/],
    [['predict', '--model', write('broken', JSON.stringify(broken)), '--input', at('rest.jsonl')], /broken\/onthefly\.json: the saved state does not load/],
    [['predict', '--model', at('logistic-first'), '--input', at('rest.jsonl'), '--schema', join(ROOT, 'schemas/ne-weather.json')], /does not fit this input's schema: schema field "label" differs/],
    [['run', '--input', at('rest.jsonl'), '--load-model', at('nothing-here')], /nothing-here\/onthefly\.json: not found/],
    [['run', '--input', at('rest.jsonl'), '--save-model', at('rest.jsonl')], /rest\.jsonl: cannot save a model there \(not a directory\)/],
  ];
  for (const [args, message] of cases) {
    const r = cli(args);
    assert.equal(r.code, 1, `${args.join(' ')}: ${r.stderr}`);
    assert.match(r.stderr, message);
    assert.equal(r.stderr.trim().split('\n').length, 1, r.stderr);
    assert.equal(r.stdout, '');
  }
  const usage = cli(['run', '--load-model', at('logistic-first'), '--model', 'mlp']);
  assert.equal(usage.code, 2);
  assert.match(usage.stderr, /--load-model takes the learner options from the saved model; drop --model/);
  assert.equal(cli(['predict', '--input', at('rest.jsonl')]).code, 2);
});

test('run --save-model and predict never load TensorFlow.js (the files are written without it)', () => {
  const script = `
    const run = require(${JSON.stringify(join(__dirname, '../../src/cli/run.js'))});
    const predict = require(${JSON.stringify(join(__dirname, '../../src/cli/predict.js'))});
    const out = process.stdout.write.bind(process.stdout);
    process.stdout.write = (chunk, cb) => { if (typeof cb === 'function') cb(); return true; };
    (async () => {
      await run.main(['--events', '600', '--model', 'mlp', '--save-model', ${JSON.stringify(at('notf'))}]);
      await predict.main(['--model', ${JSON.stringify(at('notf'))}, '--input', ${JSON.stringify(at('rest.jsonl'))}]);
      out(JSON.stringify(Object.keys(require.cache).filter((k) => /tensorflow/.test(k))));
    })();`;
  const r = spawnSync(process.execPath, ['-e', script], { encoding: 'utf8' });
  assert.equal(r.status, 0, r.stderr);
  assert.deepEqual(JSON.parse(r.stdout), []);
  assert.ok(readFileSync(join(at('notf'), 'model.json'), 'utf8').includes('"layers-model"'));
});
