// Two (then three) replicas against a real kube-apiserver 1.20, in-cluster with deploy/'s service account and
// Lease Role, sharing one AWS simulation as replicas share one AWS account. Each replica signs with its own
// access key id, so the simulation's call log says which replica made each call. The election timings are
// short (lease 4 s) so that a failover fits in a test; the cases run in order on the same replicas:
// A and B start together, A or B leads; the leader is SIGKILLed; C joins as the new standby; the new
// leader starts a drain and is SIGKILLed in the middle of it; C finishes the drain. Last, a controller whose
// service account lacks the Lease rule (upstream's RBAC) runs as the only instance.
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, afterEach, beforeAll, describe, expect, inject, it } from 'vitest';
import { Cluster, freePort } from '../../tools/e2e/cluster.ts';
import type { AwsSim } from '../../tools/sim/aws/index.ts';
import type { CallRecord } from '../../tools/sim/aws/server.ts';
import { kubectlOk, serviceAccountToken as serviceAccountTokenOf, startE2eWorld, type E2eWorld } from './helpers/e2e-world.ts';
import { eventually, startController, type ControllerProcess } from './helpers/controller-process.ts';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const NAMESPACE = 'kube-system';
const SERVICE_ACCOUNT = 'kube-ingress-aws-controller';
const RBAC_FILES = ['service-account.yaml', 'cluster-role.yaml', 'lease-role.yaml'].map((f) => path.join(ROOT, 'deploy/base', f));
const LEASE_MS = 4_000;
const POLLING_MS = 2_000;
const CERT_TTL_MS = 15_000;
/** Process start, cache sync, a cycle's AWS reads, on two shared cores: what the bounds below allow on top. */
const SLACK_MS = 5_000;
const ZERO_TIME = '0001-01-01T00:00:00Z';
const CERT_TAG = 'ingress:certificate-arn/';

const INGRESS = `apiVersion: networking.k8s.io/v1
kind: Ingress
metadata:
  name: dedicated
  namespace: default
  annotations:
    zalando.org/aws-load-balancer-shared: "false"
spec:
  rules:
    - host: app.example.org
      http:
        paths:
          - path: /
            pathType: Prefix
            backend: { service: { name: app, port: { number: 80 } } }
`;

interface LeaderView {
  mode: string;
  identity: string;
  holder: string | null;
  lease: string;
  transitions: number;
  reason: string | null;
}

interface Replica {
  readonly name: string;
  readonly accessKeyId: string;
  readonly process: ControllerProcess;
}

let workDir: string;
let cluster: Cluster;
let aws: AwsSim;
let closeImds: () => Promise<void>;
let imdsEndpoint: string;
let trustedRoots: string;
const replicas: Replica[] = [];
let calls: CallRecord[] = [];
let world: E2eWorld;

const kubectl = (args: string[], options: { input?: string } = {}) => kubectlOk(cluster, args, options);

const serviceAccountToken = (serviceAccount = SERVICE_ACCOUNT) => serviceAccountTokenOf(cluster, NAMESPACE, serviceAccount);

async function startReplica(name: string, serviceAccount = SERVICE_ACCOUNT): Promise<Replica> {
  const accessKeyId = `AKIDE2E${name.toUpperCase()}`;
  const proc = await startController({
    name, workDir, apiServerPort: cluster.servicePort, caFile: cluster.caFile, token: await serviceAccountToken(serviceAccount),
    namespace: NAMESPACE, metricsPort: await freePort(), awsEndpoint: aws.endpoint, imdsEndpoint, region: aws.world.region,
    accessKeyId,
    flags: [
      '--target-access-mode=HostPort', `--state-dir=${path.join(workDir, `${name}-state`)}`, `--extra-trusted-ca-file=${trustedRoots}`,
      `--polling-interval=${POLLING_MS / 1000}s`, '--min-load-balancer-age=1s', `--cert-ttl-timeout=${CERT_TTL_MS / 1000}s`,
      // Flags not given (namespace and Lease name) take their defaults, which deploy/base/lease-role.yaml grants.
      `--leader-election-lease-duration=${LEASE_MS / 1000}s`, '--leader-election-renew-deadline=3s', '--leader-election-retry-period=500ms',
    ],
  });
  const replica = { name, accessKeyId, process: proc };
  replicas.push(replica);
  return replica;
}

