// The Parameters section. Defaults and descriptions are part of the template body, so they are upstream's
// strings byte for byte; changing one would make every stack look changed.
import { sortedByBytes } from './go-json.ts';
import { StackParameter } from '../stack-contract.ts';
import { hasHTTPTargetGroup, type TemplateInput } from './template-input.ts';
import type { TemplateParameter } from './template-types.ts';

export function templateParameters(input: TemplateInput): Record<string, TemplateParameter> {
  const parameters: Record<string, TemplateParameter | undefined> = {
    [StackParameter.scheme]: {
      Type: 'String',
      Default: 'internet-facing',
      Description: "The Load Balancer scheme - 'internal' or 'internet-facing'",
    },
    [StackParameter.securityGroup]: {
      Type: 'List<AWS::EC2::SecurityGroup::Id>',
      Description: 'The security group ID for the Load Balancer',
    },
    [StackParameter.subnets]: {
      Type: 'List<AWS::EC2::Subnet::Id>',
      Description: 'The list of subnets IDs for the Load Balancer',
    },
    [StackParameter.healthCheckPath]: { Type: 'String', Default: '/kube-system/healthz', Description: 'The healthcheck path' },
    [StackParameter.healthCheckPort]: { Type: 'Number', Default: '9999', Description: 'The healthcheck port' },
    [StackParameter.targetPort]: { Type: 'Number', Default: '9999', Description: 'The target port' },
    [StackParameter.healthCheckInterval]: { Type: 'Number', Default: '10', Description: 'The healthcheck interval' },
    [StackParameter.healthCheckTimeout]: { Type: 'Number', Default: '5', Description: 'The healthcheck timeout' },
    [StackParameter.vpcId]: { Type: 'AWS::EC2::VPC::Id', Description: 'The VPCID for the TargetGroup' },
    [StackParameter.sslPolicy]: {
      Type: 'String',
      Default: 'ELBSecurityPolicy-2016-08',
      Description: 'The HTTPS SSL Security Policy Name',
    },
    [StackParameter.ipAddressType]: { Type: 'String', Default: 'ipv4', Description: "IP Address Type, 'ipv4' or 'dualstack'" },
    [StackParameter.loadBalancerType]: {
      Type: 'String',
      Default: 'application',
      Description: "Loadbalancer Type, 'application' or 'network'",
    },
    [StackParameter.http2]: { Type: 'String', Default: 'true', Description: 'H2 Enabled' },
    // Declared for NLBs too, although only ALBs get the association.
    [StackParameter.wafWebACLID]:
      input.wafWebACLID === '' ? undefined : { Type: 'String', Description: 'Associated WAF ID or ARN.' },
    [StackParameter.httpTargetPort]: hasHTTPTargetGroup(input)
      ? { Type: 'Number', Description: 'The HTTP target port' }
      : undefined,
  };
  return sortedByBytes(parameters);
}
