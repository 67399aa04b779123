// HTTPListener, HTTPSListener and the SNI ListenerCertificate.
import { listenerCertificateLogicalId } from './certificate-hash.ts';
import { LogicalId, StackParameter } from '../stack-contract.ts';
import type { TemplateInput } from './template-input.ts';
import { ref, resource, type TemplateResource } from './template-types.ts';

function forward(targetGroup: string) {
  return [{ TargetGroupArn: ref(targetGroup), Type: 'forward' }];
}

/** Port 80: forward to targetGroup, or (ALB with --redirect-http-to-https) a permanent redirect to HTTPS. */
export function httpListenerResource(input: TemplateInput, targetGroup: string): TemplateResource {
  const network = input.loadBalancerType === 'network';
  const redirect = !network && input.redirectHTTPToHTTPS;
  return resource('AWS::ElasticLoadBalancingV2::Listener', {
    DefaultActions: redirect
      ? [
          {
            RedirectConfig: {
              Host: '#{host}',
              Path: '/#{path}',
              Port: '443',
              Protocol: 'HTTPS',
              Query: '#{query}',
              StatusCode: 'HTTP_301',
            },
            Type: 'redirect',
          },
        ]
      : forward(targetGroup),
    LoadBalancerArn: ref(LogicalId.loadBalancer),
    Port: 80,
    Protocol: network ? 'TCP' : 'HTTP',
  });
}

/** Port 443 with the first certificate (sorted order) as the default; SNI certificates come from ListenerCertificate. */
export function httpsListenerResource(input: TemplateInput, defaultCertificateARN: string): TemplateResource {
  return resource('AWS::ElasticLoadBalancingV2::Listener', {
    Certificates: [{ CertificateArn: defaultCertificateARN }],
    DefaultActions: forward(LogicalId.targetGroup),
    LoadBalancerArn: ref(LogicalId.loadBalancer),
    Port: 443,
    Protocol: input.loadBalancerType === 'network' ? 'TLS' : 'HTTPS',
    SslPolicy: ref(StackParameter.sslPolicy),
  });
}

/** All certificates, the default one included, under a logical ID derived from the set. */
export function listenerCertificateResource(sortedARNs: readonly string[]): [logicalId: string, TemplateResource] {
  return [
    listenerCertificateLogicalId(sortedARNs),
    resource('AWS::ElasticLoadBalancingV2::ListenerCertificate', {
      Certificates: sortedARNs.map((arn) => ({ CertificateArn: arn })),
      ListenerArn: ref(LogicalId.httpsListener),
    }),
  ];
}
