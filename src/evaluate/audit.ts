import { closeSync, createReadStream, fstatSync, ftruncateSync, openSync, existsSync } from 'node:fs';
import { readLines } from '../stream/read-lines';
import { FileError, fileError } from './file-error';
import { writeAllAt } from './write-all-at';
import { PrequentialCollector, type CollectorOptions } from './collector';
import type { MetricsSummary, Outcome } from './summary';

/** One audit log line: everything known about one event after its prequential step. */
export interface AuditLine {
  /** Event id (schema `id` field, else `line-<n>`). */
  id: string;
  /** 1-based position in the source. */
  line: number;
  /** Event time, epoch ms. */
  time: number;
  /** Dedup fingerprint. */
  fingerprint: string;
  /** Dedup group id. */
  group: number;
  duplicate: boolean;
  /** Predicted P(critical = 1) before learning from the event (NaN is written as null and read back as NaN). */
  p: number;
  pred: 0 | 1;
  label: 0 | 1;
  oracle: number | null;
  regime: string | null;
  /** Model version (learning steps done) that made the prediction. */
  version: number;
  /** Labels (of novel events) the learner had been given at the prediction: the fair baselines use them. Absent in older logs. */
  learned?: number;
  /** Prediction latency in microseconds. */
  latency_us: number;
  violation: boolean;
  /**
   * With a drift detector only, on the event at whose label it fired: "warning" (a background learner
   * started) or "drift" (the learner was replaced). Absent otherwise.
   */
  drift?: 'warning' | 'drift';
}

/** Options of {@link AuditWriter}. */
export interface AuditWriterOptions {
  /** Keep the file's content and write after it (resume). Default false: the file is truncated. */
  append?: boolean;
  /**
   * With `append`: cut the file to this byte offset first (a checkpoint's `bytesWritten`), dropping lines
   * written after the checkpoint. Throws if the file is shorter (the checkpoint does not belong to it).
   */
  truncateTo?: number;
  /** Characters buffered before a write to disk. Default 65536. */
  bufferChars?: number;
}

/** A JSON number, or null for NaN/±Infinity (which JSON cannot hold). */
function num(x: number): string {
  return x - x === 0 ? String(x) : 'null';
}

/** Strings that need no JSON escaping (the common case) are written as is. */
const SAFE = /^[\x20-\x21\x23-\x5b\x5d-\x7e]*$/;
function str(s: string): string {
  return s.length < 200 && SAFE.test(s) ? `"${s}"` : JSON.stringify(s);
}

/** One audit line as JSON (with the trailing newline). Field order is fixed. */
export function formatAuditLine(a: AuditLine): string {
  return `{"id":${str(a.id)},"line":${num(a.line)},"time":${num(a.time)},"fingerprint":${str(a.fingerprint)},"group":${num(a.group)},` +
    `"duplicate":${a.duplicate ? 'true' : 'false'},"p":${num(a.p)},"pred":${a.pred === 1 ? 1 : 0},"label":${a.label === 1 ? 1 : 0},` +
    `"oracle":${a.oracle === null || a.oracle === undefined ? 'null' : num(a.oracle)},"regime":${a.regime === null || a.regime === undefined ? 'null' : str(a.regime)},` +
    `"version":${num(a.version)},${a.learned === undefined ? '' : `"learned":${num(a.learned)},`}"latency_us":${num(a.latency_us)},"violation":${a.violation ? 'true' : 'false'}` +
    `${a.drift === 'warning' || a.drift === 'drift' ? `,"drift":"${a.drift}"` : ''}}\n`;
}

/**
 * Buffered, synchronous-write JSONL audit log (one line per event). `write` never blocks on I/O until the
 * buffer is full; `flush()` writes the buffer; `bytesWritten` flushes and returns the file's length in bytes —
 * record it in a checkpoint, and resume with `{ append: true, truncateTo: bytesWritten }`.
 */
export class AuditWriter {
  readonly path: string;
  private fd: number | null;
  private buf = '';
  private offset: number;
  private readonly bufferChars: number;

