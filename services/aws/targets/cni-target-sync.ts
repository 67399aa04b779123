// AWS CNI target sync (upstream-behaviour.md §4.8): every ip target group of the managed stacks gets exactly
// the endpoint IPs. Unlike upstream, changes are applied on pod events (debounced) as well as on the periodic
// resync, and an empty endpoint set never empties a group (a warning once, until endpoints come back).
import {
  DescribeTargetHealthCommand,
  type ElasticLoadBalancingV2Client,
} from '@aws-sdk/client-elastic-load-balancing-v2';
import type { Logger } from 'pino';
import { awsErrorCode, awsErrorMessage } from '../errors.ts';
import { planCniTargets } from './cni-target-plan.ts';
import { deregisterInstances, registerInstances } from './target-groups.ts';

export interface CniSyncSummary {
  readonly registered: number;
  readonly deregistered: number;
  /** True when the endpoint set was empty and nothing was touched. */
  readonly missingEndpoints: boolean;
  /** Target groups skipped this cycle (gone, or a failed call); the others went on. */
  readonly problems: string[];
}

export interface CniTargetSyncOptions {
  readonly elbv2: ElasticLoadBalancingV2Client;
  readonly logger: Logger;
  /** Only the leader acts; until leader election exists this is always true. */
  readonly isActing?: () => boolean;
}

export class CniTargetSynchronizer {
  private readonly elbv2: ElasticLoadBalancingV2Client;
  private readonly logger: Logger;
  private readonly isActing: () => boolean;
  private warnedEmpty = false;
  /** For the debug API and the metric: the endpoint set was empty at the last sync. */
  missingEndpoints = false;

  constructor(options: CniTargetSyncOptions) {
    this.elbv2 = options.elbv2;
    this.logger = options.logger;
    this.isActing = options.isActing ?? (() => true);
  }

  async sync(targetGroupArns: readonly string[], endpoints: readonly string[]): Promise<CniSyncSummary> {
    const problems: string[] = [];
    let registered = 0;
    let deregistered = 0;
    if (!this.isActing()) return { registered, deregistered, missingEndpoints: false, problems };
    if (endpoints.length === 0) {
      this.missingEndpoints = true;
      if (!this.warnedEmpty) {
        this.warnedEmpty = true;
        this.logger.warn({ event: 'cni-endpoints-missing' }, 'no pod matches the AWS CNI selector; ip target groups are left as they are');
      }
      return { registered, deregistered, missingEndpoints: true, problems };
    }
    this.missingEndpoints = false;
    this.warnedEmpty = false;
    for (const arn of targetGroupArns) {
      try {
        const health = await this.elbv2.send(new DescribeTargetHealthCommand({ TargetGroupArn: arn }));
        const current = (health.TargetHealthDescriptions ?? []).flatMap((d) => (d.Target?.Id ? [d.Target.Id] : []));
        const plan = planCniTargets(endpoints, current);
        if (plan.kind !== 'sync') continue;
        if (plan.register.length > 0) await registerInstances(this.elbv2, arn, plan.register);
        if (plan.deregister.length > 0) await deregisterInstances(this.elbv2, arn, plan.deregister);
        registered += plan.register.length;
        deregistered += plan.deregister.length;
      } catch (err) {
        const code = awsErrorCode(err);
        if (code === 'TargetGroupNotFound') {
          this.logger.debug({ event: 'cni-target-group-gone', targetGroup: arn }, 'target group no longer exists; skipped this cycle');
        } else {
          this.logger.warn({ event: 'cni-target-sync-failed', targetGroup: arn, err }, 'AWS CNI target sync failed for a target group');
        }
        problems.push(`${arn}: ${awsErrorMessage(err)}`);
      }
    }
    return { registered, deregistered, missingEndpoints: false, problems };
  }
}

/** Runs `fn` once, `delayMs` after the last of a burst of calls (pod events arrive in bursts). */
export function debounce(fn: () => void, delayMs = 250): { trigger: () => void; cancel: () => void } {
  let timer: NodeJS.Timeout | undefined;
  return {
    trigger: () => {
      if (timer) clearTimeout(timer);
      timer = setTimeout(() => {
        timer = undefined;
        fn();
      }, delayMs);
    },
    cancel: () => {
      if (timer) clearTimeout(timer);
      timer = undefined;
    },
  };
}
