// The simulations for a benchmark (and the chaos suite, tools/chaos), in a process of their own so that their
// work is not measured as the controller's: AWS (with IMDS) and Kubernetes on loopback, loaded from a generated
// world file, plus a small control API: apply/delete objects, read the AWS call log and the Kubernetes write
// log, read the stacks, load balancers and objects as the simulations see them, and change the AWS behaviour
// (throttling, failing stack operations) while running.
//
//   node --import tsx bench/sim-host.ts WORLD.json     -> one JSON line with the endpoints on stdout
import { readFileSync } from 'node:fs';
import http from 'node:http';
import { systemClock } from '../services/clock.ts';
import { writeTrustedRootsFile } from '../tools/sim/aws/certificates.ts';
import { startAwsSim, startImds } from '../tools/sim/aws/index.ts';
import type { AwsWorldInput } from '../tools/sim/aws/world.ts';
import { startKubernetesSim } from '../tools/sim/kubernetes/index.ts';

export interface SimHostEndpoints {
  readonly awsEndpoint: string;
  readonly imdsEndpoint: string;
  readonly kubernetesUrl: string;
  readonly controlUrl: string;
  readonly trustedCAFile: string;
}

export interface LoggedCall {
  readonly seq: number;
  readonly at: number;
  readonly service: string;
  readonly action: string;
  readonly mutating: boolean;
  readonly owner?: string;
  readonly stackName?: string;
  /** The error code the simulation answered with; absent for a success. */
  readonly error?: string;
  /** CreateStack/UpdateStack: the `ingress:certificate-arn/<arn>` tags sent (arn -> expiry, RFC 3339). */
  readonly certificates?: Record<string, string>;
}

/** A stack as the simulation holds it, deleted ones included (`deletedAt`). */
export interface StackView {
  readonly name: string;
  readonly stackId: string;
  readonly status: string;
  readonly statusReason: string;
  readonly tags: Record<string, string>;
  readonly parameters: Record<string, string>;
  readonly outputs: Record<string, string>;
  readonly terminationProtection: boolean;
  readonly createdAt: number;
  readonly lastUpdatedAt?: number;
  readonly deletedAt?: number;
}

export interface LoadBalancerView {
  readonly arn: string;
  readonly dnsName: string;
  readonly state: string;
  readonly createdAt: number;
  readonly stackName?: string;
}

/** What /behaviour accepts: the AWS simulation's behaviour fields to replace (see tools/sim/aws/world.ts). */
export interface BehaviourPatch {
  readonly operationMs?: number;
  readonly failCreate?: string[];
  readonly failUpdate?: string[];
  readonly failDelete?: string[];
  readonly failRollback?: string[];
  readonly throttle?: Record<string, number>;
  readonly serverErrors?: Record<string, number>;
}

const CERTIFICATE_TAG = 'ingress:certificate-arn/';

interface WorldFile {
  readonly aws: AwsWorldInput;
  readonly objects: Record<string, unknown>[];
  readonly stackOf: Record<string, string>;
  readonly caFile: string;
  /** Record every stack's status after each CloudFormation call that changed one (the chaos suite's history). */
  readonly recordStackHistory?: boolean;
}

/** A stack's status as of a CloudFormation call: what any answer from then on reflected. */
export interface StackStatusSample {
  readonly at: number;
  readonly name: string;
  readonly status: string;
  /** ARNs of the certificates the stack's tags name (in use or expiring). */
  readonly certificates: string[];
}

