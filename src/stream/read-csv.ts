import { StringDecoder } from 'node:string_decoder';
import type { Row, Schema } from '../types';
import type { ReadOptions } from './read-jsonl';
import { SourceError } from './open-bytes';
import { cleanObject, csvValidator, validateRow, type Validated } from './validate';

/**
 * The CSV header is unusable (empty, duplicate column, over the cap). Thrown: the whole source is
 * unusable; a {@link SourceError}, so the CLI prints its message (openSource prefixes the file name).
 */
export class CsvHeaderError extends SourceError {
  override name = 'CsvHeaderError';
}

const enum S { FieldStart, Unquoted, Quoted, QuoteInQuoted }

/** Quote a field for display in a reject's raw text. */
function csvQuote(f: string): string {
  return /[",\r\n]/.test(f) ? `"${f.replace(/"/g, '""')}"` : f;
}

/**
 * CSV with a header row (RFC 4180), streamed: comma separator, fields optionally in double quotes,
 * quoted fields may hold commas, newlines and doubled quotes (`""`); CRLF or LF line ends; a UTF-8 BOM
 * is skipped; header names are trimmed. Values stay strings — validation converts numbers and repairs
 * empty cells to missing. Lenient where it is harmless: a quote inside an unquoted field is kept as a
 * character, text after a closing quote is appended (except after a multi-line quoted field, see below).
 * A record's line number is the physical line where it starts (the header is line 1). Blank lines are
 * skipped and counted nowhere. Rejected: a row whose field count differs from the header's, a record
 * over the cap (never buffered whole), a quoted field still open at end of file ("unterminated quote").
 *
 * Resynchronisation — one stray quote must not eat the rest of the file. A record whose quoted field
 * runs over a line break is held (up to the cap) until it ends; if it turns out broken, **only its first
 * line is rejected and reading starts again at its second line**, so every later line is read (and
 * counted) as what it is. Broken means: the quote is still open after `maxRecordBytes` (reason
 * "unterminated quote: … still open after N bytes") or at end of file ("unterminated quote: … end of
 * file"), the quote that closes the span is followed by text rather than `,` or a line end (it was the
 * next quoted field's opening quote: "unterminated quote: … seems to close on line M, with text after
 * it"), or the record ends with the wrong number of fields (reason "CSV row has X fields, … (a quote
 * opened on line L closes on line M …)"). A record over the cap on its first line is not held: it ends
 * at its first line break, quoted or not, and reading goes on with the next line. So a well-formed
 * multi-line record is one record; a stray quote costs one rejected line. (A stray quote whose span
 * happens to end with the right field count is read as one multi-line record: the fields' text shows it.)
 *
 * Each row is an object that inherits nothing (cleanObject: no setter for `__proto__` anywhere on its
 * chain), keyed by the header, so a `__proto__` column is an own key that cannot pollute anything
 * (validation then rejects such rows: "forbidden key").
 * Throws {@link CsvHeaderError} on a duplicate or empty header name, a header over the cap (as soon as
 * it passes the cap, not at its end) or a header whose quote never closes.
 */
export async function* readCsv(stream: AsyncIterable<Buffer | string>, schema: Schema, options: ReadOptions = {}): AsyncGenerator<Validated> {
  for await (const batch of readCsvBatches(stream, schema, options)) for (let i = 0; i < batch.length; i++) yield batch[i]!;
}

/**
 * {@link readCsv} in batches: the records of each chunk read (one await per chunk, not per record),
 * the same records, rejects and line numbers in the same order.
 */
export async function* readCsvBatches(stream: AsyncIterable<Buffer | string>, schema: Schema, options: ReadOptions = {}): AsyncGenerator<Validated[]> {
  const out: Validated[] = [];
  const parser = csvParser(schema, options, {
    header(header) {
      // Most rows are accepted straight from their cells (csvValidator), without the row object.
      const cells = csvValidator(schema, header);
      return cells === null ? null : (fields, line) => {
        const v = cells(fields, line);
        if (v === null) return false;
        out.push(v);
        return true;
      };
    },
    item: (v) => out.push(v),
  });
  for await (const chunk of stream) {
    parser.push(chunk);
    if (out.length > 0) yield out.splice(0, out.length);
  }
  parser.end();
  if (out.length > 0) yield out.splice(0, out.length);
}

/** Where a CSV parser puts what it reads (see csvParser). */
export interface CsvSink {
  /**
   * The header is read: a taker of the rows of the header's width (within the cap) from their cells —
   * true when it took the row as validateRow accepts it, false to leave it to validateRow — or null
   * (every row goes through the row object and validateRow).
   */
  header(header: readonly string[]): ((cells: readonly string[], line: number) => boolean) | null;
  /** A reject, or a record validateRow accepted. */
  item(v: Validated): void;
}

/**
 * The CSV reader of {@link readCsv} for one stream, pushed chunk by chunk: every row goes to `sink`,
 * in order (the header is read first; see CsvSink). push() and end() throw {@link CsvHeaderError}.
 */
export function csvParser(schema: Schema, options: ReadOptions, sink: CsvSink): { push(chunk: Buffer | string): void; end(): void } {
  const max = options.maxRecordBytes ?? 65536;
  const decoder = new StringDecoder('utf8');
  let header: string[] | null = null;
  let state: S = S.FieldStart;
  let fields: string[] = [];
  let field = '';
  let quotedAny = false;
  let recChars = 0;
  let overflow = false;
  let physLine = 1; // current physical line
  let recLine = 1; // line where the current record started
  let first = true;
  // A record whose quoted field runs over a line break: the text after its first line is kept in
  // `tail` (earlier chunks) and from `tailStart` in the current chunk, to be read again if it breaks.
  let spanning = false;
  let tail: string[] = [];
  let tailStart = 0;
  let firstLine = ''; // the record's first line, the raw text of its reject
  let resync = ''; // non-empty: the reason to reject the first line and re-read the tail
  /** Takes a row from its cells (see CsvSink.header), once the header is known. */
  let cells: ((cells: readonly string[], line: number) => boolean) | null = null;

  const reset = (): void => {
    fields = [];
    field = '';
    quotedAny = false;
    recChars = 0;
    overflow = false;
    state = S.FieldStart;
    spanning = false;
    if (tail.length > 0) tail = [];
    firstLine = '';
    resync = '';
  };

  const endRecord = (): void => {
    const line = recLine;
    if (overflow) {
      const raw = fields.map(csvQuote).join(',').slice(0, 1000);
      sink.item({ rejected: { line, reason: `record over ${max} bytes (about ${recChars} characters)`, raw } });
    } else {
      fields.push(field);
      const blank = !quotedAny && fields.length === 1 && fields[0].trim() === '';
      if (!blank) {
        if (header === null) {
          header = fields.map((h) => h.trim());
          const seen = new Set<string>();
          header.forEach((h, i) => {
            if (h === '') throw new CsvHeaderError(`CSV header: column ${i + 1} has no name`);
            if (seen.has(h)) throw new CsvHeaderError(`CSV header repeats column "${h}"`);
            seen.add(h);
          });
          cells = sink.header(header);
        } else {
          // The record's text (for a reject's raw and the byte cap) is only built when it can matter.
          const raw = recChars * 3 > max || fields.length !== header.length ? fields.map(csvQuote).join(',') : null;
          const over = raw !== null && recChars * 3 > max && Buffer.byteLength(raw) > max;
          if (spanning && (over || fields.length !== header.length)) {
            // broken multi-line record: the first line is rejected, the rest read again (see above)
            const what = over ? `record over ${max} bytes` : `CSV row has ${fields.length} fields, the header has ${header.length}`;
            resync = `${what} (a quote opened on line ${line} closes on line ${physLine - 1}: line ${line} rejected, reading again from line ${line + 1})`;
            return;
          }
          if (over) {
            sink.item({ rejected: { line, reason: `record over ${max} bytes (${Buffer.byteLength(raw!)} bytes)`, raw: raw!.slice(0, 1000) } });
          } else if (fields.length !== header.length) {
            sink.item({ rejected: { line, reason: `CSV row has ${fields.length} fields, the header has ${header.length}`, raw: raw!.slice(0, 1000) } });
          } else {
            // Most rows are taken straight from their cells; the others (and any row of a header
            // with a forbidden key) go through the row object and validateRow, which says why.
            if (!(raw === null && cells !== null && cells(fields, line))) {
              const row: Row = cleanObject(); // fast-mode, unlike Object.create(null)
              for (let k = 0; k < header.length; k++) row[header[k]] = fields[k];
              const v = validateRow(row, line, schema, raw ?? undefined);
              if (raw === null && 'rejected' in v) v.rejected.raw = fields.map(csvQuote).join(',').slice(0, 1000);
              sink.item(v);
            }
          }
        }
      }
    }
    reset();
    recLine = physLine;
  };

  const addChars = (n: number): void => {
    recChars += n;
    if (recChars > max + 1 && !overflow && resync === '') {
      if (header === null) throw new CsvHeaderError(`CSV header over ${max} bytes`);
      if (spanning) {
        resync = `unterminated quote: the quoted field opened on line ${recLine} is still open after ${max} bytes (line ${recLine} rejected, reading again from line ${recLine + 1})`;
        return;
      }
      overflow = true;
      // keep only a short head of what was read, for the reject's raw text
      fields.push(field.slice(0, 1000));
      field = '';
    }
  };

  const scan = (input: string): void => {
    let s = input;
    let i = 0;
    let n = s.length;
    tailStart = 0;
    if (first && n > 0) {
      first = false;
      if (s.charCodeAt(0) === 0xfeff) i = 1;
    }
    // Next double quote at or after i (-1: none in this text), for the fast path below.
    let quote = s.indexOf('"', i);
    for (;;) {
      if (state === S.FieldStart && fields.length === 0 && field === '' && recChars === 0 && !spanning && !overflow && resync === '' && i < n) {
        // Fast path: a whole line without quotes, short enough that no byte cap can apply, is split at
        // its commas at once; endRecord then sees exactly the fields the loop below would give it.
        const nl = s.indexOf('\n', i);
        if (nl >= 0 && (nl - i) * 3 <= max) {
          if (quote !== -1 && quote < i) quote = s.indexOf('"', i);
          if (quote === -1 || quote > nl) {
            const parts = s.slice(i, nl).split(',');
            let last = parts.pop()!;
            if (last.charCodeAt(last.length - 1) === 13) last = last.slice(0, -1); // the \r of a CRLF
            fields = parts;
            field = last;
            recChars = nl - i;
            i = nl + 1;
            physLine++;
            endRecord();
            continue;
          }
        }
      }
      if (resync !== '') {
        // reject the record's first line and read everything after it again
        const again = tail.join('') + s.slice(tailStart);
        if (header === null) throw new CsvHeaderError(`CSV header: ${resync.slice(0, resync.indexOf(' ('))}`);
        sink.item({ rejected: { line: recLine, reason: resync, raw: firstLine } });
        physLine = recLine + 1;
        recLine = physLine;
        reset();
        s = again;
        n = s.length;
        i = 0;
        quote = s.indexOf('"');
        tailStart = 0;
        continue;
      }
      if (i >= n) break;
      const c = s.charCodeAt(i);
      switch (state) {
        case S.FieldStart:
          if (c === 34 /* " */) {
            state = S.Quoted;
            quotedAny = true;
            addChars(1);
            i++;
            continue;
          }
          state = S.Unquoted;
          continue;
        case S.Unquoted: {
          let j = i;
          while (j < n) {
            const d = s.charCodeAt(j);
            if (d === 44 || d === 10) break;
            j++;
          }
          if (!overflow) field += s.slice(i, j);
          addChars(j - i);
          if (j === n) { i = j; continue; }
          const d = s.charCodeAt(j);
          if (d === 44 /* , */) {
            if (!overflow) fields.push(field);
            field = '';
            state = S.FieldStart;
            addChars(1);
          } else {
            // newline: drop the \r of a CRLF
            if (!overflow && field.charCodeAt(field.length - 1) === 13) field = field.slice(0, -1);
            physLine++;
            endRecord();
          }
          i = j + 1;
          continue;
        }
        case S.Quoted: {
          let j = i;
          while (j < n) {
            const d = s.charCodeAt(j);
            if (d === 34 || d === 10) break;
            j++;
          }
          if (!overflow) field += s.slice(i, j);
          addChars(j - i);
          if (j === n) { i = j; continue; }
          if (s.charCodeAt(j) === 34) {
            state = S.QuoteInQuoted;
            addChars(1);
            i = j + 1;
            continue;
          }
          // a line break inside quotes
          physLine++;
          i = j + 1;
          if (!spanning) {
            if (overflow) {
              // over the cap on its first line: nothing kept to read again, so the record ends here
              endRecord();
              continue;
            }
            spanning = true;
            tailStart = i;
            const open = field.charCodeAt(field.length - 1) === 13 ? field.slice(0, -1) : field;
            firstLine = (fields.length > 0 ? `${fields.map(csvQuote).join(',')},"` : '"') + open.slice(0, 1000);
            firstLine = firstLine.slice(0, 1000);
          }
          if (!overflow) field += '\n';
          addChars(1);
          continue;
        }
        case S.QuoteInQuoted:
          if (c === 34) {
            // doubled quote: a literal "
            if (!overflow) field += '"';
            addChars(1);
            state = S.Quoted;
            i++;
          } else if (c === 44) {
            if (!overflow) fields.push(field);
            field = '';
            state = S.FieldStart;
            addChars(1);
            i++;
          } else if (c === 10) {
            physLine++;
            i++;
            endRecord();
          } else if (c === 13) {
            i++; // CR of a CRLF after a closing quote
          } else if (spanning) {
            // text after the quote that closes a multi-line field: that quote was another field's
            // opening one, and the quote that began the span a stray one
            resync = `unterminated quote: the quote opened on line ${recLine} seems to close on line ${physLine}, with text after it (line ${recLine} rejected, reading again from line ${recLine + 1})`;
          } else {
            state = S.Unquoted; // lenient: text after a closing quote is appended
          }
          continue;
      }
    }
    if (spanning) tail.push(tailStart === 0 ? s : s.slice(tailStart));
  };

  const push = (chunk: Buffer | string): void => scan(typeof chunk === 'string' ? chunk : decoder.write(chunk));
  const end = (): void => {
    scan(decoder.end());
    // End of input; true when a broken multi-line record sent its tail to be read again.
    const finish = (): boolean => {
      if ((state as S) === S.Quoted && spanning) {
        resync = `unterminated quote: the quoted field opened on line ${recLine} is still open at end of file (line ${recLine} rejected, reading again from line ${recLine + 1})`;
        scan('');
        return true;
      }
      if ((state as S) === S.Quoted) {
        if (!header) throw new CsvHeaderError('CSV header: unterminated quote at end of file');
        sink.item({ rejected: { line: recLine, reason: 'unterminated quote at end of file', raw: [...fields, field].map(csvQuote).join(',').slice(0, 1000) } });
        reset();
        return false;
      }
      if ((state as S) !== S.FieldStart || fields.length > 0 || overflow) {
        if ((state as S) === S.Unquoted && !overflow && field.charCodeAt(field.length - 1) === 13) field = field.slice(0, -1);
        physLine++; // the last line ends with the input
        endRecord();
        if (resync !== '') {
          scan('');
          return true;
        }
      }
      return false;
    };
    while (finish());
  };
  return { push, end };
}
