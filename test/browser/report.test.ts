import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync, rmSync } from 'fs';
import { tmpdir } from 'os';
import { join } from 'path';
import type { Browser } from 'playwright-core';
import { renderReport } from '../../src/report/render-report';
import { lineFigure, barFigure } from '../../src/show/figure';
import { skipBrowser, launch, openFile, waitForPlots } from './browser';

const HOSTILE = '<img src=x onerror="window.__pwned=1;alert(1)">';
const skip = skipBrowser();
let browser: Browser;
let dir: string;

function report(): string {
  return renderReport({
    title: 'Browser test report',
    sections: [
      { title: 'Events', tables: [{ rows: [{ event_id: 'e1', message: HOSTILE }] }] },
      {
        title: 'Figures',
        figures: [
          lineFigure({ title: `Rolling F1 ${HOSTILE}`, x: { label: 'events', unit: 'count' }, y: { label: 'F1' },
            series: [{ name: HOSTILE, x: [0, 1, 2, 3], y: [0.2, 0.5, 0.6, 0.7] }], references: [{ y: 0.68, label: 'paper' }] }),
          barFigure({ title: 'Incident mix', x: { label: 'incident type' }, y: { label: 'share', unit: '%' },
            categories: ['login_failure', HOSTILE], series: [{ name: 'share', values: [70, 30] }] }),
        ],
      },
    ],
  });
}

before(async () => {
  if (skip) return;
  dir = mkdtempSync(join(tmpdir(), 'otf-browser-'));
  browser = await launch();
});
after(async () => {
  await browser?.close();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

test('report.html: every figure drawn, no console errors, hostile text shown as text', { skip }, async () => {
  const file = join(dir, 'report.html');
  writeFileSync(file, report());
  const { page, log } = await openFile(browser, file);
  assert.equal(await waitForPlots(page, 2), 2);
  const body = (await page.evaluate('document.body.innerText')) as string;
  assert.ok(body.includes(HOSTILE), 'the literal hostile text is visible in the table');
  const svgText = (await page.evaluate("[...document.querySelectorAll('.otf-plot svg text')].map((t) => t.textContent).join('\\n')")) as string;
  assert.ok(svgText.includes('Rolling F1 <img src=x'), `figure title shows the literal text: ${svgText.slice(0, 300)}`);
  assert.equal(await page.evaluate('window.__pwned'), undefined);
  assert.equal(await page.evaluate("document.querySelectorAll('img').length"), 0);
  assert.deepEqual(log.dialogs, []);
  assert.deepEqual(log.errors, []);
  assert.deepEqual(log.requests.filter((u) => !u.startsWith('file:') && !u.startsWith('data:')), []);
});

test('plots draw on a page with an AMD loader (requirejs-style define), as in the classic Notebook', { skip }, async () => {
  // A define() that fails loudly if plotly's UMD header ever takes the AMD branch.
  const amd = '<script>window.define = function () { throw new Error("AMD define called"); }; window.define.amd = {}; window.require = function () {};</script>';
  const html = report().replace('<head>\n', `<head>\n${amd}\n`);
  const file = join(dir, 'report-amd.html');
  writeFileSync(file, html);
  const { page, log } = await openFile(browser, file);
  assert.equal(await waitForPlots(page, 2), 2);
  assert.deepEqual(log.errors, []);
});
