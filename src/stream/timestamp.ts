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

/** How a schema's timestamp field is read (docs/features.md, "Time"). */
export const TIMESTAMP_FORMATS = ['iso', 'epoch_s', 'epoch_ms', 'epoch_us', 'auto'] as const;
export type TimestampFormat = (typeof TIMESTAMP_FORMATS)[number];

/** Units the `auto` format can choose for an epoch number, as bits (see {@link autoUnit}). */
export const AUTO_UNIT_NAMES = ['epoch seconds', 'epoch milliseconds', 'epoch microseconds'] as const;

/** `auto`: |x| < 1e11 ⇒ seconds (bit 1), |x| < 1e14 ⇒ milliseconds (bit 2), else microseconds (bit 4). */
export function autoUnit(x: number): 1 | 2 | 4 {
  const a = Math.abs(x);
  return a < 1e11 ? 1 : a < 1e14 ? 2 : 4;
}

/** Largest |epoch ms| a Date can hold. */
const MAX_MS = 8.64e15;

/**
 * An epoch number in the unit `format` names (epoch_s, epoch_ms, epoch_us; `auto` by {@link autoUnit})
 * → epoch milliseconds, NaN when not finite or outside the Date range (±8.64e15 ms). Seconds and
 * microseconds are rounded to the nearest millisecond; milliseconds are kept as given.
 */
export function epochToMs(x: number, format: Exclude<TimestampFormat, 'iso'>): number {
  if (!Number.isFinite(x)) return NaN;
  const unit = format === 'auto' ? autoUnit(x) : format === 'epoch_s' ? 1 : format === 'epoch_ms' ? 2 : 4;
  const ms = unit === 1 ? Math.round(x * 1000) : unit === 2 ? x : Math.round(x / 1000);
  return Math.abs(ms) <= MAX_MS ? ms + 0 : NaN;
}

/** The reason text of a timestamp that `format` cannot read. */
export function timestampExpectation(format: TimestampFormat): string {
  switch (format) {
    case 'iso': return 'not ISO 8601';
    case 'epoch_s': return 'not epoch seconds';
    case 'epoch_ms': return 'not epoch milliseconds';
    case 'epoch_us': return 'not epoch microseconds';
    default: return 'not ISO 8601 or an epoch number';
  }
}
