// The chaos suite's verdict, computed from the simulations' own records only (their stacks, load balancers,
// objects, AWS call log and Kubernetes write log) plus the driver's journal of what it did and when the
// controller was up. Pure: everything it needs is passed in, so a failing run can be re-judged from its dump.
import type { LoadBalancerView, LoggedCall, StackStatusSample, StackView } from '../../bench/sim-host.ts';
import { GO_ZERO_TIME, StackOutput, StackTag } from '../../services/planning/stack-contract.ts';

export interface Violation {
  readonly invariant: string;
  readonly detail: string;
}

/** The requirements of one ingress as the driver last applied them (`hosts` covered by `certificates`). */
export interface IngressIntent {
  readonly namespace: string;
  readonly name: string;
  readonly dedicated: boolean;
  readonly hosts: readonly string[];
  /** ARNs of the certificates that cover the hosts; empty when no host is covered. */
  readonly certificates: readonly string[];
}

/** One change the driver made to an ingress: an apply (with its requirements) or a delete. */
export interface IngressChange {
  readonly at: number;
  readonly key: string;
  readonly requirements: string | null;
  /** The certificates covering the hosts after the change (empty for a delete). */
  readonly certificates: readonly string[];
}

export interface StatusWrite {
  readonly at: number;
  readonly key: string;
  readonly hostname: string;
}

export interface Interval {
  readonly from: number;
  readonly to: number;
}

export interface Timing {
  readonly pollingMs: number;
  readonly operationMs: number;
  /** How long a restarted controller may take before it acts (start-up, first full scan). */
  readonly startUpMs: number;
}

export interface Verdict {
  readonly checks: number;
  /** Checks made per invariant. */
  readonly checksBy: Readonly<Record<string, number>>;
  readonly violations: Violation[];
}

const COMPLETE = new Set(['CREATE_COMPLETE', 'UPDATE_COMPLETE', 'UPDATE_ROLLBACK_COMPLETE']);
const DELETE_PATH = new Set(['UpdateTerminationProtection', 'DeleteStack']);
const DOCUMENT_CALLS = new Set(['CreateStack', 'UpdateStack']);

export const ingressKey = (namespace: string, name: string): string => `${namespace}/${name}`;

const live = (s: StackView) => s.status !== 'DELETE_COMPLETE';

export class Judge {
  checks = 0;
  readonly checksBy: Record<string, number> = {};
  readonly violations: Violation[] = [];

  check(ok: boolean, invariant: string, detail: () => string): boolean {
    this.checks += 1;
    this.checksBy[invariant] = (this.checksBy[invariant] ?? 0) + 1;
    if (!ok) this.violations.push({ invariant, detail: detail() });
    return ok;
  }
}

/**
 * The end state, after the settle period: every ingress with covered hosts is served by one live, complete
 * stack carrying its certificates (and its owner, for a dedicated one); an ingress with no covered host has no
 * hostname; no hostname names a load balancer that does not exist; no two live stacks share an owner; no live
 * stack serves nothing.
 */
