// WAFAssociation: WAFv2 for ARNs, WAF Classic (regional) for plain WebACL ids.
import { LogicalId, StackParameter } from '../stack-contract.ts';
import { ref, resource, type TemplateResource } from './template-types.ts';

// Upstream recognises WAFv2 only in the aws partition; other partitions fall through to WAF Classic.
const WAFV2_PREFIX = 'arn:aws:wafv2:';

export function wafAssociationResource(wafWebACLID: string): TemplateResource {
  if (wafWebACLID.startsWith(WAFV2_PREFIX)) {
    return resource('AWS::WAFv2::WebACLAssociation', {
      ResourceArn: ref(LogicalId.loadBalancer),
      WebACLArn: ref(StackParameter.wafWebACLID),
    });
  }
  return resource('AWS::WAFRegional::WebACLAssociation', {
    ResourceArn: ref(LogicalId.loadBalancer),
    WebACLId: ref(StackParameter.wafWebACLID),
  });
}
