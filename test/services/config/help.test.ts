import { readFileSync } from 'node:fs';
import { describe, it, expect } from 'vitest';
import { FLAGS, formatDefault, formatKind } from '../../../services/config/flags.ts';
import { describeFlag, renderHelp } from '../../../services/config/help.ts';

const help = renderHelp();
const helpLines = help.split('\n');
const docs = readFileSync(new URL('../../../docs/flags.md', import.meta.url), 'utf8');
const docsLines = docs.split('\n');

function rowOf(lines: readonly string[], start: string): string {
  const row = lines.find((line) => line.startsWith(start));
  if (row === undefined) throw new Error(`no line starting with ${JSON.stringify(start)}`);
  return row;
}

describe('renderHelp', () => {
  it('starts with the usage line', () => {
    expect(helpLines[0]).toBe('usage: kube-ingress-aws-controller [plan] [<flags>]');
  });

  it('lists every flag once', () => {
    expect(FLAGS.length).toBe(67);
    for (const flag of FLAGS) {
      expect(helpLines.filter((line) => line.startsWith(`  --${flag.name} `) || line === `  --${flag.name}`)).toHaveLength(1);
    }
  });

  it.each(FLAGS.map((f) => [f.name, f] as const))('--%s row shows type, default and env var', (name, flag) => {
    const cells = rowOf(helpLines, `  --${name} `).trim().split(/\s{2,}/);
    expect(cells[0]).toBe(`--${name}`);
    expect(cells[1]).toBe(formatKind(flag));
    expect(cells[2]).toBe(formatDefault(flag));
    expect(cells[3]).toBe(flag.env);
  });

  it('aligns the columns', () => {
    const header = rowOf(helpLines, '  FLAG ');
    const typeColumn = header.indexOf('TYPE');
    for (const flag of FLAGS) {
      expect(rowOf(helpLines, `  --${flag.name} `).indexOf(formatKind(flag), `  --${flag.name}`.length)).toBe(typeColumn);
    }
  });

  it('shows durations in Go format', () => {
    expect(rowOf(helpLines, '  --creation-timeout ')).toMatch(/\b5m0s\b/);
    expect(rowOf(helpLines, '  --polling-interval ')).toMatch(/\b30s\b/);
    expect(rowOf(helpLines, '  --cert-ttl-timeout ')).toMatch(/\b1h0m0s\b/);
  });

  it('marks the required flag and lists enum values', () => {
    expect(rowOf(helpLines, '  --target-access-mode ')).toContain('(required)');
    expect(help).toContain('One of: HostPort, AWSCNI, Legacy.');
    expect(help).toContain('ELBSecurityPolicy-TLS13-1-3-2021-06');
  });

  it('documents CUSTOM_FILTERS and the plan argument', () => {
    expect(help).toContain('CUSTOM_FILTERS');
    expect(help).toMatch(/^ {2}plan /m);
  });

  it('wraps descriptions to 100 columns', () => {
    const descriptionLines = helpLines.filter((line) => line.startsWith('      '));
    expect(descriptionLines.length).toBeGreaterThan(FLAGS.length);
    for (const line of descriptionLines) expect(line.length).toBeLessThanOrEqual(100);
  });
});

describe('docs/flags.md', () => {
  it.each(FLAGS.map((f) => [f.name, f] as const))('documents --%s as the help does', (name, flag) => {
    const cells = rowOf(docsLines, `| \`--${name}\` |`)
      .split(/(?<!\\)\|/)
      .slice(1, -1)
      .map((cell) => cell.trim().replace(/\\\|/g, '|'));
    expect(cells[1]).toBe(formatKind(flag));
    expect(cells[2]).toBe(`\`${formatDefault(flag)}\``);
    expect(cells[3]).toBe(flag.env ? `\`${flag.env}\`` : '–');
    expect(cells[4]).toBe(describeFlag(flag));
  });

  it('documents no flag the parser does not know', () => {
    const start = docsLines.indexOf('## Flags');
    const end = docsLines.findIndex((line, i) => i > start && line.startsWith('## '));
    const documented = docsLines
      .slice(start, end)
      .filter((line) => line.startsWith('| `--'))
      .map((line) => /^\| `--([a-z0-9-]+)`/.exec(line)?.[1]);
    expect(documented).toEqual(FLAGS.map((f) => f.name));
  });
});
