// Test support: a simulated AWS endpoint with the given services, and the config that points a real SDK v3
// client at it. Retries are off unless a test asks for them, so an error surfaces on its first occurrence.
import { VirtualClock } from '../../../../tools/support/virtual-clock.ts';
import { AwsSimServer, type ServiceDefinition } from '../../../../tools/sim/aws/server.ts';
import { createWorld, type AwsWorldInput, type World } from '../../../../tools/sim/aws/world.ts';

export interface SimUnderTest {
  server: AwsSimServer;
  world: World;
  clock: VirtualClock;
  endpoint: string;
  /** Config for any SDK client: endpoint, region, static credentials, single attempt. */
  config: { endpoint: string; region: string; credentials: { accessKeyId: string; secretAccessKey: string }; maxAttempts: number };
  close(): Promise<void>;
}

export async function startSim(input: AwsWorldInput, services: ServiceDefinition[]): Promise<SimUnderTest> {
  const clock = new VirtualClock(Date.UTC(2026, 0, 1));
  const world = createWorld(input, clock);
  const server = new AwsSimServer({ world, clock, services });
  const endpoint = await server.listen();
  return {
    server,
    world,
    clock,
    endpoint,
    config: {
      endpoint,
      region: world.region,
      credentials: { accessKeyId: 'AKIDSIMULATED', secretAccessKey: 'simulated' },
      maxAttempts: 1,
    },
    close: () => server.close(),
  };
}

/** Run a promise that must reject, returning the error for assertions on `name` and `message`. */
export async function failure(promise: Promise<unknown>): Promise<Error & { $metadata?: { httpStatusCode?: number; attempts?: number } }> {
  try {
    await promise;
  } catch (e) {
    return e as Error;
  }
  throw new Error('expected the call to fail');
}

export async function collect<T>(pages: AsyncIterable<T>): Promise<T[]> {
  const out: T[] = [];
  for await (const p of pages) out.push(p);
  return out;
}
