import { loadSchema } from '../stream/schema';
import type { Schema } from '../types';
import { UsageError, type ParsedArgs } from './args';

/** The schema `--schema FILE` names, loaded and checked; undefined without the option. A bad file is a usage error naming it. */
export function schemaOption(args: ParsedArgs): Schema | undefined {
  const file = args.values.get('schema');
  if (file === undefined) return undefined;
  try {
    return loadSchema(file);
  } catch (err) {
    throw new UsageError(`--schema ${file}: ${(err as Error).message}`);
  }
}
