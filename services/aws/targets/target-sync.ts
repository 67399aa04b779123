// Targets for HostPort and Legacy mode (upstream-behaviour.md §4.8): the managed stacks' target groups are
// attached to the cluster's Auto Scaling groups, and nodes outside any ASG ("single instances") are registered
// into them directly. One `sync` is upstream's UpdateAutoScalingGroupsAndInstances followed by
// UpdateTargetGroupsAndAutoScalingGroups; `detach` is the first step of upstream's DeleteStack.
//
// State kept between cycles, as upstream keeps it in the adapter: the single instances seen last time, and
// those that have disappeared since and still await deregistration (kept until a deregistration succeeds).
//
// Deliberate differences from upstream (none changes what ends up attached or registered):
//   - See asg-attachments.ts for the attach/describe savings per ASG.
//   - Registration and deregistration skip target groups that do not exist: upstream calls them anyway, gets
//     TargetGroupNotFound and reports a problem every cycle while a stack is being deleted, which also keeps
//     the last-sync gauge from moving. A failure on one target group does not stop the others.
//   - An instance that reappears in the listing is no longer obsolete. Upstream would register it and then
//     deregister it again in the same cycle (or fight its new ASG over it).
//   - `detach` uses the attachments DescribeAutoScalingGroups reports, so it calls Detach only for ASGs that
//     really hold one of the target groups, and also covers owned ASGs that are not targeted (which would
//     otherwise hold the target group until the next sync, racing the stack deletion).
import type { Filter } from '@aws-sdk/client-ec2';
import type { Logger } from 'pino';
import type { Config } from '../../config/config.ts';
import type { AwsClients } from '../clients.ts';
import { awsErrorMessage } from '../errors.ts';
import { reconcileAttachments, type AttachmentContext, type AttachmentWish } from './asg-attachments.ts';
import { describeAutoScalingGroups, detachTargetGroups, type AutoScalingGroupSummary } from './auto-scaling-groups.ts';
import { TargetGroupDetachError, TargetSyncError, type DetachFailure } from './errors.ts';
import { autoScalingGroupConditions, instanceFilters, isOwnedAutoScalingGroup, matchesConditions, type TagCondition } from './filters.ts';
import { describeNodeInstances, type NodeInstance } from './instances.ts';
import { ownerTags } from './tags.ts';
import { deregisterInstances, describeTargetGroupTypes, registerInstances } from './target-groups.ts';

export interface TargetSyncSummary {
  /** ASGs tagged kubernetes.io/cluster/<id>=owned (gauge owned_autoscaling_groups_total). */
  readonly ownedAutoScalingGroups: number;
  /** ASGs matching the ASG filter (gauge targeted_autoscaling_groups_total). */
  readonly targetedAutoScalingGroups: number;
  /** Instances matching the EC2 filters, any state (gauge instances_total). */
  readonly instances: number;
  /** Of those, instances outside any ASG, any state (gauge standalone_instances_total). */
  readonly standaloneInstances: number;
  /** The given target groups whose type is `ip`: the AWS CNI handler's share, left alone here. */
  readonly ipTargetGroups: string[];
  /** Per-ASG and per-target-group failures; the rest of the cycle went on. */
  readonly problems: string[];
}

export interface TargetSynchronizerOptions {
  readonly clients: Pick<AwsClients, 'ec2' | 'autoscaling' | 'elbv2'>;
  readonly config: Pick<Config, 'customFilters' | 'controllerId'>;
  /** The effective cluster id (after discovery), which may differ from the flag. */
  readonly clusterId: string;
  readonly logger: Logger;
}

const IP_TARGET_TYPE = 'ip';

export class TargetSynchronizer {
  private readonly clients: Pick<AwsClients, 'ec2' | 'autoscaling' | 'elbv2'>;
  private readonly logger: Logger;
  private readonly clusterId: string;
  private readonly filters: Filter[];
  private readonly conditions: TagCondition[];
  private readonly owner: ReadonlyMap<string, string>;
  private knownSingle = new Set<string>();
  private readonly obsolete = new Set<string>();

