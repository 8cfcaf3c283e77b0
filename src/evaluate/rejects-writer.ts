import { closeSync, existsSync, fstatSync, ftruncateSync, openSync } from 'node:fs';
import type { Rejected } from '../types';
import { FileError, fileError } from './file-error';
import { writeAllAt } from './write-all-at';

/**
 * Writes every rejected record as one JSON line `{"line":…,"reason":…,"raw":…}`.
 * Rejects are rare, so lines are buffered a little and written synchronously (and by the pipeline
 * about once a second). `resumeAt` (bytes, from a checkpoint) cuts a previous run's file to where that
 * checkpoint stood; like the audit log, a file shorter than that is refused (it is not the checkpoint's),
 * and a missing one is created only when the checkpoint had written nothing to it. Every failure is a
 * {@link FileError} naming the file.
 */
export class RejectsWriter {
  private fd: number | null;
  private buffer: string[] = [];
  private bufferedChars = 0;
  /** Bytes on disk after the next flush(). */
  bytesWritten: number;
  private flushedBytes: number;

  constructor(readonly path: string, resumeAt: number | null = null) {
    try {
      if (resumeAt === null) {
        this.fd = openSync(path, 'w');
      } else {
        this.fd = openSync(path, existsSync(path) ? 'r+' : 'w+');
        const size = fstatSync(this.fd).size;
        if (!Number.isInteger(resumeAt) || resumeAt < 0 || resumeAt > size) {
          closeSync(this.fd);
          throw new FileError(`rejects file ${path} has ${size} bytes, cannot resume at offset ${resumeAt} (it is not the file the checkpoint was written with)`);
        }
        ftruncateSync(this.fd, resumeAt);
      }
    } catch (err) {
      throw fileError('open', 'rejects file', path, err);
    }
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
    if (this.fd === null) throw new FileError(`rejects file ${this.path} is closed`);
    const data = Buffer.from(this.buffer.join(''));
    this.buffer = [];
    this.bufferedChars = 0;
    writeAllAt(this.fd, data, this.flushedBytes, 'rejects file', this.path);
    this.flushedBytes += data.length;
  }

  /** Flush and close. Idempotent. */
  close(): void {
    if (this.fd === null) return;
    try {
      this.flush();
    } finally {
      closeSync(this.fd);
      this.fd = null;
    }
  }
}
