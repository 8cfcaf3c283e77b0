/**
 * Byte-level line splitting with a cap: a line longer than `maxBytes` is never buffered whole — its
 * bytes past the cap are counted and dropped, and the line comes out with `text: null`.
 */

/** One physical line. */
export interface RawLine {
  /** 1-based physical line number. */
  line: number;
  /** The line without its terminator (`\n` or `\r\n`) and, on line 1, without a UTF-8 BOM; null when over the cap. */
  text: string | null;
  /** Size in bytes without the terminator. */
  bytes: number;
  /** When over the cap: the line's first 1,000 characters. */
  head?: string;
}

const HEAD_BYTES = 4000;

/**
 * Reads one line from its bytes, chunk[start, end) (without terminator and BOM), whose decoded text is
 * text[start - off, end - off) with one UTF-16 unit per byte; false: the line is to be emitted as a
 * {@link RawLine} instead.
 */
export type LineScan = (chunk: Buffer, start: number, end: number, text: string, off: number, line: number) => boolean;

/** Push chunks in, get complete lines out through `emit`. */
export class LineSplitter {
  private pending: Buffer[] = [];
  private pendingBytes = 0;
  private overflow = false;
  private overflowBytes = 0;
  private head: Buffer | null = null;
  private lineNo = 0;
  /** The last byte taken was \r (not counted in the size of an over-long line). */
  private lastCR = false;

  constructor(private readonly maxBytes: number) {}

  /**
   * Like {@link push}, but the lines that lie whole within the chunk (and within the cap) are first
   * offered to `scan`, from their bytes: only those it declines are emitted (with the text push would
   * give them). Line numbers and every other line are as push gives them.
   */
  pushScanning(chunk: Buffer, scan: LineScan, emit: (l: RawLine) => void): void {
    this.scan = scan;
    try {
      this.push(chunk, emit);
    } finally {
      this.scan = null;
    }
  }

  private scan: LineScan | null = null;

  push(chunk: Buffer, emit: (l: RawLine) => void): void {
    let pos = 0;
    const len = chunk.length;
    // A line begun in an earlier chunk ends at this chunk's first \n.
    if (this.pendingBytes > 0 || this.overflow) {
      const nl = chunk.indexOf(10);
      if (nl < 0) {
        this.take(chunk, 0, len);
        return;
      }
      if (nl > 0) this.take(chunk, 0, nl);
      this.finish(emit);
      pos = nl + 1;
    }
    // The complete lines in the middle of the chunk.
    const last = chunk.lastIndexOf(10);
    if (last >= pos) {
      pos = this.scan !== null ? this.fastScan(chunk, pos, last, this.scan, emit) : this.fast(chunk, pos, last, emit);
      this.bytewise(chunk, pos, last + 1, emit);
      pos = last + 1;
    }
    // The start of a line that ends in a later chunk.
    if (pos < len) this.take(chunk, pos, len);
  }

  /**
   * The lines of chunk[start, end) (end at a \n) decoded in one call. Splitting the decoded text at
   * \n gives each line's own decoding (a \n byte never belongs to a multi-byte sequence); when the
   * text has one UTF-16 unit per byte (ASCII, the common case), string offsets are byte offsets, so
   * sizes are exact. Returns where the bytewise path resumes: end + 1 when all is done; `start` when the
   * text is not one unit per byte; the start of the first line over the cap.
   */
  private fast(chunk: Buffer, start: number, end: number, emit: (l: RawLine) => void): number {
    const text = chunk.toString('utf8', start, end);
    if (text.length !== end - start) return start;
    const n = text.length;
    for (let a = 0; ; ) {
      let b = text.indexOf('\n', a);
      if (b < 0) b = n;
      const size = b > a && text.charCodeAt(b - 1) === 13 ? b - a - 1 : b - a;
      if (size > this.maxBytes) return start + a;
      emit({ line: ++this.lineNo, text: text.slice(a, a + size), bytes: size });
      if (b === n) return end + 1;
      a = b + 1;
    }
  }

