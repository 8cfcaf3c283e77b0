// Report and notebook benchmarks: `onthefly reproduce` wall clock at its defaults (main run, λ × 3 seeds,
// forgetting × 3 seeds, comparison: 31 runs of 20,000 events), the sizes of report.html and of the
// committed notebook (budget 2 MB), and the time to render the report page. Uses the built dist/.
import { spawnSync } from 'node:child_process';
import { createRequire } from 'node:module';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';

const require = createRequire(import.meta.url);
const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

export async function run() {
  const out = fs.mkdtempSync(path.join(os.tmpdir(), 'otf-bench-report-'));
  try {
    const t0 = process.hrtime.bigint();
    const res = spawnSync(process.execPath, [path.join(root, 'dist', 'cli', 'main.js'), 'reproduce', '--out', out], { encoding: 'utf8' });
    const wall = Number(process.hrtime.bigint() - t0) / 1e9;
    if (res.status !== 0) throw new Error(`reproduce failed: ${res.stderr.slice(-2000)}`);
    const reportBytes = fs.statSync(path.join(out, 'report.html')).size;
    const notebook = path.join(root, 'notebooks', 'demo.ipynb');
    const nbBytes = fs.existsSync(notebook) ? fs.statSync(notebook).size : NaN;

    const { renderReport } = require('../dist/report/render-report');
    const { lineFigure } = require('../dist/show/figure');
    const x = Array.from({ length: 20000 }, (_, i) => i);
    const figures = Array.from({ length: 10 }, (_, k) => lineFigure({ title: `f${k}`, x: { label: 'x' }, y: { label: 'y' }, series: [{ name: 's', x, y: x.map((v) => Math.sin(v / 100 + k)) }] }));
    renderReport({ title: 'warm-up', sections: [{ title: 's', figures }] });
    const t1 = process.hrtime.bigint();
    const reps = 20;
    for (let i = 0; i < reps; i++) renderReport({ title: 'bench', sections: [{ title: 's', figures }] });
    const renderMs = Number(process.hrtime.bigint() - t1) / 1e6 / reps;

    return [
      { name: 'onthefly reproduce (defaults: 31 runs × 20k events), wall clock', value: +wall.toFixed(1), unit: 's', note: 'includes Node start-up; progress on stderr' },
      { name: 'report.html size (plotly.js basic inlined once, 4 figures, 4 tables)', value: +(reportBytes / 1e6).toFixed(3), unit: 'MB' },
      { name: 'committed notebooks/demo.ipynb size (default run outputs)', value: +(nbBytes / 1e6).toFixed(3), unit: 'MB', target: '< 2 MB' },
      { name: 'renderReport with 10 figures × 20k points (thinned to 400)', value: +renderMs.toFixed(1), unit: 'ms' },
    ];
  } finally {
    fs.rmSync(out, { recursive: true, force: true });
  }
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  for (const row of await run()) console.log(`${row.name}: ${row.value} ${row.unit}${row.target ? ` (target ${row.target})` : ''}`);
}
