import { test } from 'node:test';
import assert from 'node:assert/strict';
import { lambdaExplorer, type ExplorerRun } from '../../src/show/lambda-explorer';
import { OptionError } from '../../src/options/option-error';
import type { PlotlyTrace } from '../../src/show/figure';

const HOSTILE = '<img src=x onerror=alert(1)>';
const LAMBDAS = [1, 0, 0.1];
const SEEDS: (string | number)[] = [1, 2, HOSTILE];

/** A distinct, recognisable series per (λ, seed). */
function run(lambda: number, seed: string | number, s: number): ExplorerRun {
  const series = Array.from({ length: 5 }, (_, i) => ({ index: (i + 1) * 100, f1: 0.1 * s + lambda / 100 + i / 1000, accuracy: 0.5 + 0.01 * s + lambda / 1000, bayesF1: 0.9 - 0.01 * s }));
  return { lambda, seed, result: { rolling: { window: 100, series }, metrics: { f1: 0.6 + 0.01 * s - lambda / 100, accuracy: 0.7 }, constraints: { violationRate: 0.1 / (1 + lambda) + s / 1000 } } };
}
const RUNS = LAMBDAS.flatMap((l) => SEEDS.map((seed, s) => run(l, seed, s)));

type Step = { label: string; method: string; args: [Record<string, unknown[]>, Record<string, unknown>] };
type Button = { label: string; method: string; args: [Record<string, unknown[]>] };
const slider = (fig: ReturnType<typeof lambdaExplorer>) => (fig.layout.sliders as { active: number; steps: Step[] }[])[0]!;
const menu = (fig: ReturnType<typeof lambdaExplorer>) => (fig.layout.updatemenus as { active: number; buttons: Button[] }[])[0]!;

/** What a front-end draws after the slider step and the menu button were applied (plotly's restyle semantics). */
function shown(fig: ReturnType<typeof lambdaExplorer>, step: number, button: number): PlotlyTrace[] {
  const data = fig.data.map((t) => ({ ...t }));
  for (const [attr, values] of Object.entries(slider(fig).steps[step]!.args[0])) data.forEach((t, k) => { t[attr] = values[k]; });
  for (const [attr, values] of Object.entries(menu(fig).buttons[button]!.args[0])) data.forEach((t, k) => { t[attr] = values[k]; });
  return data.filter((t) => t.visible === true && t.opacity === 1);
}

test('every (λ, seed) is one slider step and one menu choice away; the panels show exactly that run', () => {
  const fig = lambdaExplorer(RUNS);
  const sorted = [...LAMBDAS].sort((a, b) => a - b);
  assert.deepEqual(slider(fig).steps.map((s) => s.label), sorted.map(String));
  assert.deepEqual(menu(fig).buttons.map((b) => b.label), ['seed 1', 'seed 2', `seed ${HOSTILE.replace(/</g, '&lt;').replace(/>/g, '&gt;')}`]);
  assert.equal(fig.data.length, SEEDS.length * LAMBDAS.length * 2 + SEEDS.length + 2 + SEEDS.length * 2);
  sorted.forEach((lambda, i) => {
    SEEDS.forEach((seed, j) => {
      const expected = run(lambda, seed, j).result;
      const top = shown(fig, i, j).filter((t) => t.xaxis === undefined);
      assert.deepEqual(top.map((t) => t.name), ['rolling F1', 'rolling accuracy', 'rolling F1 (Bayes ceiling)'], `λ ${lambda}, seed ${j}`);
      assert.deepEqual(top[0]!.y, expected.rolling.series.map((p) => Number(p.f1.toPrecision(5))));
      assert.deepEqual(top[1]!.y, expected.rolling.series.map((p) => Number(p.accuracy.toPrecision(5))));
      assert.deepEqual(top[0]!.x, [100, 200, 300, 400, 500]);
      const bottom = shown(fig, i, j).filter((t) => t.xaxis === 'x2');
      assert.equal(bottom.length, 4, 'sweep means and the chosen seed\'s points');
      const seedF1 = bottom.find((t) => String(t.name).startsWith('F1, seed'))!;
      assert.deepEqual(seedF1.y, sorted.map((l) => Number(run(l, seed, j).result.metrics.f1.toPrecision(5))));
      // The legend lists what is drawn, nothing of the hidden λ values.
      const legend = fig.data.map((t, k) => slider(fig).steps[i]!.args[0].showlegend![k]);
      assert.equal(legend.filter((v, k) => v === true && fig.data[k]!.xaxis === undefined).length, 2 * SEEDS.length + SEEDS.length);
      assert.deepEqual(slider(fig).steps[i]!.args[1], { 'shapes[0].x0': `λ = ${lambda}`, 'shapes[0].x1': `λ = ${lambda}` });
    });
  });
  // The sweep means are over the seeds.
  const mean = fig.data.find((t) => String(t.name).startsWith('F1, mean'))!;
  assert.deepEqual(mean.y, sorted.map((l) => Number((SEEDS.reduce<number>((a, _s, j) => a + run(l, _s, j).result.metrics.f1, 0) / SEEDS.length).toPrecision(5))));
});

test('the initial view is the first λ and seed (or those chosen), matching the slider and the menu', () => {
  const fig = lambdaExplorer({ runs: RUNS }, { lambda: 0.1, seed: 2 });
  assert.equal(slider(fig).active, 1);
  assert.equal(menu(fig).active, 1);
  const drawn = fig.data.filter((t) => t.visible === true && t.opacity === 1 && t.xaxis === undefined);
  assert.deepEqual(drawn[0]!.y, run(0.1, 2, 1).result.rolling.series.map((p) => Number(p.f1.toPrecision(5))));
  const first = lambdaExplorer(RUNS);
  assert.equal(slider(first).active, 0);
  assert.equal(menu(first).active, 0);
  assert.deepEqual(JSON.parse(JSON.stringify(first)), first, 'plain JSON: no functions, nothing lost');
});

test('untrusted text is escaped for plotly: title, seeds in the menu and the legend', () => {
  const fig = lambdaExplorer(RUNS, { title: `explore ${HOSTILE}` });
  const text = JSON.stringify(fig);
  assert.ok(!text.includes('<img'), 'no raw markup anywhere in the figure');
  assert.equal(fig.layout.title?.text, 'explore &lt;img src=x onerror=alert(1)&gt;');
});

test('bad input is one OptionError line', () => {
  const fails = (fn: () => unknown, option: string, re: RegExp) =>
    assert.throws(fn, (e: unknown) => e instanceof OptionError && e.option === option && re.test(e.message));
  fails(() => lambdaExplorer([]), 'runs', /non-empty/);
  fails(() => lambdaExplorer([...RUNS, run(0, 1, 0)]), 'runs', /two runs for λ = 0, seed 1/);
  fails(() => lambdaExplorer(RUNS.slice(1)), 'runs', /no run for λ = 1, seed 1/);
  fails(() => lambdaExplorer(RUNS, { lambda: 5 }), 'lambda', /not one of/);
  fails(() => lambdaExplorer(RUNS, { seed: 9 }), 'seed', /not one of/);
  fails(() => lambdaExplorer([{ ...run(0, 1, 0), lambda: NaN }]), 'runs', /finite/);
});
