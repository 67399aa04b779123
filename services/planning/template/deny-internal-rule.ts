// HTTPRuleBlockInternalTraffic / HTTPSRuleBlockInternalTraffic: answer requests for cluster-internal host names
// at the ALB instead of forwarding them into the cluster.
import type { DenyInternalTraffic } from './template-input.ts';
import { ref, resource, type TemplateResource } from './template-types.ts';

export function denyInternalTrafficRule(listener: string, deny: DenyInternalTraffic): TemplateResource {
  return resource('AWS::ElasticLoadBalancingV2::ListenerRule', {
    Actions: [
      {
        FixedResponseConfig: {
          ContentType: deny.contentType,
          MessageBody: deny.body,
          StatusCode: String(deny.statusCode),
        },
        Type: 'fixed-response',
      },
    ],
    // The legacy Values form, not HostHeaderConfig: switching would be a needless change to existing rules.
    Conditions: [{ Field: 'host-header', Values: [...deny.domains] }],
    ListenerArn: ref(listener),
    // Evaluated before anything else on the listener.
    Priority: 1,
  });
}
