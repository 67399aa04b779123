// Which instances and ASGs the controller targets: upstream's default filters, or CUSTOM_FILTERS (§4.9).
// EC2 understands the filters natively; Auto Scaling groups are matched here against their tags, because the
// ASG API cannot express every EC2 filter name. The ASG rules follow upstream:
//   tag-key=K       K must be present
//   tag:K=v1,v2     tag K must have one of the values (exact match, no wildcards)
//   name=v1,v2      any other name is read as the tag key `name`
// Deliberate differences, both only where upstream can never match or silently drops a term:
//   - `tag-key=K1,K2` accepts an ASG carrying any of the keys (EC2's meaning). Upstream looks for one key
//     literally named "K1,K2", which tag-key rules cannot produce, so such a filter targeted nothing.
//   - Repeated terms for one key must all hold, as EC2 ANDs its filters; upstream kept only the last term.
import type { Filter } from '@aws-sdk/client-ec2';
import type { Ec2Filter } from '../../config/config.ts';
import { clusterTag, StackTag } from '../../planning/stack-contract.ts';
import { NODE_ROLE_TAG } from './tags.ts';

export type TagCondition =
  | { readonly kind: 'present'; readonly keys: readonly string[] }
  | { readonly kind: 'value'; readonly key: string; readonly values: readonly string[] };

const TAG_PREFIX = 'tag:';

export function instanceFilters(clusterId: string, custom: readonly Ec2Filter[] | undefined): Filter[] {
  if (custom !== undefined) return custom.map((f) => ({ Name: f.name, Values: [...f.values] }));
  return [
    { Name: `${TAG_PREFIX}${clusterTag(clusterId)}`, Values: [StackTag.clusterOwned] },
    { Name: 'tag-key', Values: [NODE_ROLE_TAG] },
  ];
}

/**
 * Conditions that make an ASG "targeted". An empty CUSTOM_FILTERS list yields no conditions, so every ASG
 * is targeted, as upstream does (the config layer warns about it).
 */
export function autoScalingGroupConditions(clusterId: string, custom: readonly Ec2Filter[] | undefined): TagCondition[] {
  if (custom === undefined) return [{ kind: 'value', key: clusterTag(clusterId), values: [StackTag.clusterOwned] }];
  return custom.map((f): TagCondition => {
    if (f.name === 'tag-key') return { kind: 'present', keys: [...f.values] };
    const key = f.name.startsWith(TAG_PREFIX) ? f.name.slice(TAG_PREFIX.length) : f.name;
    return { kind: 'value', key, values: [...f.values] };
  });
}

export function matchesConditions(tags: ReadonlyMap<string, string>, conditions: readonly TagCondition[]): boolean {
  return conditions.every((c) => {
    if (c.kind === 'present') return c.keys.some((k) => tags.has(k));
    const value = tags.get(c.key);
    return value !== undefined && c.values.includes(value);
  });
}

/** Owned ASGs lose the controller's target groups when they stop being targeted. */
export function isOwnedAutoScalingGroup(tags: ReadonlyMap<string, string>, clusterId: string): boolean {
  return tags.get(clusterTag(clusterId)) === StackTag.clusterOwned;
}
