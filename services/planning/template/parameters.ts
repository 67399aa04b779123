// The stack parameters sent with CreateStack/UpdateStack. The controller reads its own state back from them
// (scheme, SG, SSL policy, IP type, LB type, HTTP/2, WAF), so their names and formats are a contract.
import type { Config } from '../../config/config.ts';
import type { LoadBalancerSpec } from '../types/load-balancer.ts';
import { compareBytes } from './go-json.ts';
import { formatSecondsF0 } from './go-format.ts';
import { StackParameter } from '../stack-contract.ts';
import { hasHTTPTargetGroup, httpTargetPort } from './template-input.ts';

export interface ParameterEnvironment {
  readonly config: Config;
  readonly vpcId: string;
  /** The subnets chosen for the load balancer's scheme (subnets.ts). */
  readonly subnetIds: readonly string[];
}

/** In upstream's order; CloudFormation does not care about it. */
export function stackParameters(lb: LoadBalancerSpec, env: ParameterEnvironment): Record<string, string> {
  const { config } = env;
  const httpPort = httpTargetPort(lb.loadBalancerType, config);
  const httpEnabled = lb.loadBalancerType !== 'network' || config.nlbHTTPEnabled;
  const parameters: Record<string, string> = {
    [StackParameter.scheme]: lb.scheme,
    // Sent for NLBs as well, where the template does not use it.
    [StackParameter.securityGroup]: lb.securityGroup,
    [StackParameter.subnets]: [...env.subnetIds].sort(compareBytes).join(','),
    [StackParameter.vpcId]: env.vpcId,
    [StackParameter.targetPort]: String(config.targetPort),
    [StackParameter.sslPolicy]: effectiveSSLPolicy(lb, config),
    [StackParameter.ipAddressType]: lb.ipAddressType,
    [StackParameter.loadBalancerType]: lb.loadBalancerType,
    [StackParameter.http2]: String(lb.http2),
  };
  if (lb.wafWebACLID !== '') parameters[StackParameter.wafWebACLID] = lb.wafWebACLID;
  if (hasHTTPTargetGroup({ httpEnabled, httpTargetPort: httpPort, targetPort: config.targetPort })) {
    parameters[StackParameter.httpTargetPort] = String(httpPort);
  }
  parameters[StackParameter.healthCheckPath] = config.healthCheckPath;
  parameters[StackParameter.healthCheckPort] = String(config.healthCheckPort);
  parameters[StackParameter.healthCheckInterval] = formatSecondsF0(config.healthCheckIntervalMs);
  parameters[StackParameter.healthCheckTimeout] = formatSecondsF0(config.healthCheckTimeoutMs);
  return parameters;
}

/** Upstream falls back to --ssl-policy only when creating; an update sends what the model decided. */
function effectiveSSLPolicy(lb: LoadBalancerSpec, config: Config): string {
  return lb.stack === undefined && lb.sslPolicy === '' ? config.sslPolicy : lb.sslPolicy;
}