export function judgeEndState(input: {
  readonly intents: readonly IngressIntent[];
  /** key -> status hostname ('' for none) as the Kubernetes simulation stores it. */
  readonly hostnames: ReadonlyMap<string, string>;
  readonly stacks: readonly StackView[];
  readonly loadBalancers: readonly LoadBalancerView[];
}, judge = new Judge()): Verdict {
  const liveStacks = input.stacks.filter(live);
  const stackByDns = new Map(liveStacks.map((s) => [(s.outputs[StackOutput.dnsName] ?? '').toLowerCase(), s]));
  const lbByDns = new Map(input.loadBalancers.map((lb) => [lb.dnsName.toLowerCase(), lb]));
  const served = new Set<string>();
  for (const intent of input.intents) {
    const key = ingressKey(intent.namespace, intent.name);
    const hostname = (input.hostnames.get(key) ?? '').toLowerCase();
    if (hostname !== '') {
      judge.check(lbByDns.has(hostname), 'status names an existing load balancer', () => `${key} has status ${hostname}, which no load balancer has`);
    }
    if (intent.certificates.length === 0) {
      judge.check(hostname === '', 'no load balancer without a certificate', () => `${key} (hosts ${intent.hosts.join(',')}, no certificate) has status ${hostname}`);
      continue;
    }
    if (!judge.check(hostname !== '', 'every ingress with a certificate is served', () => `${key} (${intent.dedicated ? 'dedicated' : 'shared'}, hosts ${intent.hosts.join(',')}) has no status hostname`)) continue;
    const stack = stackByDns.get(hostname);
    if (!judge.check(stack !== undefined, 'status names a live stack', () => `${key} has status ${hostname}, which no live stack outputs`)) continue;
    served.add(stack!.name);
    judge.check(COMPLETE.has(stack!.status), 'the serving stack is complete', () => `${key} is served by ${stack!.name} in ${stack!.status}`);
    for (const arn of intent.certificates) {
      judge.check(stack!.tags[`${StackTag.certificatePrefix}${arn}`] === GO_ZERO_TIME, 'the serving stack carries the certificate in use',
        () => `${key} is served by ${stack!.name}, whose tag for ${arn} is ${stack!.tags[`${StackTag.certificatePrefix}${arn}`] ?? 'missing'}`);
    }
    const owner = stack!.tags[StackTag.owner] ?? '';
    judge.check(owner === (intent.dedicated ? key : ''), 'dedicated on its own stack, shared on a shared one',
      () => `${key} (${intent.dedicated ? 'dedicated' : 'shared'}) is served by ${stack!.name} with owner '${owner}'`);
  }
  const owners = new Map<string, string[]>();
  for (const s of liveStacks) {
    const owner = s.tags[StackTag.owner];
    if (owner) owners.set(owner, [...(owners.get(owner) ?? []), s.name]);
  }
  for (const [owner, names] of owners) {
    judge.check(names.length === 1, 'one stack per owner', () => `owner ${owner} has ${names.length} live stacks: ${names.join(', ')}`);
  }
  for (const s of liveStacks) {
    judge.check(served.has(s.name), 'no orphan stack', () => `${s.name} (${s.status}, owner '${s.tags[StackTag.owner] ?? ''}') is live and serves no ingress; tags ${JSON.stringify(certificateTags(s.tags))}`);
  }
  return judge;
}

function certificateTags(tags: Readonly<Record<string, string>>): Record<string, string> {
  return Object.fromEntries(Object.entries(tags).filter(([k]) => k.startsWith(StackTag.certificatePrefix)).map(([k, v]) => [k.slice(StackTag.certificatePrefix.length), v]));
}

/** The drain deadline a document carries: the latest expiry when every certificate expires, null while one is in use. */
export function drainDeadlineOf(certificates: Readonly<Record<string, string>> | undefined): number | null {
  const values = Object.values(certificates ?? {});
  if (values.length === 0 || values.some((v) => v === GO_ZERO_TIME)) return null;
  return Math.max(...values.map((v) => Date.parse(v)));
}

/**
 * Drain timing, from the AWS call log: the first DeleteStack of a stack (its delete path starts with
 * UpdateTerminationProtection) comes no earlier than the drain deadline of the last document the controller
 * sent for it, and, where the controller was up from before the deadline, no later than deadline + 2 polling
 * intervals + operation time; a stack whose document says "in use" is not deleted; a drained stack does not
 * outlive that bound (an orphan).
 */
