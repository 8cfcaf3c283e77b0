/**
 * The notebook, end to end: executed headless (nbconvert + tslab, small EVENTS) with no error or
 * stderr output in any cell; its code cells type-checked with strict tsc; its HTML export opened in
 * Chromium (every figure drawn, no console errors, hostile text shown as text); and the executed
 * notebook opened in a real classic Jupyter Notebook 6 server (requirejs on the page), trusted,
 * where every figure must draw too — then run top to bottom from that UI. Skipped only outside CI
 * when Jupyter (or Chromium, for the browser parts) is not installed.
 */
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, copyFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { delimiter, join } from 'node:path';
import type { Browser } from 'playwright-core';
import { launch, openFile, skipBrowser, waitForPlots, selectSliderStep, drawnLines, sliderValue, sliderValueSettled } from '../browser/browser';

const ROOT = join(__dirname, '..', '..', '..');
const NOTEBOOK = join(ROOT, 'notebooks', 'demo.ipynb');
const PYTHON = process.env.ONTHEFLY_PYTHON ?? '/usr/bin/python3';
const HOSTILE = '<img src=x onerror="window.__pwned=1;alert(1)">';

function jupyterMissing(): string | false {
  const res = spawnSync(PYTHON, ['-m', 'nbconvert', '--version'], { encoding: 'utf8' });
  if (res.status === 0) return false;
  return process.env.CI ? false : `${PYTHON} -m nbconvert is not available (set CI=1 to make this a failure)`;
}

const skip = jupyterMissing();
const skipChromium = skip || skipBrowser();
let dir = '';
let executed = '';
let html = '';
let run: { status: number | null; stderr: string } = { status: null, stderr: '' };

type Output = { output_type: string; name?: string; data?: Record<string, unknown>; text?: string | string[] };
type Cell = { cell_type: string; source: string | string[]; outputs?: Output[] };
const text = (s: string | string[] | undefined): string => (Array.isArray(s) ? s.join('') : s ?? '');

before(() => {
  if (skip) return;
  dir = mkdtempSync(join(tmpdir(), 'otf-notebook-'));
  executed = join(dir, 'demo.out.ipynb');
  html = join(dir, 'demo.html');
  const res = spawnSync(process.execPath, [join(ROOT, 'scripts', 'run-notebook.mjs'), NOTEBOOK, '--out', executed, '--html', html], {
    encoding: 'utf8', env: { ...process.env, ONTHEFLY_EVENTS: '3000', ONTHEFLY_SEED: '1', ONTHEFLY_LAMBDA: '0.1', ONTHEFLY_SCENARIO: 'stationary' }, timeout: 240_000,
  });
  run = { status: res.status, stderr: res.stderr ?? String(res.error) };
});

after(() => {
  if (dir) rmSync(dir, { recursive: true, force: true });
});