async function leaderView(replica: Replica): Promise<LeaderView> {
  const res = await fetch(`${replica.process.url}/api/leader`);
  if (!res.ok) throw new Error(`${replica.name}: /api/leader answered ${res.status}`);
  return (await res.json()) as LeaderView;
}

async function waitReady(replica: Replica): Promise<void> {
  const c = replica.process;
  await eventually(async () => {
    if (c.child.exitCode !== null) throw new Error(`${replica.name} exited ${c.child.exitCode}: ${c.lines.slice(-20).join('\n')}`);
    return (await fetch(`${c.url}/readyz`).catch(() => undefined))?.status === 200;
  }, `${replica.name} to be ready`, 90_000);
}

/** Both roles settled: exactly one of these replicas leads, the others are standbys naming it as holder. */
async function roles(of: Replica[]): Promise<{ leader: Replica; standbys: Replica[]; views: Map<Replica, LeaderView> }> {
  return eventually(async () => {
    const views = new Map<Replica, LeaderView>();
    for (const r of of) views.set(r, await leaderView(r));
    const leaders = of.filter((r) => views.get(r)!.mode === 'leader');
    if (leaders.length !== 1) return undefined;
    const leader = leaders[0]!;
    const standbys = of.filter((r) => r !== leader);
    const settled = standbys.every((r) => views.get(r)!.mode === 'standby' && views.get(r)!.holder === views.get(leader)!.identity);
    return settled ? { leader, standbys, views } : undefined;
  }, `one leader among ${of.map((r) => r.name).join(', ')}`);
}

function ok(action: string): CallRecord[] {
  return calls.filter((c) => c.action === action && !c.error);
}