  constructor(options: TargetSynchronizerOptions) {
    this.clients = options.clients;
    this.logger = options.logger;
    this.clusterId = options.clusterId;
    this.filters = instanceFilters(options.clusterId, options.config.customFilters);
    this.conditions = autoScalingGroupConditions(options.clusterId, options.config.customFilters);
    this.owner = ownerTags(options.clusterId, options.config.controllerId);
  }

  /** Single instances that disappeared and are still to be deregistered (for diagnostics). */
  get obsoleteInstances(): string[] {
    return [...this.obsolete].sort();
  }

  /**
   * One full cycle for the managed stacks' target groups. Throws TargetSyncError only when one of the
   * describes everything depends on fails (nothing has been changed then); everything else becomes a problem.
   */
  async sync(targetGroupARNs: readonly string[]): Promise<TargetSyncSummary> {
    const wanted = [...new Set(targetGroupARNs.filter((arn) => arn !== ''))];

    const nodes = await this.describe('DescribeInstances', () => describeNodeInstances(this.clients.ec2, this.filters));
    const single = nodes.filter((n) => n.autoScalingGroupName === undefined);
    this.trackSingleInstances(nodes, single);

    const groups = await this.describe('DescribeAutoScalingGroups', () => describeAutoScalingGroups(this.clients.autoscaling));
    const owned = groups.filter((g) => this.isOwned(g));
    const targeted = groups.filter((g) => this.isTargeted(g));

    const existing = await this.describe('DescribeTargetGroups', () => describeTargetGroupTypes(this.clients.elbv2));
    const ipTargetGroups = wanted.filter((arn) => existing.get(arn) === IP_TARGET_TYPE);
    // Unknown and nonexistent target groups count as instance target groups, as upstream; only existing ones
    // can be attached or hold targets, though.
    const instanceTargetGroups = wanted.filter((arn) => existing.get(arn) !== IP_TARGET_TYPE);
    const usable = instanceTargetGroups.filter((arn) => existing.has(arn));
    const missing = instanceTargetGroups.filter((arn) => !existing.has(arn));
    if (missing.length > 0) {
      this.logger.warn({ event: 'target-group-missing', targetGroups: missing }, 'target groups of managed stacks do not exist; not attaching them');
    }

    const problems: string[] = [];
    const ctx: AttachmentContext = {
      autoscaling: this.clients.autoscaling, elbv2: this.clients.elbv2, existing, ownerTags: this.owner,
    };
    const keepAll: AttachmentWish = { keep: new Set(wanted), attach: usable };
    for (const group of targeted) await this.reconcileGroup(ctx, group.name, keepAll, problems);
    const targetedNames = new Set(targeted.map((g) => g.name));
    const none: AttachmentWish = { keep: new Set(), attach: [] };
    for (const group of owned) {
      if (!targetedNames.has(group.name)) await this.reconcileGroup(ctx, group.name, none, problems);
    }

    await this.registerSingleInstances(single.filter((n) => n.running).map((n) => n.id), usable, problems);
    await this.deregisterObsoleteInstances(usable, problems);

    const summary: TargetSyncSummary = {
      ownedAutoScalingGroups: owned.length,
      targetedAutoScalingGroups: targeted.length,
      instances: nodes.length,
      standaloneInstances: single.length,
      ipTargetGroups,
      problems,
    };
    this.logger.debug({ event: 'target-sync-completed', ...summary, problems: problems.length }, 'targets synchronised');
    return summary;
  }

  /**
   * Detaches these target groups from every targeted or owned ASG that holds them, right before the stack
   * owning them is deleted. Throws TargetSyncError (TargetGroupDetachError when only some ASGs failed); the
   * caller should then leave the stack for the next cycle.
   */
  async detach(targetGroupARNs: readonly string[]): Promise<void> {
    const doomed = new Set(targetGroupARNs.filter((arn) => arn !== ''));
    if (doomed.size === 0) return;
    const groups = await this.describe('DescribeAutoScalingGroups', () => describeAutoScalingGroups(this.clients.autoscaling));
    const failures: DetachFailure[] = [];
    for (const group of groups) {
      if (!this.isTargeted(group) && !this.isOwned(group)) continue;
      const arns = group.targetGroupARNs.filter((arn) => doomed.has(arn));
      if (arns.length === 0) continue;
      try {
        await detachTargetGroups(this.clients.autoscaling, group.name, arns);
        this.logger.info(
          { event: 'target-groups-detached', autoScalingGroup: group.name, targetGroups: arns, reason: 'StackDeletion' },
          'detached target groups of a stack about to be deleted',
        );
      } catch (error) {
        failures.push({ autoScalingGroup: group.name, targetGroupARNs: arns, error });
      }
    }
    if (failures.length > 0) throw new TargetGroupDetachError(failures);
  }

