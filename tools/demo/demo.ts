// `npm run demo`: the first thing a newcomer runs. It starts the simulated AWS account and Kubernetes API,
// runs the real controller against them in real time with short timings, and walks one load balancer through
// its whole life: created for a new Ingress, serving, drained when the Ingress goes away, deleted.
// `npm run demo -- --cni` (or DEMO_MODE=AWSCNI) runs the same walk in AWS CNI mode with three router pods, and
// shows their IPs registered in the ip target groups, a new pod added, and a terminating pod drained.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { ConfiguredRetryStrategy } from '@smithy/core/retry';
import { pino } from 'pino';
import { systemClock } from '../../services/clock.ts';
import { seededUuid } from '../support/seeded-random.ts';
import { parseCommandLine } from '../../services/config/parse.ts';
import { startRuntime } from '../../services/commands/run.ts';
import { startAwsSim, startImds } from '../sim/aws/index.ts';
import { writeTrustedRootsFile } from '../sim/aws/certificates.ts';
import { startKubernetesSim } from '../sim/kubernetes/index.ts';
import { loadWorldFile } from '../sim/world-file.ts';

const SECONDS = 1000;
const say = (msg: string) => process.stdout.write(`${new Date().toISOString().slice(11, 19)}  ${msg}\n`);

const CNI = process.argv.includes('--cni') || process.env.DEMO_MODE === 'AWSCNI';
const CNI_NAMESPACE = 'kube-system';
const CNI_LABELS = { application: 'skipper-ingress' };

function routerPod(name: string, ip: string, terminating = false): Record<string, unknown> {
  return {
    apiVersion: 'v1', kind: 'Pod',
    metadata: { name, namespace: CNI_NAMESPACE, labels: CNI_LABELS, ...(terminating ? { deletionTimestamp: new Date(Date.now() + 30_000).toISOString() } : {}) },
    spec: { containers: [{ name: 'skipper', image: 'skipper' }] },
    status: { phase: 'Running', podIP: ip, containerStatuses: [{ name: 'skipper', ready: true, state: { running: { startedAt: new Date().toISOString() } } }] },
  };
}

