import net from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_IMDS_ENDPOINT, ImdsClient, ImdsUnavailableError, imdsEndpointFromEnv } from '../../../services/aws/imds.ts';
import { VirtualClock } from '../../../tools/support/virtual-clock.ts';
import { startImds, type ImdsHandle } from '../../../tools/sim/aws/index.ts';
import { createWorld } from '../../../tools/sim/aws/world.ts';

const START = Date.UTC(2026, 0, 1);
const simClock = new VirtualClock(START);
const world = createWorld(
  {
    region: 'eu-west-1',
    self: { instanceId: 'i-ctrl' },
    subnets: [{ id: 'subnet-a', vpcId: 'vpc-1', availabilityZone: 'eu-west-1a' }],
    instances: [{ id: 'i-ctrl', subnetId: 'subnet-a' }],
  },
  simClock,
);

let imds: ImdsHandle;
beforeAll(async () => {
  imds = await startImds({ world, clock: simClock });
});
afterAll(async () => {
  await imds.close();
});

/** A loopback server that accepts connections and never answers, like a firewalled metadata address. */
async function silentServer(): Promise<{ endpoint: string; close(): Promise<void> }> {
  const sockets = new Set<net.Socket>();
  const server = net.createServer((s) => {
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as net.AddressInfo;
  return {
    endpoint: `http://127.0.0.1:${port}`,
    close: async () => {
      for (const s of sockets) s.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

describe('ImdsClient', () => {
  it('reads the instance id and region with an IMDSv2 session token', async () => {
    const client = new ImdsClient({ endpoint: imds.endpoint });
    expect(await client.instanceId()).toBe('i-ctrl');
    expect(await client.region()).toBe('eu-west-1');
  });

  it('renews a token the service no longer accepts', async () => {
    // The client's clock thinks the token is fresh; the service's clock has moved past its TTL.
    const client = new ImdsClient({ endpoint: imds.endpoint, tokenTtlSeconds: 60, clock: new VirtualClock(START) });
    expect(await client.instanceId()).toBe('i-ctrl');
    simClock.advance(120_000);
    expect(await client.instanceId()).toBe('i-ctrl');
  });

  it('fails with ImdsUnavailableError for a path the service does not have', async () => {
    const client = new ImdsClient({ endpoint: imds.endpoint });
    const error = await client.get('/latest/meta-data/no-such-thing').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ImdsUnavailableError);
    expect((error as ImdsUnavailableError).message).toContain('HTTP 404');
  });

  it('gives up after the timeout when nothing answers', async () => {
    const silent = await silentServer();
    try {
      const client = new ImdsClient({ endpoint: silent.endpoint, timeoutMs: 200 });
      // The silent server never answers: only the client's own timeout ends this call.
      const error = await client.instanceId().catch((e: unknown) => e);
      expect(error).toBeInstanceOf(ImdsUnavailableError);
      expect((error as Error).message).toContain('no answer within 200 ms');
    } finally {
      await silent.close();
    }
  });

  it('defaults to a one second timeout', async () => {
    const silent = await silentServer();
    try {
      const error = await new ImdsClient({ endpoint: silent.endpoint }).instanceId().catch((e: unknown) => e);
      expect((error as Error).message).toContain('no answer within 1000 ms');
    } finally {
      await silent.close();
    }
  });

  it('fails with ImdsUnavailableError when the connection is refused', async () => {
    const silent = await silentServer();
    const endpoint = silent.endpoint;
    await silent.close();
    const error = await new ImdsClient({ endpoint }).instanceId().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ImdsUnavailableError);
    expect((error as ImdsUnavailableError).path).toBe('/latest/api/token');
  });
});

describe('imdsEndpointFromEnv', () => {
  it('uses AWS_EC2_METADATA_SERVICE_ENDPOINT without a trailing slash', () => {
    expect(imdsEndpointFromEnv({ AWS_EC2_METADATA_SERVICE_ENDPOINT: 'http://127.0.0.1:1338/' })).toBe('http://127.0.0.1:1338');
  });

  it('falls back to the link-local address', () => {
    expect(imdsEndpointFromEnv({})).toBe(DEFAULT_IMDS_ENDPOINT);
    expect(imdsEndpointFromEnv({ AWS_EC2_METADATA_SERVICE_ENDPOINT: ' ' })).toBe(DEFAULT_IMDS_ENDPOINT);
  });

  it('is what a client without an explicit endpoint uses', () => {
    const saved = process.env['AWS_EC2_METADATA_SERVICE_ENDPOINT'];
    process.env['AWS_EC2_METADATA_SERVICE_ENDPOINT'] = imds.endpoint;
    try {
      expect(new ImdsClient().endpoint).toBe(imds.endpoint);
    } finally {
      if (saved === undefined) delete process.env['AWS_EC2_METADATA_SERVICE_ENDPOINT'];
      else process.env['AWS_EC2_METADATA_SERVICE_ENDPOINT'] = saved;
    }
  });
});
