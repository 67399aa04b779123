import type { Config, ConfigWarning } from '../../../services/config/config.ts';
import { ConfigError, parseCommandLine } from '../../../services/config/parse.ts';

export const HOST_PORT = '--target-access-mode=HostPort';

export type Env = Record<string, string | undefined>;

/** Parses expecting a runnable configuration; fails the test on help/version. */
export function parseRun(
  argv: readonly string[],
  env: Env = {},
): { kind: 'run' | 'plan'; config: Config; warnings: ConfigWarning[] } {
  const outcome = parseCommandLine(argv, env);
  if (outcome.kind !== 'run' && outcome.kind !== 'plan') throw new Error(`expected run or plan, got ${outcome.kind}`);
  return outcome;
}

/** Config for the given flags plus --target-access-mode=HostPort. */
export function configOf(args: readonly string[], env: Env = {}): Config {
  return parseRun([HOST_PORT, ...args], env).config;
}

/** The ConfigError parsing throws; fails the test when parsing succeeds or throws something else. */
export function configErrorOf(argv: readonly string[], env: Env = {}): ConfigError {
  try {
    parseCommandLine(argv, env);
  } catch (error) {
    if (error instanceof ConfigError) return error;
    throw error;
  }
  throw new Error(`expected a ConfigError for ${JSON.stringify(argv)}`);
}
