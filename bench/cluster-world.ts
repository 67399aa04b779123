// A whole cluster for the process benchmarks, in steady state: AWS (VPC, subnets, security group, one ASG,
// certificates, and the stacks the controller itself would have made for the cluster's ingresses), and the
// Kubernetes objects, each Ingress already carrying its load balancer's hostname. The stacks are computed with
// the controller's own parser and planner from the same flags the benchmark gives the controller, so a correct
// controller starting on this world changes nothing.
import { randomUUID } from 'node:crypto';
import { parseCommandLine } from '../services/config/parse.ts';
import { parseIngress } from '../services/kubernetes/ingress-parser.ts';
import { planCycle } from '../services/planning/cycle-plan.ts';
import { toManagedStack } from '../services/planning/model/managed-stack.ts';
import type { StackDocument } from '../services/planning/template/stack-document.ts';
import type { ManagedStack } from '../services/planning/types/stack.ts';
import { stackName } from '../services/planning/template/stack-name.ts';
import type { CertificateSummary } from '../services/planning/types/certificate.ts';
import type { IngressModel } from '../services/planning/types/ingress.ts';
import { refKey } from '../services/planning/types/ingress.ts';
import type { AwsWorldInput, CertificateInput } from '../tools/sim/aws/world.ts';

export const CLUSTER_ID = 'aws:123456789012:eu-central-1:bench';
const DAY = 86_400_000;

export interface ClusterWorldOptions {
  readonly ingresses: number;
  readonly certificates: number;
  /** How many of the ingresses are not shared (each has a load balancer of its own). */
  readonly dedicated: number;
  /** Certificates left unused at the start, for the "new host on a shared load balancer" changes. */
  readonly spareCertificates: number;
  /** Flags the controller runs with, apart from the connection flags (they do not shape stacks). */
  readonly flags: readonly string[];
  readonly now: number;
}

export interface ClusterWorld {
  readonly aws: AwsWorldInput;
  readonly objects: Record<string, unknown>[];
  /** `Ingress/ns/name` -> the stack whose hostname it carries. */
  readonly stackOf: Record<string, string>;
  /** A new ingress: dedicated ones need a new stack, shared ones a spare certificate on a shared stack. */
  newIngress(index: number, dedicated: boolean): Record<string, unknown>;
}

const domain = (i: number) => `d${i}.bench.example`;

export function ingressManifest(name: string, namespace: string, host: string, dedicated: boolean): Record<string, unknown> {
  return {
    apiVersion: 'networking.k8s.io/v1', kind: 'Ingress',
    metadata: { name, namespace, ...(dedicated ? { annotations: { 'zalando.org/aws-load-balancer-shared': 'false' } } : {}) },
    spec: { rules: [{ host, http: { paths: [{ path: '/', pathType: 'ImplementationSpecific', backend: { service: { name, port: { number: 80 } } } }] } }] },
  };
}

