// Auto Scaling calls: group discovery and the group ↔ target group attachments.
import {
  AttachLoadBalancerTargetGroupsCommand,
  DetachLoadBalancerTargetGroupsCommand,
  paginateDescribeAutoScalingGroups,
  paginateDescribeLoadBalancerTargetGroups,
  type AutoScalingClient,
} from '@aws-sdk/client-auto-scaling';
import { chunks } from './chunks.ts';

/** AttachLoadBalancerTargetGroups and DetachLoadBalancerTargetGroups take at most 10 ARNs. */
export const ATTACHMENT_CHUNK = 10;

export interface AutoScalingGroupSummary {
  readonly name: string;
  readonly tags: ReadonlyMap<string, string>;
  /** Attached target groups as DescribeAutoScalingGroups reports them. */
  readonly targetGroupARNs: readonly string[];
}

export interface AttachedTargetGroup {
  readonly arn: string;
  /** Adding, Added, InService, Removing or Removed. */
  readonly state: string;
}

/** States of an attachment that is already on its way out. */
export const DETACHING_STATES: ReadonlySet<string> = new Set(['Removing', 'Removed']);

export async function describeAutoScalingGroups(autoscaling: AutoScalingClient): Promise<AutoScalingGroupSummary[]> {
  const groups: AutoScalingGroupSummary[] = [];
  for await (const page of paginateDescribeAutoScalingGroups({ client: autoscaling }, {})) {
    for (const g of page.AutoScalingGroups ?? []) {
      if (!g.AutoScalingGroupName) continue;
      const tags = new Map<string, string>();
      for (const t of g.Tags ?? []) if (t.Key !== undefined) tags.set(t.Key, t.Value ?? '');
      groups.push({ name: g.AutoScalingGroupName, tags, targetGroupARNs: [...(g.TargetGroupARNs ?? [])] });
    }
  }
  return groups.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
}

export async function describeAttachedTargetGroups(autoscaling: AutoScalingClient, groupName: string): Promise<AttachedTargetGroup[]> {
  const attached: AttachedTargetGroup[] = [];
  // Upstream reads only the first page; following NextToken costs nothing when there is none.
  const pages = paginateDescribeLoadBalancerTargetGroups({ client: autoscaling }, { AutoScalingGroupName: groupName });
  for await (const page of pages) {
    for (const tg of page.LoadBalancerTargetGroups ?? []) {
      if (tg.LoadBalancerTargetGroupARN) attached.push({ arn: tg.LoadBalancerTargetGroupARN, state: tg.State ?? '' });
    }
  }
  return attached;
}

export async function attachTargetGroups(autoscaling: AutoScalingClient, groupName: string, arns: readonly string[]): Promise<void> {
  for (const chunk of chunks(arns, ATTACHMENT_CHUNK)) {
    await autoscaling.send(new AttachLoadBalancerTargetGroupsCommand({ AutoScalingGroupName: groupName, TargetGroupARNs: chunk }));
  }
}

export async function detachTargetGroups(autoscaling: AutoScalingClient, groupName: string, arns: readonly string[]): Promise<void> {
  for (const chunk of chunks(arns, ATTACHMENT_CHUNK)) {
    await autoscaling.send(new DetachLoadBalancerTargetGroupsCommand({ AutoScalingGroupName: groupName, TargetGroupARNs: chunk }));
  }
}
