// The controller against a real kube-apiserver 1.20 and etcd, as an operator runs it: deploy/'s manifests are
// checked by the API server itself, deploy/'s RBAC is applied, and the controller process runs in-cluster
// with that service account's token (from the TokenRequest API) against the embedded AWS simulation.
// The cases share one control plane and one controller and run in order: each builds on the state the
// previous one left, as a day of operating the controller would.
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, afterEach, beforeAll, describe, expect, inject, it } from 'vitest';
import { parseAllDocuments } from 'yaml';
import { parseCommandLine } from '../../services/config/parse.ts';
import { Cluster, freePort } from '../../tools/e2e/cluster.ts';
import type { AwsSim } from '../../tools/sim/aws/index.ts';
import type { CallRecord } from '../../tools/sim/aws/server.ts';
import { kubectlOk, serviceAccountToken as serviceAccountTokenOf, startE2eWorld, type E2eWorld } from './helpers/e2e-world.ts';
import { eventually, startController, type ControllerProcess } from './helpers/controller-process.ts';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const FIXTURES = path.join(ROOT, 'test/fixtures/e2e');
const NAMESPACE = 'kube-system';
const SERVICE_ACCOUNT = 'kube-ingress-aws-controller';
const RBAC_FILES = ['service-account.yaml', 'cluster-role.yaml', 'lease-role.yaml'].map((f) => path.join(ROOT, 'deploy/base', f));

let workDir: string;
let cluster: Cluster;
let aws: AwsSim;
let closeImds: () => Promise<void>;
let imdsEndpoint: string;
let trustedRoots: string;
let controller: ControllerProcess | undefined;
let calls: CallRecord[] = [];
let world: E2eWorld;

const kubectl = (args: string[], options: { input?: string } = {}) => kubectlOk(cluster, args, options);

async function hostnameOf(resource: string, list: 'ingress' | 'routegroup'): Promise<string | undefined> {
  const out = await kubectl(['get', resource, '-n', 'default', '-o', `jsonpath={.status.loadBalancer.${list}[0].hostname}`]);
  return out.trim() === '' ? undefined : out.trim();
}

/** The name of the stack whose load balancer has this DNS name. */
function stackServing(dnsName: string): string | undefined {
  // The status carries the DNS name in lower case, as upstream writes it.
  return [...aws.world.stacks.values()].find((s) => Object.values(s.outputs).some((v) => v.toLowerCase() === dnsName))?.name;
}

/** The simulation keys stacks by id; a deleted stack stays listed as DELETE_COMPLETE. */
function stackNamed(name: string): { status: string } | undefined {
  return [...aws.world.stacks.values()].find((s) => s.name === name);
}

const serviceAccountToken = (serviceAccount = SERVICE_ACCOUNT) => serviceAccountTokenOf(cluster, NAMESPACE, serviceAccount);

beforeAll(async () => {
  ({ workDir, cluster, aws, imdsEndpoint, trustedRoots, closeImds } = world = await startE2eWorld(inject('e2eBinDir'), 'kiac-e2e-'));
  calls = world.calls;
});

let failed = false;
afterEach((context) => {
  if (context.task.result?.state === 'fail') failed = true;
});

afterAll(async () => {
  await controller?.stop();
  await cluster?.stop();
  await closeImds?.();
  await aws?.close();
  if (!workDir) return;
  // Kept when a case failed: the API server's, etcd's and the controller's logs are in it.
  if (failed) process.stderr.write(`e2e: logs kept in ${workDir}\n`);
  else fs.rmSync(workDir, { recursive: true, force: true });
});

