import { OptionError } from './option-error';

/**
 * What one option may hold. Numbers are finite; bounds are inclusive (`above`: strictly greater).
 * - number: a finite number (integer: no fraction; `infinity`: +Infinity allowed too) within the bounds;
 * - choice: one of `values`;
 * - boolean, string (non-empty), function, object (a plain object), array (any elements);
 * - seed: a non-empty string or a finite number;
 * - integers: a non-empty array of integers ≥ min.
 */
export type OptionRule =
  | { type: 'number'; integer?: boolean; min?: number; max?: number; above?: number; infinity?: boolean }
  | { type: 'choice'; values: readonly string[] }
  | { type: 'boolean' }
  | { type: 'string' }
  | { type: 'function' }
  | { type: 'object' }
  | { type: 'array' }
  | { type: 'seed' }
  | { type: 'integers'; min: number };

/** A value as the CLI quotes it in its messages: strings in quotes, the rest as JSON. */
export function shown(v: unknown): string {
  if (typeof v === 'string') return `"${v}"`;
  if (typeof v === 'number' || typeof v === 'bigint' || v === undefined) return String(v);
  if (typeof v === 'function') return 'a function';
  try {
    const s = JSON.stringify(v);
    return s === undefined ? String(v) : s.length > 60 ? `${s.slice(0, 57)}...` : s;
  } catch {
    return String(v);
  }
}

/** Why `value` breaks `rule` ("must be …, got …"), or null when it is fine. */
export function ruleProblem(rule: OptionRule, value: unknown): string | null {
  switch (rule.type) {
    case 'number': {
      if (rule.infinity && value === Number.POSITIVE_INFINITY) return null;
      if (typeof value !== 'number' || !Number.isFinite(value) || (rule.integer && !Number.isInteger(value))) {
        return `must be ${rule.integer ? 'an integer' : 'a number'}, got ${shown(value)}`;
      }
      if (rule.min !== undefined && value < rule.min) return `must be ≥ ${rule.min}, got ${value}`;
      if (rule.above !== undefined && value <= rule.above) return `must be > ${rule.above}, got ${value}`;
      if (rule.max !== undefined && value > rule.max) return `must be ≤ ${rule.max}, got ${value}`;
      return null;
    }
    case 'choice':
      return typeof value === 'string' && rule.values.includes(value) ? null : `must be one of ${rule.values.join(', ')}, got ${shown(value)}`;
    case 'boolean':
      return typeof value === 'boolean' ? null : `must be true or false, got ${shown(value)}`;
    case 'string':
      return typeof value === 'string' && value !== '' ? null : `must be a non-empty string, got ${shown(value)}`;
    case 'function':
      return typeof value === 'function' ? null : `must be a function, got ${shown(value)}`;
    case 'object':
      return typeof value === 'object' && value !== null && !Array.isArray(value) ? null : `must be an object, got ${shown(value)}`;
    case 'array':
      return Array.isArray(value) ? null : `must be an array, got ${shown(value)}`;
    case 'seed':
      return (typeof value === 'string' && value !== '') || (typeof value === 'number' && Number.isFinite(value))
        ? null : `must be a non-empty string or a finite number, got ${shown(value)}`;
    case 'integers':
      return Array.isArray(value) && value.length > 0 && value.every((x) => Number.isInteger(x) && (x as number) >= rule.min)
        ? null : `must list integers ≥ ${rule.min}, got ${shown(value)}`;
  }
}

/**
 * Checks an options object against its table of rules: every key must be in the table (a misspelt
 * option is an error, not silently ignored) and every value that is not undefined must pass its rule.
 * Throws an {@link OptionError} naming the option (`prefix` + key) at the first problem.
 */
export function checkOptions(options: unknown, rules: Readonly<Record<string, OptionRule | null>>, what: string, prefix = ''): void {
  if (options === undefined) return;
  if (typeof options !== 'object' || options === null || Array.isArray(options)) {
    throw new OptionError(prefix.replace(/\.$/, '') || what, `${what} must be an object, got ${shown(options)}`);
  }
  const record = options as Record<string, unknown>;
  for (const key of Object.keys(record)) {
    if (!Object.prototype.hasOwnProperty.call(rules, key)) {
      throw new OptionError(prefix + key, `unknown ${what} "${prefix}${key}" (known: ${Object.keys(rules).join(', ')})`);
    }
    const rule = rules[key];
    const value = record[key];
    if (rule === null || value === undefined) continue;
    const problem = ruleProblem(rule, value);
    if (problem) throw new OptionError(prefix + key, `${prefix}${key} ${problem}`);
  }
}
