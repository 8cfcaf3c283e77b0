/** Fast ISO 8601 formatting for increasing timestamps: the date prefix is cached per day. */

const DAY_MS = 86_400_000;
const TWO: string[] = Array.from({ length: 100 }, (_, i) => (i < 10 ? `0${i}` : String(i)));
/** "SS." for each second. */
const SECONDS: string[] = Array.from({ length: 60 }, (_, i) => `${i < 10 ? '0' : ''}${i}.`);
const THREE: string[] = Array.from({ length: 1000 }, (_, i) => String(i).padStart(3, '0'));

export class IsoFormatter {
  private day = NaN;
  private prefix = '';
  private minute = NaN;
  private minutePrefix = '';

  /** Same string as new Date(ms).toISOString() (for years 0000–9999). */
  format(ms: number): string {
    const day = Math.floor(ms / DAY_MS);
    if (day !== this.day) {
      this.day = day;
      this.minute = NaN;
      this.prefix = new Date(day * DAY_MS).toISOString().slice(0, 11);
    }
    let r = ms - day * DAY_MS;
    const minute = (r / 60_000) | 0;
    if (minute !== this.minute) {
      this.minute = minute;
      const h = (minute / 60) | 0;
      this.minutePrefix = `${this.prefix}${TWO[h]}:${TWO[minute - h * 60]}:`;
    }
    r -= minute * 60_000;
    const s = (r / 1000) | 0;
    return this.minutePrefix + SECONDS[s] + THREE[r - s * 1000] + 'Z';
  }
}

/** Event time of a row's timestamp field (ISO string or epoch ms), NaN when unreadable. */
export function timeOf(value: unknown): number {
  if (typeof value === 'number') return value;
  if (typeof value === 'string') return Date.parse(value);
  if (value instanceof Date) return value.getTime();
  return NaN;
}
