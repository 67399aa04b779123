// Tag names that decide which instances, ASGs and target groups belong to this controller. They must match
// upstream's exactly: a drop-in inherits ASGs and target groups tagged by the Go controller.

export const CLUSTER_TAG_PREFIX = 'kubernetes.io/cluster/';
export const OWNED = 'owned';
/** Stack tag that CloudFormation propagates to the target groups; its value is --controller-id. */
export const APPLICATION_TAG = 'kubernetes:application';
export const NODE_ROLE_TAG = 'k8s.io/role/node';
/** Set by Auto Scaling on every instance it launches; its absence makes an instance a "single instance". */
export const AUTO_SCALING_GROUP_NAME_TAG = 'aws:autoscaling:groupName';

export const clusterTag = (clusterId: string): string => `${CLUSTER_TAG_PREFIX}${clusterId}`;

/** Tags a target group must carry (both) before the controller detaches it from an ASG. */
export function ownerTags(clusterId: string, controllerId: string): ReadonlyMap<string, string> {
  return new Map([[clusterTag(clusterId), OWNED], [APPLICATION_TAG, controllerId]]);
}

export function hasAllTags(tags: ReadonlyMap<string, string>, expected: ReadonlyMap<string, string>): boolean {
  for (const [key, value] of expected) if (tags.get(key) !== value) return false;
  return true;
}
