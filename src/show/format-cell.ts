/** Options for {@link formatCell}. */
export interface FormatOptions {
  /** Significant digits for non-integer numbers. Default 4. */
  digits?: number;
  /** Text for null, undefined and NaN. Default "" (NaN: "NaN"). */
  empty?: string;
}

/**
 * Plain text of one table cell (not yet escaped): integers as they are, other numbers with
 * `digits` significant digits, objects as JSON, null/undefined as `empty`.
 */
export function formatCell(value: unknown, options: FormatOptions = {}): string {
  const digits = options.digits ?? 4;
  const empty = options.empty ?? '';
  if (value === null || value === undefined) return empty;
  if (typeof value === 'number') {
    if (Number.isNaN(value)) return 'NaN';
    if (!Number.isFinite(value)) return value > 0 ? '∞' : '−∞';
    if (Number.isInteger(value)) return String(value);
    const abs = Math.abs(value);
    if (abs !== 0 && (abs >= 1e6 || abs < 1e-4)) return value.toExponential(Math.max(0, digits - 1));
    return String(Number(value.toPrecision(digits)));
  }
  if (typeof value === 'string') return value;
  if (typeof value === 'boolean' || typeof value === 'bigint') return String(value);
  if (value instanceof Date) return Number.isNaN(value.getTime()) ? 'Invalid Date' : value.toISOString();
  try {
    return JSON.stringify(value) ?? String(value);
  } catch {
    return String(value);
  }
}
