import { existsSync, mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Row } from '../types';

/** Everything a run needs to continue where it stood (JSON-safe). */
export interface PipelineState {
  /** Hash of the run's configuration: a checkpoint only resumes the same run. */
  fingerprint: string;
  /** Records read from the source (accepted + rejected). */
  consumed: number;
  accepted: number;
  rejected: number;
  /** Learning steps done. */
  version: number;
  stepMs: number[];
  learner: unknown;
  dedup: unknown;
  collector: unknown;
  /** Novel events predicted but not learned yet (label delay, partial batch). */
  train: { rows: Row[]; labels: number[]; index: number[] };
  auditBytes: number;
  rejectsBytes: number;
}

const FILE = 'state.json';

/**
 * A checkpoint directory holding one `state.json`, replaced atomically (write a temporary file,
 * then rename over the old one), so a kill at any moment leaves either the old or the new state.
 */
export class CheckpointStore {
  constructor(readonly dir: string) {
    mkdirSync(dir, { recursive: true });
  }

  save(state: PipelineState): void {
    const tmp = join(this.dir, `${FILE}.tmp`);
    writeFileSync(tmp, JSON.stringify(state));
    renameSync(tmp, join(this.dir, FILE));
  }

  /** The saved state, or null when there is none yet. Throws when it belongs to another configuration. */
  load(fingerprint: string): PipelineState | null {
    const path = join(this.dir, FILE);
    if (!existsSync(path)) return null;
    const state = JSON.parse(readFileSync(path, 'utf8')) as PipelineState;
    if (state.fingerprint !== fingerprint) {
      throw new Error(`checkpoint in ${this.dir} was written by a run with other options; remove it or run with the same options`);
    }
    return state;
  }

  /** Mark the run complete: a finished run leaves no state to resume from. */
  finish(): void {
    rmSync(join(this.dir, FILE), { force: true });
  }
}
