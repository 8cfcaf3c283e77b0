/**
 * Fast ISO 8601 formatting for increasing timestamps: the "YYYY-MM-DDTHH:MM:" prefix is cached per
 * minute, and the rest comes from two small tables ("SS." and "mmmZ"). The tables are kept small on
 * purpose: one entry per millisecond of a minute (60,000 strings, ≈ 1.5 MB) was read at a stride of
 * ≈ 500 entries per event and missed the CPU caches on almost every event, which cost more than the
 * extra string concatenation.
 */

/** "SS." for each second of a minute. */
const SECONDS: string[] = Array.from({ length: 60 }, (_, i) => `${i < 10 ? '0' : ''}${i}.`);
/** "mmmZ" for each millisecond of a second. */
const MILLIS: string[] = Array.from({ length: 1000 }, (_, i) => `${String(i).padStart(3, '0')}Z`);

export class IsoFormatter {
  /** Start (ms) of the cached minute, and its "YYYY-MM-DDTHH:MM:" prefix. */
  private minuteStart = -Infinity;
  private minutePrefix = '';

  /** Same string as new Date(ms).toISOString() (integer ms, years 0000–9999). */
  format(ms: number): string {
    let offset = ms - this.minuteStart;
    if (!(offset >= 0 && offset < 60_000)) {
      this.minuteStart = Math.floor(ms / 60_000) * 60_000;
      this.minutePrefix = new Date(this.minuteStart).toISOString().slice(0, 17);
      offset = ms - this.minuteStart;
    }
    const s = (offset / 1000) | 0;
    return this.minutePrefix + SECONDS[s] + MILLIS[offset - s * 1000];
  }
}

/** Event time of a row's timestamp field (ISO string or epoch ms), NaN when unreadable. */
export function timeOf(value: unknown): number {
  if (typeof value === 'number') return value;
  if (typeof value === 'string') return Date.parse(value);
  if (value instanceof Date) return value.getTime();
  return NaN;
}