describe('deploy/ against a real API server', () => {
  // deploy/ ships policy/v1 PodDisruptionBudgets (the only version Kubernetes 1.25 and later serve); this
  // API server is 1.20, which serves policy/v1beta1 only, with the same spec. So the build of each
  // kustomization is dry-run with that one apiVersion swapped; everything else is checked as shipped.
  it('passes a server-side dry run, and so does the AWSCNI overlay', async () => {
    for (const dir of ['deploy', 'deploy/overlays/awscni']) {
      const built = await kubectl(['kustomize', path.join(ROOT, dir)]);
      const pdb = /^apiVersion: policy\/v1\nkind: PodDisruptionBudget$/m;
      expect(built, dir).toMatch(pdb);
      const result = await cluster.kubectl(['apply', '-f', '-', '--dry-run=server'], {
        input: built.replace(pdb, 'apiVersion: policy/v1beta1\nkind: PodDisruptionBudget'),
      });
      expect(result.stderr, dir).toBe('');
      expect(result.code, dir).toBe(0);
      for (const object of ['serviceaccount/kube-ingress-aws-controller', 'clusterrole.rbac.authorization.k8s.io/kube-ingress-aws-controller',
        'role.rbac.authorization.k8s.io/kube-ingress-aws-controller-leader-election', 'deployment.apps/kube-ingress-aws-controller',
        'poddisruptionbudget.policy/kube-ingress-aws-controller']) {
        expect(result.stdout, dir).toContain(`${object} created (server dry run)`);
      }
      if (dir.endsWith('awscni')) expect(result.stdout).toContain('role.rbac.authorization.k8s.io/kube-ingress-aws-controller-cni-pods created (server dry run)');
      // The API server does not read container args; the controller's own parser does (a bad flag throws).
      const deployment = parseAllDocuments(built).map((d) => d.toJS() as { kind: string; spec: { template: { spec: { containers: { args: string[] }[] } } } })
        .find((o) => o.kind === 'Deployment')!;
      const args = deployment.spec.template.spec.containers[0]!.args;
      expect(parseCommandLine(args, {}), `${dir}: ${args.join(' ')}`).toMatchObject({ kind: 'run', warnings: [] });
    }
  });
});

