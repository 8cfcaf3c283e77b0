/** `onthefly run`: one prequential run; `--json` prints exactly one JSON object on stdout. */
import { ModelError } from '../learn/export/saved-model';
import { SourceError } from '../stream/source';
import { FileError } from '../evaluate/file-error';
import { runExperiment, StrictModeError } from '../evaluate/run-experiment';
import { numberOption, parseArgs, UsageError } from './args';
import { EXPERIMENT_ARGS, EXPERIMENT_HELP, experimentFromArgs } from './experiment-args';
import { formatRun } from './format-run';
import { progressPrinter } from './progress';
import { escapeTerminal, jsonForTerminal } from '../show/escape-terminal';
import { closeSync, openSync, writeFileSync } from 'node:fs';
import { curveCsv } from '../report/curve-csv';

const HELP = `usage: onthefly run [--input FILE|-] [--schema FILE] [--scenario NAME --events N --seed S]
                   [--lambda L] [--model logistic|mlp|naive-bayes|hoeffding-tree|hat|arf|auto] [--drift none|adwin|page-hinkley|ddm]
                   [--batch B] [--replay R] [--consolidation C]
                   [--no-dedup] [--audit FILE] [--rejects FILE] [--curve FILE] [--checkpoint DIR [--resume]] [--json]
                   [--load-model DIR] [--save-model DIR]

Test-then-train: every event is predicted by the current model before its label is used; only
novel events (after dedup) are learned from. Prints the metrics beside the Bayes ceiling and baselines.

${EXPERIMENT_HELP}output:
  --audit FILE            one JSONL line per event (id, group, duplicate, p, prediction, label, version, latency…);
                          with --drift, "drift": "warning"|"drift" on the events whose label raised one (each
                          line is then written once its event's label reached the model)
  --curve FILE            the rolling series (every --window events) as CSV: index,f1,accuracy,bayesF1
  --rejects FILE          every rejected record with its line number and reason
  --strict                stop at the first rejected record (exit 1)
  --checkpoint DIR        save the whole state to DIR every --checkpoint-every events (default 10000);
                          DIR is locked while the run uses it (a second run on it exits 1)
  --resume                continue from the checkpoint in DIR (checked first: a damaged state.json, or an
                          input that is not the same stream — shorter, changed — is refused, exit 1)
  --json                  print one JSON object on stdout (progress and warnings go to stderr)
models (docs/design.md §11):
  --save-model DIR        after the run (or at a stop by signal), save the model: DIR/onthefly.json
                          (schema, feature state, options, state) and, for logistic and mlp,
                          DIR/model.json + weights.bin (a TensorFlow.js LayersModel)
  --load-model DIR        start from the model saved in DIR (its learner options; its schema unless --schema)

SIGTERM or SIGINT (Ctrl-C) stops reading: the events read so far are predicted and logged, the audit
log and rejects are flushed, a checkpoint is written (with --checkpoint; continue with --resume), one
line goes to stderr and the exit code is 0. A second signal exits at once (130 for SIGINT, 143 for SIGTERM).
`;

/** Learner options that a loaded model brings itself. */
const LEARNER_OPTIONS = ['model', 'hidden', 'optimizer', 'lr', 'lambda', 'replay', 'replay-size', 'consolidation', 'consolidation-kind', 'class-weight', 'engine', 'drift'];

export async function main(argv: string[]): Promise<number> {
  const args = parseArgs(argv, {
    values: [...EXPERIMENT_ARGS.values, 'audit', 'rejects', 'curve', 'checkpoint', 'checkpoint-every', 'save-model', 'load-model'],
    flags: [...EXPERIMENT_ARGS.flags, 'json', 'strict', 'resume', 'help'],
  });
  if (args.flags.get('help')) {
    process.stdout.write(HELP);
    return 0;
  }
  if (args.positional.length > 0) throw new UsageError(`unexpected argument "${args.positional[0]}" (see onthefly run --help)`);
  const checkpoint = args.values.get('checkpoint');
  if (args.flags.get('resume') && checkpoint === undefined) throw new UsageError('--resume needs --checkpoint DIR');
  const loadModel = args.values.get('load-model');
  if (loadModel !== undefined) {
    const given = LEARNER_OPTIONS.find((name) => args.values.has(name));
    if (given) throw new UsageError(`--load-model takes the learner options from the saved model; drop --${given}`);
  }
  const experiment = experimentFromArgs(args);
  // A loaded model reads the stream with its own schema unless --schema names another one.
  if (loadModel !== undefined && !args.values.has('schema')) delete experiment.schema;
  const curve = args.values.get('curve');
  if (curve !== undefined) {
    // Fail before the run, not after it: an unwritable --curve must not cost the run.
    try {
      closeSync(openSync(curve, 'w'));
    } catch (err) {
      process.stderr.write(`onthefly run: --curve ${escapeTerminal(curve)}: cannot write (${escapeTerminal((err as NodeJS.ErrnoException).code ?? String(err))})\n`);
      return 1;
    }
  }
  const progress = progressPrinter('onthefly run');
  // The first SIGTERM/SIGINT stops the run cleanly; a second one exits at once.
  const stop = new AbortController();
  let signalled: NodeJS.Signals | null = null;
  const onSignal = (sig: NodeJS.Signals): void => {
    if (signalled !== null) process.exit(sig === 'SIGINT' ? 130 : 143);
    signalled = sig;
    stop.abort();
  };
  process.on('SIGTERM', onSignal);
  process.on('SIGINT', onSignal);
  try {
    const result = await runExperiment({
      ...experiment,
      loadModel,
      saveModel: args.values.get('save-model'),
      audit: args.values.get('audit'),
      rejects: args.values.get('rejects'),
      strict: args.flags.get('strict') === true,
      checkpoint,
      checkpointEvery: numberOption(args, 'checkpoint-every', 10_000, { integer: true, min: 1 }),
      resume: args.flags.get('resume') === true,
      onProgress: progress,
      signal: stop.signal,
    });
    progress.done();
    for (const w of result.warnings) process.stderr.write(`onthefly run: warning: ${escapeTerminal(w)}\n`);
    if (result.stopped) {
      const where = checkpoint === undefined ? '' : `; checkpoint in ${escapeTerminal(checkpoint)}, continue with --resume`;
      process.stderr.write(`onthefly run: stopped by ${signalled ?? 'signal'} after ${result.events} events, all of them predicted and logged${where}\n`);
      // A stdin that stays open must not keep the process alive.
      if (args.values.get('input') === '-') process.stdin.destroy();
    } else if (result.rejected > 0 && !args.values.has('rejects')) {
      process.stderr.write(`onthefly run: ${result.rejected} records rejected; pass --rejects FILE to keep them with their reasons\n`);
    }
    if (curve !== undefined) writeFileSync(curve, curveCsv(result.rolling.series));
    process.stdout.write(args.flags.get('json') ? `${jsonForTerminal(result)}\n` : formatRun(result));
    return 0;
  } catch (err) {
    progress.done();
    if (err instanceof StrictModeError || err instanceof SourceError || err instanceof FileError || err instanceof ModelError) {
      process.stderr.write(`onthefly run: ${escapeTerminal(err.message)}
`);
      return 1;
    }
    throw err;
  } finally {
    process.off('SIGTERM', onSignal);
    process.off('SIGINT', onSignal);
  }
}
