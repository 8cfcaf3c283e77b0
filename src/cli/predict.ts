/** `onthefly predict`: score a stream with a saved model, one JSON line per accepted record. */
import { closeSync, openSync, writeSync } from 'node:fs';
import { RejectsWriter } from '../evaluate/rejects-writer';
import { loadModel, readSavedModel } from '../learn/export/load-model';
import { ModelError } from '../learn/export/saved-model';
import { schemaOption } from './schema-option';
import { openSourceBatches, SourceError } from '../stream/source';
import type { Learner } from '../learn/learner';
import type { Schema } from '../types';
import { parseArgs, UsageError } from './args';

const HELP = `usage: onthefly predict --model DIR --input FILE|- [--schema FILE] [--out FILE] [--rejects FILE] [--strict]

Scores every record of FILE with the model saved in DIR (by \`onthefly run --save-model DIR\`) and
writes one JSON line per accepted record: {"id", "line", "p", "prediction"} (p = P(critical = 1),
prediction = p ≥ 0.5). The model does not learn; records are read and validated as by run, except
that they need no label.

  --model DIR        the saved model (DIR/onthefly.json)
  --input FILE|-     .jsonl, .json array or .csv; - = JSONL on stdin
  --schema FILE      how to read FILE (default: the model's schema); its label and feature fields must
                     be the model's
  --out FILE         write the predictions to FILE instead of stdout
  --rejects FILE     every rejected record with its line number and reason
  --strict           stop at the first rejected record (exit 1)

Exit codes: 0 ok, 1 unreadable input or model, or a rejected record with --strict, 2 usage error.
`;

/** Predictions written per write. */
const BATCH = 1024;

export async function main(argv: string[]): Promise<number> {
  const args = parseArgs(argv, { values: ['model', 'input', 'schema', 'out', 'rejects'], flags: ['strict', 'help'] });
  if (args.flags.get('help')) {
    process.stdout.write(HELP);
    return 0;
  }
  if (args.positional.length > 0) throw new UsageError(`unexpected argument "${args.positional[0]}" (see onthefly predict --help)`);
  const dir = args.values.get('model');
  const input = args.values.get('input');
  if (dir === undefined) throw new UsageError('predict needs --model DIR (see onthefly predict --help)');
  if (input === undefined) throw new UsageError('predict needs --input FILE (see onthefly predict --help)');
  let schema: Schema | undefined = schemaOption(args);
  const fail = (message: string): number => {
    process.stderr.write(`onthefly predict: ${message}\n`);
    return 1;
  };
  let learner: Learner;
  try {
    schema ??= readSavedModel(dir).schema;
    learner = (await loadModel(dir, { schema })).learner;
  } catch (err) {
    if (err instanceof ModelError) return fail(err.message);
    throw err;
  }
  const outFile = args.values.get('out');
  let fd: number | null = null;
  let rejects: RejectsWriter | null = null;
  let source: ReturnType<typeof openSourceBatches> | null = null;
  let written = 0;
  let rejected = 0;
  try {
    // Records to score need no label (one that is there is read and checked as by run).
    source = openSourceBatches(input, { ...schema, label: { ...schema.label, required: false } });
    if (outFile !== undefined) {
      try {
        fd = openSync(outFile, 'w');
      } catch (err) {
        throw new UsageError(`cannot open --out ${outFile}: ${(err as Error).message}`);
      }
    }
    const rejectsFile = args.values.get('rejects');
    if (rejectsFile !== undefined) {
      try {
        rejects = new RejectsWriter(rejectsFile);
      } catch (err) {
        throw new UsageError(`cannot open --rejects ${rejectsFile}: ${(err as Error).message}`);
      }
    }
    const emit = async (text: string): Promise<void> => {
      if (fd !== null) writeSync(fd, text);
      else await new Promise<void>((resolve, reject) => process.stdout.write(text, (err) => (err ? reject(err) : resolve())));
    };
    let pending: { id: string; line: number; fields: Record<string, unknown> }[] = [];
    const flush = async (): Promise<void> => {
      if (pending.length === 0) return;
      const probs = learner.predictMany(pending.map((r) => r.fields));
      let text = '';
      pending.forEach((r, i) => {
        const p = probs[i]!;
        text += `${JSON.stringify({ id: r.id, line: r.line, p, prediction: p >= 0.5 ? 1 : 0 })}\n`;
      });
      written += pending.length;
      pending = [];
      await emit(text);
    };
    for await (const items of source) {
      for (const item of items) {
        if ('rejected' in item) {
          rejected++;
          if (args.flags.get('strict')) {
            await flush();
            return fail(`${input}: line ${item.rejected.line}: ${item.rejected.reason}`);
          }
          rejects?.write(item.rejected);
        } else {
          pending.push({ id: item.record.id, line: item.record.line, fields: item.record.fields });
          if (pending.length >= BATCH) await flush();
        }
      }
    }
    await flush();
  } catch (err) {
    if (err instanceof SourceError) return fail(err.message);
    throw err;
  } finally {
    if (source && 'close' in source) await source.close();
    if (fd !== null) closeSync(fd);
    rejects?.close();
    learner.dispose();
  }
  if (rejected > 0 && !args.values.has('rejects')) {
    process.stderr.write(`onthefly predict: ${rejected} records rejected; pass --rejects FILE to keep them with their reasons\n`);
  }
  if (outFile !== undefined) process.stderr.write(`onthefly predict: ${written} predictions written to ${outFile}\n`);
  return 0;
}
