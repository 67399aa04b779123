// One load balancer → the CloudFormation template upstream would generate for it, resource for resource, so
// that updating a stack created by the Go controller changes nothing that does not need to change.
import { sortedCertificateARNs } from './certificate-hash.ts';
import { alarmResources } from './cloudwatch-alarms.ts';
import { denyInternalTrafficRule } from './deny-internal-rule.ts';
import { goMarshalIndent, sortedByBytes } from './go-json.ts';
import { httpListenerResource, httpsListenerResource, listenerCertificateResource } from './listener-resources.ts';
import { loadBalancerResource } from './load-balancer-resource.ts';
import { LogicalId, StackOutput, StackParameter } from '../stack-contract.ts';
import { targetGroupResource } from './target-group-resource.ts';
import { hasHTTPTargetGroup, type TemplateInput } from './template-input.ts';
import { templateParameters } from './template-parameters.ts';
import { getAtt, ref, type CloudFormationTemplate, type TemplateOutput, type TemplateResource } from './template-types.ts';
import { wafAssociationResource } from './waf-association.ts';

export type { TemplateInput } from './template-input.ts';

export function buildTemplate(input: TemplateInput): CloudFormationTemplate {
  const network = input.loadBalancerType === 'network';
  const separateHTTPTargetGroup = hasHTTPTargetGroup(input);
  const resources: Record<string, TemplateResource> = {};
  const outputs: Record<string, TemplateOutput> = {
    [StackOutput.loadBalancerARN]: { Description: 'The ARN of the LoadBalancer', Value: ref(LogicalId.loadBalancer) },
    [StackOutput.dnsName]: {
      Description: 'DNS name for the LoadBalancer',
      Value: getAtt(LogicalId.loadBalancer, 'DNSName'),
    },
    [StackOutput.targetGroupARN]: { Description: 'The ARN of the TargetGroup', Value: ref(LogicalId.targetGroup) },
  };

  resources[LogicalId.targetGroup] = targetGroupResource(input, StackParameter.targetPort);

  if (input.httpEnabled) {
    let httpTargetGroup: string = LogicalId.targetGroup;
    if (separateHTTPTargetGroup) {
      // Created even when the listener redirects and never forwards to it, as upstream does.
      httpTargetGroup = LogicalId.httpTargetGroup;
      resources[LogicalId.httpTargetGroup] = targetGroupResource(input, StackParameter.httpTargetPort);
      outputs[StackOutput.httpTargetGroupARN] = {
        Description: 'The ARN of the HTTP TargetGroup',
        Value: ref(LogicalId.httpTargetGroup),
      };
    }
    resources[LogicalId.httpListener] = httpListenerResource(input, httpTargetGroup);
    // A redirecting listener never forwards, so it needs no deny rule.
    if (!network && !input.redirectHTTPToHTTPS && input.denyInternalTraffic !== null) {
      resources[LogicalId.httpDenyRule] = denyInternalTrafficRule(LogicalId.httpListener, input.denyInternalTraffic);
    }
  }

  const certificates = sortedCertificateARNs(input.certificateARNs);
  const defaultCertificate = certificates[0];
  if (defaultCertificate !== undefined) {
    resources[LogicalId.httpsListener] = httpsListenerResource(input, defaultCertificate);
    if (!network && input.denyInternalTraffic !== null) {
      resources[LogicalId.httpsDenyRule] = denyInternalTrafficRule(LogicalId.httpsListener, input.denyInternalTraffic);
    }
    const [logicalId, listenerCertificate] = listenerCertificateResource(certificates);
    resources[logicalId] = listenerCertificate;
  }

  resources[LogicalId.loadBalancer] = loadBalancerResource(input);

  if (!network && input.wafWebACLID !== '') {
    resources[LogicalId.wafAssociation] = wafAssociationResource(input.wafWebACLID);
  }

  Object.assign(resources, alarmResources(input.alarms));

  return {
    AWSTemplateFormatVersion: '2010-09-09',
    Description: 'Load Balancer for Kubernetes Ingress',
    Parameters: templateParameters(input),
    Resources: sortedByBytes(resources),
    Outputs: sortedByBytes(outputs),
  };
}

/** The TemplateBody sent to CloudFormation: Go's json.MarshalIndent with four spaces. */
export function renderTemplate(template: CloudFormationTemplate): string {
  return goMarshalIndent(template);
}