  private isOwned(group: AutoScalingGroupSummary): boolean {
    return isOwnedAutoScalingGroup(group.tags, this.clusterId);
  }

  private isTargeted(group: AutoScalingGroupSummary): boolean {
    return matchesConditions(group.tags, this.conditions);
  }

  private trackSingleInstances(nodes: readonly NodeInstance[], single: readonly NodeInstance[]): void {
    const present = new Set(nodes.map((n) => n.id));
    for (const id of this.knownSingle) {
      if (present.has(id) || this.obsolete.has(id)) continue;
      this.obsolete.add(id);
      this.logger.info({ event: 'single-instance-gone', instance: id }, 'single instance no longer listed; will deregister it');
    }
    for (const id of this.obsolete) if (present.has(id)) this.obsolete.delete(id);
    this.knownSingle = new Set(single.map((n) => n.id));
  }

  private async reconcileGroup(ctx: AttachmentContext, name: string, wish: AttachmentWish, problems: string[]): Promise<void> {
    try {
      const change = await reconcileAttachments(ctx, name, wish);
      if (change.detachedMissing.length > 0) {
        this.logger.info(
          { event: 'target-groups-detached', autoScalingGroup: name, targetGroups: change.detachedMissing, reason: 'TargetGroupMissing' },
          'detached target groups that no longer exist',
        );
      }
      if (change.detachedOwned.length > 0) {
        this.logger.info(
          { event: 'target-groups-detached', autoScalingGroup: name, targetGroups: change.detachedOwned, reason: 'NotWanted' },
          'detached target groups the controller no longer uses here',
        );
      }
      if (change.attached.length > 0) {
        this.logger.info({ event: 'target-groups-attached', autoScalingGroup: name, targetGroups: change.attached }, 'attached target groups');
      }
    } catch (error) {
      this.problem(problems, `failed to update target groups for autoscaling group "${name}": ${awsErrorMessage(error)}`, { autoScalingGroup: name });
    }
  }

  // Every cycle, as upstream: registration is idempotent, and knowing what is registered would cost a
  // DescribeTargetHealth per target group.
  private async registerSingleInstances(ids: readonly string[], targetGroups: readonly string[], problems: string[]): Promise<void> {
    if (ids.length === 0) return;
    for (const arn of targetGroups) {
      try {
        await registerInstances(this.clients.elbv2, arn, ids);
        this.logger.debug({ event: 'single-instances-registered', targetGroup: arn, instances: ids }, 'registered single instances');
      } catch (error) {
        this.problem(problems, `failed to register instances ${ids.join(', ')} in target group ${arn}: ${awsErrorMessage(error)}`, { targetGroup: arn });
      }
    }
  }

  private async deregisterObsoleteInstances(targetGroups: readonly string[], problems: string[]): Promise<void> {
    if (this.obsolete.size === 0) return;
    const ids = this.obsoleteInstances;
    let failed = false;
    for (const arn of targetGroups) {
      try {
        await deregisterInstances(this.clients.elbv2, arn, ids);
      } catch (error) {
        failed = true;
        this.problem(problems, `failed to deregister instances ${ids.join(', ')} from target group ${arn}: ${awsErrorMessage(error)}`, { targetGroup: arn });
      }
    }
    if (failed) return;
    for (const id of ids) this.obsolete.delete(id);
    this.logger.info({ event: 'single-instances-deregistered', instances: ids, targetGroups }, 'deregistered single instances that are gone');
  }

  private problem(problems: string[], message: string, fields: Record<string, unknown>): void {
    problems.push(message);
    this.logger.warn({ event: 'target-sync-problem', ...fields }, message);
  }

  private async describe<T>(operation: string, call: () => Promise<T>): Promise<T> {
    try {
      return await call();
    } catch (error) {
      throw new TargetSyncError(operation, error);
    }
  }
}
