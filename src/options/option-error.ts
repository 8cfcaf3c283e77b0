/**
 * A library option, argument or state that cannot be used: thrown by createLearner, learnMany,
 * setState, the collector and runExperiment's configuration, before anything changed. `option` names
 * what is wrong ("learningRate", "dedup.key", "labels", "state.params", …); the message says what was
 * expected and what was given, in the words the CLI uses (which maps this error to exit code 2).
 */
export class OptionError extends Error {
  override name = 'OptionError';

  constructor(readonly option: string, message: string) {
    super(message);
  }
}
