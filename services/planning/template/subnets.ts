// Which subnets a load balancer of a given scheme goes into (upstream's FindLBSubnets, after discovery's
// cluster filter). The result becomes a stack parameter, so the same subnets must give the same string.
import { clusterTag } from '../stack-contract.ts';
import { compareBytes } from './go-json.ts';

export interface SubnetSummary {
  readonly id: string;
  readonly availabilityZone: string;
  /** Routed through an internet gateway. */
  readonly public: boolean;
  readonly tags: Readonly<Record<string, string>>;
}

const ELB_ROLE_TAG = 'kubernetes.io/role/elb';
const INTERNAL_ELB_ROLE_TAG = 'kubernetes.io/role/internal-elb';

/** Subnet IDs, one per availability zone, sorted bytewise. */
export function selectSubnets(subnets: readonly SubnetSummary[], scheme: string, clusterId: string): string[] {
  const tag = clusterTag(clusterId);
  const tagged = subnets.filter((subnet) => Object.hasOwn(subnet.tags, tag));
  // Untagged VPCs still work: upstream warns and uses every subnet of the VPC.
  const candidates = tagged.length > 0 ? tagged : subnets;
  const internal = scheme === 'internal';
  const roleTag = internal ? INTERNAL_ELB_ROLE_TAG : ELB_ROLE_TAG;

  const byZone = new Map<string, SubnetSummary>();
  for (const subnet of candidates) {
    if (!internal && !subnet.public) continue;
    const current = byZone.get(subnet.availabilityZone);
    if (current === undefined || better(subnet, current, roleTag)) byZone.set(subnet.availabilityZone, subnet);
  }
  return [...byZone.values()].map((subnet) => subnet.id).sort(compareBytes);
}

/** The role tag (any value) wins; otherwise the smallest ID, so the choice does not depend on API order. */
function better(candidate: SubnetSummary, current: SubnetSummary, roleTag: string): boolean {
  const candidateHasRole = Object.hasOwn(candidate.tags, roleTag);
  const currentHasRole = Object.hasOwn(current.tags, roleTag);
  if (candidateHasRole !== currentHasRole) return candidateHasRole;
  return compareBytes(candidate.id, current.id) < 0;
}
