// The outcome of one read-only cycle, and how it is derived. Pure: the I/O (plan-inputs.ts) hands over what AWS
// and the cluster said, and this decides per stack with the controller's own rules: planCycle for the intent,
// and "the live document differs from the desired one" for whether CloudFormation would be called at all.
import type { StackObservation } from '../../aws/stack-operations.ts';
import type { Config } from '../../config/config.ts';
import { planCycle, type AlarmConfiguration, type AwsEnvironment } from '../../planning/cycle-plan.ts';
import { isManagedStack, toManagedStack } from '../../planning/model/managed-stack.ts';
import { isExpectedStatus, isInProgressStatus } from '../../planning/stack-contract.ts';
import { documentsEqual, type StackDocument } from '../../planning/template/stack-document.ts';
import type { CertificateSummary } from '../../planning/types/certificate.ts';
import type { IngressModel, IngressRef } from '../../planning/types/ingress.ts';
import { diffDocuments, type DocumentDiff, type StackDocumentView } from './document-diff.ts';

export type StackChange = 'create' | 'update' | 'delete' | 'unchanged' | 'draining';

export interface LoadBalancerSummary {
  readonly scheme: string;
  readonly type: string;
  readonly shared: boolean;
  /** `namespace/name` of the owner of a non-shared load balancer, '' when shared. */
  readonly owner: string;
  readonly certificates: readonly string[];
  readonly ingresses: readonly IngressRef[];
}

export interface StackPlan {
  /** The stack's name, or a placeholder such as `<new stack 1>` (real names are random, chosen at creation). */
  readonly name: string;
  readonly change: StackChange;
  /** CloudFormation status of an existing stack; '' for a new one. */
  readonly status: string;
  /** Why the stack would be deleted, or a note on an update the controller could not start yet. */
  readonly reason: string;
  /** Set when every certificate has a TTL: the stack is kept until then and deleted afterwards. */
  readonly drainingUntil: number | null;
  readonly loadBalancer: LoadBalancerSummary;
  /** Live -> desired, for an update only. */
  readonly diff: DocumentDiff | undefined;
  /** What CreateStack/UpdateStack would send; undefined for delete and unchanged. */
  readonly desired: StackDocument | undefined;
}

export interface UnservedIngress {
  readonly ref: IngressRef;
  readonly reason: string;
}

export interface ObjectWarning {
  readonly ref: IngressRef;
  readonly message: string;
}

export interface PlanReport {
  readonly at: number;
  readonly environment: { readonly region: string; readonly clusterId: string; readonly vpcId: string; readonly securityGroupId: string };
  readonly counts: { readonly ingresses: number; readonly routeGroups: number; readonly certificates: number; readonly managedStacks: number };
  /** Set when the cycle stops before planning (upstream's zero-certificates safety stop). */
  readonly stopped: string | undefined;
  readonly stacks: readonly StackPlan[];
  /** Rejected objects and ingresses the model could not place, in cluster order. */
  readonly unserved: readonly UnservedIngress[];
  /** Served only inside the cluster: no load balancer, status hostname cleared. */
  readonly clusterLocal: readonly IngressRef[];
  /** Annotation problems the controller would report as Warning Events (plan mode writes none). */
  readonly objectWarnings: readonly ObjectWarning[];
  /** Managed stacks listed in AWS that the plan does not mention: the controller leaves them alone. */
  readonly untouched: readonly { readonly name: string; readonly status: string }[];
  /** Discovery, certificate and alarm warnings, and stacks in unexpected statuses. */
  readonly notes: readonly string[];
}

export const NO_CERTIFICATES_STOP = 'no certificates found: nothing would be changed';

export interface PlanInput {
  readonly config: Config;
  readonly now: number;
  readonly region: string;
  readonly environment: AwsEnvironment;
  /** Every stack DescribeStacks listed; ownership is decided here, as the reconciler does. */
  readonly listedStacks: readonly StackObservation[];
  /** GetTemplate bodies by stack name; undefined when the stack vanished before its template was read. */
  readonly templates: ReadonlyMap<string, string | undefined>;
  readonly ingresses: readonly IngressModel[];
  readonly rejected: readonly { readonly ref: IngressRef; readonly errors: readonly string[] }[];
  readonly objectWarnings: readonly ObjectWarning[];
  readonly certificates: readonly CertificateSummary[];
  readonly alarms: AlarmConfiguration;
  readonly notes: readonly string[];
}

export function managedStacks(listed: readonly StackObservation[], config: Config, clusterId: string): StackObservation[] {
  return listed.filter((s) => isManagedStack(s.tags, config.controllerId, clusterId));
}

