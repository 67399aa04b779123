// Splits argv into flag occurrences and positional arguments with kingpin's grammar: `--flag=value`,
// `--flag value`, bare `--bool` / `--no-bool`, and `--` ending the flags. Values stay text here; parse.ts turns
// them into typed values, so `--help` and `--version` can be answered before any value is judged.
// Deliberate differences from kingpin: `--bool=true|false` is accepted (kingpin treats the value as a stray
// argument), and a separate value may start with a single dash (`--polling-interval -5s`).

import { ConfigError } from './config-error.ts';
import { FLAGS, findFlag, isRepeatable, type FlagSpec } from './flags.ts';
import { parseGoBool } from './go-scalars.ts';

export interface FlagOccurrence {
  readonly flag: FlagSpec;
  /** As written, without any value: '--debug', '--no-debug', '--polling-interval'. */
  readonly spelled: string;
  /** Booleans are resolved here; everything else is the raw text. */
  readonly value: boolean | string;
}

export interface SplitArgs {
  readonly occurrences: readonly FlagOccurrence[];
  readonly positionals: readonly string[];
}

// Hidden kingpin flag some operators use interchangeably with --help.
const HELP_ALIASES = new Set(['help-long']);

function editDistance(a: string, b: string): number {
  const row = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i++) {
    let diagonal = row[0] as number;
    row[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const above = row[j] as number;
      row[j] = Math.min(above + 1, (row[j - 1] as number) + 1, diagonal + (a[i - 1] === b[j - 1] ? 0 : 1));
      diagonal = above;
    }
  }
  return row[b.length] as number;
}

function unknownFlag(spelled: string, name: string): ConfigError {
  let best: { name: string; distance: number } | undefined;
  for (const flag of FLAGS) {
    const distance = editDistance(name, flag.name);
    if (distance <= 3 && (best === undefined || distance < best.distance)) best = { name: flag.name, distance };
  }
  const hint = best ? ` (did you mean --${best.name}?)` : '';
  return new ConfigError(spelled, undefined, `is not a known flag${hint}`, 'the flags listed by --help');
}

function lookup(spelled: string, name: string): { flag: FlagSpec; negated: boolean } {
  const direct = HELP_ALIASES.has(name) ? findFlag('help') : findFlag(name);
  if (direct) return { flag: direct, negated: false };
  if (name.startsWith('no-')) {
    const base = findFlag(name.slice(3));
    if (base?.kind === 'bool') return { flag: base, negated: true };
    if (base) {
      throw new ConfigError(spelled, undefined, 'is not a flag (only boolean flags have a --no- form)', `--${base.name}=VALUE`);
    }
  }
  throw unknownFlag(spelled, name);
}

export function splitArgs(argv: readonly string[]): SplitArgs {
  const occurrences: FlagOccurrence[] = [];
  const positionals: string[] = [];
  const seen = new Map<string, string>();

  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i] as string;
    if (arg === '--') {
      positionals.push(...argv.slice(i + 1));
      break;
    }
    if (!arg.startsWith('-') || arg === '-') {
      positionals.push(arg);
      continue;
    }
    if (!arg.startsWith('--')) {
      throw new ConfigError(arg, undefined, 'is not a known flag (flags take two dashes)', 'the flags listed by --help');
    }

    const equals = arg.indexOf('=');
    const name = equals === -1 ? arg.slice(2) : arg.slice(2, equals);
    const inline = equals === -1 ? undefined : arg.slice(equals + 1);
    const spelled = `--${name}`;
    const { flag, negated } = lookup(spelled, name);

    let value: boolean | string;
    if (flag.kind === 'bool') {
      if (inline === undefined) {
        value = !negated;
      } else if (negated) {
        throw new ConfigError(spelled, inline, 'cannot take a value', `${spelled} alone, or --${flag.name}=true|false`);
      } else {
        const parsed = parseGoBool(inline);
        if (parsed === undefined) {
          throw new ConfigError(spelled, inline, 'is not a boolean', 'true, false, 1, 0, t, f, TRUE, FALSE, True, False');
        }
        value = parsed;
      }
    } else if (inline !== undefined) {
      value = inline;
    } else {
      const next = argv[i + 1];
      if (next === undefined || (next.startsWith('--') && next.length > 2) || next === '--') {
        throw new ConfigError(spelled, undefined, 'needs a value', `${spelled}=VALUE or ${spelled} VALUE`);
      }
      value = next;
      i++;
    }

    // kingpin refuses to see a single-valued flag twice (including --x together with --no-x); asking for
    // help twice is harmless, so that one is let through.
    const earlier = seen.get(flag.name);
    if (earlier !== undefined && !isRepeatable(flag) && flag.name !== 'help') {
      throw new ConfigError(
        spelled,
        typeof value === 'string' ? value : undefined,
        `repeats ${earlier}`,
        `--${flag.name} at most once (only list and map flags repeat)`,
      );
    }
    seen.set(flag.name, spelled);
    occurrences.push({ flag, spelled, value });
  }
  return { occurrences, positionals };
}
