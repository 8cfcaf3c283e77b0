import { randomBytes } from 'crypto';
import { sendBundle } from './display';
import { escapeHtml } from './escape';

/** Options for {@link progress}. */
export interface ProgressOptions {
  /** What is running, e.g. "training" (plain text, escaped). Default "progress". */
  title?: string;
  /** The count at which it is done (events, runs), or null when unknown (no bar, only the count). Default null. */
  total?: number | null;
  /** What is counted, e.g. "events". Default "" (no unit). */
  unit?: string;
  /** Updates closer together than this are not shown (the last state always is, by done()). Default 250 ms. */
  minIntervalMs?: number;
  /** Clock (ms), for tests. Default Date.now. */
  now?: () => number;
}

/** A progress line for a cell that runs long: one display, replaced in place. */
export interface Progress {
  /**
   * Now `done` of the total, with an optional note (plain text, escaped). Shown at most every
   * minIntervalMs. Returns a promise: `await` it inside a long synchronous loop, so that the kernel
   * gets to send the update while the cell still runs (it resolves at once when nothing was shown).
   */
  update(done: number, note?: string): Promise<void>;
  /** A note without a new count (e.g. a study's progress message); throttled like update. */
  note(note: string): Promise<void>;
  /** The final state, always shown: the count so far (or `done`) and a closing note. */
  done(note?: string, done?: number): void;
}

const yieldToKernel = () => new Promise<void>((resolve) => setTimeout(resolve, 0));

function formatCount(n: number): string {
  return Number.isInteger(n) ? n.toLocaleString('en-US') : n.toFixed(1);
}

/**
 * A progress display for cells that run long. tslab supports replacing a display in place
 * (`update_display_data`), so this is one output updated as the work goes on — a bar (`<progress>`),
 * the count, the elapsed time and a note in HTML, a plain-text line for front-ends without HTML —
 * and an executed notebook keeps the final state. A no-op outside a kernel (nothing is printed).
 */
export function progress(options: ProgressOptions = {}): Progress {
  const id = randomBytes(8).toString('hex');
  const title = options.title ?? 'progress';
  const total = options.total ?? null;
  const unit = options.unit ?? '';
  const interval = options.minIntervalMs ?? 250;
  const now = options.now ?? Date.now;
  const started = now();
  let shownOnce = false;
  let lastShown = -Infinity;
  let count = 0;
  let lastNote = '';

  const render = (final: boolean) => {
    const seconds = (now() - started) / 1000;
    const share = total !== null && total > 0 ? Math.min(1, count / total) : null;
    const counted = `${formatCount(count)}${total !== null ? ` / ${formatCount(total)}` : ''}${unit ? ` ${unit}` : ''}`;
    const percent = share !== null ? ` (${Math.floor(share * 100)} %)` : '';
    const parts = [`${counted}${percent}`, `${seconds.toFixed(1)} s`, ...(lastNote ? [lastNote] : [])];
    const state = final ? 'done' : 'running';
    const bar = share !== null ? `<progress max="1" value="${share}" style="width:14em;vertical-align:middle"></progress> ` : '';
    const html = `<div class="otf-progress" data-state="${state}" style="font:13px sans-serif;margin:2px 0">` +
      `<b>${escapeHtml(title)}${final ? ' — done' : '…'}</b> ${bar}${parts.map(escapeHtml).join(' · ')}</div>`;
    const width = 20;
    const textBar = share !== null ? `[${'#'.repeat(Math.round(share * width)).padEnd(width, '.')}] ` : '';
    const text = `${title}${final ? ' — done' : '…'} ${textBar}${parts.join(' · ')}`;
    if (sendBundle({ 'text/html': html, 'text/plain': text }, id, shownOnce)) shownOnce = true;
    lastShown = now();
  };

  const maybeShow = (): Promise<void> => {
    if (now() - lastShown < interval) return Promise.resolve();
    render(false);
    return yieldToKernel();
  };

  return {
    update(done, note) {
      count = done;
      if (note !== undefined) lastNote = note;
      return maybeShow();
    },
    note(note) {
      lastNote = note;
      return maybeShow();
    },
    done(note, done) {
      if (done !== undefined) count = done;
      if (note !== undefined) lastNote = note;
      render(true);
    },
  };
}
