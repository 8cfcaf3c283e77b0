import { isScenarioName, SCENARIO_NAMES, type ScenarioName } from '../stream/scenarios';
import { UsageError, type ParsedArgs } from './args';

/** `--scenario NAME` (default "stationary"), or a usage error naming the known scenarios. */
export function scenarioOption(args: ParsedArgs): ScenarioName {
  const scenario = args.values.get('scenario') ?? 'stationary';
  if (!isScenarioName(scenario)) throw new UsageError(`unknown scenario "${scenario}" (known: ${SCENARIO_NAMES.join(', ')})`);
  return scenario;
}
