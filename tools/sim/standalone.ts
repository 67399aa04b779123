// `npm run sim -- [--world world.yaml] [--port-aws N] [--port-kubernetes N] [--port-imds N]`
//
// Serves a world's simulated AWS (with IMDS) and Kubernetes on loopback, on the real clock, for as long as the
// process lives, so the controller (or anything else built on the real SDKs) can be run by hand against them
// exactly as against the real services. Stdout carries exactly one JSON line with the addresses, meant to be
// read by a script; everything else goes to stderr. SIGINT/SIGTERM close everything and exit 0.
//
// Exit status when the simulation cannot start: 2 for a bad command line or world file, 1 for anything else
// (a port in use, say), always with one line on stderr.
import { mkdtemp, rm } from 'node:fs/promises';
import net from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { systemClock } from '../../services/clock.ts';
import { writeTrustedRootsFile } from './aws/certificates.ts';
import { startAwsSim, startImds } from './aws/index.ts';
import { startKubernetesSim } from './kubernetes/index.ts';
import { loadWorldFile, WorldFileError } from './world-file.ts';

const USAGE = 'usage: npm run sim -- [--world world.yaml] [--port-aws N] [--port-kubernetes N] [--port-imds N]';
const DEFAULT_WORLD = fileURLToPath(new URL('./worlds/default.yaml', import.meta.url));

/** The line printed on stdout; key order is part of the contract (scripts may compare it textually). */
export interface SimEndpoints {
  awsEndpoint: string;
  imdsEndpoint: string;
  kubernetesUrl: string;
  trustedCAFile: string;
  region: string;
}

interface Options {
  world: string;
  ports: { aws?: number; kubernetes?: number; imds?: number };
}

class UsageError extends Error {}

const log = (line: string): void => {
  process.stderr.write(`sim: ${line}\n`);
};

function parseOptions(argv: string[]): Options | 'help' {
  let parsed;
  try {
    parsed = parseArgs({
      args: argv,
      strict: true,
      allowPositionals: false,
      options: {
        world: { type: 'string' },
        'port-aws': { type: 'string' },
        'port-kubernetes': { type: 'string' },
        'port-imds': { type: 'string' },
        help: { type: 'boolean', short: 'h' },
      },
    });
  } catch (e) {
    throw new UsageError(`${(e as Error).message.split('\n')[0]} (${USAGE})`);
  }
  const { values } = parsed;
  if (values.help) return 'help';
  const port = (flag: string, raw: string | undefined): number | undefined => {
    if (raw === undefined) return undefined;
    const n = Number(raw);
    if (!/^\d+$/.test(raw) || n < 1 || n > 65535) throw new UsageError(`--${flag} must be a port number (1-65535), got ${JSON.stringify(raw)}`);
    return n;
  };
  const ports: Options['ports'] = {};
  const aws = port('port-aws', values['port-aws']);
  const kubernetes = port('port-kubernetes', values['port-kubernetes']);
  const imds = port('port-imds', values['port-imds']);
  if (aws !== undefined) ports.aws = aws;
  if (kubernetes !== undefined) ports.kubernetes = kubernetes;
  if (imds !== undefined) ports.imds = imds;
  return { world: values.world ?? DEFAULT_WORLD, ports };
}

function listen(server: net.Server, port: number): Promise<number> {
  return new Promise((resolve, reject) => {
    const failed = (e: NodeJS.ErrnoException) =>
      reject(new Error(`cannot listen on 127.0.0.1:${port}: ${e.code === 'EADDRINUSE' ? 'address already in use' : e.message}`));
    server.once('error', failed);
    server.listen(port, '127.0.0.1', () => {
      server.off('error', failed);
      resolve((server.address() as net.AddressInfo).port);
    });
  });
}

/**
 * The AWS and Kubernetes simulations always pick a free port themselves. A fixed port asked for on the command
 * line is served by relaying its connections byte for byte to the simulation's own port, which keeps every
 * protocol detail (keep-alive, watch streams) intact without the simulations needing a port option.
 */
async function relay(port: number, target: string): Promise<{ endpoint: string; close(): Promise<void> }> {
  const targetPort = Number(new URL(target).port);
  const sockets = new Set<net.Socket>();
  const server = net.createServer((client) => {
    const upstream = net.connect(targetPort, '127.0.0.1');
    const pair = [client, upstream];
    for (const socket of pair) {
      sockets.add(socket);
      // One side going away ends the conversation: an HTTP peer never half-closes on purpose.
      socket.on('error', () => pair.forEach((s) => s.destroy()));
      socket.on('close', () => {
        sockets.delete(socket);
        pair.forEach((s) => s.destroy());
      });
    }
    client.pipe(upstream).pipe(client);
  });
  await listen(server, port);
  return {
    endpoint: `http://127.0.0.1:${port}`,
    close: async () => {
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      for (const socket of sockets) socket.destroy();
      await closed;
    },
  };
}

