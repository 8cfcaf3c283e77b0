/** Fast ISO 8601 formatting for increasing timestamps: the date prefix is cached per day. */

const TWO: string[] = Array.from({ length: 100 }, (_, i) => (i < 10 ? `0${i}` : String(i)));
/** "SS." for each second. */
const SECONDS: string[] = Array.from({ length: 60 }, (_, i) => `${i < 10 ? '0' : ''}${i}.`);
const THREE: string[] = Array.from({ length: 1000 }, (_, i) => String(i).padStart(3, '0'));

let SS_MMM: string[] | null = null;
/** "SS.mmmZ" for each millisecond of a minute (built on first use). */
function secondsOfMinute(): string[] {
  if (!SS_MMM) {
    SS_MMM = new Array<string>(60_000);
    for (let i = 0; i < 60_000; i++) SS_MMM[i] = `${SECONDS[(i / 1000) | 0]}${THREE[i % 1000]}Z`;
  }
  return SS_MMM;
}

export class IsoFormatter {
  /** Start (ms) of the cached minute, and its "YYYY-MM-DDTHH:MM:" prefix. */
  private minuteStart = -Infinity;
  private minutePrefix = '';
  private readonly table = secondsOfMinute();

  /** Same string as new Date(ms).toISOString() (integer ms, years 0000–9999). */
  format(ms: number): string {
    let offset = ms - this.minuteStart;
    if (!(offset >= 0 && offset < 60_000)) {
      this.minuteStart = Math.floor(ms / 60_000) * 60_000;
      this.minutePrefix = new Date(this.minuteStart).toISOString().slice(0, 17);
      offset = ms - this.minuteStart;
    }
    return this.minutePrefix + this.table[offset | 0];
  }
}

/** Event time of a row's timestamp field (ISO string or epoch ms), NaN when unreadable. */
export function timeOf(value: unknown): number {
  if (typeof value === 'number') return value;
  if (typeof value === 'string') return Date.parse(value);
  if (value instanceof Date) return value.getTime();
  return NaN;
}