  /**
   * {@link fast} with a scanner: each line is offered to `scan` first. A chunk whose text is not one
   * UTF-16 unit per byte is decoded line by line, and its lines that are not either are emitted. Returns
   * where the bytewise path resumes, as fast does (a BOM on line 1 is left to it).
   */
  private fastScan(chunk: Buffer, start: number, end: number, scan: LineScan, emit: (l: RawLine) => void): number {
    if (this.lineNo === 0 && chunk[start] === 0xef && chunk[start + 1] === 0xbb && chunk[start + 2] === 0xbf) {
      // line 1 after its BOM, decoded alone (as finish() would), then the rest
      let b = chunk.indexOf(10, start);
      if (b < 0 || b > end) b = end;
      const a = start + 3;
      const size = b > a && chunk[b - 1] === 13 ? b - a - 1 : Math.max(0, b - a);
      if (size > this.maxBytes) return start;
      const line = ++this.lineNo;
      const t = chunk.toString('utf8', a, a + size);
      if (t.length !== size || !scan(chunk, a, a + size, t, a, line)) emit({ line, text: t, bytes: size });
      return b === end ? end + 1 : this.fastScan(chunk, b + 1, end, scan, emit);
    }
    const text = chunk.toString('utf8', start, end);
    const aligned = text.length === end - start;
    for (let a = start; ; ) {
      let b = chunk.indexOf(10, a);
      if (b < 0 || b > end) b = end;
      const size = b > a && chunk[b - 1] === 13 ? b - a - 1 : b - a;
      if (size > this.maxBytes) return a;
      const line = ++this.lineNo;
      if (aligned) {
        if (!scan(chunk, a, a + size, text, start, line)) emit({ line, text: text.slice(a - start, a - start + size), bytes: size });
      } else {
        const t = chunk.toString('utf8', a, a + size);
        if (t.length !== size || !scan(chunk, a, a + size, t, a, line)) emit({ line, text: t, bytes: size });
      }
      if (b === end) return end + 1;
      a = b + 1;
    }
  }

  /** The lines of chunk[start, end), byte by byte, with the cap; end is just past a \n. */
  private bytewise(chunk: Buffer, start: number, end: number, emit: (l: RawLine) => void): void {
    let pos = start;
    while (pos < end) {
      const nl = chunk.indexOf(10, pos);
      if (nl > pos) this.take(chunk, pos, nl);
      this.finish(emit);
      pos = nl + 1;
    }
  }

  /** End of input: emits the last line if it had no terminator. */
  end(emit: (l: RawLine) => void): void {
    if (this.pendingBytes > 0 || this.overflow) this.finish(emit);
  }

  private take(chunk: Buffer, start: number, end: number): void {
    const n = end - start;
    this.lastCR = chunk[end - 1] === 13;
    if (this.overflow) {
      this.overflowBytes += n;
      return;
    }
    // +1: room for a trailing \r that is not part of the content; +3 on line 1 for a UTF-8 BOM
    // (finish applies the exact cap once both are stripped).
    if (this.pendingBytes + n > this.maxBytes + (this.lineNo === 0 ? 4 : 1)) {
      this.overflow = true;
      const all = Buffer.concat([...this.pending, chunk.subarray(start, Math.min(end, start + HEAD_BYTES))]);
      this.head = all.subarray(0, HEAD_BYTES);
      this.overflowBytes = this.pendingBytes + n;
      this.pending = [];
      this.pendingBytes = 0;
      return;
    }
    this.pending.push(chunk.subarray(start, end));
    this.pendingBytes += n;
  }

  private finish(emit: (l: RawLine) => void): void {
    const line = ++this.lineNo;
    if (this.overflow) {
      let head = this.head ? this.head.toString('utf8') : '';
      if (line === 1 && head.charCodeAt(0) === 0xfeff) head = head.slice(1);
      emit({ line, text: null, bytes: this.overflowBytes - (this.lastCR ? 1 : 0), head: head.slice(0, 1000) });
      this.overflow = false;
      this.overflowBytes = 0;
      this.head = null;
      return;
    }
    let buf = this.pending.length === 1 ? this.pending[0] : Buffer.concat(this.pending, this.pendingBytes);
    this.pending = [];
    this.pendingBytes = 0;
    if (line === 1 && buf.length >= 3 && buf[0] === 0xef && buf[1] === 0xbb && buf[2] === 0xbf) buf = buf.subarray(3);
    if (buf.length > 0 && buf[buf.length - 1] === 13) buf = buf.subarray(0, buf.length - 1);
    if (buf.length > this.maxBytes) {
      emit({ line, text: null, bytes: buf.length, head: buf.subarray(0, HEAD_BYTES).toString('utf8').slice(0, 1000) });
      return;
    }
    emit({ line, text: buf.toString('utf8'), bytes: buf.length });
  }
}

/** Lines of a byte stream, with the cap. Blank lines are emitted too (callers decide). */
export async function* readLines(stream: AsyncIterable<Buffer | string>, maxBytes = 65536): AsyncGenerator<RawLine> {
  const splitter = new LineSplitter(maxBytes);
  const out: RawLine[] = [];
  const emit = (l: RawLine) => { out.push(l); };
  for await (const chunk of stream) {
    splitter.push(typeof chunk === 'string' ? Buffer.from(chunk) : chunk, emit);
    for (let i = 0; i < out.length; i++) yield out[i];
    out.length = 0;
  }
  splitter.end(emit);
  for (const l of out) yield l;
}
