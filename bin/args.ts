import { parseArgs, type ParseArgsConfig } from 'node:util';

/** A subcommand: receives its own arguments, prints, and returns the exit code. */
export type Command = (argv: string[]) => Promise<number>;

export class UsageError extends Error {
  override name = 'UsageError';
}

/**
 * node:util parseArgs with errors turned into UsageError (exit 2), so every subcommand reports
 * unknown or malformed options the same way.
 */
export function parseCommandArgs<T extends NonNullable<ParseArgsConfig['options']>>(argv: string[], options: T) {
  try {
    return parseArgs({ args: argv, options, allowPositionals: true, strict: true });
  } catch (err) {
    throw new UsageError(err instanceof Error ? err.message : String(err));
  }
}
