// Turns flag occurrences, environment variables and defaults into one typed value per flag, with kingpin's
// precedence: command line, then the flag's environment variable (if set and non-empty), then the default.
// Every conversion failure becomes a ConfigError naming the flag and, for environment values, the variable.

import type { FlagOccurrence } from './argv.ts';
import { ConfigError } from './config-error.ts';
import { GoDurationError, parseGoDuration } from './duration.ts';
import { FLAGS, formatDefault, type FlagKind, type FlagSpec } from './flags.ts';
import { GoNumberError, parseGoBool, parseGoInt, parseGoUint } from './go-scalars.ts';

export type Environment = Readonly<Record<string, string | undefined>>;

type TypedValue = boolean | string | number | undefined | readonly string[] | Readonly<Record<string, string>>;

interface Resolved {
  readonly value: TypedValue;
  /** The text the value came from, for messages; the formatted default when nothing was given. */
  readonly text: string;
  /** Environment variable the value came from, if any. */
  readonly env?: string;
  readonly given: boolean;
}

const DURATION_EXAMPLES = 'a Go duration such as 300ms, 30s, 5m, 1h30m or 1.5h';

function convertScalar(flag: FlagSpec, text: string, env: string | undefined): TypedValue {
  const spelled = `--${flag.name}`;
  switch (flag.kind) {
    case 'bool': {
      const parsed = parseGoBool(text);
      if (parsed === undefined) throw new ConfigError(spelled, text, 'is not a boolean', 'true or false', env);
      return parsed;
    }
    case 'string':
      return text;
    case 'duration':
      try {
        return parseGoDuration(text);
      } catch (error) {
        if (!(error instanceof GoDurationError)) throw error;
        const why =
          error.problem === 'missing-unit'
            ? 'has no unit'
            : error.problem === 'unknown-unit'
              ? `has unknown unit ${JSON.stringify(error.unit)}`
              : 'is not a duration';
        throw new ConfigError(spelled, text, why, `${DURATION_EXAMPLES} (units ns, us, ms, s, m, h)`, env);
      }
    case 'uint':
    case 'int':
      try {
        return Number(flag.kind === 'uint' ? parseGoUint(text) : parseGoInt(text));
      } catch (error) {
        if (!(error instanceof GoNumberError)) throw error;
        const what = flag.kind === 'uint' ? 'an unsigned integer' : 'an integer';
        const limits = flag.kind === 'uint' ? '0..18446744073709551615' : '-9223372036854775808..9223372036854775807';
        const why = error.problem === 'range' ? 'is out of range' : `is not ${what}`;
        throw new ConfigError(spelled, text, why, `${what} in ${limits}`, env);
      }
    case 'enum':
      if (!flag.values.includes(text)) {
        throw new ConfigError(spelled, text, 'is not one of the allowed values', flag.values.join(', '), env);
      }
      return text;
    case 'strings':
    case 'map':
      throw new Error(`--${flag.name} is not a scalar flag`);
  }
}

function convertMap(flag: FlagSpec, texts: readonly string[]): Readonly<Record<string, string>> {
  const map: Record<string, string> = {};
  for (const text of texts) {
    const equals = text.indexOf('=');
    // kingpin accepts an empty key, but AWS rejects an empty tag key on every stack update: refuse it up front.
    if (equals <= 0) {
      throw new ConfigError(`--${flag.name}`, text, 'is not KEY=VALUE', 'KEY=VALUE with a non-empty KEY (VALUE may contain "=")');
    }
    map[text.slice(0, equals)] = text.slice(equals + 1);
  }
  return map;
}

function resolve(flag: FlagSpec, occurrences: readonly FlagOccurrence[], env: Environment): Resolved {
  if (occurrences.length > 0) {
    const texts = occurrences.map((o) => (typeof o.value === 'string' ? o.value : String(o.value)));
    if (flag.kind === 'strings') return { value: texts, text: texts.join(','), given: true };
    if (flag.kind === 'map') return { value: convertMap(flag, texts), text: texts.join(' '), given: true };
    const last = occurrences[occurrences.length - 1] as FlagOccurrence;
    const text = texts[texts.length - 1] as string;
    const value = typeof last.value === 'boolean' ? last.value : convertScalar(flag, text, undefined);
    return { value, text, given: true };
  }

  const fromEnv = flag.env === undefined ? undefined : env[flag.env];
  if (flag.env !== undefined && fromEnv !== undefined && fromEnv !== '') {
    return { value: convertScalar(flag, fromEnv, flag.env), text: fromEnv, env: flag.env, given: true };
  }
  return { value: flag.default, text: formatDefault(flag), given: false };
}

/** One typed value per flag. The getters check the kind, so a name typo in a caller fails loudly. */
export class FlagValues {
  private constructor(private readonly resolved: ReadonlyMap<string, { flag: FlagSpec; resolved: Resolved }>) {}

  static resolve(occurrences: readonly FlagOccurrence[], env: Environment): FlagValues {
    const byFlag = new Map<string, { flag: FlagSpec; resolved: Resolved }>();
    for (const flag of FLAGS) {
      const mine = occurrences.filter((o) => o.flag === flag);
      byFlag.set(flag.name, { flag, resolved: resolve(flag, mine, env) });
    }
    return new FlagValues(byFlag);
  }

  private entry(name: string, kind: FlagKind): Resolved {
    const found = this.resolved.get(name);
    if (!found) throw new Error(`no flag --${name}`);
    if (found.flag.kind !== kind) throw new Error(`--${name} is a ${found.flag.kind} flag, not ${kind}`);
    return found.resolved;
  }

  private anyEntry(name: string): Resolved {
    const found = this.resolved.get(name);
    if (!found) throw new Error(`no flag --${name}`);
    return found.resolved;
  }

  bool(name: string): boolean {
    return this.entry(name, 'bool').value as boolean;
  }
  string(name: string): string {
    return this.entry(name, 'string').value as string;
  }
  /** Milliseconds. */
  duration(name: string): number {
    return this.entry(name, 'duration').value as number;
  }
  uint(name: string): number {
    return this.entry(name, 'uint').value as number;
  }
  int(name: string): number {
    return this.entry(name, 'int').value as number;
  }
  /** undefined only for a required enum that was not given. */
  enum(name: string): string | undefined {
    return this.entry(name, 'enum').value as string | undefined;
  }
  strings(name: string): readonly string[] {
    return this.entry(name, 'strings').value as readonly string[];
  }
  map(name: string): Readonly<Record<string, string>> {
    return this.entry(name, 'map').value as Readonly<Record<string, string>>;
  }

  /** The text behind the value, as the operator wrote it (or the formatted default). */
  text(name: string): string {
    return this.anyEntry(name).text;
  }
  /** The environment variable the value came from, if it did. */
  envSource(name: string): string | undefined {
    return this.anyEntry(name).env;
  }
  given(name: string): boolean {
    return this.anyEntry(name).given;
  }
}
