// `npm run bench`: runs every bench/*.mjs (each exports `async run()` → rows), prints one table and
// writes bench/results.json. Rows: { name, value, unit, target?, peer?, note? }; `target` is a string
// such as ">= 1000000" or "<= 2" checked against `value`.
import { execFileSync } from 'node:child_process';
import { readdirSync, writeFileSync } from 'node:fs';
import { cpus } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));

// `node bench/run.mjs --one FILE`: run one bench file and print its rows as JSON (used below, so that
// each bench runs in a fresh process and no bench's heap slows the next).
if (process.argv[2] === '--one') {
  const mod = await import(pathToFileURL(join(here, process.argv[3])).href);
  process.stdout.write(JSON.stringify(await mod.run()));
  process.exit(0);
}

const only = process.argv.slice(2);
const files = readdirSync(here)
  .filter((f) => f.endsWith('.mjs') && f !== 'run.mjs')
  .filter((f) => only.length === 0 || only.some((o) => f.includes(o)))
  .sort();

function meets(value, target) {
  const m = /^\s*(>=|<=)\s*([\d.e+]+)/.exec(target ?? '');
  if (!m) return null;
  return m[1] === '>=' ? value >= Number(m[2]) : value <= Number(m[2]);
}

const fmt = (v) => (typeof v !== 'number' ? String(v ?? '') : Math.abs(v) >= 1000 ? Math.round(v).toLocaleString('en-US') : v.toPrecision(3));

const results = [];
for (const f of files) {
  process.stderr.write(`bench: ${f} …\n`);
  const rows = JSON.parse(execFileSync(process.execPath, [fileURLToPath(import.meta.url), '--one', f], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'], maxBuffer: 1 << 26 }));
  for (const row of rows) results.push({ bench: f.replace(/\.mjs$/, ''), ...row, ok: meets(row.value, row.target) });
}

const header = ['benchmark', 'value', 'unit', 'target', 'peer (same run)', 'ok'];
const body = results.map((r) => [r.name, fmt(r.value), r.unit, r.target ?? '', r.peer === undefined ? '' : fmt(r.peer), r.ok === null ? '' : r.ok ? 'yes' : 'NO']);
const width = header.map((_, c) => Math.max(...[header, ...body].map((row) => row[c].length)));
const line = (row) => '| ' + row.map((cell, c) => cell.padEnd(width[c])).join(' | ') + ' |';
const machine = `${cpus().length} × ${cpus()[0]?.model ?? 'cpu'}, node ${process.version}`;
console.log(`onthefly benchmarks — ${machine}\n`);
console.log(line(header));
console.log('|' + width.map((w) => '-'.repeat(w + 2)).join('|') + '|');
for (const row of body) console.log(line(row));
for (const r of results) if (r.note) console.log(`- ${r.name}: ${r.note}`);
writeFileSync(join(here, 'results.json'), JSON.stringify({ machine, date: new Date().toISOString(), results }, null, 2) + '\n');
console.log(`\nwritten: bench/results.json`);
