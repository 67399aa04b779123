// Checks every template a scenario run produced: against the official CloudFormation resource specification
// (golden files only say what the project believes a template looks like, not what CloudFormation accepts), and
// for Go's exact json.MarshalIndent layout (upstream-behaviour.md §3.2), which a comparison by JSON value cannot
// see. Checked: every TemplateBody sent with CreateStack/UpdateStack, and the final template of every stack the
// scenario did not seed (seeded ones are fixture input).
import type { ResourceSpecChecker } from '../../helpers/resource-spec.ts';
import type { ScenarioResult } from '../../../tools/scenario/runner.ts';
import type { Scenario } from '../../../tools/scenario/scenario-file.ts';

interface Sent {
  readonly what: string;
  readonly body: string;
}

function sentBodies(result: ScenarioResult): Sent[] {
  return result.calls.flatMap((call, i) => {
    const body = (call.input as { TemplateBody?: unknown } | undefined)?.TemplateBody;
    if (call.service !== 'cloudformation' || typeof body !== 'string') return [];
    return [{ what: `calls[${i}] ${call.action}`, body }];
  });
}

// §3.2: struct fields of the vendored schema are alphabetical and maps are sorted by bytes, so every object is
// bytewise sorted except the few structs whose declaration order is not alphabetical.
const FIXED_ORDER: Record<string, readonly string[]> = {
  template: ['AWSTemplateFormatVersion', 'Description', 'Parameters', 'Resources', 'Outputs'],
  parameter: ['Type', 'Default', 'Description'],
  resource: ['Type', 'Properties'],
  output: ['Description', 'Value'],
};

const byBytes = (a: string, b: string) => Buffer.compare(Buffer.from(a), Buffer.from(b));

function goOrdered(value: unknown, kind: keyof typeof FIXED_ORDER | 'other' = 'other'): unknown {
  if (Array.isArray(value)) return value.map((v) => goOrdered(v));
  if (typeof value !== 'object' || value === null) return value;
  const entries = Object.entries(value as Record<string, unknown>);
  const fixed = kind === 'other' ? undefined : FIXED_ORDER[kind];
  const rank = (k: string) => (fixed ? (fixed.includes(k) ? fixed.indexOf(k) : fixed.length) : 0);
  entries.sort(([a], [b]) => rank(a) - rank(b) || byBytes(a, b));
  const child = (key: string): keyof typeof FIXED_ORDER | 'other' => {
    if (kind !== 'template') return 'other';
    return ({ Parameters: 'parameter', Resources: 'resource', Outputs: 'output' } as const)[key as 'Parameters'] ?? 'other';
  };
  return Object.fromEntries(entries.map(([k, v]) => {
    const section = child(k);
    if (section === 'other') return [k, goOrdered(v)];
    // A section is a map of named entries, each of which has the fixed field order.
    const named = Object.entries(v as Record<string, unknown>).sort(([a], [b]) => byBytes(a, b));
    return [k, Object.fromEntries(named.map(([n, e]) => [n, goOrdered(e, section)]))];
  }));
}

/**
 * json.MarshalIndent(v, "", "    ") of Go 1.22 and later (upstream builds with 1.25), which escapes like
 * JSON.stringify apart from its HTML-safe escaping of <, >, & and the two JavaScript line separators.
 */
function goMarshalIndent(value: unknown): string {
  return JSON.stringify(value, null, 4).replace(/[<>&\u2028\u2029]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}

export function checkProducedTemplates(result: ScenarioResult, scenario: Scenario, checker: ResourceSpecChecker): string[] {
  const problems: string[] = [];
  const checked = new Set<string>();
  const check = (what: string, template: unknown) => {
    const key = JSON.stringify(template);
    if (checked.has(key)) return;
    checked.add(key);
    for (const p of checker.validateTemplate(template)) problems.push(`${what}: ${p.path}: ${p.message}`);
  };
  for (const { what, body } of sentBodies(result)) {
    let parsed: unknown;
    try {
      parsed = JSON.parse(body);
    } catch {
      problems.push(`${what}: TemplateBody is not JSON`);
      continue;
    }
    if (goMarshalIndent(goOrdered(parsed, 'template')) !== body) problems.push(`${what}: TemplateBody is not laid out as Go's MarshalIndent`);
    check(what, parsed);
  }
  const seeded = new Set((scenario.aws.stacks ?? []).map((s) => s.name));
  for (const stack of result.stacks) if (!seeded.has(stack.name)) check(`stack ${stack.name}`, stack.template);
  return problems;
}
