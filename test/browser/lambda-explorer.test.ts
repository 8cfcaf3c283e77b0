/**
 * The λ explorer in Chromium, with no kernel: a page with the figure (plotly.js inlined, as in a notebook's
 * HTML export). Clicking a step of the λ slider and picking a seed in the menu change the plotted lines;
 * going back restores them; the seed's hostile text shows as text.
 */
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync, rmSync } from 'fs';
import { tmpdir } from 'os';
import { join } from 'path';
import type { Browser } from 'playwright-core';
import { lambdaExplorer, type ExplorerRun } from '../../src/show/lambda-explorer';
import { figureHtml } from '../../src/show/figure-html';
import { plotlyScriptTag } from '../../src/show/plotly-bundle';
import { skipBrowser, launch, openFile, waitForPlots, drawnLines, sliderValue, sliderValueSettled, selectSliderStep, pickMenuItem } from './browser';

const HOSTILE = '<img src=x onerror="window.__pwned=1;alert(1)">';
const skip = skipBrowser();
let browser: Browser;
let dir: string;

function runs(): ExplorerRun[] {
  const out: ExplorerRun[] = [];
  [0, 0.1, 1, 10].forEach((lambda, i) => {
    [1, 2, HOSTILE].forEach((seed, s) => {
      const series = Array.from({ length: 12 }, (_, k) => ({
        index: (k + 1) * 500, f1: 0.4 + 0.03 * i + 0.05 * s + 0.02 * Math.sin(k + i + s), accuracy: 0.6 + 0.02 * i - 0.01 * s + 0.01 * Math.cos(k * (i + 1)), bayesF1: 0.8 + 0.01 * s,
      }));
      out.push({ lambda, seed, result: { rolling: { window: 500, series }, metrics: { f1: 0.6 - 0.02 * i + 0.01 * s, accuracy: 0.7 }, constraints: { violationRate: 0.2 / (1 + i) } } });
    });
  });
  return out;
}

before(async () => {
  if (skip) return;
  dir = mkdtempSync(join(tmpdir(), 'otf-explorer-'));
  browser = await launch();
});
after(async () => {
  await browser?.close();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

test('λ explorer: clicking a slider step and picking a seed change the plotted data, without a kernel', { skip }, async () => {
  const file = join(dir, 'explorer.html');
  writeFileSync(file, `<!doctype html><html><head><meta charset="utf-8"></head><body>${plotlyScriptTag()}${figureHtml(lambdaExplorer(runs()), { id: 'explorer' })}</body></html>`);
  const { page, log } = await openFile(browser, file, { width: 1100, height: 1000 });
  assert.equal(await waitForPlots(page, 1), 1);
  const plot = '#explorer';
  const start = await drawnLines(page, plot);
  assert.ok(start.length > 0, 'lines drawn');
  assert.equal(await sliderValue(page, plot), 'λ = 0');

  await selectSliderStep(page, plot, '1');
  await page.waitForFunction(`${JSON.stringify(start)} !== (${drawnLinesSource(plot)})`, undefined, { timeout: 15_000 });
  assert.equal(await sliderValueSettled(page, plot, 'λ = 1'), 'λ = 1');
  const atOne = await drawnLines(page, plot);
  assert.notEqual(atOne, start, 'moving the slider changed the plotted data');

  await pickMenuItem(page, plot, `seed ${HOSTILE}`);
  await page.waitForFunction(`${JSON.stringify(atOne)} !== (${drawnLinesSource(plot)})`, undefined, { timeout: 15_000 });
  assert.notEqual(await drawnLines(page, plot), atOne, 'picking a seed changed the plotted data');
  assert.equal(await sliderValue(page, plot), 'λ = 1', 'the seed menu keeps the chosen λ');
  const text = (await page.evaluate(`[...document.querySelectorAll('${plot} svg text')].map((t) => t.textContent).join('\\n')`)) as string;
  assert.ok(text.includes(`seed ${HOSTILE}`), `the hostile seed shows as literal text (menu and legend): ${text.slice(0, 400)}`);

  await pickMenuItem(page, plot, 'seed 1');
  await selectSliderStep(page, plot, '0');
  await page.waitForFunction(`${JSON.stringify(start)} === (${drawnLinesSource(plot)})`, undefined, { timeout: 15_000 });
  assert.equal(await drawnLines(page, plot), start, 'back to λ = 0, seed 1: the first view again');

  assert.equal(await page.evaluate('window.__pwned'), undefined);
  assert.equal(await page.evaluate("document.querySelectorAll('img').length"), 0);
  assert.deepEqual(log.dialogs, []);
  assert.deepEqual(log.errors, []);
  await page.close();
});

/** drawnLines as a page expression, for waitForFunction. */
function drawnLinesSource(plot: string): string {
  return `[...document.querySelectorAll(${JSON.stringify(`${plot} .subplot.xy .scatterlayer g.trace`)})]
    .filter((t) => getComputedStyle(t).opacity !== '0' && t.style.display !== 'none')
    .map((t) => { const l = t.querySelector('path.js-line'); return l ? l.getAttribute('d') : ''; }).join('|')`;
}
