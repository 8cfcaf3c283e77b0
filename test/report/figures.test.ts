import { test } from 'node:test';
import assert from 'node:assert/strict';
import { rollingFigure } from '../../src/report/figures';
import type { RunResult } from '../../src/evaluate/run-result';

const series = [1000, 2000, 3000].map((index) => ({ index, f1: 0.6, accuracy: 0.8 }));
const result = (drift: RunResult['drift']) => ({ rolling: { window: 1000, f1: 0.6, accuracy: 0.8, series }, drift }) as unknown as RunResult;

test('rollingFigure marks a run\'s drift detections (solid, "drift") and warnings (dotted) at their events; none without a detector', () => {
  const fig = rollingFigure(result({ detector: 'adwin', detections: [2100], warnings: [2050] }));
  const shapes = fig.layout.shapes as { xref: string; x0: number; line: { dash: string } }[];
  const vertical = shapes.filter((s) => s.xref === 'x');
  assert.deepEqual(vertical.map((s) => [s.x0, s.line.dash]), [[2050, 'dot'], [2100, 'solid']]);
  assert.ok((fig.layout.annotations as { text: string }[]).some((a) => a.text === 'drift'));
  const plain = rollingFigure(result(null));
  assert.equal((plain.layout.shapes as { xref: string }[]).filter((s) => s.xref === 'x').length, 0);
  // A result from before drift{} existed (no field) draws no marker either.
  const old = rollingFigure({ rolling: { window: 1000, f1: 0.6, accuracy: 0.8, series } } as unknown as RunResult);
  assert.equal((old.layout.shapes as { xref: string }[]).filter((s) => s.xref === 'x').length, 0);
});