  constructor(path: string, options: AuditWriterOptions = {}) {
    this.path = path;
    this.bufferChars = options.bufferChars ?? 65536;
    try {
      if (options.append) {
        this.fd = openSync(path, existsSync(path) ? 'r+' : 'w+');
        const size = fstatSync(this.fd).size;
        if (options.truncateTo !== undefined) {
          const t = options.truncateTo;
          if (!Number.isInteger(t) || t < 0 || t > size) {
            closeSync(this.fd);
            throw new FileError(`audit log ${path} has ${size} bytes, cannot resume at offset ${t} (it is not the file the checkpoint was written with)`);
          }
          ftruncateSync(this.fd, t);
          this.offset = t;
        } else {
          this.offset = size;
        }
      } else {
        this.fd = openSync(path, 'w');
        this.offset = 0;
      }
    } catch (err) {
      throw fileError('open', 'audit log', path, err);
    }
  }

  write(line: AuditLine): void {
    this.buf += formatAuditLine(line);
    if (this.buf.length >= this.bufferChars) this.flush();
  }

  /** Write the buffer to the file now (synchronously). */
  flush(): void {
    if (this.buf.length === 0) return;
    if (this.fd === null) throw new FileError(`audit log ${this.path} is closed`);
    const b = Buffer.from(this.buf, 'utf8');
    this.buf = '';
    writeAllAt(this.fd, b, this.offset, 'audit log', this.path);
    this.offset += b.length;
  }

  /** Bytes in the file after everything written so far (flushes first). */
  get bytesWritten(): number {
    this.flush();
    return this.offset;
  }

  /** Flush and close. Idempotent. */
  async close(): Promise<void> {
    if (this.fd === null) return;
    try {
      this.flush();
    } finally {
      closeSync(this.fd);
      this.fd = null;
    }
  }
}

function bad(path: string, line: number, why: string): Error {
  return new Error(`${path}:${line}: not an audit line (${why})`);
}

/** Read an audit log back, line by line (streamed). Throws on a line that is not an audit line. */
export async function* readAudit(path: string): AsyncGenerator<AuditLine> {
  const stream = createReadStream(path, { highWaterMark: 1 << 16 });
  for await (const l of readLines(stream, 1 << 20)) {
    if (l.text === null) throw bad(path, l.line, 'over 1 MB');
    if (l.text.trim() === '') continue;
    let o: Record<string, unknown>;
    try {
      o = JSON.parse(l.text);
    } catch (err) {
      throw bad(path, l.line, `malformed JSON: ${(err as Error).message}`);
    }
    if (typeof o !== 'object' || o === null || Array.isArray(o)) throw bad(path, l.line, 'not an object');
    if ((o.label !== 0 && o.label !== 1) || (o.pred !== 0 && o.pred !== 1)) throw bad(path, l.line, 'label and pred must be 0 or 1');
    if (o.p === null) o.p = NaN;
    else if (typeof o.p !== 'number') throw bad(path, l.line, 'p must be a number');
    if (o.oracle !== null && typeof o.oracle !== 'number') throw bad(path, l.line, 'oracle must be a number or null');
    if (o.regime !== null && typeof o.regime !== 'string') throw bad(path, l.line, 'regime must be a string or null');
    if (typeof o.duplicate !== 'boolean' || typeof o.violation !== 'boolean') throw bad(path, l.line, 'duplicate and violation must be booleans');
    if (o.drift !== undefined && o.drift !== 'warning' && o.drift !== 'drift') throw bad(path, l.line, 'drift must be "warning" or "drift"');
    if (o.learned !== undefined && !(typeof o.learned === 'number' && Number.isInteger(o.learned) && o.learned >= 0)) throw bad(path, l.line, 'learned must be a non-negative integer');
    yield o as unknown as AuditLine;
  }
}

/** The collector's view of an audit line (the pipeline builds the same Outcome from the same values). */
export function auditOutcome(a: AuditLine): Outcome {
  const o: Outcome = { label: a.label, p: a.p, pred: a.pred, oracle: a.oracle, regime: a.regime, violation: a.violation, duplicate: a.duplicate };
  if (typeof a.learned === 'number') o.learned = a.learned;
  return o;
}

/** Recompute the prequential metrics from an audit log: equal to the run's when the options are equal. */
export async function evaluateAudit(path: string, options: CollectorOptions = {}): Promise<MetricsSummary> {
  const c = new PrequentialCollector(options);
  for await (const a of readAudit(path)) c.update(auditOutcome(a));
  return c.summary();
}
