import { createHash, type Hash } from 'node:crypto';
import { closeSync, openSync, readSync, statSync } from 'node:fs';
import { SourceError, type Validated } from '../stream/source';

/**
 * What a checkpoint records about its source, so that `resume` refuses a different or shorter one:
 * - every source: a digest of its first records (at most 1024: line, time, label and every field, or
 *   line and reason of a reject) — checked while the resumed run skips the records the checkpoint has consumed,
 *   and the source must still hold at least that many records;
 * - a file: its size when the checkpoint was written (it may have grown since, not shrunk) and a
 *   digest of 16 blocks of 4 KB spread evenly over those bytes (the compressed bytes of a `.gz`), so the
 *   check costs 64 KB of reads whatever the file's size. A file rewritten with the same size, the same
 *   first 1024 records and the same sampled blocks is not told apart.
 * stdin (`-`) has no size: only the record digest and count are checked. The generator is covered by
 * the configuration fingerprint (scenario, events, seed); the record digest is checked as well.
 */
export interface SourceIdentity {
  /** Records the digest `head` covers (the first ones of the source). */
  headRecords: number;
  /** sha256 (hex, 16 digits) of the first `headRecords` records. */
  head: string;
  /** A file's size in bytes when the checkpoint was written; absent for stdin and the generator. */
  size?: number;
  /** sha256 (hex, 16 digits) of the sampled blocks of the first `size` bytes. */
  sample?: string;
}

/** Records the digest covers at most. */
export const HEAD_RECORDS = 1024;
const BLOCKS = 16;
const BLOCK = 4096;

/** Digest of a source's first {@link HEAD_RECORDS} records, fed one record at a time. */
export class RecordDigest {
  private hash: Hash = createHash('sha256');
  private n = 0;
  private done: string | null = null;

  /** Records seen so far (at most HEAD_RECORDS). */
  get records(): number {
    return this.n;
  }

  /** Feed the next record (a no-op after the first HEAD_RECORDS). */
  update(item: Validated): void {
    if (this.n >= HEAD_RECORDS) return;
    this.n++;
    const text = 'rejected' in item
      ? `r\t${item.rejected.line}\t${item.rejected.reason}\n`
      : `a\t${item.record.line}\t${item.record.time}\t${item.record.label}\t${JSON.stringify(item.record.fields)}\n`;
    this.hash.update(text);
    if (this.n === HEAD_RECORDS) this.done = this.hash.digest('hex').slice(0, 16);
  }

  /** The digest of the records seen so far. */
  value(): string {
    return this.done ?? this.hash.copy().digest('hex').slice(0, 16);
  }
}

/** Digest of 16 blocks of 4 KB spread evenly over the first `size` bytes of a file (all of it when small). */
export function sampleFile(path: string, size: number): string {
  const h = createHash('sha256');
  const fd = openSync(path, 'r');
  try {
    const buf = Buffer.alloc(BLOCK);
    const blocks = size <= BLOCK * BLOCKS ? Math.ceil(size / BLOCK) : BLOCKS;
    for (let i = 0; i < blocks; i++) {
      const at = size <= BLOCK * BLOCKS ? i * BLOCK : Math.floor((i * (size - BLOCK)) / (BLOCKS - 1));
      const want = Math.min(BLOCK, size - at);
      let got = 0;
      while (got < want) {
        const n = readSync(fd, buf, got, want - got, at + got);
        if (n === 0) break;
        got += n;
      }
      h.update(buf.subarray(0, got));
    }
  } finally {
    closeSync(fd);
  }
  return h.digest('hex').slice(0, 16);
}

/** The identity of a source now: `input` is a path, `-` (stdin) or null (the generator). */
export function identify(input: string | null, digest: RecordDigest): SourceIdentity {
  const id: SourceIdentity = { headRecords: digest.records, head: digest.value() };
  if (input !== null && input !== '-') {
    try {
      id.size = statSync(input).size;
      id.sample = sampleFile(input, id.size);
    } catch (err) {
      throw new SourceError(`cannot read input ${input}: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}`);
    }
  }
  return id;
}

/** Throw a SourceError when a file input is shorter than, or differs in its sampled blocks from, the checkpoint's. */
export function checkFileIdentity(input: string, saved: SourceIdentity): void {
  if (saved.size === undefined || saved.sample === undefined) return;
  const size = statSync(input).size; // readable: checked when the source was opened
  if (size < saved.size) {
    throw new SourceError(`${input}: has ${size} bytes, fewer than the ${saved.size} it had when the checkpoint was written; it is not the stream the checkpoint belongs to (remove the checkpoint to start over)`);
  }
  if (sampleFile(input, saved.size) !== saved.sample) {
    throw new SourceError(`${input}: its content changed since the checkpoint was written; it is not the stream the checkpoint belongs to (remove the checkpoint to start over)`);
  }
}
