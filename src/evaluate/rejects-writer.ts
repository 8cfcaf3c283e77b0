import { closeSync, ftruncateSync, openSync, writeSync } from 'node:fs';
import type { Rejected } from '../types';

/**
 * Writes every rejected record as one JSON line `{"line":…,"reason":…,"raw":…}`.
 * Rejects are rare, so lines are buffered a little and written synchronously. `resumeAt`
 * (bytes, from a checkpoint) truncates a previous run's file to where that checkpoint stood.
 */
export class RejectsWriter {
  private readonly fd: number;
  private buffer: string[] = [];
  private bufferedChars = 0;
  /** Bytes on disk after the next flush(). */
  bytesWritten: number;
  private flushedBytes: number;

  constructor(path: string, resumeAt: number | null = null) {
    this.fd = openSync(path, resumeAt === null ? 'w' : 'r+');
    if (resumeAt !== null) ftruncateSync(this.fd, resumeAt);
    this.bytesWritten = this.flushedBytes = resumeAt ?? 0;
  }

  write(rejected: Rejected): void {
    const line = JSON.stringify({ line: rejected.line, reason: rejected.reason, raw: rejected.raw }) + '\n';
    this.buffer.push(line);
    this.bufferedChars += line.length;
    this.bytesWritten += Buffer.byteLength(line);
    if (this.bufferedChars > 1 << 16) this.flush();
  }

  flush(): void {
    if (this.buffer.length === 0) return;
    const data = Buffer.from(this.buffer.join(''));
    this.buffer = [];
    this.bufferedChars = 0;
    let off = 0;
    while (off < data.length) off += writeSync(this.fd, data, off, data.length - off, this.flushedBytes + off);
    this.flushedBytes += data.length;
  }

  close(): void {
    this.flush();
    closeSync(this.fd);
  }
}
