// TG (and TGHTTP, which differs only in its port parameter).
import { StackParameter } from '../stack-contract.ts';
import type { TemplateInput } from './template-input.ts';
import { ref, resource, type TemplateResource } from './template-types.ts';

const TARGET_TYPE = { HostPort: 'instance', AWSCNI: 'ip', Legacy: undefined } as const;

export function targetGroupResource(input: TemplateInput, portParameter: string): TemplateResource {
  const network = input.loadBalancerType === 'network';
  // NLB target groups speak TCP but still health-check over HTTP; --target-https only concerns ALBs.
  const protocol = network ? 'TCP' : input.targetHTTPS ? 'HTTPS' : 'HTTP';
  const healthCheckProtocol = !network && input.targetHTTPS ? 'HTTPS' : 'HTTP';
  // AWS requires equal healthy and unhealthy counts on NLB target groups.
  const healthy = network ? input.nlbHealthyThresholdCount : input.albHealthyThresholdCount;
  const unhealthy = network ? input.nlbHealthyThresholdCount : input.albUnhealthyThresholdCount;
  return resource('AWS::ElasticLoadBalancingV2::TargetGroup', {
    HealthCheckIntervalSeconds: ref(StackParameter.healthCheckInterval),
    HealthCheckPath: ref(StackParameter.healthCheckPath),
    HealthCheckPort: ref(StackParameter.healthCheckPort),
    HealthCheckProtocol: healthCheckProtocol,
    // A custom health-check timeout is rejected for TCP target groups.
    HealthCheckTimeoutSeconds: protocol === 'TCP' ? undefined : ref(StackParameter.healthCheckTimeout),
    HealthyThresholdCount: healthy,
    Port: ref(portParameter),
    Protocol: protocol,
    TargetGroupAttributes: [
      { Key: 'deregistration_delay.timeout_seconds', Value: String(input.deregistrationDelayTimeoutSeconds) },
    ],
    // Legacy mode leaves it out: adding it to an existing TG would replace the TG.
    TargetType: TARGET_TYPE[input.targetAccessMode],
    UnhealthyThresholdCount: unhealthy,
    VpcId: ref(StackParameter.vpcId),
  });
}