export function judgeDrainTiming(input: {
  readonly calls: readonly LoggedCall[];
  readonly up: readonly Interval[];
  readonly timing: Timing;
  readonly end: number;
  /** The stack history (judgeStatusWrites): tells a document that never became live (rolled back) from one that did. */
  readonly history?: readonly StackStatusSample[];
}, judge = new Judge()): Verdict {
  const limit = 2 * input.timing.pollingMs + input.timing.operationMs;
  const rolledBack = (name: string, from: number, to: number) =>
    (input.history ?? []).some((h) => h.name === name && h.at >= from && h.at <= to && h.status === 'UPDATE_ROLLBACK_COMPLETE');
  // When a deletion due at `deadline` must have started: `limit` after the first moment the deadline had passed
  // and the controller had been up for its start-up time; undefined when no stretch of uptime was long enough.
  const dueBy = (deadline: number): number | undefined => {
    for (const u of input.up) {
      const from = Math.max(deadline, u.from + input.timing.startUpMs);
      if (from + limit <= u.to) return from + limit;
    }
    return undefined;
  };
  const byStack = new Map<string, LoggedCall[]>();
  for (const c of input.calls) {
    if (c.service !== 'cloudformation' || c.stackName === undefined) continue;
    if (!DOCUMENT_CALLS.has(c.action) && !DELETE_PATH.has(c.action)) continue;
    byStack.set(c.stackName, [...(byStack.get(c.stackName) ?? []), c]);
  }
  const iso = (ms: number) => new Date(ms).toISOString();
  for (const [name, calls] of byStack) {
    let deadline: number | null = null;
    let documentAt = 0;
    let deleting = false;
    // The drain that `deadline` belongs to ended at `at` (a new document, the deletion, or the end of the run).
    const ended = (at: number, how: string) => {
      if (deadline === null || deleting) return;
      const d = deadline;
      const due = dueBy(d);
      if (due === undefined) return;
      judge.check(at <= due, 'drained stack deleted in time',
        () => `${name}: drain deadline ${iso(d)} (document sent ${iso(documentAt)}), not deleted by ${iso(due)}; ${how} at ${iso(at)}`);
    };
    for (const c of calls) {
      if (DOCUMENT_CALLS.has(c.action)) {
        ended(c.at, `next ${c.action}`);
        deadline = drainDeadlineOf(c.certificates);
        documentAt = c.at;
        deleting = false;
        continue;
      }
      if (deleting) continue;
      const d = deadline;
      // The last document never became live (its update rolled back): the drain the controller then planned
      // was not sent, so no document carries its deadline; judgeDeletions checks the statuses instead.
      if (d === null && rolledBack(name, documentAt, c.at)) {
        deleting = true;
        continue;
      }
      if (judge.check(d !== null, 'no deletion of a stack in use',
        () => `${name}: ${c.action} at ${iso(c.at)} while the last document (sent ${iso(documentAt)}) has a certificate in use`)) {
        judge.check(c.at >= d!, 'no deletion before the drain deadline', () => `${name}: ${c.action} at ${iso(c.at)}, drain deadline ${iso(d!)} (document sent ${iso(documentAt)})`);
        ended(c.at, c.action);
      }
      deleting = true;
    }
    ended(input.end, 'still not deleted when the run ended');
  }
  return judge;
}

/**
 * No load balancer switch without a reason: while an ingress's requirements stay the same, its status names at
 * most one load balancer. A write just after a change may still carry the hostname of before (the cycle had
 * planned before the change), so a leading run of the previous hostname is not counted.
 */
export function judgeSwitches(input: { readonly changes: readonly IngressChange[]; readonly writes: readonly StatusWrite[] }, judge = new Judge()): Verdict {
  type Event = { at: number; order: number; change?: IngressChange; write?: StatusWrite };
  const events: Event[] = [
    ...input.changes.map((change, i) => ({ at: change.at, order: i, change })),
    ...input.writes.map((write, i) => ({ at: write.at, order: input.changes.length + i, write })),
  ].sort((a, b) => a.at - b.at || a.order - b.order);
  interface Epoch { requirements: string | null; previous: string; hostnames: string[]; since: number }
  const epochs = new Map<string, Epoch>();
  const close = (key: string, epoch: Epoch) => {
    const counted = [...epoch.hostnames];
    while (counted.length > 0 && counted[0] === epoch.previous) counted.shift();
    const distinct = [...new Set(counted)];
    judge.check(distinct.length <= 1, 'no load balancer switch without a requirement change',
      () => `${key} (requirements ${epoch.requirements}, since ${new Date(epoch.since).toISOString()}) was pointed at ${distinct.join(' -> ')}`);
  };
  for (const e of events) {
    if (e.change) {
      const key = e.change.key;
      const epoch = epochs.get(key);
      if (epoch && epoch.requirements === e.change.requirements) continue;
      const last = epoch ? [...epoch.hostnames].reverse().find((h) => h !== '') ?? epoch.previous : '';
      if (epoch) close(key, epoch);
      // A deleted ingress comes back as a new object, with no status: nothing carries over.
      epochs.set(key, { requirements: e.change.requirements, previous: e.change.requirements === null || epoch?.requirements === null ? '' : last, hostnames: [], since: e.at });
    } else if (e.write) {
      const epoch = epochs.get(e.write.key);
      if (epoch && e.write.hostname !== '') epoch.hostnames.push(e.write.hostname);
    }
  }
  for (const [key, epoch] of epochs) close(key, epoch);
  return judge;
}

/**
 * No load balancer is deleted while an ingress's status still names it: at the first call of a stack's delete
 * path, no ingress that exists has that stack's hostname as its last written status.
 */