export function clusterWorld(options: ClusterWorldOptions): ClusterWorld {
  // Shared load balancers fill up to --max-certs-alb in order; the last one keeps room for the spare
  // certificates, so a new host on a shared load balancer is an UpdateStack, not a new stack.
  const maxCerts = 24;
  let used = options.certificates - options.spareCertificates;
  while (used > 1 && (used % maxCerts === 0 || (used % maxCerts) + options.spareCertificates > maxCerts)) used--;
  const certificates: CertificateInput[] = Array.from({ length: options.certificates }, (_, i) => ({
    arn: `arn:aws:acm:eu-central-1:123456789012:certificate/${String(i).padStart(8, '0')}`,
    source: 'acm', domains: [`*.${domain(i)}`, domain(i)],
    notBefore: new Date(options.now - 30 * DAY).toISOString(), notAfter: new Date(options.now + 365 * DAY).toISOString(), trust: 'public',
  }));
  const every = options.dedicated > 0 ? Math.floor(options.ingresses / options.dedicated) : 0;
  const objects = Array.from({ length: options.ingresses }, (_, i) => {
    const dedicated = every > 0 && i % every === 0 && i / every < options.dedicated;
    return ingressManifest(`app-${String(i).padStart(5, '0')}`, `ns-${i % 50}`, `app-${i}.${domain(i % used)}`, dedicated);
  });

  const outcome = parseCommandLine(['--target-access-mode=HostPort', `--cluster-id=${CLUSTER_ID}`, '--vpc-id=vpc-1', ...options.flags], {});
  if (outcome.kind !== 'run') throw new Error('bench flags do not make a controller configuration');
  const config = outcome.config;
  const models: IngressModel[] = [];
  objects.forEach((o, i) => {
    const meta = o.metadata as Record<string, unknown>;
    meta.uid = `00000000-0000-4000-8000-${String(i).padStart(12, '0')}`;
    meta.resourceVersion = '1';
    const parsed = parseIngress(o, 'Ingress', config);
    if (!parsed.ok) throw new Error(`bench ingress ${i} does not parse: ${parsed.errors.join('; ')}`);
    models.push(parsed.ingress);
  });
  // The adapter hands the planner its objects sorted by namespace, then name.
  models.sort((a, b) => (a.ref.namespace < b.ref.namespace ? -1 : a.ref.namespace > b.ref.namespace ? 1 : a.ref.name < b.ref.name ? -1 : a.ref.name > b.ref.name ? 1 : 0));
  const summaries: CertificateSummary[] = certificates.map((c) => ({
    arn: c.arn, source: 'acm', domainNames: [c.domains[0]!, ...c.domains], dnsNames: c.domains,
    notBefore: Date.parse(c.notBefore!), notAfter: Date.parse(c.notAfter!),
    chainNotBefore: Date.UTC(2000, 0, 1), chainNotAfter: Date.UTC(2099, 11, 31, 23, 59, 59), trusted: true,
  }));
  const subnets = [
    { id: 'subnet-a', vpcId: 'vpc-1', availabilityZone: 'eu-central-1a', public: true, tags: { [`kubernetes.io/cluster/${CLUSTER_ID}`]: 'owned', 'kubernetes.io/role/elb': '' } },
    { id: 'subnet-b', vpcId: 'vpc-1', availabilityZone: 'eu-central-1b', public: true, tags: { [`kubernetes.io/cluster/${CLUSTER_ID}`]: 'owned', 'kubernetes.io/role/elb': '' } },
  ];
  // Plan until nothing changes: what a controller converges to after its first cycles (a first plan from no
  // stacks is not always its own fixed point: upstream's grouping lets shared ingresses join new stacks).
  const environment = { clusterId: CLUSTER_ID, vpcId: 'vpc-1', securityGroupId: 'sg-1', subnets: subnets.map((s) => ({ id: s.id, availabilityZone: s.availabilityZone, public: s.public, tags: s.tags })) };
  let managed: ManagedStack[] = [];
  let plan = planCycle({ ingresses: models, stacks: managed, certificates: summaries, alarms: { alarms: [], hash: '' }, config, now: options.now, environment });
  for (let round = 0; round < 10; round++) {
    managed = plan.stacks.filter((p) => p.action !== 'delete').map((p) => managedFrom(p.stack?.name ?? stackName(CLUSTER_ID, randomUUID()), p.document, options.now));
    plan = planCycle({ ingresses: models, stacks: managed, certificates: summaries, alarms: { alarms: [], hash: '' }, config, now: options.now, environment });
    if (plan.stacks.every((p) => p.stack !== undefined && p.action === 'ready')) break;
  }
  if (!plan.stacks.every((p) => p.stack !== undefined && p.action === 'ready')) throw new Error('bench world: the plan does not settle');
  const stackOf: Record<string, string> = {};
  const stacks = plan.stacks.map((p) => {
    const name = p.stack!.name;
    for (const ref of p.spec.ingresses) stackOf[refKey(ref)] = name;
    return {
      name, status: 'CREATE_COMPLETE', tags: { ...p.document.tags }, parameters: { ...p.document.parameters },
      template: p.document.templateBody, createdAt: new Date(options.now - DAY).toISOString(),
    };
  });
  const nodeTags = { [`kubernetes.io/cluster/${CLUSTER_ID}`]: 'owned', 'k8s.io/role/node': 'worker', 'aws:autoscaling:groupName': 'nodes' };
  const aws: AwsWorldInput = {
    region: 'eu-central-1', accountId: '123456789012', self: { instanceId: 'i-controller' },
    vpcs: [{ id: 'vpc-1' }], subnets,
    securityGroups: [{ id: 'sg-1', vpcId: 'vpc-1', tags: { [`kubernetes.io/cluster/${CLUSTER_ID}`]: 'owned', 'kubernetes:application': 'kube-ingress-aws-controller' } }],
    instances: [
      { id: 'i-controller', vpcId: 'vpc-1', state: 'running', tags: nodeTags },
      { id: 'i-node-1', vpcId: 'vpc-1', state: 'running', tags: nodeTags },
      { id: 'i-node-2', vpcId: 'vpc-1', state: 'running', tags: nodeTags },
    ],
    autoScalingGroups: [{ name: 'nodes', tags: { [`kubernetes.io/cluster/${CLUSTER_ID}`]: 'owned' }, instances: ['i-controller', 'i-node-1', 'i-node-2'] }],
    certificates, stacks,
    behaviour: { operationSeconds: 1 },
  };
  return {
    aws, objects, stackOf,
    newIngress: (index, dedicated) => ingressManifest(
      `new-${dedicated ? 'dedicated' : 'shared'}-${index}`, 'bench-changes',
      `new-${index}.${domain(dedicated ? index % used : used + (index % Math.max(1, options.spareCertificates)))}`, dedicated,
    ),
  };
}

function managedFrom(name: string, document: StackDocument, now: number): ManagedStack {
  return toManagedStack({
    name, stackId: `arn:aws:cloudformation:eu-central-1:123456789012:stack/${name}/1`, status: 'CREATE_COMPLETE', statusReason: '',
    createdAt: now - DAY, terminationProtection: false, tags: document.tags, parameters: document.parameters, outputs: {},
  });
}
