// Tag names that decide which instances, ASGs and target groups belong to this controller. They must match
// upstream's exactly: a drop-in inherits ASGs and target groups tagged by the Go controller.

import { clusterTag, StackTag } from '../../planning/stack-contract.ts';

export const NODE_ROLE_TAG = 'k8s.io/role/node';
/** Set by Auto Scaling on every instance it launches; its absence makes an instance a "single instance". */
export const AUTO_SCALING_GROUP_NAME_TAG = 'aws:autoscaling:groupName';

/**
 * Tags a target group must carry (both) before the controller detaches it from an ASG: CloudFormation
 * propagates the stack's cluster and application tags to its target groups.
 */
export function ownerTags(clusterId: string, controllerId: string): ReadonlyMap<string, string> {
  return new Map([[clusterTag(clusterId), StackTag.clusterOwned], [StackTag.application, controllerId]]);
}

export function hasAllTags(tags: ReadonlyMap<string, string>, expected: ReadonlyMap<string, string>): boolean {
  for (const [key, value] of expected) if (tags.get(key) !== value) return false;
  return true;
}
