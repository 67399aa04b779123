// "One stack per desired load balancer", asked of the controller's own pure planner: planned from the final
// objects and the simulation's live stacks, every load balancer it wants must be an existing stack that needs
// nothing (no create, no update, no drain, no delete), and every live stack must be one of them.
import type { StackView } from '../../bench/sim-host.ts';
import type { Config } from '../../services/config/config.ts';
import { parseIngress } from '../../services/kubernetes/ingress-parser.ts';
import { planCycle } from '../../services/planning/cycle-plan.ts';
import { toManagedStack } from '../../services/planning/model/managed-stack.ts';
import type { CertificateSummary } from '../../services/planning/types/certificate.ts';
import type { IngressModel } from '../../services/planning/types/ingress.ts';
import type { AwsWorldInput } from '../sim/aws/world.ts';
import type { Judge } from './invariants.ts';

export function judgePlan(input: {
  readonly objects: readonly Record<string, unknown>[];
  readonly stacks: readonly StackView[];
  readonly aws: AwsWorldInput;
  readonly config: Config;
  readonly clusterId: string;
  readonly now: number;
}, judge: Judge): void {
  const models: IngressModel[] = [];
  for (const o of input.objects) {
    const parsed = parseIngress(o, 'Ingress', input.config);
    if (parsed.ok) models.push(parsed.ingress);
  }
  // The adapter hands the planner its objects sorted by namespace, then name.
  const order = (m: IngressModel) => `${m.ref.namespace}\u0000${m.ref.name}`;
  models.sort((a, b) => (order(a) < order(b) ? -1 : order(a) > order(b) ? 1 : 0));
  const certificates: CertificateSummary[] = (input.aws.certificates ?? []).map((c) => ({
    arn: c.arn, source: 'acm', domainNames: [c.domains[0]!, ...c.domains], dnsNames: c.domains,
    notBefore: Date.parse(c.notBefore!), notAfter: Date.parse(c.notAfter!),
    chainNotBefore: Date.UTC(2000, 0, 1), chainNotAfter: Date.UTC(2099, 11, 31, 23, 59, 59), trusted: true,
  }));
  const live = input.stacks.filter((s) => s.status !== 'DELETE_COMPLETE');
  const stacks = live.map((s) => toManagedStack({
    name: s.name, stackId: s.stackId, status: s.status, statusReason: s.statusReason, createdAt: s.createdAt,
    lastUpdatedAt: s.lastUpdatedAt, terminationProtection: s.terminationProtection, tags: s.tags, parameters: s.parameters, outputs: s.outputs,
  }));
  const environment = {
    clusterId: input.clusterId, vpcId: 'vpc-1', securityGroupId: input.aws.securityGroups?.[0]?.id ?? 'sg-1',
    subnets: (input.aws.subnets ?? []).map((s) => ({ id: s.id, availabilityZone: s.availabilityZone, public: s.public ?? false, tags: s.tags ?? {} })),
  };
  const plan = planCycle({ ingresses: models, stacks, certificates, alarms: { alarms: [], hash: '' }, config: input.config, now: input.now, environment });
  const planned = new Set<string>();
  for (const p of plan.stacks) {
    const what = () => `${p.stack?.name ?? 'a new stack'} for ${p.spec.ingresses.map((r) => `${r.namespace}/${r.name}`).join(', ') || 'no ingress'}`;
    if (p.stack) planned.add(p.stack.name);
    judge.check(p.stack !== undefined && p.action === 'ready' && p.drainDeadline === null, 'the planner wants nothing more (one stack per desired load balancer)',
      () => `the controller's planner, run on the final state, wants ${p.action}${p.drainDeadline !== null ? ` (draining until ${new Date(p.drainDeadline).toISOString()})` : ''}: ${what()}`);
  }
  for (const s of live) {
    judge.check(planned.has(s.name), 'every live stack is a planned load balancer', () => `${s.name} (${s.status}) is not in the plan of the final state`);
  }
}
