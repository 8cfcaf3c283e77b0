import { createReadStream, statSync } from 'node:fs';
import { createGunzip } from 'node:zlib';

/** The input cannot be read at all (missing file, unknown extension). Records never throw this. */
export class SourceError extends Error {
  override name = 'SourceError';
}

/** Source formats, chosen from the file name. */
export type SourceFormat = 'jsonl' | 'json' | 'csv';

/**
 * The format of an input path: `.jsonl`/`.ndjson` → jsonl, `.json` → json (a top-level array),
 * `.csv` → csv; each optionally followed by `.gz` (gunzipped on the fly); `-` → jsonl on stdin.
 * Case-insensitive. Anything else → null.
 */
export function formatOf(input: string): { format: SourceFormat; gzip: boolean } | null {
  if (input === '-') return { format: 'jsonl', gzip: false };
  let name = input.toLowerCase();
  const gzip = name.endsWith('.gz');
  if (gzip) name = name.slice(0, -3);
  if (name.endsWith('.jsonl') || name.endsWith('.ndjson')) return { format: 'jsonl', gzip };
  if (name.endsWith('.json')) return { format: 'json', gzip };
  if (name.endsWith('.csv')) return { format: 'csv', gzip };
  return null;
}

/**
 * The format of an input and its size in bytes (0 for stdin); throws SourceError when the format is
 * unknown or the path is not a readable regular file.
 */
export function checkInput(input: string): { format: SourceFormat; gzip: boolean; size: number } {
  const fmt = formatOf(input);
  if (!fmt) throw new SourceError(`${input}: unknown input format (use .jsonl, .ndjson, .json, .csv, optionally .gz, or - for JSON Lines on stdin)`);
  if (input === '-') return { ...fmt, size: 0 };
  try {
    const st = statSync(input);
    if (!st.isFile()) throw new SourceError(`${input}: not a regular file`);
    return { ...fmt, size: st.size };
  } catch (err) {
    if (err instanceof SourceError) throw err;
    throw new SourceError(`cannot read input ${input}: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}`);
  }
}

/**
 * The bytes of a path (gunzipped when it ends in .gz) or of stdin for `-`; throws SourceError at once
 * when unreadable (`checked`: the input's checkInput result, when the caller has it already).
 */
export function openBytes(input: string, checked?: ReturnType<typeof checkInput>): AsyncIterable<Buffer | string> {
  const fmt = checked ?? checkInput(input);
  if (input === '-') return process.stdin;
  const file = createReadStream(input, { highWaterMark: 1 << 16 });
  return fmt.gzip ? file.pipe(createGunzip()) : file;
}
