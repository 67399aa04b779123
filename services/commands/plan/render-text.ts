// The plan as an operator reads it in a terminal: one block per stack, headed by what would happen to it.
import type { IngressRef } from '../../planning/types/ingress.ts';
import { appendKey, formatChanges, formatDocumentDiff, type Change } from './document-diff.ts';
import { isoTime, type PlanReport, type StackPlan } from './plan-report.ts';

const INDENT = '  ';

export function renderText(report: PlanReport): string[] {
  const env = report.environment;
  const c = report.counts;
  const lines: string[] = [
    `Plan for cluster ${env.clusterId} in ${env.region} (VPC ${env.vpcId}, security group ${env.securityGroupId}) at ${isoTime(report.at)}`,
    `Read ${count(c.ingresses, 'ingress', 'ingresses')}, ${count(c.routeGroups, 'route group')}, ` +
      `${count(c.certificates, 'certificate')} and ${count(c.managedStacks, 'managed stack')}. Plan mode changed nothing.`,
  ];

  if (report.stopped !== undefined) {
    lines.push('', report.stopped);
  } else if (report.stacks.length === 0) {
    lines.push('', 'No load balancer is needed and no managed stack exists.');
  }
  for (const stack of report.stacks) lines.push('', ...renderStack(stack));

  section(lines, 'Ingresses without a load balancer:', report.unserved.map((u) => `${ref(u.ref)}: ${u.reason}`));
  section(lines, 'Cluster-local (no load balancer; the status hostname would be cleared):', report.clusterLocal.map(ref));
  section(lines, 'Warning Events the controller would record (plan mode writes none):', report.objectWarnings.map((w) => `${ref(w.ref)}: ${w.message}`));
  section(lines, 'Managed stacks the controller would leave alone:', report.untouched.map((s) => `${s.name} (${s.status})`));
  section(lines, 'Notes:', report.notes);

  if (report.stopped === undefined) lines.push('', summaryLine(report));
  return lines;
}

export function summaryLine(report: PlanReport): string {
  const n = (change: StackPlan['change']) => report.stacks.filter((s) => s.change === change).length;
  return `Summary: ${n('create')} to create, ${n('update')} to update, ${n('delete')} to delete, ${n('unchanged')} unchanged, ${n('draining')} draining.`;
}

function renderStack(stack: StackPlan): string[] {
  const status = stack.status === '' ? '' : ` (${stack.status})`;
  const lines: string[] = [];
  switch (stack.change) {
    case 'create':
      lines.push(`create ${stack.name}`);
      break;
    case 'update':
      lines.push(`update ${stack.name}${status}`);
      break;
    case 'delete':
      lines.push(`delete ${stack.name}${status}: ${stack.reason}`);
      break;
    case 'unchanged':
      lines.push(`unchanged ${stack.name}${status}`);
      break;
    case 'draining':
      lines.push(`draining until ${isoTime(stack.drainingUntil ?? 0)}: ${stack.name}${status}`);
      break;
  }
  const lb = stack.loadBalancer;
  const kind = [lb.scheme, lb.type === '' ? 'legacy' : lb.type, lb.shared ? 'shared' : `owned by ${lb.owner}`].join(', ');
  lines.push(`${INDENT}load balancer: ${kind}`);
  if (lb.certificates.length > 0) lines.push(`${INDENT}certificates: ${lb.certificates.join(', ')}`);
  lines.push(`${INDENT}ingresses: ${lb.ingresses.length === 0 ? 'none' : lb.ingresses.map(ref).join(', ')}`);
  if (stack.change === 'update') {
    if (stack.reason !== '') lines.push(`${INDENT}note: ${stack.reason}`);
    if (stack.drainingUntil !== null) lines.push(`${INDENT}then draining until ${isoTime(stack.drainingUntil)}`);
    if (stack.diff) lines.push(...formatDocumentDiff(stack.diff, { indent: INDENT }));
  }
  if (stack.change === 'create' && stack.desired) lines.push(...renderNewDocument(stack.desired));
  return lines;
}

/** A new stack: its parameters and tags, and its resources by logical id (the template body would be noise). */
function renderNewDocument(document: NonNullable<StackPlan['desired']>): string[] {
  const added = (record: Readonly<Record<string, unknown>>, prefix = ''): Change[] =>
    Object.keys(record).sort().map((key) => ({ kind: 'added', path: prefix === '' ? key : appendKey(prefix, key), after: record[key] }));
  const resources = (document.template as { Resources?: Record<string, unknown> }).Resources ?? {};
  const lines: string[] = [];
  for (const [title, changes] of [
    ['parameters', added(document.parameters)],
    ['tags', added(document.tags)],
    ['template', added(resources, 'Resources')],
  ] as const) {
    if (changes.length > 0) lines.push(`${INDENT}${title}:`, ...formatChanges(changes, { indent: INDENT.repeat(2) }));
  }
  return lines;
}

function section(lines: string[], title: string, items: readonly string[]): void {
  if (items.length === 0) return;
  lines.push('', title, ...items.map((i) => `${INDENT}${i}`));
}

function ref(r: IngressRef): string {
  return `${r.kind} ${r.namespace}/${r.name}`;
}

function count(n: number, singular: string, plural = `${singular}s`): string {
  return `${n} ${n === 1 ? singular : plural}`;
}
