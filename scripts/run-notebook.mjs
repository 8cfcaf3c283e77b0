#!/usr/bin/env node
// Execute a notebook headless with the tslab kernel (nbconvert), then check it:
// any "error" output or any stderr stream in any cell is a failure.
//
//   node scripts/run-notebook.mjs notebooks/demo.ipynb [--out FILE.ipynb] [--html FILE.html] [--timeout SEC] [--in-place]
//
// Parameters reach the notebook as environment variables, ONTHEFLY_ + the name (read by param()):
//   ONTHEFLY_EVENTS=3000 node scripts/run-notebook.mjs notebooks/demo.ipynb --out /tmp/demo.out.ipynb
// Exit code 0 when the notebook ran clean, 1 on errors (listed on stderr), 2 on bad usage.
import { spawnSync } from 'node:child_process';
import { readFileSync, existsSync, mkdtempSync, mkdirSync, writeFileSync, copyFileSync, rmSync } from 'node:fs';
import { dirname, basename, resolve, join, delimiter } from 'node:path';
import { tmpdir } from 'node:os';
import { fileURLToPath } from 'node:url';

export const PYTHON = process.env.ONTHEFLY_PYTHON ?? '/usr/bin/python3';
const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');

/**
 * A private kernelspec named "tslab" that runs THIS checkout's tslab (through scripts/tslab-kernel.js), put
 * first on JUPYTER_PATH: a "tslab" registered machine-wide for another checkout cannot hijack the run.
 * Returns the environment to use and a cleanup function. Without a local tslab, the registered one is used.
 */
export function privateKernelEnv(env = process.env) {
  const binary = join(ROOT, 'scripts', 'tslab-kernel.js');
  if (!existsSync(join(ROOT, 'node_modules', 'tslab'))) return { env, cleanup: () => {} };
  const dir = mkdtempSync(join(tmpdir(), 'otf-kernels-'));
  mkdirSync(join(dir, 'kernels', 'tslab'), { recursive: true });
  writeFileSync(join(dir, 'kernels', 'tslab', 'kernel.json'), JSON.stringify({
    argv: [binary, 'kernel', '--config-path', '{connection_file}'], display_name: 'TypeScript', language: 'typescript',
  }));
  const path = env.JUPYTER_PATH ? `${dir}${delimiter}${env.JUPYTER_PATH}` : dir;
  return { env: { ...env, JUPYTER_PATH: path }, cleanup: () => rmSync(dir, { recursive: true, force: true }) };
}

/** Run nbconvert; returns { status, stderr }. */
function nbconvert(args, opts = {}) {
  const res = spawnSync(PYTHON, ['-m', 'nbconvert', ...args], { encoding: 'utf8', maxBuffer: 64 << 20, ...opts });
  return { status: res.status ?? 1, stderr: (res.stderr ?? '') + (res.error ? String(res.error) : '') };
}

/**
 * Problems found in an executed notebook: error outputs and stderr streams, per cell; and a kernel that
 * ran nothing (no code cell has any output — tslab reports no execution counts, so outputs are the evidence).
 */
export function notebookProblems(nb) {
  const problems = [];
  const code = nb.cells.filter((c) => c.cell_type === 'code' && (Array.isArray(c.source) ? c.source.join('') : String(c.source ?? '')).trim() !== '');
  if (code.length > 0 && code.every((c) => (c.outputs ?? []).length === 0)) {
    problems.push({ cell: -1, kind: 'not run', text: 'no code cell produced any output: did the kernel run at all (check `jupyter kernelspec list`)?' });
  }
  nb.cells.forEach((cell, index) => {
    if (cell.cell_type !== 'code') return;
    for (const out of cell.outputs ?? []) {
      if (out.output_type === 'error') {
        problems.push({ cell: index, kind: 'error', text: `${out.ename}: ${out.evalue}\n${(out.traceback ?? []).join('\n')}` });
      } else if (out.output_type === 'stream' && out.name === 'stderr') {
        problems.push({ cell: index, kind: 'stderr', text: Array.isArray(out.text) ? out.text.join('') : String(out.text) });
      }
    }
  });
  return problems;
}

