// The standalone simulation as its users meet it: a separate process started with npx, read through its one
// stdout line, driven by the real AWS SDK and Kubernetes client, and stopped with a signal. Spawning costs a
// few seconds per case, so each case checks as much as one process can show.
import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { existsSync, readFileSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import net from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { CloudFormationClient, DescribeStacksCommand } from '@aws-sdk/client-cloudformation';
import { EC2Client } from '@aws-sdk/client-ec2';
import * as k8s from '@kubernetes/client-node';
import { afterEach, describe, expect, it } from 'vitest';
import { discover } from '../../../services/aws/discovery.ts';
import { ImdsClient } from '../../../services/aws/imds.ts';
import { parseWorldFile, WorldFileError } from '../../../tools/sim/world-file.ts';

const ROOT = fileURLToPath(new URL('../../../', import.meta.url));
const WORLDS = join(ROOT, 'tools/sim/worlds');
const CLUSTER_ID = 'aws:123:eu-central-1:kube-1';
const CREDENTIALS = { accessKeyId: 'AKIDSIMULATED', secretAccessKey: 'simulated' };
// npx, tsx and the first transpilation of the simulations take a few seconds on two busy cores.
const SPAWN_TIMEOUT = 60_000;

interface Exit { code: number | null; signal: NodeJS.Signals | null }

interface Running {
  child: ChildProcess;
  /** The simulation's own process (npm and tsx sit between it and `child`). */
  pid: number;
  endpoints: Record<string, string>;
  stdoutLines: string[];
  stderr(): string;
  exited: Promise<Exit>;
}

const spawned: ChildProcess[] = [];

afterEach(() => {
  // A failed case must not leave simulations behind: the whole process group goes (npm, sh, tsx, node).
  for (const child of spawned.splice(0)) {
    if (child.exitCode === null && child.signalCode === null && child.pid !== undefined) {
      try {
        process.kill(-child.pid, 'SIGKILL');
      } catch {
        // Already gone.
      }
    }
  }
});

function spawnSim(args: string[]): { child: ChildProcess; stdoutLines: string[]; stderr(): string; exited: Promise<Exit> } {
  const child = spawn('npx', ['tsx', 'tools/sim/standalone.ts', ...args], {
    cwd: ROOT,
    stdio: ['ignore', 'pipe', 'pipe'],
    // Its own process group, so cleanup can reach every process npx starts.
    detached: true,
  });
  spawned.push(child);
  const stdoutLines: string[] = [];
  createInterface({ input: child.stdout! }).on('line', (line) => stdoutLines.push(line));
  let stderr = '';
  child.stderr!.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
  const exited = once(child, 'exit').then(([code, signal]) => ({ code, signal }) as Exit);
  return { child, stdoutLines, stderr: () => stderr, exited };
}

async function startSim(args: string[]): Promise<Running> {
  const sim = spawnSim(args);
  // Ready means the JSON line is out and the stderr line with our pid has followed it.
  const ready = new Promise<number>((resolve) => {
    const poll = setInterval(() => {
      const pid = /ready \(pid (\d+)\)/.exec(sim.stderr())?.[1];
      if (pid && sim.stdoutLines.length > 0) {
        clearInterval(poll);
        resolve(Number(pid));
      }
    }, 20);
    void sim.exited.then(() => clearInterval(poll));
  });
  const pid = await Promise.race([
    ready,
    sim.exited.then((exit) => {
      throw new Error(`simulation exited early (${exit.code ?? exit.signal}): ${sim.stderr()}`);
    }),
  ]);
  return { ...sim, pid, endpoints: JSON.parse(sim.stdoutLines[0]!) as Record<string, string> };
}

async function freePort(): Promise<number> {
  const server = net.createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as net.AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

/** The client as the controller builds it for --api-server-base-url: that URL, no credentials. */
function kubernetesClient(url: string): k8s.NetworkingV1Api {
  const kc = new k8s.KubeConfig();
  kc.loadFromOptions({
    clusters: [{ name: 'sim', server: url, skipTLSVerify: true }],
    users: [{ name: 'anonymous' }],
    contexts: [{ name: 'sim', cluster: 'sim', user: 'anonymous' }],
    currentContext: 'sim',
  });
  return kc.makeApiClient(k8s.NetworkingV1Api);
}

async function ingressNames(url: string): Promise<string[]> {
  const list = await kubernetesClient(url).listIngressForAllNamespaces();
  return list.items.map((i) => `${i.metadata?.namespace}/${i.metadata?.name}`).sort();
}

describe('npm run sim', () => {
  it('serves a world file to the real SDK and Kubernetes client, and exits 0 on SIGTERM', { timeout: SPAWN_TIMEOUT }, async () => {
    const sim = await startSim(['--world', join(WORLDS, 'existing-stack.yaml')]);

    expect(Object.keys(sim.endpoints)).toEqual(['awsEndpoint', 'imdsEndpoint', 'kubernetesUrl', 'trustedCAFile', 'region']);
    expect(sim.endpoints['awsEndpoint']).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    expect(sim.endpoints['imdsEndpoint']).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    expect(sim.endpoints['kubernetesUrl']).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    expect(sim.endpoints['region']).toBe('eu-central-1');
    const caFile = sim.endpoints['trustedCAFile']!;
    expect(readFileSync(caFile, 'utf8')).toMatch(/^-----BEGIN CERTIFICATE-----\n/);

    const cfn = new CloudFormationClient({ endpoint: sim.endpoints['awsEndpoint']!, region: 'eu-central-1', credentials: CREDENTIALS, maxAttempts: 1 });
    try {
      const { Stacks = [] } = await cfn.send(new DescribeStacksCommand({}));
      expect(Stacks.map((s) => [s.StackName, s.StackStatus])).toEqual([['kube-ingress-aws-controller-kube-1-3f0b7c2e', 'CREATE_COMPLETE']]);
      expect(Stacks[0]?.Outputs?.find((o) => o.OutputKey === 'LoadBalancerDNSName')?.OutputValue)
        .toBe('kube-1-lb-1234567890.eu-central-1.elb.amazonaws.com');
    } finally {
      cfn.destroy();
    }

    expect(await ingressNames(sim.endpoints['kubernetesUrl']!)).toEqual(['shop/storefront']);
    // The world file turned the RouteGroup CRD off.
    const routeGroups = await fetch(`${sim.endpoints['kubernetesUrl']}/apis/zalando.org/v1/routegroups`);
    expect(routeGroups.status).toBe(404);

    process.kill(sim.pid, 'SIGTERM');
    expect(await sim.exited).toEqual({ code: 0, signal: null });
    expect(sim.stdoutLines).toHaveLength(1);
    expect(sim.stderr()).toContain('sim: aws cloudformation:DescribeStacks');
    expect(existsSync(dirname(caFile))).toBe(false);
  });

  it('serves the default world on the ports asked for, where a controller discovers itself, and exits 0 on SIGINT', { timeout: SPAWN_TIMEOUT }, async () => {
    const [aws, kubernetes, imds] = [await freePort(), await freePort(), await freePort()];
    const sim = await startSim(['--port-aws', String(aws), '--port-kubernetes', String(kubernetes), '--port-imds', String(imds)]);

    expect(sim.endpoints).toMatchObject({
      awsEndpoint: `http://127.0.0.1:${aws}`, kubernetesUrl: `http://127.0.0.1:${kubernetes}`, imdsEndpoint: `http://127.0.0.1:${imds}`,
    });
    const ec2 = new EC2Client({ endpoint: sim.endpoints['awsEndpoint']!, region: 'eu-central-1', credentials: CREDENTIALS, maxAttempts: 1 });
    try {
      // What a controller started without --cluster-id and --vpc-id does first.
      const found = await discover({
        clients: { ec2 },
        config: { clusterId: '', vpcId: '', controllerId: 'kube-ingress-aws-controller' },
        imds: new ImdsClient({ endpoint: sim.endpoints['imdsEndpoint']! }),
      });
      expect(found).toMatchObject({ clusterId: CLUSTER_ID, vpcId: 'vpc-1', instanceId: 'i-node-1', securityGroupId: 'sg-ingress', warnings: [] });
      expect(found.subnets.map((s) => [s.id, s.availabilityZone, s.public]).sort()).toEqual([
        ['subnet-private-1a', 'eu-central-1a', false],
        ['subnet-public-1a', 'eu-central-1a', true],
        ['subnet-public-1b', 'eu-central-1b', true],
      ]);
    } finally {
      ec2.destroy();
    }
    expect(await ingressNames(sim.endpoints['kubernetesUrl']!)).toEqual(['default/admin', 'default/app']);

    process.kill(sim.pid, 'SIGINT');
    expect(await sim.exited).toEqual({ code: 0, signal: null });
  });

  it('refuses a bad world file with one line naming the field', { timeout: SPAWN_TIMEOUT }, async () => {
    const dir = await mkdtemp(join(tmpdir(), 'standalone-test-'));
    try {
      const path = join(dir, 'world.yaml');
      await writeFile(path, 'aws:\n  subnets:\n    - { id: subnet-a, vpcId: vpc-1, public: true }\n');
      const sim = spawnSim(['--world', path]);
      const exit = await sim.exited;
      expect(exit.code).not.toBe(0);
      expect(sim.stdoutLines).toEqual([]);
      expect(sim.stderr()).toBe(`sim: ${path}: aws.subnets[0].availabilityZone is required\n`);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});

describe('parseWorldFile', () => {
  const error = (text: string): string => {
    try {
      parseWorldFile(text, 'w.yaml');
    } catch (e) {
      expect(e).toBeInstanceOf(WorldFileError);
      return (e as Error).message;
    }
    throw new Error('expected the world file to be refused');
  };

  it('reads the world of a whole scenario file and ignores its other sections', () => {
    const world = parseWorldFile(readFileSync(join(WORLDS, 'existing-stack.yaml'), 'utf8'));
    expect(world.aws.stacks?.map((s) => s.name)).toEqual(['kube-ingress-aws-controller-kube-1-3f0b7c2e']);
    expect(world.kubernetes.routeGroupsCRD).toBe(false);
    expect(world.kubernetes.objects).toHaveLength(2);
  });

  it('treats an empty file as an empty world and an absent section as empty', () => {
    expect(parseWorldFile('')).toEqual({ aws: {}, kubernetes: {} });
    expect(parseWorldFile('kubernetes: { routeGroupsCRD: false }')).toEqual({ aws: {}, kubernetes: { routeGroupsCRD: false } });
  });

  it('names the offending field in one line', () => {
    expect(error('aws:\n  vpcs: { id: vpc-1 }')).toBe('w.yaml: aws.vpcs must be a list, got a mapping');
    expect(error('aws:\n  accountId: 123456789012')).toBe('w.yaml: aws.accountId must be a string, got number 123456789012 (quote it)');
    expect(error('aws:\n  subnets:\n    - { id: s, vpcId: v, availabiltyZone: a }')).toMatch(/^w\.yaml: aws\.subnets\[0\]\.availabiltyZone is not a known field/);
    expect(error('aws:\n  subnets:\n    - { id: s, vpcId: v, availabilityZone: a, tags: { "kubernetes.io/role/elb": 1 } }'))
      .toBe('w.yaml: aws.subnets[0].tags["kubernetes.io/role/elb"] must be a string, got number 1 (quote it)');
    expect(error('aws:\n  certificates:\n    - { arn: a, domains: [x], notAfter: soon }')).toMatch(/^w\.yaml: aws\.certificates\[0\]\.notAfter must be an RFC 3339 timestamp/);
    expect(error('aws:\n  behaviour: { throttle: { "cloudformation:DescribeStacks": 2 } }'))
      .toBe('w.yaml: aws.behaviour.throttle["cloudformation:DescribeStacks"] must be a fraction between 0 and 1, got number 2');
    expect(error('kubernetes:\n  objects:\n    - { apiVersion: v1, metadata: { name: x } }')).toBe('w.yaml: kubernetes.objects[0].kind is required');
    expect(error('kubernetes:\n  routeGroupsCRD: "yes"')).toBe('w.yaml: kubernetes.routeGroupsCRD must be true or false, got string "yes"');
  });

  it('explains a file whose world is not in sections, and YAML errors, in one line', () => {
    expect(error('vpcs: [ { id: vpc-1 } ]')).toBe('w.yaml: the top level has neither an aws nor a kubernetes section (found vpcs)');
    expect(error('- 1')).toBe('w.yaml: the top level must be a mapping with aws and kubernetes sections, got a list');
    const yamlError = error('aws: [1\nkubernetes: {}');
    expect(yamlError).toMatch(/^w\.yaml: invalid YAML: .*line \d+, column \d+$/);
  });
});
