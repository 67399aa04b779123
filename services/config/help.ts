// The --help text, rendered from the flag table: one aligned row per flag (name, type, default, environment
// variable) with its description wrapped underneath.

import { CUSTOM_FILTERS_ENV } from './custom-filters.ts';
import { FLAGS, formatDefault, formatKind, type FlagSpec } from './flags.ts';
import { PROGRAM_NAME } from './version.ts';

const WIDTH = 100;
const DESCRIPTION_INDENT = '      ';

function wrap(text: string, indent: string, width = WIDTH): string[] {
  const lines: string[] = [];
  let line = '';
  for (const word of text.split(/\s+/).filter((w) => w !== '')) {
    if (line !== '' && indent.length + line.length + 1 + word.length > width) {
      lines.push(indent + line);
      line = word;
    } else {
      line = line === '' ? word : `${line} ${word}`;
    }
  }
  if (line !== '') lines.push(indent + line);
  return lines;
}

/** The description shown under a flag, including what the table columns cannot hold. */
export function describeFlag(flag: FlagSpec): string {
  let text = flag.help;
  if (flag.kind === 'enum') text += ` One of: ${flag.values.join(', ')}.`;
  if (flag.ours) text += ' (Not in the Go controller.)';
  return text;
}

function table(rows: readonly (readonly string[])[]): string[] {
  const widths: number[] = [];
  for (const row of rows) row.forEach((cell, i) => (widths[i] = Math.max(widths[i] ?? 0, cell.length)));
  return rows.map((row) => `  ${row.map((cell, i) => cell.padEnd(widths[i] ?? 0)).join('  ')}`.trimEnd());
}

export function renderHelp(): string {
  const rows = [['FLAG', 'TYPE', 'DEFAULT', 'ENV'], ...FLAGS.map((f) => [`--${f.name}`, formatKind(f), formatDefault(f), f.env ?? ''])];
  const [header, ...flagRows] = table(rows);

  const lines: string[] = [
    `usage: ${PROGRAM_NAME} [plan] [<flags>]`,
    '',
    ...wrap(
      'Kubernetes ingress controller for AWS: turns Ingress and RouteGroup resources into Application and Network ' +
        'Load Balancers managed through CloudFormation. A drop-in replacement for the Go controller ' +
        'zalando-incubator/kube-ingress-aws-controller v0.18: same flags, annotations and stacks.',
      '',
    ),
    '',
    'Arguments:',
    '  plan  Read-only plan mode: work out what the controller would change, without changing anything.',
    '',
    'Flags:',
    ...wrap(
      'Write --flag=value or --flag value. Boolean flags also take --no-flag. Flags of type strings... and ' +
        'KEY=VALUE... may be repeated; giving one replaces its default. Durations use Go syntax (300ms, 30s, 5m, ' +
        '1h30m, 1.5h). A flag beats its environment variable; an empty variable counts as unset.',
      '  ',
    ),
    '',
    header ?? '',
  ];
  FLAGS.forEach((flag, i) => {
    lines.push(flagRows[i] ?? '');
    lines.push(...wrap(describeFlag(flag), DESCRIPTION_INDENT));
  });
  lines.push(
    '',
    'Environment:',
    `  ${CUSTOM_FILTERS_ENV}`,
    ...wrap(
      'Whitespace-separated name=value1,value2 terms replacing the default EC2 instance filters and ASG tag ' +
        'filters, e.g. "tag:kubernetes.io/cluster/prod=owned tag-key=node-role". A term without exactly one "=" ' +
        'makes the whole variable ignored (with a warning), as upstream.',
      DESCRIPTION_INDENT,
    ),
    '',
  );
  return lines.join('\n');
}
