// One cycle's plan, pure: cluster state + certificates + existing stacks + configuration -> for every load
// balancer, what should happen to its stack and the exact document it should carry. The controller executes
// it through stack actors; plan mode prints it.
import type { Config } from '../config/config.ts';
import type { CertificateSummary } from './types/certificate.ts';
import type { IngressModel, IngressRef } from './types/ingress.ts';
import type { LoadBalancerAction, LoadBalancerSpec } from './types/load-balancer.ts';
import type { ManagedStack } from './types/stack.ts';
import { buildModelInSlices, type SkippedIngress } from './model/model.ts';
import { decideAction } from './model/status.ts';
import type { CloudWatchAlarm } from './template/cloudwatch-alarms.ts';
import { StackDocumentMemo, type StackDocument, type StackEnvironment } from './template/stack-document.ts';
import type { SubnetSummary } from './template/subnets.ts';

export interface AwsEnvironment {
  readonly clusterId: string;
  readonly vpcId: string;
  readonly securityGroupId: string;
  readonly subnets: readonly SubnetSummary[];
}

export interface AlarmConfiguration {
  readonly alarms: readonly CloudWatchAlarm[];
  readonly hash: string;
}

export interface CyclePlanInput {
  readonly ingresses: readonly IngressModel[];
  readonly stacks: readonly ManagedStack[];
  readonly certificates: readonly CertificateSummary[];
  readonly alarms: AlarmConfiguration;
  readonly environment: AwsEnvironment;
  readonly config: Config;
  readonly now: number;
}

export interface PlannedStack {
  /** The existing stack; undefined for a load balancer that needs a new stack. */
  readonly stack: ManagedStack | undefined;
  readonly action: LoadBalancerAction;
  readonly spec: LoadBalancerSpec;
  readonly document: StackDocument;
  /** When the stack may be deleted (every certificate TTL passed); null while any certificate is in use. */
  readonly drainDeadline: number | null;
}

export interface CyclePlan {
  readonly stacks: readonly PlannedStack[];
  /** Ingresses served only inside the cluster: their status hostname is cleared. */
  readonly clusterLocal: readonly IngressRef[];
  readonly skipped: readonly SkippedIngress[];
}

/** New documents built between two pauses of planInSlices (each takes a fraction of a millisecond). */
const TEMPLATE_SLICE = 50;

/** One cycle's plan with nothing remembered from earlier cycles (plan mode, tests). */
export function planCycle(input: CyclePlanInput): CyclePlan {
  return new Planner().plan(input);
}

/**
 * Plans cycle after cycle, re-templating only load balancers whose template inputs changed: a change to one
 * ingress costs the model's linear pass plus the documents of the load balancers it touched. Certificate
 * matches are remembered per certificate list (certificate-index.ts). Pure: what it remembers is what it
 * computed, and the result is always planCycle's.
 */
export class Planner {
  private readonly documents = new StackDocumentMemo();

  plan(input: CyclePlanInput): CyclePlan {
    const steps = this.planInSlices(input);
    for (;;) {
      const step = steps.next();
      if (step.done) return step.value;
    }
  }

  /** plan() in slices of a few milliseconds: the caller may pause at each yield (the event loop stays free). */
  *planInSlices(input: CyclePlanInput): Generator<void, CyclePlan, void> {
    const model = yield* buildModelInSlices({
      ingresses: input.ingresses, stacks: input.stacks, certificates: input.certificates, config: input.config,
      defaultSecurityGroup: input.environment.securityGroupId, now: input.now,
    });
    const environment: StackEnvironment = {
      config: input.config, clusterId: input.environment.clusterId, vpcId: input.environment.vpcId,
      subnets: input.environment.subnets, alarms: input.alarms.alarms,
    };
    const documents = this.documents.begin(environment);
    let templated = 0;
    const stacks: PlannedStack[] = [];
    const clusterLocal: IngressRef[] = [];
    for (const lb of model.loadBalancers) {
      if (lb.clusterLocal) {
        clusterLocal.push(...lb.ingresses);
        continue;
      }
      // A new load balancer without ingresses would be created only to be drained; upstream never makes one.
      if (!lb.stack && lb.ingresses.length === 0) continue;
      const { document, built } = documents.documentFor(lb);
      if (built && ++templated % TEMPLATE_SLICE === 0) yield;
      stacks.push({ stack: lb.stack, action: decideAction(lb, { alarmHash: input.alarms.hash, now: input.now }), spec: lb, document, drainDeadline: drainDeadline(lb) });
    }
    return { stacks, clusterLocal, skipped: model.skipped };
  }
}

/** The stack may go once every certificate's TTL has passed; null while any certificate is still in use. */
export function drainDeadline(lb: LoadBalancerSpec): number | null {
  const expiries = Object.values(lb.certificateARNs);
  if (expiries.length === 0 || expiries.some((e) => e === null)) return null;
  return Math.max(...(expiries as number[]));
}
