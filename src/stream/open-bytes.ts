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

/** How much of the start of an input is checked for binary content (see {@link openBytes}). */
export const SNIFF_BYTES = 1 << 16;

/** Why bytes of a text input look binary, or null (`offset`: where they start in the input). */
function binaryReason(head: Buffer, offset: number, gzip: boolean): string | null {
  if (offset === 0 && !gzip && head.length >= 2 && head[0] === 0x1f && head[1] === 0x8b) return 'gzip-compressed data (name the file with a .gz suffix)';
  if (offset === 0 && head.length >= 2 && ((head[0] === 0xff && head[1] === 0xfe) || (head[0] === 0xfe && head[1] === 0xff))) return 'UTF-16 text (only UTF-8 is read; convert the file)';
  const nul = head.indexOf(0);
  if (nul >= 0) return `binary data (a NUL byte at byte ${offset + nul}), not text`;
  return null;
}

/** A zlib or file-system error while reading `label`, as one line naming it. */
function readFailure(label: string, err: unknown, gzip: boolean): SourceError {
  if (err instanceof SourceError) return err;
  const e = err as NodeJS.ErrnoException;
  if (gzip && typeof e.code === 'string' && e.code.startsWith('Z_')) {
    return new SourceError(`${label}: not valid gzip data (${e.message}${e.code === 'Z_BUF_ERROR' ? ': the file is truncated' : ''})`);
  }
  return new SourceError(`cannot read input ${label}: ${e.code ?? e.message}`);
}

/**
 * The bytes of a path (gunzipped when it ends in .gz) or of stdin for `-`; throws SourceError at once
 * when unreadable (`checked`: the input's checkInput result, when the caller has it already).
 * While reading, every failure is a {@link SourceError} naming the input: a read error (`cannot read
 * input FILE: EIO`), corrupt or truncated gzip data (`FILE: not valid gzip data (…)`), and a start that
 * is not text — a NUL byte, a UTF-16 byte-order mark, or gzip data in a file not named .gz within the
 * first 64 KB ({@link SNIFF_BYTES}) — so a binary file fails within its first chunk instead of being
 * read whole.
 */
export function openBytes(input: string, checked?: ReturnType<typeof checkInput>): AsyncIterable<Buffer | string> {
  const fmt = checked ?? checkInput(input);
  const label = input === '-' ? 'stdin' : input;
  let stream: AsyncIterable<Buffer | string>;
  if (input === '-') stream = process.stdin;
  else {
    const file = createReadStream(input, { highWaterMark: 1 << 16 });
    if (fmt.gzip) {
      const gunzip = createGunzip();
      file.on('error', (err) => gunzip.destroy(err)); // pipe() does not forward the source's errors
      stream = file.pipe(gunzip);
    } else stream = file;
  }
  return checkedBytes(stream, label, fmt.gzip);
}

async function* checkedBytes(stream: AsyncIterable<Buffer | string>, label: string, gzip: boolean): AsyncGenerator<Buffer | string> {
  let sniffed = 0;
  try {
    for await (const chunk of stream) {
      if (sniffed < SNIFF_BYTES) {
        const buf = (typeof chunk === 'string' ? Buffer.from(chunk.slice(0, SNIFF_BYTES)) : chunk).subarray(0, SNIFF_BYTES - sniffed);
        const why = binaryReason(buf, sniffed, gzip);
        if (why !== null) throw new SourceError(`${label}: ${why}`);
        sniffed += buf.length;
      }
      yield chunk;
    }
  } catch (err) {
    throw readFailure(label, err, gzip);
  }
}