async function start(options: Options, closers: (() => Promise<void>)[]): Promise<SimEndpoints> {
  const world = loadWorldFile(options.world);

  const aws = await startAwsSim({ input: world.aws, clock: systemClock });
  closers.push(() => aws.close());
  aws.server.onCall((call) => {
    log(`aws ${call.service}:${call.action}${call.mutating ? ' (write)' : ''}${call.error ? ` -> ${call.error}` : ''}`);
  });
  let awsEndpoint = aws.endpoint;
  if (options.ports.aws !== undefined) {
    const relayed = await relay(options.ports.aws, aws.endpoint);
    closers.push(() => relayed.close());
    awsEndpoint = relayed.endpoint;
  }

  const imds = await startImds({ world: aws.world, clock: systemClock, ...(options.ports.imds !== undefined ? { port: options.ports.imds } : {}) });
  closers.push(() => imds.close());

  const kubernetes = await startKubernetesSim({
    clock: systemClock,
    ...(world.kubernetes.routeGroupsCRD !== undefined ? { routeGroupsCRD: world.kubernetes.routeGroupsCRD } : {}),
  });
  closers.push(() => kubernetes.close());
  // One at a time, before anyone has the address, so a manifest the cluster refuses is named by its index.
  (world.kubernetes.objects ?? []).forEach((manifest, i) => {
    try {
      kubernetes.apply(manifest);
    } catch (e) {
      throw new WorldFileError(`${options.world}: kubernetes.objects[${i}]: ${(e as Error).message}`);
    }
  });
  kubernetes.onWrite((write) => log(`kubernetes ${write.method} ${write.path} -> ${write.status}`));
  let kubernetesUrl = kubernetes.url;
  if (options.ports.kubernetes !== undefined) {
    const relayed = await relay(options.ports.kubernetes, kubernetes.url);
    closers.push(() => relayed.close());
    kubernetesUrl = relayed.endpoint;
  }

  const caDirectory = await mkdtemp(join(tmpdir(), 'kiac-sim-'));
  closers.push(() => rm(caDirectory, { recursive: true, force: true }));
  const trustedCAFile = join(caDirectory, 'trusted-roots.pem');
  await writeTrustedRootsFile(trustedCAFile);

  const w = aws.world;
  log(
    `world ${options.world}: ${w.region}, ${w.subnets.size} subnets, ${w.instances.size} instances, ` +
      `${w.certificates.size} certificates, ${w.stacks.size} stacks, ${world.kubernetes.objects?.length ?? 0} Kubernetes objects`,
  );
  return { awsEndpoint, imdsEndpoint: imds.endpoint, kubernetesUrl, trustedCAFile, region: w.region };
}

async function closeAll(closers: (() => Promise<void>)[]): Promise<void> {
  // Last started, first closed: the relays go before the servers they feed.
  // Drained, so closing twice (a signal during a failed start) closes nothing twice.
  for (const close of closers.splice(0).reverse()) {
    try {
      await close();
    } catch (e) {
      log(`while closing: ${(e as Error).message}`);
    }
  }
}

async function main(): Promise<void> {
  const closers: (() => Promise<void>)[] = [];
  let options: Options | 'help';
  try {
    options = parseOptions(process.argv.slice(2));
  } catch (e) {
    log((e as Error).message);
    process.exit(2);
  }
  if (options === 'help') {
    process.stdout.write(`${USAGE}\n`);
    return;
  }

  let stopping = false;
  const stop = (signal: string) => {
    if (stopping) return;
    stopping = true;
    log(`${signal}: closing`);
    // A server that will not close must not keep the process (and whoever waits for it) hanging.
    setTimeout(() => {
      log('closing took too long; exiting anyway');
      process.exit(0);
    }, 5000).unref();
    // Exit explicitly: timers of in-flight stack operations would otherwise keep the process alive.
    void closeAll(closers).then(() => process.exit(0));
  };
  // Installed before starting, so a signal during startup also removes what was already set up.
  process.on('SIGINT', () => stop('SIGINT'));
  process.on('SIGTERM', () => stop('SIGTERM'));

  let endpoints: SimEndpoints;
  try {
    endpoints = await start(options, closers);
  } catch (e) {
    const message = (e instanceof Error ? e.message : String(e)).split('\n')[0];
    log(message ?? 'failed to start');
    await closeAll(closers);
    process.exit(e instanceof WorldFileError ? 2 : 1);
  }

  if (stopping) return;
  process.stdout.write(`${JSON.stringify(endpoints)}\n`);
  // The pid matters under `npm run sim`: npm runs us through `sh -c`, which dies of a SIGTERM sent to npm
  // without passing it on, so a script that wants a clean stop signals this process itself.
  log(`ready (pid ${process.pid}); SIGINT or SIGTERM to stop`);
}

await main();