test('the committed notebook: tslab kernel, imports the built library, outputs of a default run, under 2 MB', () => {
  const nb = JSON.parse(readFileSync(NOTEBOOK, 'utf8')) as { cells: Cell[]; metadata: { kernelspec: { name: string } } };
  assert.equal(nb.metadata.kernelspec.name, 'tslab');
  const code = nb.cells.filter((c) => c.cell_type === 'code');
  assert.ok(code.length >= 8, 'cells 0–7');
  const sources = code.map((c) => text(c.source)).join('\n');
  assert.ok(!/from '\.\.\/src/.test(sources), 'never imports ../src');
  assert.match(sources, /from '\.\.\/dist\/index'/);
  for (const name of ['SEED', 'LAMBDA', 'EVENTS', 'SCENARIO']) assert.match(sources, new RegExp(`param\\('${name}'`));
  assert.ok(statSync(NOTEBOOK).size < 2_000_000, `notebook is ${statSync(NOTEBOOK).size} bytes`);
  const withOutputs = code.filter((c) => (c.outputs ?? []).length > 0).length;
  assert.equal(withOutputs, code.length, 'every code cell keeps its outputs');
  const all = JSON.stringify(nb.cells.map((c) => c.outputs ?? []));
  assert.ok(!/"output_type":\s*"error"/.test(all), 'no error outputs committed');
  assert.match(all, /paper \(reported\)/, "the paper's table is in the outputs");
  assert.equal((all.match(/data-otf-plotly=/g) ?? []).length, 1, 'plotly.js inlined exactly once');
  // The parameters cell is plain constants (one param() per line), the environment overriding them.
  const params = text(code[0]!.source);
  assert.ok(params.split('\n').length <= 12, `parameters cell is short: ${params.split('\n').length} lines`);
  for (const name of ['LAMBDA', 'SEED', 'EVENTS', 'SCENARIO']) assert.match(params, new RegExp(`^const ${name} = param\\('${name}'`, 'm'));
  // A DataFrame as a cell's value and show.table(df): HTML tables, never danfo's internals.
  const frameCell = code.find((c) => /show\.table\(frame/.test(text(c.source)))!;
  assert.ok(frameCell, 'a DataFrame cell');
  const frameOuts = frameCell.outputs ?? [];
  assert.equal(frameOuts.filter((o) => o.data && /<table/.test(text(o.data['text/html'] as string | string[]))).length, 2, 'show.table(df) and the frame as the cell value');
  assert.ok(!/\$data|dataIncolumnFormat/.test(JSON.stringify(frameOuts)), 'no DataFrame internals');
  assert.match(all, /λ explorer/, 'the λ explorer figure is in the outputs');
  assert.match(all, /training — done/, 'the progress line keeps its final state');
});

test('runs headless with ONTHEFLY_EVENTS=3000: no error and no stderr output in any cell', { skip }, () => {
  assert.equal(run.status, 0, run.stderr.slice(-6000));
  const nb = JSON.parse(readFileSync(executed, 'utf8')) as { cells: Cell[] };
  const code = nb.cells.filter((c) => c.cell_type === 'code');
  for (const [i, c] of code.entries()) {
    const outs = c.outputs ?? [];
    assert.ok(outs.length > 0, `code cell ${i} has output`);
    for (const o of outs) {
      assert.notEqual(o.output_type, 'error', `code cell ${i}`);
      assert.ok(!(o.output_type === 'stream' && o.name === 'stderr'), `code cell ${i} wrote to stderr: ${text(o.text)}`);
    }
  }
  const plots = code.flatMap((c) => c.outputs ?? []).filter((o) => o.data && 'application/vnd.plotly.v1+json' in o.data);
  assert.ok(plots.length >= 8, `${plots.length} figures`);
  for (const p of plots) {
    const data = p.data as Record<string, unknown>;
    // nbformat stores multi-line text as a list of lines.
    assert.match(text(data['text/html'] as string | string[]), /class="otf-plot"/, 'each figure also has HTML (classic Notebook, HTML export)');
    const fig = data['application/vnd.plotly.v1+json'] as { layout: { title?: { text?: string } } };
    assert.ok(fig.layout.title?.text, 'each figure has a title');
  }
});

test('code cells type-check with strict tsc', { skip }, () => {
  const res = spawnSync(process.execPath, [join(ROOT, 'scripts', 'check-notebook-types.mjs'), NOTEBOOK], { encoding: 'utf8' });
  assert.equal(res.status, 0, res.stderr);
});

let browser: Browser | undefined;
after(async () => { await browser?.close(); });

test('HTML export in Chromium (lab and classic templates): every figure drawn, no console errors, hostile text shown as text', { skip: skipChromium }, async () => {
  assert.ok(existsSync(html), run.stderr.slice(-3000));
  const classic = join(dir, 'demo-classic.html');
  const res = spawnSync(PYTHON, ['-m', 'nbconvert', '--to', 'html', '--template', 'classic', '--output-dir', dir, '--output', 'demo-classic', executed], { encoding: 'utf8' });
  assert.equal(res.status, 0, res.stderr);
  browser ??= await launch();
  for (const file of [html, classic]) {
    const { page, log } = await openFile(browser, file);
    const expected = ((readFileSync(file, 'utf8').match(/class="otf-plot"/g) ?? []).length);
    assert.ok(expected >= 8, `${expected} plots in ${file}`);
    assert.equal(await waitForPlots(page, expected), expected, file);
    assert.ok(((await page.evaluate('document.body.innerText')) as string).includes(HOSTILE));
    assert.equal(await page.evaluate('window.__pwned'), undefined);
    assert.deepEqual(log.dialogs, []);
    assert.deepEqual(log.errors, [], file);
    // The λ explorer works without a kernel: clicking a step of its slider changes the plotted lines.
    assert.equal(await page.evaluate(`(() => { const el = [...document.querySelectorAll('.otf-plot')].find((p) => p.querySelector('.slider-container')); if (!el) return false; el.id = 'explorer-under-test'; el.scrollIntoView(); return true; })()`), true, `${file}: the λ explorer`);
    const plot = '#explorer-under-test';
    assert.equal(await sliderValue(page, plot), 'λ = 0.1');
    const before = await drawnLines(page, plot);
    await selectSliderStep(page, plot, '10');
    await page.waitForFunction(`(${JSON.stringify(before)}) !== [...document.querySelectorAll('${plot} .subplot.xy .scatterlayer g.trace')].filter((t) => getComputedStyle(t).opacity !== '0').map((t) => { const l = t.querySelector('path.js-line'); return l ? l.getAttribute('d') : ''; }).join('|')`, undefined, { timeout: 10_000 });
    assert.equal(await sliderValueSettled(page, plot, 'λ = 10'), 'λ = 10', file);
    assert.notEqual(await drawnLines(page, plot), before, `${file}: moving the slider changed the plotted data`);
    assert.deepEqual(log.errors, [], file);
    await page.close();
  }
});

/**
 * JUPYTER_PATH with a private "tslab" kernelspec running this checkout's tslab first (as scripts/run-notebook.mjs
 * does), so a "tslab" registered machine-wide for another checkout is not the one the server starts.
 */
function kernelPath(): string {
  const spec = join(dir, 'jupyter', 'kernels', 'tslab');
  mkdirSync(spec, { recursive: true });
  writeFileSync(join(spec, 'kernel.json'), JSON.stringify({
    argv: [join(ROOT, 'scripts', 'tslab-kernel.js'), 'kernel', '--config-path', '{connection_file}'], display_name: 'TypeScript', language: 'typescript',
  }));
  return [join(dir, 'jupyter'), process.env.JUPYTER_PATH].filter(Boolean).join(delimiter);
}

/** Start a classic Notebook 6 server on a free port; resolves with its base URL. */
function startNotebookServer(root: string, notary: string, runtime: string, token: string): Promise<{ child: ChildProcess; url: string }> {
  return new Promise((resolve, reject) => {
    const port = 20000 + Math.floor(Math.random() * 30000);
    const child = spawn(PYTHON, ['-m', 'notebook', '--no-browser', '--allow-root', '--ip=127.0.0.1', `--port=${port}`, '--port-retries=50',
      `--NotebookApp.token=${token}`, `--NotebookNotary.data_dir=${notary}`, `--notebook-dir=${root}`],
    { env: { ...process.env, JUPYTER_RUNTIME_DIR: runtime, JUPYTER_PATH: kernelPath(), ONTHEFLY_EVENTS: '3000', ONTHEFLY_SEED: '1', ONTHEFLY_LAMBDA: '0.1', ONTHEFLY_SCENARIO: 'stationary' }, stdio: ['ignore', 'pipe', 'pipe'], detached: true });
    let log = '';
    const timer = setTimeout(() => reject(new Error(`notebook server did not start:\n${log}`)), 40_000);
    const onData = (b: Buffer) => {
      log += b.toString();
      const m = /(http:\/\/127\.0\.0\.1:\d+\/)/.exec(log);
      if (m) { clearTimeout(timer); resolve({ child, url: m[1] }); }
    };
    child.stdout?.on('data', onData);
    child.stderr?.on('data', onData);
    child.on('exit', (code) => { clearTimeout(timer); reject(new Error(`notebook server exited (${code}):\n${log}`)); });
  });
}

function notebookMissing(): string | false {
  if (skipChromium) return skipChromium;
  const res = spawnSync(PYTHON, ['-c', 'import notebook.notebookapp'], { encoding: 'utf8' });
  if (res.status === 0) return false;
  return process.env.CI ? false : 'classic Notebook 6 (python3 notebook package) not installed';
}

test('classic Notebook 6 (requirejs on the page): the trusted notebook draws every figure, then runs top to bottom in the UI', { skip: notebookMissing() }, async () => {
  // A server root shaped like the repository, so that the notebook's '../dist/index' resolves: notebooks/
  // holds a copy of the executed notebook (the committed one is never touched), dist and node_modules are links.
  const root = join(dir, 'nbroot');
  const notary = join(dir, 'notary');
  const runtime = join(dir, 'runtime');
  for (const d of [join(root, 'notebooks'), notary, runtime]) mkdirSync(d, { recursive: true });
  symlinkSync(join(ROOT, 'dist'), join(root, 'dist'), 'dir');
  symlinkSync(join(ROOT, 'node_modules'), join(root, 'node_modules'), 'dir');
  const copy = join(root, 'notebooks', 'demo.ipynb');
  copyFileSync(executed, copy);
  const sign = spawnSync(PYTHON, ['-c',
    'import sys, nbformat\nfrom nbformat.sign import NotebookNotary\n' +
    'nb = nbformat.read(sys.argv[1], as_version=4)\nn = NotebookNotary(data_dir=sys.argv[2])\nn.sign(nb)\nassert n.check_signature(nb)\n',
    copy, notary], { encoding: 'utf8' });
  assert.equal(sign.status, 0, sign.stderr);
  const token = `otf${Math.random().toString(16).slice(2)}`;
  const { child, url } = await startNotebookServer(root, notary, runtime, token);
  try {
    browser ??= await launch();
    const page = await browser.newPage();
    const errors: string[] = [];
    page.on('console', (m) => { if (m.type() === 'error') errors.push(m.text()); });
    page.on('pageerror', (e) => errors.push(`pageerror: ${e.message}`));
    page.on('dialog', (d) => { errors.push(`dialog: ${d.message()}`); void d.dismiss(); });
    await page.route(/^(?!http:\/\/127\.0\.0\.1|ws:\/\/127\.0\.0\.1|data:|about:)/, (r) => { errors.push(`blocked ${r.request().url()}`); void r.abort(); });
    await page.goto(`${url}notebooks/notebooks/demo.ipynb?token=${token}`, { waitUntil: 'load' });
    await page.waitForFunction('window.IPython && IPython.notebook && IPython.notebook._fully_loaded', undefined, { timeout: 30_000 });
    assert.equal(await page.evaluate('IPython.notebook.trusted'), true);
    assert.equal(await page.evaluate("typeof window.define === 'function' && !!window.define.amd"), true, 'requirejs is on the page');
    const expected = (readFileSync(executed, 'utf8').match(/class=\\"otf-plot\\"/g) ?? []).length;
    assert.ok(expected >= 8);
    assert.equal(await waitForPlots(page, expected), expected, 'saved outputs draw');
    assert.ok(((await page.evaluate('document.body.innerText')) as string).includes(HOSTILE));

    // Now run it as a user would: Cell ▸ Run All, with the kernel the server started (ONTHEFLY_EVENTS=3000 from its environment).
    await page.waitForFunction('IPython.notebook.kernel && IPython.notebook.kernel.is_connected()', undefined, { timeout: 60_000 });
    await page.evaluate('IPython.notebook.clear_all_output(); IPython.notebook.execute_all_cells()');
    await page.waitForFunction(
      "IPython.notebook.get_cells().every((c) => c.cell_type !== 'code' || c.input_prompt_number !== '*')",
      undefined, { timeout: 150_000, polling: 500 });
    const prompts = (await page.evaluate("IPython.notebook.get_cells().filter((c) => c.cell_type === 'code').map((c) => c.input_prompt_number)")) as unknown[];
    assert.ok(prompts.every((p) => typeof p === 'number'), `every code cell ran: ${JSON.stringify(prompts)}`);
    assert.equal(await page.evaluate("document.querySelectorAll('.output_error, .output_stderr').length"), 0, 'no error or stderr output');
    assert.equal(await waitForPlots(page, expected), expected, 'figures of the live run draw');
    assert.ok(((await page.evaluate('document.body.innerText')) as string).includes(HOSTILE));
    assert.equal(await page.evaluate('window.__pwned'), undefined);
    assert.deepEqual(errors, []);
    await page.close();
  } finally {
    const exited = new Promise((r) => child.once('exit', r));
    if (child.pid) { try { process.kill(-child.pid, 'SIGTERM'); } catch { /* gone */ } }
    await Promise.race([exited, new Promise((r) => setTimeout(r, 10_000))]);
    if (child.exitCode === null && child.pid) { try { process.kill(-child.pid, 'SIGKILL'); } catch { /* gone */ } }
  }
});