export function buildPlanReport(input: PlanInput): PlanReport {
  const { config, now, environment } = input;
  const managed = managedStacks(input.listedStacks, config, environment.clusterId);
  const notes = [...input.notes];
  for (const s of managed) {
    if (!isExpectedStatus(s.status)) notes.push(`stack ${s.name} has unexpected status ${s.status}${s.statusReason ? `: ${s.statusReason}` : ''}`);
  }
  const routeGroups = input.ingresses.filter((i) => i.ref.kind === 'RouteGroup').length;
  const base = {
    at: now,
    environment: { region: input.region, clusterId: environment.clusterId, vpcId: environment.vpcId, securityGroupId: environment.securityGroupId },
    counts: { ingresses: input.ingresses.length - routeGroups, routeGroups, certificates: input.certificates.length, managedStacks: managed.length },
    objectWarnings: input.objectWarnings,
  };
  const rejected = input.rejected.map((r) => ({ ref: r.ref, reason: `rejected: ${r.errors.join('; ')}` }));

  if (input.certificates.length === 0) {
    return { ...base, stopped: NO_CERTIFICATES_STOP, stacks: [], unserved: rejected, clusterLocal: [], untouched: [], notes };
  }

  const plan = planCycle({
    ingresses: input.ingresses, stacks: managed.map((s) => toManagedStack(s)), certificates: input.certificates,
    alarms: input.alarms, environment, config, now,
  });

  let newStacks = 0;
  const stacks: StackPlan[] = plan.stacks.map((p) => {
    const loadBalancer: LoadBalancerSummary = {
      scheme: p.spec.scheme, type: p.spec.loadBalancerType, shared: p.spec.shared, owner: p.spec.owner,
      certificates: Object.keys(p.spec.certificateARNs), ingresses: p.spec.ingresses,
    };
    const common = { loadBalancer, drainingUntil: p.action === 'delete' ? null : p.drainDeadline };
    if (p.stack === undefined) {
      newStacks++;
      return {
        ...common, name: `<new stack ${newStacks}>`, change: 'create', status: '', reason: '', diff: undefined, desired: p.document,
      };
    }
    const stack = p.stack;
    const existing = { ...common, name: stack.name, status: stack.status };
    if (p.action === 'delete') {
      return { ...existing, change: 'delete', reason: deleteReason(stack.certificateARNs), diff: undefined, desired: undefined };
    }
    const templateBody = input.templates.get(stack.name);
    const live = liveDocument(templateBody, stack);
    if (templateBody !== undefined && documentsEqual({ templateBody, parameters: stack.parameters, tags: stack.tags }, p.document)) {
      return { ...existing, change: p.drainDeadline === null ? 'unchanged' : 'draining', reason: '', diff: undefined, desired: undefined };
    }
    return {
      ...existing, change: 'update', reason: [live.note, busyNote(stack.status)].filter((n) => n !== '').join('; '),
      diff: diffDocuments(live.document, p.document), desired: p.document,
    };
  });

  const planned = new Set(plan.stacks.flatMap((p) => (p.stack ? [p.stack.name] : [])));
  return {
    ...base,
    stopped: undefined,
    stacks,
    unserved: [...rejected, ...plan.skipped.map((s) => ({ ref: s.ref, reason: s.reason }))],
    clusterLocal: plan.clusterLocal,
    untouched: managed.filter((s) => !planned.has(s.name)).map((s) => ({ name: s.name, status: s.status })),
    notes,
  };
}

/**
 * The document as CloudFormation holds it. A template that is not JSON (edited by hand into YAML) can never
 * equal the desired one, so it is compared as text and reported as a whole-template change.
 */
function liveDocument(
  templateBody: string | undefined,
  stack: { parameters: Readonly<Record<string, string>>; tags: Readonly<Record<string, string>> },
): { document: StackDocumentView; note: string } {
  const rest = { parameters: stack.parameters, tags: stack.tags };
  if (templateBody === undefined) {
    return { document: { template: {}, ...rest }, note: 'the live template could not be read (stack gone?)' };
  }
  try {
    return { document: { template: JSON.parse(templateBody) as unknown, ...rest }, note: '' };
  } catch {
    return { document: { template: templateBody, ...rest }, note: 'the live template is not JSON' };
  }
}

function deleteReason(expiries: Readonly<Record<string, number | null>>): string {
  const times = Object.values(expiries).filter((e): e is number => e !== null);
  if (times.length === 0) return 'the stack carries no certificates';
  return `all certificate TTLs passed (the last at ${isoTime(Math.max(...times))})`;
}

function busyNote(status: string): string {
  return isInProgressStatus(status) ? `the stack is ${status}: the update would start once it settles` : '';
}

/** RFC 3339 in UTC, to the second, as the stack tags spell times. */
export function isoTime(ms: number): string {
  return new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z');
}
