// ELBv2 calls on target groups: which exist and of what type, their tags, and instance registration.
import {
  DeregisterTargetsCommand,
  DescribeTagsCommand,
  paginateDescribeTargetGroups,
  RegisterTargetsCommand,
  type ElasticLoadBalancingV2Client,
} from '@aws-sdk/client-elastic-load-balancing-v2';
import { chunks } from './chunks.ts';

/** DescribeTags takes at most 20 resource ARNs. */
export const DESCRIBE_TAGS_CHUNK = 20;

/** Every target group in the region: ARN → TargetType ('' when AWS reports none). */
export async function describeTargetGroupTypes(elbv2: ElasticLoadBalancingV2Client): Promise<Map<string, string>> {
  const types = new Map<string, string>();
  for await (const page of paginateDescribeTargetGroups({ client: elbv2 }, {})) {
    for (const tg of page.TargetGroups ?? []) if (tg.TargetGroupArn) types.set(tg.TargetGroupArn, tg.TargetType ?? '');
  }
  return types;
}

export async function describeTargetGroupTags(
  elbv2: ElasticLoadBalancingV2Client,
  arns: readonly string[],
): Promise<Map<string, ReadonlyMap<string, string>>> {
  const byArn = new Map<string, ReadonlyMap<string, string>>();
  for (const chunk of chunks(arns, DESCRIBE_TAGS_CHUNK)) {
    const out = await elbv2.send(new DescribeTagsCommand({ ResourceArns: chunk }));
    for (const d of out.TagDescriptions ?? []) {
      if (!d.ResourceArn) continue;
      const tags = new Map<string, string>();
      for (const t of d.Tags ?? []) if (t.Key !== undefined) tags.set(t.Key, t.Value ?? '');
      byArn.set(d.ResourceArn, tags);
    }
  }
  return byArn;
}

// Id only, no Port: the target group's own port applies, as upstream registers them.
export async function registerInstances(elbv2: ElasticLoadBalancingV2Client, targetGroupArn: string, ids: readonly string[]): Promise<void> {
  await elbv2.send(new RegisterTargetsCommand({ TargetGroupArn: targetGroupArn, Targets: ids.map((Id) => ({ Id })) }));
}

export async function deregisterInstances(elbv2: ElasticLoadBalancingV2Client, targetGroupArn: string, ids: readonly string[]): Promise<void> {
  await elbv2.send(new DeregisterTargetsCommand({ TargetGroupArn: targetGroupArn, Targets: ids.map((Id) => ({ Id })) }));
}
