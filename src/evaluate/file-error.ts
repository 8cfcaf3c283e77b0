/**
 * A file the pipeline writes or reads (audit log, rejects, checkpoint) could not be used: the message
 * is one line naming the file and the system's reason, e.g.
 * `cannot write audit log out/a.jsonl: no space left on device (ENOSPC)`.
 */
export class FileError extends Error {
  override name = 'FileError';
  /** The system error code (ENOSPC, EROFS, ENOTDIR…), when there was one. */
  readonly code: string | undefined;

  constructor(message: string, code?: string) {
    super(message);
    this.code = code;
  }
}

/** Node's "ENOSPC: no space left on device, write" as "no space left on device (ENOSPC)". */
function reason(err: unknown): { text: string; code: string | undefined } {
  const e = err as NodeJS.ErrnoException;
  const code = typeof e?.code === 'string' ? e.code : undefined;
  let text = err instanceof Error ? err.message : String(err);
  if (code && text.startsWith(`${code}: `)) text = text.slice(code.length + 2).replace(/, \w+( '.*')?$/, '');
  return { text: code ? `${text} (${code})` : text, code };
}

/** Wrap an fs error as a {@link FileError}: `cannot <action> <what> <path>: <reason>`. */
export function fileError(action: string, what: string, path: string, err: unknown): FileError {
  if (err instanceof FileError) return err;
  const r = reason(err);
  return new FileError(`cannot ${action} ${what} ${path}: ${r.text}`, r.code);
}
