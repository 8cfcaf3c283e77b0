#!/usr/bin/env node
// Writes notebooks/demo.ipynb (no outputs) from the cells below; then fill its outputs with
//   npm run build && node scripts/run-notebook.mjs notebooks/demo.ipynb --in-place
// Edit the cells here (or in Jupyter, then keep this file in step). Code cells are type-checked
// strictly by scripts/check-notebook-types.mjs, so they must not redeclare each other's names.
import { writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { dirname, join } from 'node:path';

const md = (text) => ({ cell_type: 'markdown', metadata: {}, source: text.trim() });
const code = (text) => ({ cell_type: 'code', execution_count: null, metadata: {}, outputs: [], source: text.trim() });

export const CELLS = [
  md(`
# onthefly — on-the-fly incremental learning on event streams

This notebook walks through the pipeline the paper describes — **generation → dedup → test-then-train
→ metrics** — and puts the paper's table beside this library's numbers, the Bayes ceiling and two
baselines. It runs top to bottom under the **tslab** kernel (TypeScript) and imports the built
library (\`npm run build\` first). Change the parameters in the first cell, or run it headless with
environment variables (\`ONTHEFLY_\` + the parameter's name):

\`\`\`
ONTHEFLY_EVENTS=5000 ONTHEFLY_SEED=7 ONTHEFLY_LAMBDA=1 ONTHEFLY_SCENARIO=abrupt jupyter nbconvert --to notebook --execute notebooks/demo.ipynb --output demo.out.ipynb
\`\`\`

Figures are plotly: they render offline in Jupyter Notebook, JupyterLab, VS Code and the HTML export
(see \`docs/figures.md\`). A notebook opened from a code host is *untrusted*: run it (or trust it) to see the figures.
`),
  md('## 0. Parameters'),
  code(`
import { param, SCENARIO_NAMES } from '../dist/index';
// Edit them here. A headless run overrides each with ONTHEFLY_<NAME>, e.g. ONTHEFLY_EVENTS=5000 ONTHEFLY_LAMBDA=1.
const LAMBDA = param('LAMBDA', 0.1);                                 // constraint weight λ of the main run
const SEED = param('SEED', 1);                                       // stream and model seed; the sweeps use SEED, SEED + 1, SEED + 2
const EVENTS = param('EVENTS', 20_000);                              // events per run
const SCENARIO = param('SCENARIO', 'stationary', SCENARIO_NAMES);   // one of SCENARIO_NAMES
({ LAMBDA, SEED, EVENTS, SCENARIO })
`),
  code(`
import {
  show, generateEvents, DedupCenter, createLearner, OnlinePipeline, runExperiment, evaluateAudit, toFrame, valueCounts,
  describe, lineFigure, barFigure, lambdaExplorer, GENERATOR_SCHEMA, type IncidentEvent,
} from '../dist/index';
import {
  PAPER, paperTable, PAPER_TABLE_HEADERS, PAPER_TABLE_FORMAT, mainRun, lambdaSweep, sweepTable, forgettingStudy,
  forgettingTable, comparisonStudy, COMPARISON_HEADERS, rollingFigure, paperFigure, forgettingFigure,
  incidentMixFigure, assetStateFigure, assetsOfKinds,
} from '../dist/report/index';
import { readFileSync, rmSync, mkdtempSync } from 'fs';
import { tmpdir } from 'os';
import { join } from 'path';

const SEEDS = [SEED, SEED + 1, SEED + 2]; // the sweeps' three streams
const SAMPLE = Math.min(EVENTS, 5000);    // events shown in sections 1 and 2
show.setup(); // plotly.js, once, inlined (no network)
`),
  md(`
## 1. Generation: G(θ, ξ; s) → x

Each event comes from a small simulated infrastructure whose assets have physical state (load with a
daily cycle, temperature driven by load, queueing latency, traffic). Every event carries the
ground-truth label \`critical\` and \`oracle_p\`, the exact Bayes posterior of the generator's own model —
neither is ever a feature.
`),
  code(`
const sample: IncidentEvent[] = generateEvents({ scenario: SCENARIO, events: SAMPLE, seed: SEED });
show.table(sample.slice(0, 8), {
  caption: \`The first events of "\${SCENARIO}" (seed \${SEED})\`,
  columns: ['event_id', 'timestamp', 'incident_type', 'severity', 'source', 'source_kind', 'user', 'cpu_load',
    'temperature_c', 'latency_ms', 'failed_logins', 'message', 'critical', 'oracle_p'],
});
// Event text is data: a hostile message is shown as text, never run.
show.table([{ event_id: 'ev-hostile', message: '<img src=x onerror="window.__pwned=1;alert(1)">' }], { caption: 'Escaping check' });
`),
  code(`
show.plot(incidentMixFigure(valueCounts(sample, 'incident_type'), \`Incident-type mix (\${SAMPLE} events)\`));
show.table(describe(sample, ['severity', 'cpu_load', 'temperature_c', 'latency_ms', 'net_bytes', 'failed_logins', 'oracle_p']), {
  caption: 'Summary statistics (danfojs)', digits: 3,
});
`),
  code(`
// A DataFrame (danfojs) as a cell's value is an HTML table, as is show.table(df).
const frame = toFrame(sample, ['event_id', 'incident_type', 'severity', 'cpu_load', 'latency_ms', 'message', 'critical']);
show.table(frame.head(3), { caption: 'show.table(df): the first rows of a DataFrame' });
frame.tail(3)
`),
  code(`
const assets = assetsOfKinds(sample, 3); // the busiest asset of three kinds
show.plot(assetStateFigure(sample, { sources: assets, field: 'cpu_load', label: 'CPU load', unit: 'fraction 0–1' }));
show.plot(assetStateFigure(sample, { sources: assets, field: 'temperature_c', label: 'temperature', unit: '°C' }));
show.plot(assetStateFigure(sample, { sources: assets, field: 'latency_ms', label: 'latency', unit: 'ms' }));
`),
  md(`
## 2. Dedup: a storm

The \`storm\` scenario emits bursts of repeated incidents. The dedup center groups events with the same
fingerprint (incident type, source, user) within a 5-minute window; only the first event of a group —
the novel one — is trained on, every event is still predicted and scored.
`),
  code(`
const storm: IncidentEvent[] = generateEvents({ scenario: 'storm', events: SAMPLE, seed: SEED });
const center = new DedupCenter({ key: ['incident_type', 'source', 'user'], windowMs: 300_000 });
for (const e of storm) center.observe({ ...e }, Date.parse(e.timestamp), e.event_id);
const dedupStats = center.stats();
show.table([{ events: dedupStats.events, unique: dedupStats.unique, duplicates: dedupStats.duplicates, groups: dedupStats.groups,
  evictions: dedupStats.evictions, compression: dedupStats.compression }], { caption: 'Dedup of the storm', digits: 4 });
const largest = center.groups().sort((a, b) => b.count - a.count || a.id - b.id).slice(0, 10).map((g) => ({
  group: g.id, fingerprint: g.fingerprint, events: g.count, representative: g.representative,
  'first seen': new Date(g.firstSeen).toISOString(), 'span (s)': (g.lastSeen - g.firstSeen) / 1000,
}));
show.table(largest, { caption: 'The ten largest groups' });
const bySize = new Map<number, number>();
for (const g of center.groups()) bySize.set(g.count, (bySize.get(g.count) ?? 0) + 1);
const sizes = [...bySize.keys()].sort((a, b) => a - b);
show.plot(barFigure({
  title: \`Group sizes in the storm (compression \${dedupStats.compression.toFixed(2)}×)\`,
  x: { label: 'events in the group' }, y: { label: 'groups', unit: 'count', type: 'log' },
  categories: sizes.map(String), series: [{ name: 'groups', values: sizes.map((s) => bySize.get(s) ?? 0) }],
}));
`),
  md(`
## 3. Step-wise training (test, then train)

One event at a time through an \`OnlinePipeline\` (the core of \`runExperiment\`): each event is predicted by
the current model the moment it arrives (*test*); its label follows and is scored; the novel events
(dedup) are learned from, 256 at a time (*train*). The progress line is one display, updated in place.
`),
  code(`
const model = await createLearner({ schema: GENERATOR_SCHEMA, lambda: LAMBDA, seed: SEED });
const pipeline = new OnlinePipeline({ learner: model, batch: 256, window: 1000 });
const training = show.progress({ title: 'training', total: EVENTS, unit: 'events' });
const curve: { events: number; f1: number; rolling: number; bayes: number }[] = [];
for (const { critical, ...event } of generateEvents({ scenario: SCENARIO, events: EVENTS, seed: SEED })) {
  const out = pipeline.process(event);                         // test: predicted before its label exists
  if (!('rejected' in out)) pipeline.label(out.id, critical);  // then the label: scored, learned from if novel
  if (pipeline.counts().events % 500 === 0) {
    const s = pipeline.metrics();
    curve.push({ events: s.events, f1: s.metrics.f1, rolling: s.rolling.f1, bayes: s.bayes?.f1 ?? NaN });
    await training.update(s.events, \`F1 \${s.metrics.f1.toFixed(3)} · rolling F1 \${s.rolling.f1.toFixed(3)} · model version \${pipeline.version}\`);
  }
}
pipeline.flush();
model.dispose();
training.done(\`F1 \${pipeline.metrics().metrics.f1.toFixed(3)}, \${pipeline.counts().learned} events learned in \${pipeline.version} steps\`, EVENTS);
show.plot(lineFigure({
  title: 'Step-wise training: cumulative and rolling F1', x: { label: 'events seen', unit: 'count' }, y: { label: 'F1', unit: '0–1', range: [0, 1] },
  series: [
    { name: 'cumulative F1', x: curve.map((c) => c.events), y: curve.map((c) => c.f1) },
    { name: 'rolling F1 (1000 events)', x: curve.map((c) => c.events), y: curve.map((c) => c.rolling), dash: 'dot' },
    { name: 'Bayes ceiling F1 (cumulative)', x: curve.map((c) => c.events), y: curve.map((c) => c.bayes), dash: 'dash' },
  ],
  references: [{ y: PAPER.f1, label: \`paper F1 \${PAPER.f1}\` }],
}));
`),
  md(`
## 4. The paper's table

The same pipeline run end to end by \`runExperiment\` (what \`onthefly run\` and \`onthefly reproduce\`
use): the paper's reported numbers, this run, the **Bayes ceiling** (the generator's exact
posterior ≥ 0.5, scored on the same events) and two prequential baselines (majority class so far;
previous label). The paper's F1 (0.68) is not the harmonic mean of its precision and recall (≈ 0.76).
`),
  code(`
const main = await mainRun({ scenario: SCENARIO, events: EVENTS, seed: SEED, lambda: LAMBDA });
show.table(paperTable(main), { headers: PAPER_TABLE_HEADERS, format: PAPER_TABLE_FORMAT,
  caption: \`The paper's table beside this run (\${SCENARIO}, \${EVENTS} events, seed \${SEED}, λ = \${LAMBDA}, \${main.backend})\` });
const m = main.metrics;
show.table([{ precision: m.precision, recall: m.recall, f1: m.f1, accuracy: m.accuracy, 'ROC AUC': m.rocAuc, 'log loss': m.logLoss, Brier: m.brier }],
  { caption: 'Every prequential metric of this run (ROC AUC, log loss and Brier score from the predicted probabilities)' });
show.plot(paperFigure(main));
show.plot(rollingFigure(main));
`),
  md(`
## 5. λ and seeds

The constraint weight λ in L = E[L_task] + λ · E[Σ ℓ_c]: each λ over the same three streams (seeds),
mean ± std. An MLP is used here because it can break the constraints (a logistic model on these
features hardly does). The explorer below holds every run: move the **λ slider** and pick a **seed** to
see that run's rolling metrics and where it sits in the sweep — no kernel needed (it works in the HTML
export too).
`),
  code(`
const sweeping = show.progress({ title: 'λ sweep', total: 4 * SEEDS.length, unit: 'runs' });
const sweep = await lambdaSweep({ scenario: SCENARIO, events: EVENTS, seeds: SEEDS,
  onProgress: (m) => { void sweeping.update(Number(/(\\d+)\\//.exec(m)?.[1] ?? 0), m); } });
sweeping.done(\`\${sweep.runs.length} runs\`, sweep.runs.length);
show.table(sweepTable(sweep.rows), { caption: 'λ × seeds: mean ± std over seeds' });
show.plot(lambdaExplorer(sweep, { lambda: 0.1 }));
`),
  md(`
## 6. Forgetting

Scenario \`recurring\` switches regime A → B → A. Accuracy on A is measured at the end of its first
phase and right after the stream returns to it — without and with a replay buffer and consolidation (EWC).
`),
  code(`
const forgetting = await forgettingStudy({ events: EVENTS, seeds: SEEDS });
show.table(forgettingTable(forgetting), { caption: 'Forgetting on recurring: mean ± std over seeds' });
show.plot(forgettingFigure(forgetting));
`),
  md(`
## 7. Comparison and the audit log

Several configurations over the same stream, in one table. Then one run writes its audit log (one
JSON line per event: group, duplicate flag, prediction, label, model version, latency); the metrics
recomputed from the log alone match the run's.
`),
  code(`
const comparison = await comparisonStudy({ scenario: SCENARIO, events: EVENTS, seed: SEED, lambda: LAMBDA });
show.table(comparison.rows, { headers: COMPARISON_HEADERS, caption: 'Comparison over the same stream', digits: 3 });
`),
  code(`
const auditDir = mkdtempSync(join(tmpdir(), 'onthefly-audit-'));
const auditFile = join(auditDir, 'audit.jsonl');
const audited = await runExperiment({ scenario: SCENARIO, events: EVENTS, seed: SEED, learner: { model: 'logistic', lambda: LAMBDA }, audit: auditFile });
const auditLines = readFileSync(auditFile, 'utf8').split('\\n').filter((l) => l.length > 0);
show.table(auditLines.slice(0, 6).map((l) => JSON.parse(l) as Record<string, unknown>), { caption: \`The audit log: first lines of \${auditLines.length}\` });
const fromLog = await evaluateAudit(auditFile);
show.table([
  { source: 'the run', events: audited.events, F1: audited.metrics.f1, accuracy: audited.metrics.accuracy, 'Bayes F1': audited.bayes?.f1 ?? null },
  { source: 'recomputed from the audit log', events: fromLog.events, F1: fromLog.metrics.f1, accuracy: fromLog.metrics.accuracy, 'Bayes F1': fromLog.bayes?.f1 ?? null },
], { caption: 'Metrics from the run and from its audit log', digits: 6 });
rmSync(auditDir, { recursive: true, force: true });
`),
  md(`
## 8. Drift: a detector on the error stream

The \`abrupt\` scenario switches from regime A to regime B halfway. With \`drift: 'adwin'\` (CLI
\`--drift adwin\`) an ADWIN detector watches the model's prequential 0/1 error: a warning starts a
background model, a detection replaces the model by it. The detections are listed in the result
(\`drift.detections\`, event positions) and drawn as vertical lines on the rolling-metric figure.
`),
  code(`
const plain = await runExperiment({ scenario: 'abrupt', events: EVENTS, seed: SEED, learner: { model: 'logistic' } });
const watched = await runExperiment({ scenario: 'abrupt', events: EVENTS, seed: SEED, learner: { model: 'logistic', drift: 'adwin' } });
show.table([
  { model: 'logistic', F1: plain.metrics.f1, accuracy: plain.metrics.accuracy, 'Bayes F1': plain.bayes?.f1 ?? null, detections: '—' },
  { model: 'logistic, drift adwin', F1: watched.metrics.f1, accuracy: watched.metrics.accuracy, 'Bayes F1': watched.bayes?.f1 ?? null,
    detections: (watched.drift?.detections ?? []).join(', ') || 'none' },
], { caption: \`abrupt, \${EVENTS} events (regime B from event \${Math.round(EVENTS / 2)}), seed \${SEED}\`, digits: 4 });
show.plot(rollingFigure(watched, 'Rolling metrics on abrupt with ADWIN (vertical lines: its detections)'));
`),
  md(`
---
\`onthefly reproduce --out out\` runs sections 4–7 from the command line and writes the paper's
table (Markdown, CSV), a self-contained \`report.html\` and the figures' data.
`),
];

export function notebook(cells = CELLS) {
  const lines = (text) => text.split('\n').map((l, i, a) => (i < a.length - 1 ? `${l}\n` : l));
  return {
    cells: cells.map((c, i) => ({ id: `cell-${i}`, ...c, source: lines(c.source) })),
    metadata: {
      kernelspec: { display_name: 'TypeScript', language: 'typescript', name: 'tslab' },
      language_info: { codemirror_mode: { mode: 'typescript', name: 'javascript', typescript: true }, file_extension: '.ts', mimetype: 'text/typescript', name: 'typescript', version: '3.7.2' },
    },
    nbformat: 4,
    nbformat_minor: 5,
  };
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const out = process.argv[2] ?? join(dirname(fileURLToPath(import.meta.url)), '..', 'notebooks', 'demo.ipynb');
  writeFileSync(out, `${JSON.stringify(notebook(), null, 1)}\n`);
  process.stderr.write(`make-demo-notebook: wrote ${out}\n`);
}