describe('the controller in-cluster with deploy/s service account', () => {
  it('starts with the TokenRequest token and becomes ready', async () => {
    await kubectl(['apply', ...RBAC_FILES.flatMap((f) => ['-f', f])]);
    const token = await serviceAccountToken();
    const metricsPort = await freePort();
    controller = await startController({
      workDir, apiServerPort: cluster.servicePort, caFile: cluster.caFile, token, namespace: NAMESPACE, metricsPort,
      awsEndpoint: aws.endpoint, imdsEndpoint, region: aws.world.region,
      flags: [
        '--target-access-mode=HostPort', `--state-dir=${path.join(workDir, 'state')}`, `--extra-trusted-ca-file=${trustedRoots}`,
        '--polling-interval=2s', '--min-load-balancer-age=1s', '--cert-ttl-timeout=4s',
        // A leader that cannot renew its Lease for the renew deadline (10 s by default) exits, and the kubelet
        // restarts it; the API server restart below keeps the Lease out of reach for longer than that. The
        // case is about the informers catching up within one process, so the Lease outlasts the outage.
        '--leader-election-lease-duration=120s', '--leader-election-renew-deadline=90s',
      ],
    });
    const c = controller;
    await eventually(async () => {
      if (c.child.exitCode !== null) throw new Error(`controller exited ${c.child.exitCode}: ${c.lines.slice(-20).join('\n')}`);
      return (await fetch(`${c.url}/readyz`).catch(() => undefined))?.status === 200;
    }, 'the controller to be ready', 90_000);
    // In-cluster mode really was used: the Kubernetes caches synced through the service account's token.
    expect(c.logs().some((l) => l.event === 'cache-synced')).toBe(true);
  });

  it('creates a stack for an Ingress and writes its hostname, which kubectl shows as ADDRESS', async () => {
    await kubectl(['apply', '-f', path.join(FIXTURES, 'ingresses.yaml')]);
    const hostname = await eventually(() => hostnameOf('ingress/app', 'ingress'), 'the hostname of ingress default/app');
    expect(calls.some((c) => c.action === 'CreateStack' && !c.error)).toBe(true);
    const stack = [...aws.world.stacks.values()].find((s) => s.status === 'CREATE_COMPLETE');
    expect(stack).toBeDefined();
    const table = await kubectl(['get', 'ingress', 'app', '-n', 'default']);
    const [header, row] = table.trim().split('\n');
    const addressColumn = header!.split(/\s+/).indexOf('ADDRESS');
    expect(addressColumn).toBeGreaterThan(0);
    expect(row!.split(/\s+/)[addressColumn]).toBe(hostname);
  });

  it('records a Warning Event for a bad annotation, visible with kubectl', async () => {
    const events = await eventually(async () => {
      const out = await kubectl(['get', 'events', '-n', 'default', '-o', 'json',
        '--field-selector', 'involvedObject.kind=Ingress,involvedObject.name=bad-annotation,type=Warning']);
      const items = (JSON.parse(out) as { items: { reason: string; message: string }[] }).items;
      return items.length > 0 ? items : undefined;
    }, 'a Warning Event on ingress default/bad-annotation');
    expect(events[0]).toMatchObject({ reason: 'InvalidAnnotation' });
    expect(events[0]!.message).toContain('sideways');
    const described = await kubectl(['describe', 'ingress', 'bad-annotation', '-n', 'default']);
    expect(described).toMatch(/Warning\s+InvalidAnnotation/);
  });

  it('reconciles RouteGroups once their CRD is installed after the start', async () => {
    expect(controller!.logs().some((l) => l.event === 'route-groups-disabled' && l['reason'] === 'absent')).toBe(true);
    await kubectl(['apply', '-f', path.join(FIXTURES, 'routegroup-crd.yaml')]);
    await kubectl(['wait', '--for=condition=established', '--timeout=60s', 'crd/routegroups.zalando.org']);
    // The CRD's resource appears in discovery a moment after it is established.
    await eventually(async () => (await cluster.kubectl(['apply', '-f', path.join(FIXTURES, 'routegroup.yaml')])).code === 0,
      'the RouteGroup to be accepted');
    const hostname = await eventually(() => hostnameOf('routegroup/rg', 'routegroup'), 'the hostname of routegroup default/rg');
    expect(hostname).toMatch(/^internal-/);
    expect(stackServing(hostname)).toBeDefined();
  });

  it('catches up after an API server restart with a change made while its API server was down', async () => {
    const rgStack = stackServing((await hostnameOf('routegroup/rg', 'routegroup'))!)!;
    const callsBefore = calls.length;
    await cluster.stopApiServer();
    const second = await cluster.startSecondApiServer();
    try {
      await kubectl([`--server=https://127.0.0.1:${second.port}`, 'apply', '-f', path.join(FIXTURES, 'while-down.yaml')]);
    } finally {
      await second.stop();
    }
    await cluster.startApiServer();
    const hostname = await eventually(() => hostnameOf('ingress/while-down', 'ingress'), 'the hostname of ingress default/while-down', 90_000);
    expect(hostname).toBe(await hostnameOf('ingress/app', 'ingress'));
    // A restarted API server serves CRDs a moment after its built-in APIs. The RouteGroup's own load balancer
    // must not be drained meanwhile: give the controller a few polling intervals to (wrongly) act on it.
    await new Promise((r) => setTimeout(r, 8_000));
    const touched = calls.slice(callsBefore).filter((c) => c.mutating && JSON.stringify(c.input).includes(rgStack));
    expect(touched.map((c) => c.action)).toEqual([]);
  });

  it('drains the load balancers when their last ingress or RouteGroup is deleted, then deletes the stacks', async () => {
    const stacks = [...aws.world.stacks.values()].filter((s) => s.status.endsWith('_COMPLETE')).map((s) => s.name);
    expect(stacks).toHaveLength(2);
    await kubectl(['delete', '-n', 'default', 'ingress/app', 'ingress/bad-annotation', 'ingress/while-down', 'routegroup/rg']);
    for (const name of stacks) {
      await eventually(async () => {
        const stack = stackNamed(name);
        return stack === undefined || stack.status === 'DELETE_COMPLETE';
      }, `stack ${name} to be deleted`, 90_000);
      // Drained first: an UpdateStack (the certificate tags get their expiry) before the DeleteStack.
      const mine = calls.filter((c) => c.mutating && !c.error && JSON.stringify(c.input).includes(name)).map((c) => c.action);
      expect(mine.lastIndexOf('UpdateStack'), name).toBeGreaterThanOrEqual(0);
      expect(mine.lastIndexOf('UpdateStack'), name).toBeLessThan(mine.indexOf('DeleteStack'));
    }
  });

  it('lets the service account hold its leader-election Lease, and read no Secrets', async () => {
    const canI = async (...args: string[]) => (await cluster.kubectl(['auth', 'can-i', `--as=system:serviceaccount:${NAMESPACE}:${SERVICE_ACCOUNT}`, ...args])).stdout.trim();
    expect(await canI('create', 'leases.coordination.k8s.io', '-n', NAMESPACE)).toBe('yes');
    expect(await canI('update', 'leases.coordination.k8s.io/kube-ingress-aws-controller', '-n', NAMESPACE)).toBe('yes');
    expect(await canI('get', 'leases.coordination.k8s.io/kube-ingress-aws-controller', '-n', NAMESPACE)).toBe('yes');
    expect(await canI('update', 'leases.coordination.k8s.io/someone-else', '-n', NAMESPACE)).toBe('no');
    expect(await canI('update', 'leases.coordination.k8s.io/kube-ingress-aws-controller', '-n', 'default')).toBe('no');
    expect(await canI('get', 'secrets', '-n', NAMESPACE)).toBe('no');
  });

  it('was never refused anything with deploy/s ClusterRole', () => {
    const refused = controller!.lines.filter((line) => /\b403\b|forbidden/i.test(line));
    expect(refused).toEqual([]);
  });
});