export function judgeDeletions(input: {
  readonly calls: readonly LoggedCall[];
  readonly writes: readonly StatusWrite[];
  readonly changes: readonly IngressChange[];
  readonly stacks: readonly StackView[];
}, judge = new Judge()): Verdict {
  const dnsOf = new Map(input.stacks.map((s) => [s.name, (s.outputs[StackOutput.dnsName] ?? '').toLowerCase()]));
  const seen = new Set<string>();
  for (const c of input.calls) {
    if (c.service !== 'cloudformation' || c.stackName === undefined || !DELETE_PATH.has(c.action) || seen.has(c.stackName)) continue;
    seen.add(c.stackName);
    const dns = dnsOf.get(c.stackName);
    if (!dns) continue;
    const hostnames = new Map<string, string>();
    type Step = { at: number; key: string; hostname: string };
    const steps: Step[] = [
      ...input.writes.map((w) => ({ at: w.at, key: w.key, hostname: w.hostname.toLowerCase() })),
      ...input.changes.filter((ch) => ch.requirements === null).map((ch) => ({ at: ch.at, key: ch.key, hostname: '' })),
    ].filter((x) => x.at <= c.at).sort((a, b) => a.at - b.at);
    for (const x of steps) hostnames.set(x.key, x.hostname);
    const naming = [...hostnames].filter(([, h]) => h === dns).map(([k]) => k);
    judge.check(naming.length === 0, 'no load balancer deleted while a status names it',
      () => `${c.stackName}: ${c.action} at ${new Date(c.at).toISOString()} while the status of ${naming.join(', ')} names it`);
  }
  return judge;
}

/** Statuses in which a stack's load balancer serves with the certificates of its last completed document. */
const SERVING = new Set([
  'CREATE_COMPLETE', 'UPDATE_COMPLETE', 'UPDATE_ROLLBACK_COMPLETE', 'UPDATE_IN_PROGRESS', 'UPDATE_COMPLETE_CLEANUP_IN_PROGRESS',
  'UPDATE_ROLLBACK_IN_PROGRESS', 'UPDATE_ROLLBACK_FAILED', 'UPDATE_ROLLBACK_COMPLETE_CLEANUP_IN_PROGRESS',
]);

/**
 * Status only when it is true, at the moment of every write: the hostname written names a stack that serves
 * (not being created, rolled back or deleted, not gone), and whose last completed document carries every
 * certificate the ingress needed. The stack history is sampled on every CloudFormation call, so the sample
 * before a write holds at least what the controller could know. A write within `graceMs` of a change may still
 * be for the requirements from before it.
 */
export function judgeStatusWrites(input: {
  readonly writes: readonly StatusWrite[];
  readonly changes: readonly IngressChange[];
  readonly stacks: readonly StackView[];
  readonly history: readonly StackStatusSample[];
  readonly graceMs: number;
}, judge = new Judge()): Verdict {
  const byDns = new Map(input.stacks.map((s) => [(s.outputs[StackOutput.dnsName] ?? '').toLowerCase(), s.name]));
  const samples = new Map<string, StackStatusSample[]>();
  for (const h of input.history) samples.set(h.name, [...(samples.get(h.name) ?? []), h]);
  const iso = (ms: number) => new Date(ms).toISOString();
  for (const w of input.writes) {
    if (w.hostname === '') continue;
    const name = byDns.get(w.hostname.toLowerCase());
    if (!judge.check(name !== undefined, 'a status write names a stack of the controller', () => `${w.key} was given ${w.hostname} at ${iso(w.at)}, no stack's load balancer`)) continue;
    const before = (samples.get(name!) ?? []).filter((h) => h.at <= w.at);
    const now = before[before.length - 1];
    if (!judge.check(now !== undefined && SERVING.has(now.status), 'a status write names a stack that serves',
      () => `${w.key} was given ${name} at ${iso(w.at)} while it was ${now?.status ?? 'not yet created'}`)) continue;
    const completed = [...before].reverse().find((h) => h.status === 'CREATE_COMPLETE' || h.status === 'UPDATE_COMPLETE' || h.status === 'UPDATE_ROLLBACK_COMPLETE');
    const live = new Set(completed?.certificates ?? []);
    const mine = input.changes.filter((c) => c.key === w.key && c.at <= w.at);
    const current = mine[mine.length - 1];
    const previous = current !== undefined && w.at - current.at < input.graceMs ? mine[mine.length - 2] : undefined;
    const covered = [current, previous].some((c) => c !== undefined && c.certificates.every((arn) => live.has(arn)));
    judge.check(covered, 'a status write names a stack with the certificates on it',
      () => `${w.key} was given ${name} at ${iso(w.at)}; it needs ${current?.certificates.join(', ') ?? '?'}, the stack's last completed document has ${[...live].join(', ') || 'none'}`);
  }
  return judge;
}

export function newJudge(): Judge {
  return new Judge();
}
