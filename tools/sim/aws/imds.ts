// Simulated EC2 instance metadata service in IMDSv2-required mode: a session token from
// `PUT /latest/api/token` must accompany every GET. It describes the instance the controller runs on
// (`world.selfInstanceId`), which is how the controller discovers its cluster and VPC when not told.
import { randomBytes } from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { systemClock, type Clock } from '../../../services/clock.ts';
import type { World } from './world.ts';

export interface ImdsOptions {
  world: World;
  port?: number;
  /** Clock for token expiry; the system clock unless a test wants to expire tokens on demand. */
  clock?: Clock;
}

export interface ImdsHandle {
  endpoint: string;
  close(): Promise<void>;
}

const MAX_TOKEN_TTL_SECONDS = 21600;

interface SelfView {
  instanceId: string;
  availabilityZone: string;
  privateIp: string;
}

function self(world: World): SelfView {
  const instance = world.instances.get(world.selfInstanceId);
  return {
    instanceId: world.selfInstanceId,
    availabilityZone: instance?.availabilityZone ?? `${world.region}a`,
    privateIp: instance?.privateIp ?? '10.0.0.10',
  };
}

/** Leaf paths under /latest; directory paths answer with their children, one per line, as IMDS does. */
function documents(world: World): Record<string, () => string> {
  return {
    '/meta-data/instance-id': () => self(world).instanceId,
    '/meta-data/instance-type': () => 'm5.large',
    '/meta-data/ami-id': () => 'ami-0simulated0000000',
    '/meta-data/local-ipv4': () => self(world).privateIp,
    '/meta-data/placement/region': () => world.region,
    '/meta-data/placement/availability-zone': () => self(world).availabilityZone,
    '/dynamic/instance-identity/document': () => {
      const s = self(world);
      return JSON.stringify(
        {
          accountId: world.accountId,
          architecture: 'x86_64',
          availabilityZone: s.availabilityZone,
          billingProducts: null,
          devpayProductCodes: null,
          marketplaceProductCodes: null,
          imageId: 'ami-0simulated0000000',
          instanceId: s.instanceId,
          instanceType: 'm5.large',
          kernelId: null,
          pendingTime: '2025-01-01T00:00:00Z',
          privateIp: s.privateIp,
          ramdiskId: null,
          region: world.region,
          version: '2017-09-30',
        },
        null,
        2,
      );
    },
  };
}

function listing(paths: string[], dir: string): string | undefined {
  const children = new Set<string>();
  for (const p of paths) {
    if (!p.startsWith(dir)) continue;
    const rest = p.slice(dir.length).split('/');
    children.add(rest.length > 1 ? `${rest[0]}/` : rest[0]!);
  }
  return children.size > 0 ? [...children].join('\n') : undefined;
}

export async function startImds(options: ImdsOptions): Promise<ImdsHandle> {
  const clock = options.clock ?? systemClock;
  const tokens = new Map<string, number>();
  const docs = documents(options.world);

  const server = http.createServer((req, res) => {
    const reply = (status: number, body = '', headers: Record<string, string> = {}) => {
      res.writeHead(status, { 'content-type': 'text/plain', ...headers });
      res.end(body);
    };
    const url = new URL(req.url ?? '/', 'http://imds');
    // Drain any body so keep-alive connections stay usable.
    req.resume();

    if (url.pathname === '/latest/api/token') {
      if (req.method !== 'PUT') return reply(405, '', { allow: 'PUT' });
      // IMDS refuses token requests that went through a proxy.
      if (req.headers['x-forwarded-for']) return reply(403);
      const ttl = Number(req.headers['x-aws-ec2-metadata-token-ttl-seconds']);
      if (!Number.isInteger(ttl) || ttl < 1 || ttl > MAX_TOKEN_TTL_SECONDS) return reply(400);
      const token = randomBytes(42).toString('base64');
      tokens.set(token, clock.now() + ttl * 1000);
      return reply(200, token, { 'x-aws-ec2-metadata-token-ttl-seconds': String(ttl) });
    }

    if (req.method !== 'GET' && req.method !== 'HEAD') return reply(405, '', { allow: 'GET, HEAD, PUT' });
    const token = String(req.headers['x-aws-ec2-metadata-token'] ?? '');
    const expiry = tokens.get(token);
    if (expiry === undefined || expiry <= clock.now()) {
      if (expiry !== undefined) tokens.delete(token);
      return reply(401);
    }
    if (!url.pathname.startsWith('/latest/')) return reply(404);
    const path = url.pathname.slice('/latest'.length);
    const doc = docs[path];
    if (doc) return reply(200, doc());
    const dir = path.endsWith('/') ? path : `${path}/`;
    const children = listing(Object.keys(docs), dir);
    return children === undefined ? reply(404) : reply(200, children);
  });

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, '127.0.0.1', () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  return {
    endpoint: `http://127.0.0.1:${port}`,
    close: async () => {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
