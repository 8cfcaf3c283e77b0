/** A tiny, strict argument parser for the CLI: `--name value`, `--name=value`, `--flag`, `--no-flag`. */

/** A usage error: the CLI prints its message and exits with code 2. */
export class UsageError extends Error {}

export interface ArgSpec {
  /** Options that take a value. */
  values?: string[];
  /** Boolean flags (each also accepts `--no-<flag>`). */
  flags?: string[];
}

export interface ParsedArgs {
  values: Map<string, string>;
  flags: Map<string, boolean>;
  positional: string[];
}

export function parseArgs(argv: string[], spec: ArgSpec): ParsedArgs {
  const values = new Map<string, string>();
  const flags = new Map<string, boolean>();
  const positional: string[] = [];
  const valueNames = new Set(spec.values ?? []);
  const flagNames = new Set(spec.flags ?? []);
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    if (arg === '-' || !arg.startsWith('--')) {
      positional.push(arg);
      continue;
    }
    const eq = arg.indexOf('=');
    const name = arg.slice(2, eq < 0 ? undefined : eq);
    if (valueNames.has(name)) {
      const value = eq >= 0 ? arg.slice(eq + 1) : argv[++i];
      if (value === undefined) throw new UsageError(`--${name} needs a value`);
      values.set(name, value);
    } else if (flagNames.has(name) && eq < 0) {
      flags.set(name, true);
    } else if (name.startsWith('no-') && flagNames.has(name.slice(3)) && eq < 0) {
      flags.set(name.slice(3), false);
    } else {
      const known = [...valueNames, ...flagNames].map((n) => `--${n}`).join(', ');
      throw new UsageError(`unknown option ${arg} (known: ${known})`);
    }
  }
  return { values, flags, positional };
}

/** A finite number option; `integer` also rejects fractions; bounds are inclusive. */
export function numberOption(
  args: ParsedArgs,
  name: string,
  fallback: number,
  opts: { integer?: boolean; min?: number; max?: number } = {},
): number {
  const raw = args.values.get(name);
  if (raw === undefined) return fallback;
  const value = raw.trim() === '' ? NaN : Number(raw);
  if (!Number.isFinite(value) || (opts.integer && !Number.isInteger(value))) {
    throw new UsageError(`--${name} must be ${opts.integer ? 'an integer' : 'a number'}, got "${raw}"`);
  }
  if (opts.min !== undefined && value < opts.min) throw new UsageError(`--${name} must be ≥ ${opts.min}, got ${raw}`);
  if (opts.max !== undefined && value > opts.max) throw new UsageError(`--${name} must be ≤ ${opts.max}, got ${raw}`);
  return value;
}

/** A comma-separated list of numbers, e.g. `--lambda 0,0.1,1`. */
export function numberListOption(args: ParsedArgs, name: string, fallback: number[]): number[] {
  const raw = args.values.get(name);
  if (raw === undefined) return fallback;
  const parts = raw.split(',').map((s) => s.trim());
  const out = parts.map(Number);
  if (parts.some((s) => s === '') || out.some((v) => !Number.isFinite(v))) {
    throw new UsageError(`--${name} must be a comma-separated list of numbers, got "${raw}"`);
  }
  return out;
}
