// Stack names: random, since stacks are found by tags. The prefix is fixed (not --controller-id) and the
// cluster part is squeezed so that the whole name stays within CloudFormation's 128 characters.

const PREFIX = 'kube-ingress-aws-controller';
// 128 minus the prefix (27), the UUID (36) and two separators.
const MAX_CLUSTER_PART = 128 - PREFIX.length - 36 - 2;

export function normalizeClusterId(clusterId: string): string {
  let normalized = clusterId.replace(/[^A-Za-z0-9-]+/g, '-').replace(/-{2,}/g, '-');
  // The end of a cluster ID (e.g. its name after account and region) tells clusters apart better than the start.
  if (normalized.length > MAX_CLUSTER_PART) normalized = normalized.slice(normalized.length - MAX_CLUSTER_PART);
  return normalized.replace(/^-+|-+$/g, '');
}

/** `kube-ingress-aws-controller-<normalized cluster ID>-<uuid>`. */
export function stackName(clusterId: string, uuid: string): string {
  return `${PREFIX}-${normalizeClusterId(clusterId)}-${uuid}`;
}
