// Test support for the CloudFormation and ELBv2 simulations: a full simulated account on a virtual clock,
// real SDK clients pointed at it (single attempt unless a test asks otherwise), and the reference templates.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { CloudFormationClient, type CloudFormationClientConfig, type Parameter } from '@aws-sdk/client-cloudformation';
import { ElasticLoadBalancingV2Client } from '@aws-sdk/client-elastic-load-balancing-v2';
import { VirtualClock } from '../../../../tools/support/virtual-clock.ts';
import { startAwsSim, type AwsSim } from '../../../../tools/sim/aws/index.ts';
import type { AwsWorldInput } from '../../../../tools/sim/aws/world.ts';
import { REFERENCE_TEMPLATES } from '../../../helpers/fixtures.ts';

export const START = Date.UTC(2026, 0, 1);

export interface ClientOverrides {
  maxAttempts?: number;
  retryStrategy?: CloudFormationClientConfig['retryStrategy'];
}

export interface ClientConfig extends ClientOverrides {
  endpoint: string;
  region: string;
  credentials: { accessKeyId: string; secretAccessKey: string };
}

export interface Harness {
  sim: AwsSim;
  clock: VirtualClock;
  cfn: CloudFormationClient;
  elb: ElasticLoadBalancingV2Client;
  /** Client config for another client or different retry settings. */
  config(overrides?: ClientOverrides): ClientConfig;
  close(): Promise<void>;
}

export async function startHarness(input: AwsWorldInput = {}): Promise<Harness> {
  const clock = new VirtualClock(START);
  const sim = await startAwsSim({ input, clock });
  const config = (overrides: ClientOverrides = {}): ClientConfig => ({
    endpoint: sim.endpoint,
    region: sim.world.region,
    credentials: { accessKeyId: 'AKIDSIMULATED', secretAccessKey: 'simulated' },
    maxAttempts: 1,
    ...overrides,
  });
  const cfn = new CloudFormationClient(config());
  const elb = new ElasticLoadBalancingV2Client(config());
  return {
    sim, clock, cfn, elb, config,
    close: async () => {
      cfn.destroy();
      elb.destroy();
      await sim.close();
    },
  };
}

export type SdkError = Error & { message: string; $metadata: { httpStatusCode?: number; attempts?: number } };

/** Await a call that must fail and return its error for assertions on name, message and metadata. */
export async function failure(promise: Promise<unknown>): Promise<SdkError> {
  try {
    await promise;
  } catch (e) {
    return e as SdkError;
  }
  throw new Error('expected the call to fail');
}

const fixture = (name: string) => readFileSync(path.join(REFERENCE_TEMPLATES, name), 'utf8');

export const albTemplate = (): string => fixture('alb.json');
export const nlbTemplate = (): string => fixture('nlb.json');

/** The parameters the controller passes for the reference templates (no defaults for the required ones). */
export function stackParameters(overrides: Record<string, string> = {}): Parameter[] {
  const values: Record<string, string> = {
    LoadBalancerSchemeParameter: 'internet-facing',
    LoadBalancerSecurityGroupParameter: 'sg-1',
    LoadBalancerSubnetsParameter: 'subnet-a,subnet-b',
    TargetGroupVPCIDParameter: 'vpc-1',
    TargetGroupTargetPortParameter: '9999',
    ...overrides,
  };
  return Object.entries(values).map(([ParameterKey, ParameterValue]) => ({ ParameterKey, ParameterValue }));
}

/** A small world: one VPC, two subnets, two running instances and one stopped. */
export const baseWorld = (extra: Partial<AwsWorldInput> = {}): AwsWorldInput => ({
  region: 'eu-central-1',
  accountId: '123456789012',
  vpcs: [{ id: 'vpc-1' }],
  subnets: [
    { id: 'subnet-a', vpcId: 'vpc-1', availabilityZone: 'eu-central-1a', public: true },
    { id: 'subnet-b', vpcId: 'vpc-1', availabilityZone: 'eu-central-1b', public: true },
  ],
  instances: [
    { id: 'i-1', subnetId: 'subnet-a' },
    { id: 'i-2', subnetId: 'subnet-b' },
    { id: 'i-3', subnetId: 'subnet-b', state: 'stopped' },
  ],
  ...extra,
});

export const SECOND = 1000;
