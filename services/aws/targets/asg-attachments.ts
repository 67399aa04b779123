// Reconciles the target groups attached to one Auto Scaling group (upstream's per-ASG update, §4.8 step 4):
// attachments whose target group no longer exists are detached; the controller's own target groups (both
// owner tags, propagated from the stack) that are not wanted any more are detached; foreign target groups are
// never touched; wanted ones are attached.
//
// Differences from upstream, all saving calls without changing the outcome:
//   - Target groups already attached are not attached again. Upstream attaches every wanted target group on
//     every cycle; AWS treats that as a no-op, but it is a mutating call per ASG per cycle in CloudTrail.
//     Attachments in state Removing/Removed do not count as attached, so they are attached again if wanted.
//   - DescribeTags is asked only about attached target groups that are not wanted (the tags decide nothing
//     for the others), so a steady state costs one DescribeLoadBalancerTargetGroups per ASG.
//   - The list of existing target groups is read once per cycle by the caller, not once per ASG.
import type { AutoScalingClient } from '@aws-sdk/client-auto-scaling';
import type { ElasticLoadBalancingV2Client } from '@aws-sdk/client-elastic-load-balancing-v2';
import { attachTargetGroups, describeAttachedTargetGroups, detachTargetGroups, DETACHING_STATES } from './auto-scaling-groups.ts';
import { hasAllTags } from './tags.ts';
import { describeTargetGroupTags } from './target-groups.ts';

export interface AttachmentContext {
  readonly autoscaling: AutoScalingClient;
  readonly elbv2: ElasticLoadBalancingV2Client;
  /** Every target group in the region (ARN → target type), read once per cycle. */
  readonly existing: ReadonlyMap<string, string>;
  /** Tags that mark a target group as the controller's own. */
  readonly ownerTags: ReadonlyMap<string, string>;
}

export interface AttachmentWish {
  /** Target groups of the controller that must stay attached where they are (every managed one, any type). */
  readonly keep: ReadonlySet<string>;
  /** Target groups to attach: existing instance target groups only. */
  readonly attach: readonly string[];
}

export interface AttachmentChange {
  /** Attached target groups that no longer exist. */
  readonly detachedMissing: string[];
  /** The controller's target groups that are no longer wanted. */
  readonly detachedOwned: string[];
  readonly attached: string[];
}

export async function reconcileAttachments(ctx: AttachmentContext, groupName: string, wish: AttachmentWish): Promise<AttachmentChange> {
  const attached = await describeAttachedTargetGroups(ctx.autoscaling, groupName);
  const live = [...new Set(attached.filter((a) => !DETACHING_STATES.has(a.state)).map((a) => a.arn))];

  const detachedMissing = live.filter((arn) => !ctx.existing.has(arn));
  const unwanted = live.filter((arn) => ctx.existing.has(arn) && !wish.keep.has(arn));
  const tags = unwanted.length > 0 ? await describeTargetGroupTags(ctx.elbv2, unwanted) : new Map<string, ReadonlyMap<string, string>>();
  const detachedOwned = unwanted.filter((arn) => {
    const t = tags.get(arn);
    return t !== undefined && hasAllTags(t, ctx.ownerTags);
  });

  // One detach batch, as upstream: missing first, then owned.
  const detach = [...detachedMissing, ...detachedOwned];
  if (detach.length > 0) await detachTargetGroups(ctx.autoscaling, groupName, detach);

  const liveSet = new Set(live);
  const toAttach = [...new Set(wish.attach)].filter((arn) => !liveSet.has(arn));
  if (toAttach.length > 0) await attachTargetGroups(ctx.autoscaling, groupName, toAttach);

  return { detachedMissing, detachedOwned, attached: toAttach };
}
