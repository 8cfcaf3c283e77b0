import type { ExperimentProgress } from '../evaluate/experiment-config';

/** A progress printer for stderr: one line every few seconds (redrawn in place on a terminal). */
export function progressPrinter(label: string): ((p: ExperimentProgress) => void) & { done(): void } {
  const tty = process.stderr.isTTY === true;
  let last = 0;
  let drawn = false;
  const print = (p: ExperimentProgress): void => {
    if (p.elapsedMs < 2000 || (!tty && p.elapsedMs - last < 5000)) return;
    last = p.elapsedMs;
    const rate = Math.round((p.events / p.elapsedMs) * 1000);
    const share = p.total ? ` (${Math.floor((100 * p.events) / p.total)} %)` : '';
    const line = `${label}: ${p.events}${p.total ? `/${p.total}` : ''} events${share}, ${rate} events/s`;
    process.stderr.write(tty ? `\r${line}\x1b[K` : `${line}\n`);
    drawn = true;
  };
  return Object.assign(print, {
    done(): void {
      if (tty && drawn) process.stderr.write('\n');
    },
  });
}
