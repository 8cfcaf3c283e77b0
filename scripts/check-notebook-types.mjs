#!/usr/bin/env node
// Type-check a notebook's code cells with strict tsc (tslab itself is not strict and ignores tsconfig).
//
//   node scripts/check-notebook-types.mjs notebooks/demo.ipynb
//
// The code cells are joined, in order, into one TypeScript module written to a temporary folder
// beside the notebook's folder (so `../dist/index` resolves exactly as it does in tslab), then
// checked with `tsc --noEmit --strict` (ES2022 modules, so top-level await is allowed as in tslab).
// Cells therefore must not redeclare a name another cell declared. Magic lines (`%…`) are dropped.
// Exit code 0 when clean, 1 with tsc's messages (mapped back to cell numbers) on stderr.
import { spawnSync } from 'node:child_process';
import { readFileSync, writeFileSync, mkdtempSync, rmSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);

/** Join the code cells; returns { source, lineToCell } (1-based lines → cell index). */
export function extractCells(nb) {
  const lines = ['// Code cells of a notebook, extracted for strict type-checking.', 'export {};'];
  const lineToCell = [null, null];
  nb.cells.forEach((cell, index) => {
    if (cell.cell_type !== 'code') return;
    const text = Array.isArray(cell.source) ? cell.source.join('') : String(cell.source);
    lines.push(`// ---- cell ${index} ----`);
    lineToCell.push(index);
    for (const line of text.split('\n')) {
      lines.push(/^\s*%/.test(line) ? '' : line);
      lineToCell.push(index);
    }
  });
  return { source: lines.join('\n') + '\n', lineToCell };
}

export function checkNotebookTypes(notebookPath) {
  const nbPath = resolve(notebookPath);
  const nb = JSON.parse(readFileSync(nbPath, 'utf8'));
  const { source, lineToCell } = extractCells(nb);
  const dir = mkdtempSync(join(dirname(dirname(nbPath)), '.nbcheck-'));
  try {
    const file = join(dir, 'cells.ts');
    writeFileSync(file, source);
    const tsc = require.resolve('typescript/bin/tsc', { paths: [dirname(nbPath), process.cwd()] });
    const res = spawnSync(process.execPath, [tsc, '--noEmit', '--pretty', 'false',
      '--strict', '--noImplicitOverride', '--noFallthroughCasesInSwitch',
      '--target', 'es2022', '--module', 'es2022', '--moduleResolution', 'node', '--lib', 'es2022',
      '--types', 'node', '--esModuleInterop', '--skipLibCheck', '--resolveJsonModule', file],
    { encoding: 'utf8', cwd: dir, maxBuffer: 16 << 20 });
    const text = (res.stdout ?? '') + (res.stderr ?? '');
    const messages = text.split('\n').filter(Boolean).map((line) => {
      const m = /cells\.ts\((\d+),(\d+)\): (.*)$/.exec(line);
      if (!m) return line;
      const lineNo = Number(m[1]);
      const cell = lineToCell[lineNo - 1];
      let first = lineNo; // line number inside the cell
      while (first > 1 && lineToCell[first - 2] === cell) first--;
      return `cell ${cell}, line ${lineNo - first}, col ${m[2]}: ${m[3]}`;
    });
    return { ok: res.status === 0, messages, cells: nb.cells.filter((c) => c.cell_type === 'code').length };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

if (process.argv[1] && resolve(process.argv[1]) === resolve(new URL(import.meta.url).pathname)) {
  const path = process.argv[2];
  if (!path) { process.stderr.write('usage: check-notebook-types.mjs NOTEBOOK\n'); process.exit(2); }
  const r = checkNotebookTypes(path);
  for (const m of r.messages) process.stderr.write(m + '\n');
  process.stderr.write(`check-notebook-types: ${r.cells} code cells, ${r.ok ? 'ok' : 'FAILED'}\n`);
  process.exitCode = r.ok ? 0 : 1;
}
