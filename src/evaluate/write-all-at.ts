import { writeSync } from 'node:fs';
import { fileError } from './file-error';

/**
 * Write all of `data` to `fd` at byte `position` (writeSync may write less than asked: loop until done).
 * A failure is a FileError naming `what` and `path`, e.g. "cannot write audit log out/a.jsonl: …".
 */
export function writeAllAt(fd: number, data: Buffer, position: number, what: string, path: string): void {
  let done = 0;
  try {
    while (done < data.length) done += writeSync(fd, data, done, data.length - done, position + done);
  } catch (err) {
    throw fileError('write', what, path, err);
  }
}
