import { StringDecoder } from 'node:string_decoder';
import type { Row, Schema } from '../types';
import type { ReadOptions } from './read-jsonl';
import { validateRow, type Validated } from './validate';

/** The CSV header is unusable (empty, duplicate column). Thrown: the whole source is unusable. */
export class CsvHeaderError extends Error {
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
 * character, text after a closing quote is appended.
 * A record's line number is the physical line where it starts (the header is line 1). Blank lines are
 * skipped and counted nowhere. Rejected: a row whose field count differs from the header's, a record
 * over the cap (never buffered whole), a quoted field still open at end of file ("unterminated quote").
 * Each row is a null-prototype object keyed by the header, so a `__proto__` column cannot pollute anything
 * (validation then rejects such rows: "forbidden key").
 * Throws {@link CsvHeaderError} on a duplicate or empty header.
 */
export async function* readCsv(stream: AsyncIterable<Buffer | string>, schema: Schema, options: ReadOptions = {}): AsyncGenerator<Validated> {
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
  const out: Validated[] = [];

  const endRecord = (): void => {
    const line = recLine;
    if (overflow) {
      const raw = fields.map(csvQuote).join(',').slice(0, 1000);
      if (header) out.push({ rejected: { line, reason: `record over ${max} bytes (about ${recChars} characters)`, raw } });
      else throw new CsvHeaderError(`CSV header over ${max} bytes`);
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
        } else {
          const raw = fields.map(csvQuote).join(',');
          if (recChars * 3 > max && Buffer.byteLength(raw) > max) {
            out.push({ rejected: { line, reason: `record over ${max} bytes (${Buffer.byteLength(raw)} bytes)`, raw: raw.slice(0, 1000) } });
          } else if (fields.length !== header.length) {
            out.push({ rejected: { line, reason: `CSV row has ${fields.length} fields, the header has ${header.length}`, raw: raw.slice(0, 1000) } });
          } else {
            const row: Row = Object.create(null);
            for (let k = 0; k < header.length; k++) row[header[k]] = fields[k];
            out.push(validateRow(row, line, schema, raw));
          }
        }
      }
    }
    fields = [];
    field = '';
    quotedAny = false;
    recChars = 0;
    overflow = false;
    state = S.FieldStart;
    recLine = physLine;
  };

  const addChars = (n: number): void => {
    recChars += n;
    if (!overflow && recChars > max + 1) {
      overflow = true;
      // keep only a short head of what was read, for the reject's raw text
      fields.push(field.slice(0, 1000));
      field = '';
    }
  };

  const scan = (s: string): void => {
    let i = 0;
    const n = s.length;
    if (first && n > 0) {
      first = false;
      if (s.charCodeAt(0) === 0xfeff) i = 1;
    }
    while (i < n) {
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
            if (d === 34) break;
            if (d === 10) physLine++;
            j++;
          }
          if (!overflow) field += s.slice(i, j);
          addChars(j - i);
          if (j < n) {
            state = S.QuoteInQuoted;
            addChars(1);
          }
          i = j + 1;
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
          } else {
            state = S.Unquoted; // lenient: text after a closing quote is appended
          }
          continue;
      }
    }
  };

  for await (const chunk of stream) {
    scan(typeof chunk === 'string' ? chunk : decoder.write(chunk));
    for (let k = 0; k < out.length; k++) yield out[k];
    out.length = 0;
  }
  scan(decoder.end());
  if ((state as S) === S.Quoted) {
    const raw = [...fields, field].map(csvQuote).join(',').slice(0, 1000);
    if (!header) throw new CsvHeaderError('CSV header: unterminated quote at end of file');
    out.push({ rejected: { line: recLine, reason: 'unterminated quote at end of file', raw } });
  } else if ((state as S) !== S.FieldStart || fields.length > 0 || overflow) {
    if ((state as S) === S.Unquoted && !overflow && field.charCodeAt(field.length - 1) === 13) field = field.slice(0, -1);
    endRecord();
  }
  for (const v of out) yield v;
}
