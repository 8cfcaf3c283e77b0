import { closeSync, existsSync, mkdirSync, openSync, readFileSync, renameSync, rmSync, statSync, writeFileSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import { FileError, fileError } from './file-error';
import type { SourceIdentity } from './source-identity';
import type { PipelineCore } from './online-pipeline';

/** Everything a run needs to continue where it stood (JSON-safe): the pipeline's state and the run's. */
export interface PipelineState extends PipelineCore {
  /** Hash of the run's configuration: a checkpoint only resumes the same run. */
  fingerprint: string;
  /** Bytes of the audit log at the checkpoint; null when the run wrote none. */
  auditBytes: number | null;
  /** Bytes of the rejects file at the checkpoint; null when the run wrote none. */
  rejectsBytes: number | null;
  /** What the source looked like (see source-identity.ts). Absent in older checkpoints. */
  source?: SourceIdentity;
}

const FILE = 'state.json';
const LOCK = 'lock';

/** Whether a process with this pid exists (EPERM: it exists, owned by someone else). */
function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/**
 * A checkpoint directory holding one `state.json`, replaced atomically (write a temporary file named
 * after this process, then rename it over the old one), so a kill at any moment leaves either the old or
 * the new state. The directory is locked while a store is open: `DIR/lock`, created exclusively
 * (O_EXCL), holds the owner's pid; a second store on the same directory throws a {@link FileError}
 * while that process lives, and takes a dead process's lock over. {@link close} (or {@link finish})
 * releases it.
 */
export class CheckpointStore {
  private readonly lockPath: string;
  private locked = false;

  constructor(readonly dir: string) {
    try {
      mkdirSync(dir, { recursive: true });
    } catch (err) {
      throw fileError('create', 'checkpoint directory', dir, err);
    }
    this.lockPath = join(dir, LOCK);
    this.lock();
  }

  /** The state file's path. */
  get path(): string {
    return join(this.dir, FILE);
  }

  private lock(): void {
    for (let attempt = 0; attempt < 3; attempt++) {
      let fd: number;
      try {
        fd = openSync(this.lockPath, 'wx');
      } catch (err) {
        if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw fileError('create', 'checkpoint lock', this.lockPath, err);
        const owner = this.owner();
        if (owner !== null && (owner === process.pid || alive(owner))) {
          throw new FileError(`checkpoint directory ${this.dir} is in use by process ${owner} (another run on the same --checkpoint DIR); wait for it to end, or remove ${this.lockPath} if no run is using it`);
        }
        if (owner === null) {
          // Being written right now by its creator, or left empty by a crash long ago.
          let age = 0;
          try { age = Date.now() - statSync(this.lockPath).mtimeMs; } catch { /* gone: retry */ }
          if (age < 5000) throw new FileError(`checkpoint directory ${this.dir} is being locked by another run; remove ${this.lockPath} if no run is using it`);
        }
        // A dead owner's lock: move it aside (only one taker's rename succeeds), then retry.
        try { renameSync(this.lockPath, `${this.lockPath}.stale-${process.pid}`); rmSync(`${this.lockPath}.stale-${process.pid}`, { force: true }); } catch { /* taken by another: retry */ }
        continue;
      }
      try {
        writeSync(fd, `${process.pid}\n`);
      } finally {
        closeSync(fd);
      }
      this.locked = true;
      return;
    }
    throw new FileError(`cannot lock checkpoint directory ${this.dir}: another run keeps taking ${this.lockPath}`);
  }

  /** The pid in the lock file, or null when it holds none (yet). */
  private owner(): number | null {
    try {
      const text = readFileSync(this.lockPath, 'utf8').trim();
      return /^\d+$/.test(text) ? Number(text) : null;
    } catch {
      return null;
    }
  }

  save(state: PipelineState): void {
    const tmp = join(this.dir, `${FILE}.tmp-${process.pid}`);
    try {
      writeFileSync(tmp, JSON.stringify(state));
      renameSync(tmp, this.path);
    } catch (err) {
      rmSync(tmp, { force: true });
      throw fileError('write', 'checkpoint', this.path, err);
    }
  }

  /**
   * The saved state, or null when there is none yet. Throws a {@link FileError} naming the file when it
   * cannot be read, is not a complete checkpoint (every section's shape is checked before any is used),
   * or belongs to another configuration.
   */
  load(fingerprint: string): PipelineState | null {
    const path = this.path;
    if (!existsSync(path)) return null;
    let text: string;
    try {
      text = readFileSync(path, 'utf8');
    } catch (err) {
      throw fileError('read', 'checkpoint', path, err);
    }
    let data: unknown;
    try {
      data = JSON.parse(text);
    } catch (err) {
      throw new FileError(`checkpoint ${path} is not valid JSON (${text.length === 0 ? 'empty file' : (err as Error).message}); remove it to start over`);
    }
    const state = checkState(data, path);
    if (state.fingerprint !== fingerprint) {
      throw new FileError(`checkpoint ${path} was written by a run with other options; remove it or run with the same options`);
    }
    return state;
  }

  /** Mark the run complete: a finished run leaves no state to resume from. Releases the lock. */
  finish(): void {
    rmSync(this.path, { force: true });
    this.close();
  }

  /** Release the directory's lock (the state stays). Idempotent. */
  close(): void {
    if (!this.locked) return;
    this.locked = false;
    if (this.owner() === process.pid) rmSync(this.lockPath, { force: true });
  }
}

const isObject = (x: unknown): x is Record<string, unknown> => typeof x === 'object' && x !== null && !Array.isArray(x);
const isCount = (x: unknown): x is number => Number.isSafeInteger(x) && (x as number) >= 0;
const isBytes = (x: unknown): boolean => x === null || isCount(x);
const finiteArray = (x: unknown): x is number[] => Array.isArray(x) && x.every((v) => typeof v === 'number' && Number.isFinite(v));

/**
 * Check the shape of every section of a parsed state.json (the learner, dedup and collector sections are
 * checked by their own setState, which the pipeline calls before using anything). Throws a FileError
 * naming the file and the first bad field.
 */
export function checkState(data: unknown, path: string): PipelineState {
  const bad = (why: string): FileError => new FileError(`checkpoint ${path} is not a valid checkpoint (${why}); remove it to start over`);
  if (!isObject(data)) throw bad(`expected an object, found ${data === null ? 'null' : Array.isArray(data) ? 'an array' : typeof data}`);
  const s = data;
  if (typeof s.fingerprint !== 'string') throw bad('fingerprint is not a string');
  for (const k of ['consumed', 'accepted', 'rejected', 'version'] as const) {
    if (!isCount(s[k])) throw bad(`${k} is not a non-negative integer`);
  }
  if ((s.accepted as number) + (s.rejected as number) !== s.consumed) throw bad('accepted + rejected differs from consumed');
  if (!finiteArray(s.stepMs)) throw bad('stepMs is not a list of numbers');
  if (!isObject(s.learner)) throw bad('learner is not an object');
  if ('params' in s.learner && !finiteArray(s.learner.params)) throw bad('learner params are not all finite numbers');
  if (s.dedup !== null && !isObject(s.dedup)) throw bad('dedup is neither an object nor null');
  if (!isObject(s.collector)) throw bad('collector is not an object');
  const t = s.train;
  if (!isObject(t) || !Array.isArray(t.rows) || !Array.isArray(t.labels) || !Array.isArray(t.index)) throw bad('train is not { rows, labels, index }');
  if (t.rows.length !== t.labels.length || t.rows.length !== t.index.length) throw bad('train rows, labels and index differ in length');
  if (!t.rows.every(isObject)) throw bad('a train row is not an object');
  if (!t.labels.every((l) => l === 0 || l === 1)) throw bad('a train label is not 0 or 1');
  if (!t.index.every((i) => isCount(i) && i <= (s.consumed as number))) throw bad('a train index is not an event position');
  if (t.times !== undefined && (!finiteArray(t.times) || (t.times as unknown[]).length !== t.rows.length)) throw bad('train times are not one finite number per train row');
  if (s.arrivals !== undefined && (!Array.isArray(s.arrivals) || !s.arrivals.every(isObject))) throw bad('arrivals is not a list of rows');
  if (s.novel !== undefined && !isCount(s.novel)) throw bad('novel is not a non-negative integer');
  if (s.learned !== undefined && !isCount(s.learned)) throw bad('learned is not a non-negative integer');
  if (!isBytes(s.auditBytes) || !isBytes(s.rejectsBytes)) throw bad('auditBytes/rejectsBytes are not byte counts');
  if (s.source !== undefined && !isObject(s.source)) throw bad('source is not an object');
  if (s.drift !== undefined) {
    const d = s.drift;
    const positions = (x: unknown): boolean => Array.isArray(x) && x.every((i) => isCount(i) && i <= (s.consumed as number));
    if (!isObject(d) || !positions(d.detections) || !positions(d.warnings)) throw bad('drift is not { detections, warnings, held } with event positions');
    if (!Array.isArray(d.held) || !d.held.every((h) => isObject(h) && isCount(h.index) && h.index <= (s.consumed as number) && isObject(h.line))) throw bad('drift.held is not a list of { index, line }');
  }
  return s as unknown as PipelineState;
}
