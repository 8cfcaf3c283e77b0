import type { LearnerOptions } from './learner';
import type { OptimizerConfig } from './optimizer';
import { parseNormalise } from '../features/ewm';
import { OptionError } from '../options/option-error';

/** The optimizer and normalisation fields of {@link LearnerOptions}, defaults filled in. */
export interface ResolvedOptimizerOptions {
  optimizer: 'sgd' | 'adam' | 'adagrad' | 'ftrl';
  learningRate: number;
  lrSchedule: 'constant' | 'optimal' | 'invscaling';
  alpha: number;
  powerT: number;
  beta1: number;
  beta2: number;
  ftrlBeta: number;
  l1: number;
  l2: number;
  normalise: 'cumulative' | `ewm:${number}`;
}

const OPTIMIZERS = ['sgd', 'adam', 'adagrad', 'ftrl'] as const;
const SCHEDULES = ['constant', 'optimal', 'invscaling'] as const;
const DEFAULT_LR = { adam: 0.01, sgd: 0.05, adagrad: 0.1, ftrl: 0.1 } as const;

function finite(name: string, v: number, ok: (x: number) => boolean, what: string): number {
  if (typeof v !== 'number' || !Number.isFinite(v) || !ok(v)) throw new OptionError(name, `${name} must be ${what}, got ${String(v)}`);
  return v;
}

/**
 * Fills in and checks the optimizer fields of {@link LearnerOptions} (documented there); throws an
 * Error naming the option for a bad value or an impossible combination.
 */
export function resolveOptimizerOptions(options: LearnerOptions): ResolvedOptimizerOptions {
  const optimizer = options.optimizer ?? 'adam';
  if (!(OPTIMIZERS as readonly string[]).includes(optimizer)) throw new OptionError('optimizer', `optimizer must be one of ${OPTIMIZERS.join(', ')}, got ${JSON.stringify(optimizer)}`);
  const lrSchedule = options.lrSchedule ?? 'constant';
  if (!(SCHEDULES as readonly string[]).includes(lrSchedule)) throw new OptionError('lrSchedule', `lrSchedule must be one of ${SCHEDULES.join(', ')}, got ${JSON.stringify(lrSchedule)}`);
  if (lrSchedule !== 'constant' && optimizer !== 'sgd') throw new OptionError('lrSchedule', `lrSchedule "${lrSchedule}" needs optimizer "sgd", got "${optimizer}"`);
  if (optimizer === 'ftrl' && (options.model ?? 'logistic') !== 'logistic') {
    throw new OptionError('optimizer', 'optimizer "ftrl" needs model "logistic": FTRL-Proximal\'s closed-form weights are centred on 0 and would erase the MLP\'s random initialisation');
  }
  const positive = (x: number): boolean => x > 0;
  const nonNegative = (x: number): boolean => x >= 0;
  const unit = (x: number): boolean => x >= 0 && x < 1;
  const normalise = options.normalise ?? 'cumulative';
  parseNormalise(normalise);
  return {
    optimizer,
    learningRate: finite('learningRate', options.learningRate ?? DEFAULT_LR[optimizer], positive, 'a number > 0'),
    lrSchedule,
    alpha: finite('alpha', options.alpha ?? 1e-4, positive, 'a number > 0'),
    powerT: finite('powerT', options.powerT ?? 0.25, nonNegative, 'a number ≥ 0'),
    beta1: finite('beta1', options.beta1 ?? 0.9, unit, 'in [0, 1)'),
    beta2: finite('beta2', options.beta2 ?? 0.999, unit, 'in [0, 1)'),
    ftrlBeta: finite('ftrlBeta', options.ftrlBeta ?? 1, nonNegative, 'a number ≥ 0'),
    l1: finite('l1', options.l1 ?? 0, nonNegative, 'a number ≥ 0'),
    l2: finite('l2', options.l2 ?? 0, nonNegative, 'a number ≥ 0'),
    normalise,
  };
}

/** The engine's optimizer configuration from resolved options. */
export function optimizerConfig(o: ResolvedOptimizerOptions): OptimizerConfig {
  return { kind: o.optimizer, lrSchedule: o.lrSchedule, alpha: o.alpha, powerT: o.powerT, beta1: o.beta1, beta2: o.beta2, ftrlBeta: o.ftrlBeta, l1: o.l1, l2: o.l2 };
}
