// One call to get a whole simulated AWS account on loopback: the world from a scenario's `aws` section, its
// pre-existing stacks materialised, and every simulated service behind one endpoint. IMDS is a separate
// server (the SDK reaches it at its own address), started with startImds when a test needs it.
import type { Clock } from '../../../services/clock.ts';
import { acmService } from './acm.ts';
import { autoScalingService } from './autoscaling.ts';
import { cloudFormationService, loadStacks } from './cloudformation.ts';
import { ec2Service } from './ec2.ts';
import { elbv2Service } from './elbv2.ts';
import { iamService } from './iam.ts';
import { AwsSimServer, type ServiceDefinition } from './server.ts';
import { createWorld, type AwsWorldInput, type World } from './world.ts';

export { startImds, type ImdsHandle, type ImdsOptions } from './imds.ts';
export { deleteStackOutOfBand, editStackOutOfBand, loadStacks, setLoadBalancerState } from './cloudformation.ts';

export const defaultServices: readonly ServiceDefinition[] = [
  cloudFormationService, elbv2Service, ec2Service, autoScalingService, acmService, iamService,
];

export interface AwsSimOptions {
  input?: AwsWorldInput;
  clock: Clock;
  /** Seeds the server's generator (throttling and 5xx draws). */
  seed?: number;
  /** Extra services; one with the name of a default service replaces it. */
  services?: ServiceDefinition[];
}

export interface AwsSim {
  server: AwsSimServer;
  world: World;
  endpoint: string;
  close(): Promise<void>;
}

export async function startAwsSim(options: AwsSimOptions): Promise<AwsSim> {
  const input = options.input ?? {};
  const world = createWorld(input, options.clock);
  loadStacks(world, input.stacks ?? [], options.clock);
  const byName = new Map<string, ServiceDefinition>();
  for (const s of [...defaultServices, ...(options.services ?? [])]) byName.set(s.name, s);
  const server = new AwsSimServer({
    world, clock: options.clock, services: [...byName.values()], ...(options.seed !== undefined ? { seed: options.seed } : {}),
  });
  const endpoint = await server.listen();
  return { server, world, endpoint, close: () => server.close() };
}
