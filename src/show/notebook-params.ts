import { OptionError } from '../options/option-error';

/** A notebook parameter: a number, a string or a boolean; its default's type is the type read from the environment. */
export type NotebookParam = number | string | boolean;

/** Options for {@link params}. */
export interface ParamsOptions<C = Record<string, readonly string[]>> {
  /** Where the overrides come from. Default `process.env`. */
  env?: Readonly<Record<string, string | undefined>>;
  /** A parameter NAME is read from the variable prefix + NAME. Default `"ONTHEFLY_"` (ONTHEFLY_LAMBDA, ONTHEFLY_SEED, …). */
  prefix?: string;
  /** The allowed values of string parameters, by name (the default must be one of them too). Default: any string. */
  choices?: C;
}

/** What {@link params} returns: each default's type widened (0.1 → number), a parameter with choices typed as one of them. */
export type Params<T, C> = {
  -readonly [K in keyof T]: K extends keyof C ? (C[K] extends readonly (infer U)[] ? U : never)
    : T[K] extends number ? number : T[K] extends boolean ? boolean : string;
};

const TRUE = new Set(['1', 'true', 'yes', 'on']);
const FALSE = new Set(['0', 'false', 'no', 'off']);
const NUMBER = /^[+-]?(\d[\d_]*\.?[\d_]*|\.\d[\d_]*)(e[+-]?\d+)?$|^[+-]?Infinity$/i;

function parse(variable: string, text: string, fallback: NotebookParam): NotebookParam {
  if (typeof fallback === 'number') {
    const value = NUMBER.test(text) ? Number(text.replace(/_/g, '')) : NaN;
    if (Number.isNaN(value)) throw new OptionError(variable, `${variable} must be a number (like the default ${fallback}), got "${text}"`);
    return value;
  }
  if (typeof fallback === 'boolean') {
    const t = text.toLowerCase();
    if (TRUE.has(t)) return true;
    if (FALSE.has(t)) return false;
    throw new OptionError(variable, `${variable} must be true or false (or 1/0, yes/no, on/off), got "${text}"`);
  }
  return text;
}

/**
 * A notebook's parameters: the defaults written in the cell, each overridden by the environment
 * variable prefix + its name when that is set and not blank — so a headless run changes them without
 * editing the notebook (`ONTHEFLY_EVENTS=5000 ONTHEFLY_LAMBDA=1 jupyter nbconvert --execute …`).
 * A value is read as its default's type: a number (underscores allowed: `20_000`), a boolean
 * (true/false, 1/0, yes/no, on/off) or a string, which must be one of its `choices` when given.
 * A value that does not read throws an {@link OptionError} naming the variable; nothing is printed.
 *
 * ```ts
 * const { LAMBDA, SEED, EVENTS, SCENARIO } = params(
 *   { LAMBDA: 0.1, SEED: 1, EVENTS: 20_000, SCENARIO: 'stationary' }, { choices: { SCENARIO: SCENARIO_NAMES } });
 * ```
 */
export function params<T extends Record<string, NotebookParam>, C extends { [K in keyof T]?: readonly string[] } = Record<never, never>>(
  defaults: T,
  options: ParamsOptions<C> = {},
): Params<T, C> {
  if (defaults === null || typeof defaults !== 'object' || Array.isArray(defaults)) {
    throw new OptionError('defaults', 'params: defaults must be an object of name → number, string or boolean');
  }
  const env = options.env ?? process.env;
  const prefix = options.prefix ?? 'ONTHEFLY_';
  const choices = (options.choices ?? {}) as Record<string, readonly string[] | undefined>;
  for (const name of Object.keys(choices)) {
    if (!Object.prototype.hasOwnProperty.call(defaults, name)) throw new OptionError('choices', `params: choices names "${name}", which is not a parameter`);
  }
  const out: Record<string, NotebookParam> = {};
  for (const [name, fallback] of Object.entries(defaults)) {
    if (typeof fallback !== 'number' && typeof fallback !== 'string' && typeof fallback !== 'boolean') {
      throw new OptionError(name, `params: the default of ${name} must be a number, a string or a boolean, got ${fallback === null ? 'null' : typeof fallback}`);
    }
    const variable = `${prefix}${name}`;
    const raw = env[variable]?.trim() ?? '';
    const fromEnv = raw !== '';
    const value = fromEnv ? parse(variable, raw, fallback) : fallback;
    const allowed = choices[name];
    if (allowed !== undefined && (typeof value !== 'string' || !allowed.includes(value))) {
      throw new OptionError(fromEnv ? variable : name,
        `${fromEnv ? variable : `the default of ${name}`} must be one of ${allowed.join(', ')}, got "${String(value)}"`);
    }
    out[name] = value;
  }
  return out as Params<T, C>;
}

/**
 * One notebook parameter, the same as {@link params} for a single name: `fallback` unless the variable
 * prefix + `name` (ONTHEFLY_<NAME>) is set, read as the fallback's type, one of `choices` when given.
 * Written one per line, a parameters cell reads like plain constants:
 *
 * ```ts
 * const LAMBDA = param('LAMBDA', 0.1);
 * const SCENARIO = param('SCENARIO', 'stationary', SCENARIO_NAMES);
 * ```
 */
export function param<U extends string>(name: string, fallback: U, choices: readonly U[], options?: Omit<ParamsOptions, 'choices'>): U;
export function param(name: string, fallback: number, options?: Omit<ParamsOptions, 'choices'>): number;
export function param(name: string, fallback: boolean, options?: Omit<ParamsOptions, 'choices'>): boolean;
export function param(name: string, fallback: string, options?: Omit<ParamsOptions, 'choices'>): string;
export function param(
  name: string,
  fallback: NotebookParam,
  choicesOrOptions?: readonly string[] | Omit<ParamsOptions, 'choices'>,
  options: Omit<ParamsOptions, 'choices'> = {},
): NotebookParam {
  if (typeof name !== 'string' || name === '') throw new OptionError('name', 'param: name must be a non-empty string');
  const choices = Array.isArray(choicesOrOptions) ? (choicesOrOptions as readonly string[]) : undefined;
  const opts = Array.isArray(choicesOrOptions) ? options : ((choicesOrOptions as Omit<ParamsOptions, 'choices'> | undefined) ?? {});
  const all = params({ [name]: fallback } as Record<string, NotebookParam>, { ...opts, ...(choices ? { choices: { [name]: choices } } : {}) });
  return all[name]!;
}