/** The stacks the simulation has not deleted. */
function liveStacks() {
  return [...aws.world.stacks.values()].filter((s) => !s.status.startsWith('DELETE'));
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

beforeAll(async () => {
  ({ workDir, cluster, aws, imdsEndpoint, trustedRoots, closeImds } = world = await startE2eWorld(inject('e2eBinDir'), 'kiac-e2e-leader-'));
  calls = world.calls;
  await kubectl(['apply', ...RBAC_FILES.flatMap((f) => ['-f', f])]);
});

let failed = false;
afterEach((context) => {
  if (context.task.result?.state === 'fail') failed = true;
});

afterAll(async () => {
  for (const r of replicas) await r.process.stop();
  await cluster?.stop();
  await closeImds?.();
  await aws?.close();
  if (!workDir) return;
  if (failed) process.stderr.write(`e2e: logs kept in ${workDir}\n`);
  else fs.rmSync(workDir, { recursive: true, force: true });
});

describe('leader election between replicas with deploy/s Lease Role', () => {
  let leader: Replica;
  let standby: Replica;
  let stackName: string;

  it('elects one of two replicas started together; both become ready', async () => {
    const [a, b] = await Promise.all([startReplica('a'), startReplica('b')]);
    await Promise.all([waitReady(a!), waitReady(b!)]);
    const settled = await roles([a!, b!]);
    leader = settled.leader;
    standby = settled.standbys[0]!;
    const view = settled.views.get(leader)!;
    expect(view.lease).toBe(`${NAMESPACE}/kube-ingress-aws-controller`);
    expect(settled.views.get(standby)!.identity).not.toBe(view.identity);
    // The Lease object itself names the same holder.
    const lease = JSON.parse(await kubectl(['get', 'lease', 'kube-ingress-aws-controller', '-n', NAMESPACE, '-o', 'json'])) as { spec: { holderIdentity: string; leaseDurationSeconds: number } };
    expect(lease.spec).toMatchObject({ holderIdentity: view.identity, leaseDurationSeconds: LEASE_MS / 1000 });
  });

  it('lets only the leader create the stack of a new dedicated ingress, once', async () => {
    await kubectl(['apply', '-f', '-'], { input: INGRESS });
    await eventually(async () => {
      const out = await kubectl(['get', 'ingress/dedicated', '-n', 'default', '-o', 'jsonpath={.status.loadBalancer.ingress[0].hostname}']);
      return out.trim() !== '';
    }, 'the hostname of ingress default/dedicated');
    // A standby that wrongly acted would do so within a cycle or two of seeing the ingress.
    await sleep(3 * POLLING_MS);
    expect(ok('CreateStack')).toHaveLength(1);
    expect(liveStacks()).toHaveLength(1);
    stackName = liveStacks()[0]!.name;
    const mutators = new Set(calls.filter((c) => c.mutating).map((c) => c.accessKeyId));
    expect([...mutators]).toEqual([leader.accessKeyId]);
    expect((await leaderView(leader)).mode).toBe('leader');
    expect((await leaderView(standby)).mode).toBe('standby');
  });

  it('hands over within the lease duration and a cycle when the leader is SIGKILLed, without a second stack', async () => {
    const callsBefore = calls.length;
    const killedAt = Date.now();
    await leader.process.kill();
    await eventually(async () => (await leaderView(standby)).mode === 'leader', `${standby.name} to take over`, 30_000);
    const tookOverMs = Date.now() - killedAt;
    // Nothing renews the Lease after the kill, so the standby may take it at most a lease duration (plus a
    // retry period) after it last saw it change; the rest is the allowance for a loaded machine.
    expect(tookOverMs).toBeLessThan(LEASE_MS + POLLING_MS + SLACK_MS);
    const view = await leaderView(standby);
    expect(view.holder).toBe(view.identity);
    expect(view.transitions).toBeGreaterThanOrEqual(1);
    await waitReady(standby);
    // The new leader's first cycles adopt the existing stack from its tags instead of creating another one.
    await sleep(3 * POLLING_MS);
    expect(ok('CreateStack')).toHaveLength(1);
    expect(liveStacks().map((s) => s.name)).toEqual([stackName]);
    const after = calls.slice(callsBefore).filter((c) => c.mutating);
    expect(after.filter((c) => c.accessKeyId !== standby.accessKeyId)).toEqual([]);
    process.stderr.write(`e2e: takeover after SIGKILL of the leader took ${tookOverMs} ms\n`);
    leader = standby;
  });

  it('honours a drain deadline set before a failover: the next leader deletes the stack at that deadline', async () => {
    standby = await startReplica('c');
    await waitReady(standby);
    expect((await roles([leader, standby])).leader).toBe(leader);

    await kubectl(['delete', '-n', 'default', 'ingress/dedicated']);
    // The drain: the leader writes the certificates' expiry (now + --cert-ttl-timeout) into the stack's tags.
    const deadline = await eventually<number>(async () => {
      const stack = liveStacks().find((s) => s.name === stackName);
      if (stack?.status !== 'UPDATE_COMPLETE') return undefined;
      const expiries = Object.entries(stack.tags).filter(([k]) => k.startsWith(CERT_TAG)).map(([, v]) => v);
      if (expiries.length === 0 || expiries.includes(ZERO_TIME)) return undefined;
      return Math.max(...expiries.map((v) => Date.parse(v)));
    }, `stack ${stackName} to be draining`, 30_000);
    expect(ok('UpdateStack').at(-1)!.accessKeyId).toBe(leader.accessKeyId);

    const callsBefore = calls.length;
    await leader.process.kill();
    await eventually(async () => (await leaderView(standby)).mode === 'leader', `${standby.name} to take over`, 30_000);
    const tookOverAt = Date.now();
    // Mid-drain: the handover finished before the deadline, so the deadline is the new leader's to honour.
    expect(tookOverAt).toBeLessThan(deadline);

    const deletion = await eventually(async () => ok('DeleteStack').at(0), `stack ${stackName} to be deleted`, CERT_TTL_MS + 30_000);
    expect(deletion.accessKeyId).toBe(standby.accessKeyId);
    expect(deletion.at).toBeGreaterThanOrEqual(deadline);
    // Not restarted: a new leader that re-drained from its own clock would delete a whole TTL later.
    expect(deletion.at).toBeLessThan(deadline + POLLING_MS + SLACK_MS);
    await eventually(async () => liveStacks().length === 0, 'the stack to be gone', 30_000);
    expect(ok('DeleteStack')).toHaveLength(1);
    expect(ok('CreateStack')).toHaveLength(1);
    expect(calls.slice(callsBefore).filter((c) => c.mutating && c.accessKeyId !== standby.accessKeyId)).toEqual([]);
    process.stderr.write(`e2e: drain deadline ${new Date(deadline).toISOString()}, handover ${deadline - tookOverAt} ms before it, DeleteStack ${deletion.at - deadline} ms after it\n`);
  });

  it('was never refused anything (no 403 in any replica log)', () => {
    expect(replicas).toHaveLength(3);
    for (const r of replicas) {
      expect(r.process.lines.filter((line) => /\b403\b|forbidden/i.test(line)), r.name).toEqual([]);
    }
  });
});

describe('without the Lease rule (upstream RBAC: the ClusterRole only)', () => {
  it('runs as the only instance and says why in /api/leader and in one log line', async () => {
    // Only one active controller at a time: the replicas above give up (or lost) their Lease first.
    for (const r of replicas) await r.process.stop();
    const account = `${SERVICE_ACCOUNT}-no-lease`;
    await kubectl(['create', 'serviceaccount', account, '-n', NAMESPACE]);
    await kubectl(['create', 'clusterrolebinding', account, `--clusterrole=${SERVICE_ACCOUNT}`, `--serviceaccount=${NAMESPACE}:${account}`]);
    const single = await startReplica('single', account);
    await waitReady(single);
    // Ready as a standby at once; single-instance once the first Lease request has been refused.
    const view = await eventually(async () => {
      const v = await leaderView(single);
      return v.mode === 'single-instance' ? v : undefined;
    }, 'single-instance mode');
    expect(view).toMatchObject({ mode: 'single-instance', holder: null });
    expect(view.reason).toContain('deploy/base/lease-role.yaml');
    const unavailable = single.process.logs().filter((l) => l.event === 'leader-election-unavailable');
    expect(unavailable).toHaveLength(1);
    expect(unavailable[0]).toMatchObject({ httpStatus: 403, lease: `${NAMESPACE}/kube-ingress-aws-controller` });
    // The Lease API was the only thing refused.
    expect(single.process.lines.filter((line) => /\b403\b|forbidden/i.test(line) && !line.includes('leader-election-unavailable'))).toEqual([]);
  });
});

describe("upstream's ClusterRole, exactly (a drop-in swap of the image)", () => {
  it('reconciles a RouteGroup created later through list polling, and names each refusal once', async () => {
    for (const r of replicas) await r.process.stop();
    await kubectl(['apply', '-f', path.join(ROOT, 'test/fixtures/e2e/upstream-rbac.yaml')]);
    await kubectl(['apply', '-f', path.join(ROOT, 'test/fixtures/e2e/routegroup-crd.yaml')]);
    await kubectl(['wait', '--for=condition=established', '--timeout=60s', 'crd/routegroups.zalando.org']);
    const upstream = await startReplica('upstream', 'kube-ingress-aws');
    await waitReady(upstream);
    // Ready as a standby at once; single-instance once the first Lease request has been refused.
    await eventually(async () => (await leaderView(upstream)).mode === 'single-instance', 'single-instance mode');

    // Created after the start: only a list can see it, since the watch is refused.
    await eventually(async () => (await cluster.kubectl(['apply', '-f', path.join(ROOT, 'test/fixtures/e2e/routegroup.yaml')])).code === 0, 'the RouteGroup accepted');
    const hostname = await eventually(async () => {
      const out = (await kubectl(['get', 'routegroup/rg', '-n', 'default', '-o', 'jsonpath={.status.loadBalancer.routegroup[0].hostname}'])).trim();
      return out === '' ? undefined : out;
    }, 'the RouteGroup served through list polling', 90_000);
    expect(hostname).toMatch(/elb\.amazonaws\.com$/);
    // A bad annotation: the Warning Event is refused by RBAC, which is said once and counted.
    await kubectl(['apply', '-f', '-'], { input: INGRESS.replace('name: dedicated', 'name: bad-scheme').replace('zalando.org/aws-load-balancer-shared: "false"', 'zalando.org/aws-load-balancer-scheme: sideways') });
    const health = await eventually(async () => {
      const h = (await (await fetch(`${upstream.process.url}/api/health`)).json()) as { status: string; problems: string[] };
      return h.problems.some((p) => p.startsWith('events:')) ? h : undefined;
    }, '/api/health to count the refused Event');
    expect(health.status).toBe('degraded');
    expect(health.problems).toContain(`routegroups: watch forbidden, listed every ${POLLING_MS / 1000} s instead`);
    const refusals = upstream.process.logs().filter((l) => l.event === 'rbac-forbidden');
    expect(refusals.map((l) => `${String(l.resource)} ${String(l.verb)}`).sort()).toEqual(['events create', 'routegroups watch']);
  });
});