async function main(): Promise<void> {
  const world = JSON.parse(readFileSync(process.argv[2]!, 'utf8')) as WorldFile;
  const aws = await startAwsSim({ input: world.aws, clock: systemClock });
  const imds = await startImds({ world: aws.world, clock: systemClock });
  const calls: LoggedCall[] = [];
  const history: StackStatusSample[] = [];
  const lastStatus = new Map<string, string>();
  aws.server.onCall((c) => {
    if (world.recordStackHistory && c.service === 'cloudformation') {
      for (const st of aws.world.stacks.values()) {
        const certificates = Object.keys(st.tags).filter((k) => k.startsWith(CERTIFICATE_TAG)).map((k) => k.slice(CERTIFICATE_TAG.length)).sort();
        const key = `${st.status} ${certificates.join(',')}`;
        if (lastStatus.get(st.stackId) === key) continue;
        lastStatus.set(st.stackId, key);
        history.push({ at: Date.now(), name: st.name, status: st.status, certificates });
      }
    }
    const input = c.input as { StackName?: string; Tags?: { Key?: string; Value?: string }[] } | undefined;
    const owner = input?.Tags?.find((t) => t.Key === 'ingress:owner')?.Value;
    const certificates = input?.Tags
      ? Object.fromEntries(input.Tags.filter((t) => t.Key?.startsWith(CERTIFICATE_TAG)).map((t) => [t.Key!.slice(CERTIFICATE_TAG.length), t.Value ?? '']))
      : undefined;
    calls.push({
      seq: calls.length, at: Date.now(), service: c.service, action: c.action, mutating: c.mutating,
      ...(owner ? { owner } : {}), ...(input?.StackName ? { stackName: input.StackName } : {}),
      ...(c.error ? { error: c.error } : {}), ...(certificates ? { certificates } : {}),
    });
  });

  // Steady state: every target group is attached to the ASG, every ingress carries its load balancer's name.
  const dnsByStack = new Map<string, string>();
  for (const s of aws.world.stacks.values()) dnsByStack.set(s.name, (s.outputs.LoadBalancerDNSName ?? '').toLowerCase());
  const asg = aws.world.autoScalingGroups.get('nodes');
  if (asg) asg.targetGroupARNs = [...aws.world.targetGroups.keys()];
  const kube = await startKubernetesSim({ clock: systemClock, historyLimit: 20_000 });
  for (const o of world.objects) {
    const meta = o.metadata as { namespace: string; name: string };
    const stack = world.stackOf[`Ingress/${meta.namespace}/${meta.name}`];
    const hostname = stack ? dnsByStack.get(stack) : undefined;
    const { uid: _uid, resourceVersion: _rv, ...metadata } = o.metadata as Record<string, unknown>;
    kube.apply({ ...o, metadata, ...(hostname ? { status: { loadBalancer: { ingress: [{ hostname }] } } } : {}) });
  }
  await writeTrustedRootsFile(world.caFile);

  const control = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const url = new URL(req.url ?? '/', 'http://control');
      const reply = (body: unknown) => {
        res.writeHead(200, { 'content-type': 'application/json' });
        res.end(JSON.stringify(body));
      };
      try {
        if (url.pathname === '/calls') return reply(calls.slice(Number(url.searchParams.get('since') ?? 0)));
        if (url.pathname === '/writes') {
          const bodies = url.searchParams.get('bodies') === '1';
          return reply(kube.writes.slice(Number(url.searchParams.get('since') ?? 0))
            .map((w) => ({ at: w.at, method: w.method, path: w.path, ...(bodies ? { status: w.status, body: w.body } : {}) })));
        }
        if (url.pathname === '/objects') return reply(kube.list(url.searchParams.get('kind') ?? 'Ingress', { apiVersion: url.searchParams.get('apiVersion') ?? 'networking.k8s.io/v1' }));
        if (url.pathname === '/stacks') {
          return reply([...aws.world.stacks.values()].map((s): StackView => ({
            name: s.name, stackId: s.stackId, status: s.status, statusReason: s.statusReason, tags: s.tags, parameters: s.parameters,
            outputs: s.outputs, terminationProtection: s.terminationProtection, createdAt: s.createdAt,
            ...(s.lastUpdatedAt !== undefined ? { lastUpdatedAt: s.lastUpdatedAt } : {}), ...(s.deletedAt !== undefined ? { deletedAt: s.deletedAt } : {}),
          })));
        }
        if (url.pathname === '/stack-history') return reply(history);
        if (url.pathname === '/load-balancers') {
          return reply([...aws.world.loadBalancers.values()].map((lb): LoadBalancerView => ({
            arn: lb.arn, dnsName: lb.dnsName, state: lb.state, createdAt: lb.createdAt, ...(lb.stackName ? { stackName: lb.stackName } : {}),
          })));
        }
        if (url.pathname === '/behaviour') {
          const patch = JSON.parse(Buffer.concat(chunks).toString('utf8')) as BehaviourPatch;
          Object.assign(aws.world.behaviour, patch);
          return reply(aws.world.behaviour);
        }
        if (url.pathname === '/apply') return reply(kube.apply(JSON.parse(Buffer.concat(chunks).toString('utf8'))).metadata);
        if (url.pathname === '/delete') {
          const ref = JSON.parse(Buffer.concat(chunks).toString('utf8')) as { apiVersion: string; kind: string; namespace: string; name: string };
          return reply({ deleted: kube.delete(ref) });
        }
        if (url.pathname === '/stack') {
          const name = url.searchParams.get('name');
          const stack = [...aws.world.stacks.values()].find((s) => s.name === name && s.status !== 'DELETE_COMPLETE');
          return reply(stack ? { status: stack.status } : null);
        }
        res.writeHead(404).end();
      } catch (e) {
        res.writeHead(500).end(String(e));
      }
    });
  });
  await new Promise<void>((resolve) => control.listen(0, '127.0.0.1', resolve));
  const endpoints: SimHostEndpoints = {
    awsEndpoint: aws.endpoint, imdsEndpoint: imds.endpoint, kubernetesUrl: kube.url,
    controlUrl: `http://127.0.0.1:${(control.address() as { port: number }).port}`, trustedCAFile: world.caFile,
  };
  process.stdout.write(`${JSON.stringify(endpoints)}\n`);
  const stop = () => process.exit(0);
  process.on('SIGTERM', stop);
  process.on('SIGINT', stop);
}

await main();
