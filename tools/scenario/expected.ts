// Compares a scenario result with a conformance `expected.json` (docs/scenarios.md): each expected
// stack matches exactly one result stack (same count), template/parameters/tags as JSON values, status as a
// string, name by prefix; each expected status carries its stack's LoadBalancerDNSName output, lower-cased.
import { isDeepStrictEqual } from 'node:util';
import type { ScenarioResult } from './runner.ts';

export interface ExpectedStack {
  namePrefix?: string;
  status?: string;
  /** CreateStack's TimeoutInMinutes (from --creation-timeout). */
  timeoutInMinutes?: number;
  terminationProtection?: boolean;
  template?: unknown;
  parameters?: Record<string, string>;
  tags?: Record<string, string>;
}

export interface ExpectedStatus {
  kind: string;
  namespace: string;
  name: string;
  hostnames: string[];
}

export interface ExpectedEvent {
  kind: string;
  namespace: string;
  name: string;
  type?: string;
  reason?: string;
  /** Substring of the message. */
  messageContains?: string;
}

export interface Expected {
  stacks?: ExpectedStack[];
  statuses?: ExpectedStatus[];
  /**
   * Our golden extension: the exact, ordered list of mutating CloudFormation calls as `service:Action` or
   * `service:Action@<RFC3339>` (time compared only when given).
   */
  mutations?: string[];
  /** The same for the target calls (Auto Scaling attach/detach, ELBv2 register/deregister). */
  targetMutations?: string[];
  /**
   * The exact, ordered ELBv2 RegisterTargets/DeregisterTargets calls with what they carried (the AWS CNI
   * goldens): `at` is compared only when given.
   */
  targetCalls?: ExpectedTargetCall[];
  /** Exact list of reconcile problems. */
  problems?: string[];
  /** Each must be present among the Kubernetes Events (others may exist too). */
  events?: ExpectedEvent[];
  /** Exact number of Kubernetes Events. */
  eventCount?: number;
  /**
   * Every status write in order, as `Kind namespace/name=hostname@<RFC3339>` (an empty hostname is a clear): pins
   * when a status is written, not only what it ends as.
   */
  statusWrites?: string[];
}

export interface ExpectedTargetCall {
  at?: string;
  action: 'RegisterTargets' | 'DeregisterTargets';
  TargetGroupArn: string;
  Targets: { Id: string; Port?: number }[];
}

const DNS_PLACEHOLDER = '<LoadBalancerDNSName of the stack>';

function stackMismatches(exp: ExpectedStack, got: ScenarioResult['stacks'][number]): string[] {
  const out: string[] = [];
  if (exp.namePrefix !== undefined && !got.name.startsWith(exp.namePrefix)) out.push(`name ${got.name} does not start with ${exp.namePrefix}`);
  if (exp.status !== undefined && exp.status !== got.status) out.push(`status ${got.status}, expected ${exp.status}`);
  if (exp.timeoutInMinutes !== undefined && exp.timeoutInMinutes !== got.timeoutInMinutes) out.push(`timeoutInMinutes ${got.timeoutInMinutes}, expected ${exp.timeoutInMinutes}`);
  if (exp.terminationProtection !== undefined && exp.terminationProtection !== got.terminationProtection) out.push(`terminationProtection ${got.terminationProtection}, expected ${exp.terminationProtection}`);
  if (exp.template !== undefined && !isDeepStrictEqual(exp.template, got.template)) out.push('template differs');
  if (exp.parameters !== undefined && !isDeepStrictEqual(sorted(exp.parameters), sorted(got.parameters))) out.push('parameters differ');
  if (exp.tags !== undefined && !isDeepStrictEqual(sorted(exp.tags), sorted(got.tags))) out.push('tags differ');
  return out;
}

const sorted = (r: Record<string, string>) => Object.fromEntries(Object.entries(r).sort(([a], [b]) => (a < b ? -1 : 1)));

const EXPECTED_KEYS = ['stacks', 'statuses', 'mutations', 'targetMutations', 'targetCalls', 'problems', 'events', 'eventCount', 'statusWrites'];
const STACK_KEYS = ['namePrefix', 'status', 'timeoutInMinutes', 'terminationProtection', 'template', 'parameters', 'tags'];

/** A misspelt expectation would silently check nothing, so unknown keys are problems too. */
function unknownKeys(expected: Expected): string[] {
  const out = Object.keys(expected).filter((k) => !EXPECTED_KEYS.includes(k)).map((k) => `unknown expectation key ${k}`);
  (expected.stacks ?? []).forEach((s, i) => {
    for (const k of Object.keys(s)) if (!STACK_KEYS.includes(k)) out.push(`unknown expectation key stacks[${i}].${k}`);
  });
  return out;
}