async function main(): Promise<void> {
  const world = loadWorldFile(path.resolve(import.meta.dirname, '../sim/worlds/default.yaml'));
  const pods = CNI ? [routerPod('skipper-1', '10.2.0.11'), routerPod('skipper-2', '10.2.0.12'), routerPod('skipper-3', '10.2.0.13')] : [];
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'kiac-demo-'));
  const aws = await startAwsSim({ input: { ...world.aws, behaviour: { ...(world.aws.behaviour ?? {}), operationSeconds: 4 } }, clock: systemClock });
  const imds = await startImds({ world: aws.world });
  const kube = await startKubernetesSim({ clock: systemClock, objects: [...(world.kubernetes.objects ?? []), ...pods] });
  const caFile = path.join(dir, 'trusted-roots.pem');
  await writeTrustedRootsFile(caFile);

  const outcome = parseCommandLine([
    ...(CNI
      ? ['--target-access-mode=AWSCNI', `--target-cni-namespace=${CNI_NAMESPACE}`, '--target-cni-pod-labelselector=application=skipper-ingress']
      : ['--target-access-mode=HostPort']),
    `--api-server-base-url=${kube.url}`,
    `--state-dir=${path.join(dir, 'state')}`,
    `--extra-trusted-ca-file=${caFile}`,
    '--polling-interval=10s',
    '--cert-ttl-timeout=1m',
    '--min-load-balancer-age=5s',
    `--metrics-address=127.0.0.1:${process.env.DEMO_PORT ?? '7979'}`,
  ], {});
  if (outcome.kind !== 'run') throw new Error('unexpected configuration outcome');

  say('simulated AWS account and Kubernetes API are up (loopback only)');
  if (CNI) {
    say(`AWS CNI mode: router pods ${CNI_NAMESPACE}/skipper-1..3 (10.2.0.11-13) are the targets of every ip target group`);
    aws.server.onCall((c) => {
      if (c.error || (c.action !== 'RegisterTargets' && c.action !== 'DeregisterTargets')) return;
      const input = c.input as { TargetGroupArn?: string; Targets?: { Id?: string }[] };
      const tg = /targetgroup\/([^/]+)\//.exec(input.TargetGroupArn ?? '')?.[1] ?? input.TargetGroupArn;
      say(`target group ${tg}: ${c.action === 'RegisterTargets' ? 'registered' : 'deregistered'} ${(input.Targets ?? []).map((t) => t.Id).join(', ')}`);
    });
  }
  const logger = pino({ level: process.env.DEMO_LOG_LEVEL ?? 'warn' }, pino.destination(2));
  let runtime;
  try {
    runtime = await startRuntime({
      config: outcome.config, clock: systemClock, logger,
      aws: { region: aws.world.region, endpoint: aws.endpoint, credentials: { accessKeyId: 'AKIDDEMO', secretAccessKey: 'demo' }, retryStrategy: new ConfiguredRetryStrategy(3, () => 100) },
      imdsEndpoint: imds.endpoint, kubeConfig: kube.kubeConfig(), listen: true,
      // Stack names end in a UUID, and upstream's model prefers existing stacks in name order (§4.2): a drained
      // stack that sorts first would attract other shared ingresses. A fixed seed makes the walkthrough the same
      // on every run: the demo's own stack sorts last.
      uuid: seededUuid(6),
      timings: { stackPollIntervalMs: 1 * SECONDS, retryBaseMs: 5 * SECONDS },
      onTransition: (t) => say(`stack ${short(t.actorId)}  ${t.from ?? '(new)'} -> ${t.to}${t.detail && (t.detail as { status?: string }).status ? `  [${(t.detail as { status?: string }).status}]` : ''}`),
    });
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'EADDRINUSE') {
      process.stderr.write(`port ${process.env.DEMO_PORT ?? '7979'} is in use; run with DEMO_PORT=<free port> npm run demo\n`);
      process.exit(1);
    }
    throw err;
  }
  const api = runtime.url!.replace('0.0.0.0', '127.0.0.1');
  say(`controller running; debug API: ${api}/api/stacks  ${api}/api/ingresses  metrics: ${api}/metrics`);
  if (CNI) say(`AWS CNI view: ${api}/api/targets/cni`);
  say('existing Ingresses default/app and default/admin get load balancers first');

  const timers: NodeJS.Timeout[] = [];
  const later = (ms: number, fn: () => void) => timers.push(setTimeout(fn, ms));
  const demoIngress = {
    apiVersion: 'networking.k8s.io/v1', kind: 'Ingress',
    metadata: { name: 'demo', namespace: 'default', annotations: { 'zalando.org/aws-load-balancer-shared': 'false' } },
    spec: { rules: [{ host: 'demo.example.org', http: { paths: [{ path: '/', pathType: 'Prefix', backend: { service: { name: 'demo', port: { number: 80 } } } }] } }] },
  };
  later(15 * SECONDS, () => {
    say('creating Ingress default/demo (not shared: it gets a load balancer of its own)');
    kube.apply(demoIngress);
  });
  if (CNI) {
    later(25 * SECONDS, () => {
      say('starting router pod skipper-4 (10.2.0.14): registered within a second, no planning cycle needed');
      kube.apply(routerPod('skipper-4', '10.2.0.14'));
    });
    later(30 * SECONDS, () => {
      say('router pod skipper-2 is terminating: deregistered at once, so its target drains while it still serves');
      kube.apply(routerPod('skipper-2', '10.2.0.12', true));
    });
    later(35 * SECONDS, () => {
      kube.delete({ apiVersion: 'v1', kind: 'Pod', namespace: CNI_NAMESPACE, name: 'skipper-2' });
      say('router pod skipper-2 is gone (nothing more to deregister)');
    });
  }
  later(40 * SECONDS, () => {
    const status = (kube.get({ apiVersion: 'networking.k8s.io/v1', kind: 'Ingress', namespace: 'default', name: 'demo' })?.status as { loadBalancer?: { ingress?: { hostname?: string }[] } } | undefined)?.loadBalancer?.ingress?.[0]?.hostname;
    say(`Ingress default/demo status hostname: ${status ?? '(not yet written)'}`);
    say('deleting Ingress default/demo: its load balancer drains for --cert-ttl-timeout (1m), then is deleted');
    kube.delete({ apiVersion: 'networking.k8s.io/v1', kind: 'Ingress', namespace: 'default', name: 'demo' });
  });

  let stopping = false;
  const stop = async () => {
    if (stopping) return;
    stopping = true;
    for (const t of timers) clearTimeout(t);
    say('stopping');
    await runtime.stop();
    await kube.close();
    await imds.close();
    await aws.close();
    fs.rmSync(dir, { recursive: true, force: true });
    process.exit(0);
  };
  process.on('SIGINT', () => void stop());
  process.on('SIGTERM', () => void stop());
  if (process.env.DEMO_EXIT_AFTER) later(Number(process.env.DEMO_EXIT_AFTER) * SECONDS, () => void stop());
}

const short = (stackName: string) => stackName.replace(/^kube-ingress-aws-controller-/, '…');

main().catch((err: unknown) => {
  process.stderr.write(`demo failed: ${err instanceof Error ? err.stack ?? err.message : String(err)}\n`);
  process.exit(1);
});