/**
 * Execute `input` (the notebook's folder is the working directory, as in Jupyter) into `output`.
 * Returns { ok, problems, stderr, seconds }.
 */
export function runNotebook(input, output, { timeout = 900, env = process.env } = {}) {
  const started = Date.now();
  const src = resolve(input);
  const out = resolve(output);
  const kernel = privateKernelEnv(env);
  // nbconvert writes next to the input unless told otherwise; --output-dir + --output name it exactly.
  let res;
  try {
    res = nbconvert([
      '--to', 'notebook', '--execute',
      '--ExecutePreprocessor.kernel_name=tslab',
      `--ExecutePreprocessor.timeout=${timeout}`,
      '--ExecutePreprocessor.allow_errors=True',
      '--output-dir', dirname(out), '--output', basename(out),
      src,
    ], { env: kernel.env, cwd: dirname(src) });
  } finally {
    kernel.cleanup();
  }
  const seconds = (Date.now() - started) / 1000;
  if (res.status !== 0 || !existsSync(out)) {
    return { ok: false, problems: [{ cell: -1, kind: 'nbconvert', text: res.stderr.slice(-4000) }], stderr: res.stderr, seconds };
  }
  const nb = JSON.parse(readFileSync(out, 'utf8'));
  const problems = notebookProblems(nb);
  return { ok: problems.length === 0, problems, stderr: res.stderr, seconds };
}

/** Export an executed notebook to HTML (nbconvert's default "lab" template, outputs as they are). */
export function exportHtml(input, output) {
  const out = resolve(output);
  const res = nbconvert(['--to', 'html', '--output-dir', dirname(out), '--output', basename(out).replace(/\.html$/, ''), resolve(input)]);
  if (res.status !== 0 || !existsSync(out)) throw new Error(`nbconvert --to html failed:\n${res.stderr.slice(-4000)}`);
  return out;
}

function main(argv) {
  const args = { timeout: 900 };
  const rest = [];
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a === '--out') args.out = argv[++i];
    else if (a === '--html') args.html = argv[++i];
    else if (a === '--timeout') args.timeout = Number(argv[++i]);
    else if (a === '--in-place') args.inPlace = true;
    else if (a === '--help' || a === '-h') { process.stdout.write(readFileSync(new URL(import.meta.url)).toString().split('\n').slice(1, 9).join('\n') + '\n'); return 0; }
    else if (a.startsWith('--')) { process.stderr.write(`run-notebook: unknown option ${a}\n`); return 2; }
    else rest.push(a);
  }
  if (rest.length !== 1) { process.stderr.write('usage: run-notebook.mjs NOTEBOOK [--out FILE] [--html FILE] [--timeout SEC] [--in-place]\n'); return 2; }
  const input = rest[0];
  const tmp = mkdtempSync(join(tmpdir(), 'otf-nb-'));
  try {
    const out = args.inPlace ? join(tmp, basename(input)) : resolve(args.out ?? join(tmp, basename(input)));
    process.stderr.write(`run-notebook: executing ${input} (tslab) …\n`);
    const result = runNotebook(input, out, { timeout: args.timeout });
    process.stderr.write(`run-notebook: ${result.seconds.toFixed(1)} s\n`);
    for (const p of result.problems) process.stderr.write(`\n--- cell ${p.cell}: ${p.kind} ---\n${p.text}\n`);
    if (!result.ok) { process.stderr.write(`run-notebook: FAILED (${result.problems.length} problem(s))\n`); return 1; }
    if (args.html) exportHtml(out, args.html);
    if (args.inPlace) { copyFileSync(out, input); process.stderr.write(`run-notebook: outputs written into ${input}\n`); }
    else if (args.out) process.stderr.write(`run-notebook: wrote ${args.out}\n`);
    if (args.html) process.stderr.write(`run-notebook: wrote ${args.html}\n`);
    process.stderr.write('run-notebook: ok\n');
    return 0;
  } finally {
    rmSync(tmp, { recursive: true, force: true });
  }
}

if (process.argv[1] && resolve(process.argv[1]) === resolve(new URL(import.meta.url).pathname)) {
  process.exitCode = main(process.argv.slice(2));
}
