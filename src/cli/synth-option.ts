import { isSynthName, resolveSynth, SYNTH_NAMES, type SynthOptions } from '../synth/synth-stream';
import { SynthError } from '../synth/synth-error';
import { UsageError, type ParsedArgs } from './args';

/** The value options of a synthetic stream, shared by `generate` and `run`. */
export const SYNTH_ARGS = ['synth', 'function', 'drift-at', 'drift-width', 'drift-function', 'synth-params'] as const;

export const SYNTH_HELP = `synthetic drift streams (docs/synth.md):
  --synth NAME            ${SYNTH_NAMES.join(' | ')} (instead of --scenario)
  --function K            labelling function before the drift (1-based; LED: the digit 0-9)
  --drift-at F            drift centre: an event index (integer >= 1), or a fraction of --events if < 1
  --drift-width W         sigmoid width in events (default 0 = abrupt)
  --drift-function K      function after the drift (default: the next one)
  --synth-params k=v,...  stream parameters, e.g. noise=0.1 (sea), perturbation=0.2 (agrawal),
                          features=10,magnitude=0.001,sigma=0.1,noise=0.05 (hyperplane),
                          centroids=50,speed=0.0001 (rbf), irrelevant=true (sine, led)
`;

function numberArg(args: ParsedArgs, name: string): number | undefined {
  const raw = args.values.get(name);
  if (raw === undefined) return undefined;
  const v = raw.trim() === '' ? NaN : Number(raw);
  if (!Number.isFinite(v)) throw new UsageError(`--${name} must be a number, got "${raw}"`);
  return v;
}

/** `k=v,k=v` → parameters: `true`/`false` are booleans, anything else must be a number. */
function parseParams(raw: string): Record<string, number | boolean> {
  const out: Record<string, number | boolean> = {};
  for (const part of raw.split(',').map((s) => s.trim()).filter(Boolean)) {
    const eq = part.indexOf('=');
    if (eq <= 0) throw new UsageError(`--synth-params: expected key=value, got "${part}"`);
    const key = part.slice(0, eq).trim();
    const value = part.slice(eq + 1).trim();
    if (key === '__proto__' || key === 'constructor' || key === 'prototype') throw new UsageError(`--synth-params: forbidden key "${key}"`);
    if (value === 'true' || value === 'false') out[key] = value === 'true';
    else {
      const n = value === '' ? NaN : Number(value);
      if (!Number.isFinite(n)) throw new UsageError(`--synth-params: "${key}" must be a number or true/false, got "${value}"`);
      out[key] = n;
    }
  }
  return out;
}

/**
 * `--synth NAME` and its options as {@link SynthOptions} (without events and seed), checked in full,
 * or null when `--synth` is absent (then its companion options are usage errors).
 */
export function synthOption(args: ParsedArgs): Omit<SynthOptions, 'events' | 'seed'> | null {
  const name = args.values.get('synth');
  if (name === undefined) {
    const stray = SYNTH_ARGS.find((a) => a !== 'synth' && args.values.has(a));
    if (stray) throw new UsageError(`--${stray} needs --synth NAME`);
    return null;
  }
  if (!isSynthName(name)) throw new UsageError(`unknown --synth stream "${name}" (known: ${SYNTH_NAMES.join(', ')})`);
  if (args.values.has('scenario')) throw new UsageError('--synth and --scenario are exclusive');
  const options: Omit<SynthOptions, 'events' | 'seed'> = { name };
  const fn = numberArg(args, 'function');
  if (fn !== undefined) options.function = fn;
  const at = numberArg(args, 'drift-at');
  if (at !== undefined) options.driftAt = at;
  const width = numberArg(args, 'drift-width');
  if (width !== undefined) options.driftWidth = width;
  const to = numberArg(args, 'drift-function');
  if (to !== undefined) options.driftFunction = to;
  const params = args.values.get('synth-params');
  if (params !== undefined) options.params = parseParams(params);
  return options;
}

/** Resolve with events and seed; a SynthError becomes a usage error naming the CLI option. */
export function checkSynth(options: SynthOptions): void {
  try {
    resolveSynth(options);
  } catch (err) {
    if (err instanceof SynthError) throw new UsageError(`--synth ${options.name}: ${cliWords(err.message)}`);
    throw err;
  }
}

/** Library option names in a SynthError message → the CLI's. */
function cliWords(message: string): string {
  const flags: Record<string, string> = { driftFunction: '--drift-function', driftWidth: '--drift-width', driftAt: '--drift-at', function: '--function' };
  return message
    .replace(/^[a-z]+: /, '')
    .replace(/(?<![-\w])(driftFunction|driftWidth|driftAt|function)(?![\w-])/g, (m) => flags[m]!)
    .replace(/\bunknown parameter "/g, 'unknown --synth-params key "')
    .replace(/\bparameter "/g, '--synth-params "');
}
