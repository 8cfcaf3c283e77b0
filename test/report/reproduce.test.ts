import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { reproduce } from '../../src/report/reproduce';
import { comparisonStudy, forgettingStudy, lambdaSweep, mainRun, type ComparisonRow } from '../../src/report/studies';

test('reproduce: table, figures with titles and axis labels, self-contained report', async () => {
  const messages: string[] = [];
  const r = await reproduce({ events: 600, seeds: [1, 2], lambdas: [0, 1], onProgress: (m) => messages.push(m), constraintGains: { scenarios: ['stationary'], seeds: [1, 2], events: 600 } });
  assert.deepEqual(r.constraintGains!.rows.map((g) => g.setting), ['λ = 0', 'λ = 10', 'auto', 'wrong, λ = 10']);
  assert.match(r.html, /Where constraints help/);
  assert.match(r.html, /wrong, λ = 10/);
  assert.equal(r.paperRows.length, 5);
  assert.match(r.markdown, /\| metric \| paper \(reported\) \| this run \| Bayes ceiling \|/);
  assert.match(r.markdown, /\| F1 \| 0\.68 \| 0\.\d{3} \| 0\.\d{3} \|/);
  assert.equal(r.csv.split('\r\n')[0], 'metric,paper,thisRun,bayesCeiling,majorityBaseline,noChangeBaseline');
  assert.equal(r.sweep.rows.length, 2);
  assert.equal(r.forgetting.length, 4);
  assert.ok(r.comparison.some((c) => c.configuration.startsWith('Bayes ceiling')));
  for (const [name, fig] of Object.entries(r.figures)) {
    assert.ok(fig.layout.title?.text, `${name} has a title`);
    const xaxis = fig.layout.xaxis as { title: { text: string } };
    const yaxis = fig.layout.yaxis as { title: { text: string } };
    assert.ok(xaxis.title.text && yaxis.title.text, `${name} has axis labels`);
    assert.ok(fig.data.length > 0, `${name} has data`);
  }
  assert.equal((r.html.match(/class="otf-plot"/g) ?? []).length, 4);
  assert.ok(messages.length >= 1 + 4 + 8 + 6, `progress messages: ${messages.length}`);
});

test('onthefly reproduce --out DIR writes the five files and prints the table; progress on stderr', () => {
  const dir = mkdtempSync(join(tmpdir(), 'otf-repro-'));
  try {
    const cli = join(__dirname, '..', '..', 'src', 'cli', 'main.js');
    const res = spawnSync(process.execPath, [cli, 'reproduce', '--out', dir, '--events', '500', '--seeds', '1', '--lambdas', '0,1'], { encoding: 'utf8' });
    assert.equal(res.status, 0, res.stderr);
    for (const f of ['paper-table.md', 'paper-table.csv', 'report.html', 'figures.json', 'results.json']) assert.ok(existsSync(join(dir, f)), f);
    assert.equal(res.stdout, readFileSync(join(dir, 'paper-table.md'), 'utf8'));
    assert.match(res.stderr, /main run/);
    const figures = JSON.parse(readFileSync(join(dir, 'figures.json'), 'utf8'));
    assert.deepEqual(Object.keys(figures).sort(), ['forgetting', 'paper', 'rolling', 'sweep']);
    const bad = spawnSync(process.execPath, [cli, 'reproduce', '--scenario', 'nope'], { encoding: 'utf8' });
    assert.equal(bad.status, 2);
    assert.match(bad.stderr, /unknown scenario/);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('reproduce on one pool with shared streams equals each study run on its own in this thread, metric for metric', async () => {
  const options = { events: 900, seeds: [1, 2], lambdas: [0, 1], lambda: 0.1 };
  const r = await reproduce({ ...options, workers: 2, constraintGains: false });
  // (a run the pool takes from an identical one of another study carries that one's spelling of its options in `config`)
  const untimed = (x: { timing: unknown; config: unknown }): unknown => ({ ...x, timing: undefined, config: undefined });
  const noTiming = (row: ComparisonRow): unknown => ({ ...row, trainMsPerBatchP50: undefined, eventsPerSec: undefined });
  const alone = { ...options, workers: 1 };
  assert.deepEqual(untimed(r.main), untimed(await mainRun(alone)));
  const sweep = await lambdaSweep(alone);
  assert.deepEqual(r.sweep.runs.map((x) => untimed(x.result)), sweep.runs.map((x) => untimed(x.result)));
  assert.deepEqual(r.sweep.rows.map((x) => ({ ...x, trainMsPerBatchP50: undefined, eventsPerSec: undefined })), sweep.rows.map((x) => ({ ...x, trainMsPerBatchP50: undefined, eventsPerSec: undefined })));
  assert.deepEqual(r.forgetting, await forgettingStudy(alone));
  assert.deepEqual(r.comparison.map(noTiming), (await comparisonStudy(alone)).rows.map(noTiming));
});
