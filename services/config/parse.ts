// The command line and environment to a validated, frozen Config (or a request for help or the version).
// --help and --version are answered before anything is validated, so they work without the otherwise required
// --target-access-mode (upstream needs it even for --version; that is a bug we do not copy).

import { splitArgs } from './argv.ts';
import { buildConfig } from './build-config.ts';
import type { Config, ConfigWarning } from './config.ts';
import { ConfigError } from './config-error.ts';
import { deepFreeze } from './deep-freeze.ts';
import { FlagValues, type Environment } from './flag-values.ts';
import { renderHelp } from './help.ts';
import { versionText } from './version.ts';

export { ConfigError } from './config-error.ts';

export type ParseOutcome =
  | { kind: 'run' | 'plan'; config: Config; warnings: ConfigWarning[] }
  | { kind: 'help'; text: string }
  | { kind: 'version'; text: string };

/** The only positional argument: read-only plan mode. */
export const PLAN_COMMAND = 'plan';

/** @throws ConfigError for anything an operator got wrong. */
export function parseCommandLine(argv: readonly string[], env: Environment): ParseOutcome {
  const { occurrences, positionals } = splitArgs(argv);

  const lastBool = (name: string): boolean => {
    const mine = occurrences.filter((o) => o.flag.name === name);
    return mine.length > 0 && mine[mine.length - 1]?.value === true;
  };
  if (lastBool('help')) return { kind: 'help', text: renderHelp() };
  if (lastBool('version')) return { kind: 'version', text: versionText() };

  const [first, ...rest] = positionals;
  if (first !== undefined && first !== PLAN_COMMAND) {
    throw new ConfigError('', undefined, `unexpected argument ${JSON.stringify(first)}`, `no argument, or "${PLAN_COMMAND}" once`);
  }
  if (rest.length > 0) {
    throw new ConfigError('', undefined, `unexpected argument ${JSON.stringify(rest[0])} after "${PLAN_COMMAND}"`, `no argument, or "${PLAN_COMMAND}" once`);
  }

  const values = FlagValues.resolve(occurrences, env);
  const { config, warnings } = buildConfig(values, env);
  return { kind: first === PLAN_COMMAND ? 'plan' : 'run', config: deepFreeze(config), warnings };
}