export function compareToExpected(result: ScenarioResult, expected: Expected): string[] {
  const problems: string[] = unknownKeys(expected);
  const expStacks = expected.stacks ?? [];
  if (expected.stacks !== undefined && expStacks.length !== result.stacks.length) {
    problems.push(`expected ${expStacks.length} stack(s), got ${result.stacks.length}`);
  }
  const used = new Set<number>();
  const matchOf = new Map<number, number>();
  expStacks.forEach((exp, i) => {
    const candidates = result.stacks.map((s, j) => ({ j, diff: stackMismatches(exp, s) })).filter((c) => !used.has(c.j));
    const hit = candidates.find((c) => c.diff.length === 0);
    if (hit) {
      used.add(hit.j);
      matchOf.set(i, hit.j);
    } else {
      const closest = candidates.sort((a, b) => a.diff.length - b.diff.length)[0];
      problems.push(`expected stack #${i} matches no stack${closest ? `; closest ${result.stacks[closest.j]!.name}: ${closest.diff.join(', ')}` : ''}`);
    }
  });
  for (const exp of expected.statuses ?? []) {
    const got = result.kubernetes.statuses.find((s) => s.kind === exp.kind && s.namespace === exp.namespace && s.name === exp.name);
    if (!got) {
      problems.push(`no status for ${exp.kind} ${exp.namespace}/${exp.name}`);
      continue;
    }
    const want = exp.hostnames.map((h) => {
      if (h !== DNS_PLACEHOLDER) return h;
      // The object's stack is the one whose DNS name it carries; with one stack there is no ambiguity.
      const dns = result.stacks.map((s) => (s.outputs.LoadBalancerDNSName ?? '').toLowerCase());
      return dns.find((d) => got.hostnames.includes(d)) ?? `(one of ${dns.join(', ') || 'no stacks'})`;
    });
    if (!isDeepStrictEqual(want, got.hostnames)) problems.push(`${exp.kind} ${exp.namespace}/${exp.name}: hostnames ${JSON.stringify(got.hostnames)}, expected ${JSON.stringify(want)}`);
  }
  const compareCalls = (label: string, want: string[] | undefined, services: readonly string[]) => {
    if (want === undefined) return;
    const calls = result.calls.filter((c) => services.includes(c.service));
    const got = calls.map((c, i) => (want[i]?.includes('@') ? `${c.service}:${c.action}@${c.at}` : `${c.service}:${c.action}`));
    if (!isDeepStrictEqual(got, want)) problems.push(`${label} ${JSON.stringify(calls.map((c) => `${c.service}:${c.action}@${c.at}`))}, expected ${JSON.stringify(want)}`);
  };
  compareCalls('mutations', expected.mutations, ['cloudformation']);
  if (expected.statusWrites !== undefined) {
    const got = statusWrites(result);
    if (!isDeepStrictEqual(got, expected.statusWrites)) problems.push(`statusWrites ${JSON.stringify(got)}, expected ${JSON.stringify(expected.statusWrites)}`);
  }
  compareCalls('targetMutations', expected.targetMutations, ['autoscaling', 'elasticloadbalancing']);
  if (expected.targetCalls !== undefined) {
    const want = expected.targetCalls;
    const got = targetCalls(result).map(({ at, ...call }, i) => (want[i]?.at === undefined ? call : { at, ...call }));
    if (!isDeepStrictEqual(got, expected.targetCalls)) problems.push(`targetCalls ${JSON.stringify(targetCalls(result))}, expected ${JSON.stringify(expected.targetCalls)}`);
  }
  if (expected.problems !== undefined && !isDeepStrictEqual(result.problems, expected.problems)) {
    problems.push(`problems ${JSON.stringify(result.problems)}, expected ${JSON.stringify(expected.problems)}`);
  }
  for (const e of expected.events ?? []) {
    const hit = result.kubernetes.events.find((g) => g.kind === e.kind && g.namespace === e.namespace && g.name === e.name
      && (e.type === undefined || g.type === e.type) && (e.reason === undefined || g.reason === e.reason)
      && (e.messageContains === undefined || g.message.includes(e.messageContains)));
    if (!hit) problems.push(`no event ${JSON.stringify(e)} among ${JSON.stringify(result.kubernetes.events)}`);
  }
  if (expected.eventCount !== undefined && result.kubernetes.events.length !== expected.eventCount) {
    problems.push(`${result.kubernetes.events.length} event(s), expected ${expected.eventCount}`);
  }
  return problems;
}

/** The ELBv2 target registrations among the recorded calls, in order, as the simulation logged their input. */
export function targetCalls(result: ScenarioResult): ExpectedTargetCall[] {
  return result.calls
    .filter((c) => c.service === 'elasticloadbalancing' && (c.action === 'RegisterTargets' || c.action === 'DeregisterTargets'))
    .map((c) => {
      const input = (c.input ?? {}) as { TargetGroupArn?: string; Targets?: { Id: string; Port?: number }[] };
      return { at: c.at, action: c.action as ExpectedTargetCall['action'], TargetGroupArn: input.TargetGroupArn ?? '', Targets: input.Targets ?? [] };
    });
}

const STATUS_KINDS: Readonly<Record<string, string>> = { ingresses: 'Ingress', routegroups: 'RouteGroup' };

/** The status writes among the recorded Kubernetes calls, in order. */
export function statusWrites(result: ScenarioResult): string[] {
  const out: string[] = [];
  for (const c of result.calls) {
    const call = c as unknown as { service: string; action: string; at: string; path?: string; body?: { status?: { loadBalancer?: { ingress?: { hostname?: string }[] } } } };
    if (call.service !== 'kubernetes' || call.action !== 'PATCH' || !call.path?.endsWith('/status')) continue;
    const m = /\/namespaces\/([^/]+)\/([^/]+)\/([^/]+)\/status$/.exec(call.path);
    if (!m) continue;
    const hostname = call.body?.status?.loadBalancer?.ingress?.[0]?.hostname ?? '';
    out.push(`${STATUS_KINDS[m[2]!] ?? m[2]} ${m[1]}/${m[3]}=${hostname}@${call.at}`);
  }
  return out;
}
