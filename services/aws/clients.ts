// One place that builds the AWS SDK clients, so endpoint, region, retries and instrumentation are uniform.
// The SDK itself honours AWS_ENDPOINT_URL, which is how the simulations and LocalStack-like setups are reached.
import { ACMClient } from '@aws-sdk/client-acm';
import { AutoScalingClient } from '@aws-sdk/client-auto-scaling';
import { CloudFormationClient } from '@aws-sdk/client-cloudformation';
import { EC2Client } from '@aws-sdk/client-ec2';
import { ElasticLoadBalancingV2Client } from '@aws-sdk/client-elastic-load-balancing-v2';
import { IAMClient } from '@aws-sdk/client-iam';
import type { ApiThrottle } from './throttle/api-throttle.ts';
import type { ThrottledService } from './throttle/throttle-rules.ts';

export interface AwsClientOptions {
  readonly region: string;
  /** Overrides AWS_ENDPOINT_URL (tests pass the simulation's endpoint explicitly). */
  readonly endpoint?: string;
  /** Upstream uses 3 attempts (RetryMaxAttempts(3)). */
  readonly maxAttempts?: number;
  readonly credentials?: { accessKeyId: string; secretAccessKey: string; sessionToken?: string };
  /** Replaces the SDK's retry strategy (tests use fast fixed delays). */
  readonly retryStrategy?: unknown;
  /** Client-side rate limits (--aws-api-throttle); none when absent or null. */
  readonly throttle?: ApiThrottle | null;
}

export interface AwsClients {
  readonly region: string;
  readonly cloudformation: CloudFormationClient;
  readonly ec2: EC2Client;
  readonly elbv2: ElasticLoadBalancingV2Client;
  readonly autoscaling: AutoScalingClient;
  readonly acm: ACMClient;
  readonly iam: IAMClient;
  destroy(): void;
}

export function createAwsClients(options: AwsClientOptions): AwsClients {
  // Node 20 is this project's deliberate target (see library notes); the SDK's upgrade notice is noise in logs.
  process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
  const common = {
    region: options.region,
    maxAttempts: options.maxAttempts ?? 3,
    ...(options.endpoint ? { endpoint: options.endpoint } : {}),
    ...(options.credentials ? { credentials: options.credentials } : {}),
    ...(options.retryStrategy ? { retryStrategy: options.retryStrategy as never } : {}),
  };
  const clients = {
    region: options.region,
    cloudformation: new CloudFormationClient(common),
    ec2: new EC2Client(common),
    elbv2: new ElasticLoadBalancingV2Client(common),
    autoscaling: new AutoScalingClient(common),
    acm: new ACMClient(common),
    // IAM is a global service; its endpoint is the same in every commercial region.
    iam: new IAMClient(common),
  };
  const throttle = options.throttle;
  if (throttle) {
    const { cloudformation, ec2, elbv2, autoscaling, acm, iam } = clients;
    const byService: [ThrottledService, { middlewareStack: unknown }][] = [
      ['cloudformation', cloudformation], ['ec2', ec2], ['elbv2', elbv2], ['autoscaling', autoscaling], ['acm', acm], ['iam', iam],
    ];
    for (const [service, client] of byService) throttle.install(client, service);
  }
  return {
    ...clients,
    destroy() {
      for (const c of [clients.cloudformation, clients.ec2, clients.elbv2, clients.autoscaling, clients.acm, clients.iam]) c.destroy();
    },
  };
}
