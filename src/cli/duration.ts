import { UsageError } from './args';

const UNITS: Record<string, number> = { ms: 1, s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000 };

/** A duration like Alertmanager's: `250ms`, `30s`, `5m`, `1h`, `1d`, `1.5h`; a bare number is seconds. */
export function parseDuration(name: string, raw: string): number {
  const m = /^\s*(\d+(?:\.\d+)?)\s*(ms|s|m|h|d)?\s*$/.exec(raw);
  if (!m) throw new UsageError(`--${name} must be a duration such as 30s, 5m, 1h or 1500ms, got "${raw}"`);
  return Math.round(Number(m[1]) * UNITS[m[2] ?? 's']);
}
