// The process-facing edge of configuration: help and version go to stdout with exit code 0, a configuration
// mistake is one line on stderr with exit code 2 (the conventional usage-error code), and anything else
// returns the configuration to run with. The I/O is injected so this is testable without a child process.

import type { Config, ConfigWarning } from './config.ts';
import { ConfigError } from './config-error.ts';
import type { Environment } from './flag-values.ts';
import { parseCommandLine } from './parse.ts';
import { PROGRAM_NAME } from './version.ts';

export interface CliIo {
  stdout(s: string): void;
  stderr(s: string): void;
  exit(code: number): never;
}

export const EXIT_USAGE = 2;

export interface LoadedConfig {
  readonly kind: 'run' | 'plan';
  readonly config: Config;
  readonly warnings: ConfigWarning[];
}

export function loadConfigOrExit(argv: readonly string[], env: Environment, io: CliIo): LoadedConfig {
  let outcome;
  try {
    outcome = parseCommandLine(argv, env);
  } catch (error) {
    if (error instanceof ConfigError) {
      io.stderr(`${PROGRAM_NAME}: ${error.message}\n`);
      return io.exit(EXIT_USAGE);
    }
    throw error;
  }
  switch (outcome.kind) {
    case 'help':
    case 'version':
      io.stdout(outcome.text.endsWith('\n') ? outcome.text : `${outcome.text}\n`);
      return io.exit(0);
    default:
      return { kind: outcome.kind, config: outcome.config, warnings: outcome.warnings };
  }
}
