import { test } from 'node:test';
import assert from 'node:assert/strict';
import { params, param } from '../../src/show/notebook-params';
import { OptionError } from '../../src/options/option-error';
import { SCENARIO_NAMES, type ScenarioName } from '../../src/stream/scenarios';

const DEFAULTS = { LAMBDA: 0.1, SEED: 1, EVENTS: 20_000, SCENARIO: 'stationary', PLOTS: true };
const CHOICES = { SCENARIO: SCENARIO_NAMES };

test('without the environment: the defaults, typed (a parameter with choices as one of them)', () => {
  const p = params(DEFAULTS, { env: {}, choices: CHOICES });
  assert.deepEqual(p, DEFAULTS);
  const scenario: ScenarioName = p.SCENARIO; // compile-time: the choices type, not string
  const lambda: number = p.LAMBDA;
  const plots: boolean = p.PLOTS;
  assert.equal(typeof scenario + typeof lambda + typeof plots, 'stringnumberboolean');
});

test('ONTHEFLY_<NAME> overrides, read as the default\'s type; blank or unset variables keep the default', () => {
  const env = { ONTHEFLY_LAMBDA: ' 1e-2 ', ONTHEFLY_EVENTS: '5_000', ONTHEFLY_SCENARIO: 'abrupt', ONTHEFLY_SEED: '  ', ONTHEFLY_PLOTS: 'off', LAMBDA: '7' };
  assert.deepEqual(params(DEFAULTS, { env, choices: CHOICES }), { LAMBDA: 0.01, SEED: 1, EVENTS: 5000, SCENARIO: 'abrupt', PLOTS: false });
  for (const [text, value] of [['1', true], ['TRUE', true], ['yes', true], ['0', false], ['No', false]] as const) {
    assert.equal(params({ PLOTS: false }, { env: { ONTHEFLY_PLOTS: text } }).PLOTS, value, text);
  }
  assert.equal(params({ SEED: 'a' }, { env: { ONTHEFLY_SEED: '7' } }).SEED, '7', 'a string default stays a string');
  assert.equal(params({ N: 1 }, { env: { N: '-3.5' }, prefix: '' }).N, -3.5, 'prefix option');
});

test('process.env is the default source', () => {
  process.env.ONTHEFLY_TEST_PARAM_X = '42';
  try {
    assert.equal(params({ TEST_PARAM_X: 1 }).TEST_PARAM_X, 42);
  } finally {
    delete process.env.ONTHEFLY_TEST_PARAM_X;
  }
});

function fails(fn: () => unknown, option: string, message: RegExp): void {
  assert.throws(fn, (e: unknown) => e instanceof OptionError && e.option === option && message.test(e.message) && !e.message.includes('\n'));
}

test('a value that does not read is one line naming the variable', () => {
  fails(() => params(DEFAULTS, { env: { ONTHEFLY_LAMBDA: 'abc' } }), 'ONTHEFLY_LAMBDA', /ONTHEFLY_LAMBDA must be a number .*"abc"/);
  fails(() => params(DEFAULTS, { env: { ONTHEFLY_EVENTS: '20k' } }), 'ONTHEFLY_EVENTS', /must be a number/);
  fails(() => params(DEFAULTS, { env: { ONTHEFLY_EVENTS: '0x10' } }), 'ONTHEFLY_EVENTS', /must be a number/);
  fails(() => params(DEFAULTS, { env: { ONTHEFLY_PLOTS: 'maybe' } }), 'ONTHEFLY_PLOTS', /must be true or false/);
  fails(() => params(DEFAULTS, { env: { ONTHEFLY_SCENARIO: 'nope' }, choices: CHOICES }), 'ONTHEFLY_SCENARIO', /must be one of stationary, abrupt/);
  fails(() => params({ ...DEFAULTS, SCENARIO: 'typo' }, { env: {}, choices: CHOICES }), 'SCENARIO', /the default of SCENARIO must be one of/);
  fails(() => params(DEFAULTS, { env: {}, choices: { NOPE: ['a'] } as never }), 'choices', /NOPE/);
  fails(() => params({ X: null } as never, { env: {} }), 'X', /must be a number, a string or a boolean/);
});

test('param: one name at a time, the same reading as params', () => {
  const env = { ONTHEFLY_LAMBDA: '1', ONTHEFLY_SCENARIO: 'storm', ONTHEFLY_PLOTS: 'no' };
  const lambda: number = param('LAMBDA', 0.1, { env });
  const seed: number = param('SEED', 1, { env });
  const scenario: ScenarioName = param('SCENARIO', 'stationary', SCENARIO_NAMES, { env });
  const plots: boolean = param('PLOTS', true, { env });
  const name: string = param('NAME', 'x', { env: { X_NAME: 'y' }, prefix: 'X_' });
  assert.deepEqual([lambda, seed, scenario, plots, name], [1, 1, 'storm', false, 'y']);
  assert.equal(param('SCENARIO', 'stationary', SCENARIO_NAMES, { env: {} }), 'stationary');
  fails(() => param('SCENARIO', 'stationary', SCENARIO_NAMES, { env: { ONTHEFLY_SCENARIO: 'x' } }), 'ONTHEFLY_SCENARIO', /must be one of/);
  fails(() => param('LAMBDA', 0.1, { env: { ONTHEFLY_LAMBDA: 'x' } }), 'ONTHEFLY_LAMBDA', /must be a number/);
  fails(() => param('', 1), 'name', /non-empty/);
});
