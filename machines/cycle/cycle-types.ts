// The vocabulary of one reconcile cycle: observe -> plan -> dispatch -> publish.
import type { IngressRef } from '../../services/planning/types/ingress.ts';
import type { LoadBalancerAction, LoadBalancerSpec } from '../../services/planning/types/load-balancer.ts';
import type { StackDocument } from '../../services/planning/template/stack-document.ts';
import type { TargetSyncSummary } from '../../services/aws/targets/target-sync.ts';

/** Why an ingress is (or is not) on a load balancer: what the debug API answers. */
export interface IngressPlacement {
  readonly ref: IngressRef;
  readonly stackName: string | undefined;
  readonly hostname: string | undefined;
  readonly reason: string;
}

/** A planned load balancer and the stack (actor) it was handed to. */
export interface PlannedLoadBalancer {
  readonly stackName: string;
  readonly action: LoadBalancerAction;
  readonly spec: LoadBalancerSpec;
  readonly document: StackDocument;
}

export interface CycleSummary {
  readonly at: number;
  readonly ok: boolean;
  /** The cycle began with the full scan of AWS (start-up, then once per --polling-interval). */
  readonly resync: boolean;
  readonly problems: readonly string[];
  readonly ingressCount: number;
  readonly routeGroupCount: number;
  readonly stackCount: number;
  readonly certificateCount: number;
  readonly alarmCount: number;
  readonly planned: readonly PlannedLoadBalancer[];
  readonly placements: readonly IngressPlacement[];
  /** Earliest time a status write may become possible (min LB age, a load balancer not active yet). */
  readonly nextWakeAt: number | undefined;
}

export interface CycleMetrics {
  cycle(summary: CycleSummary): void;
  targets?(result: TargetSyncSummary): void;
  change(resourceType: 'stack' | 'ingress' | 'routegroup', operation: 'create' | 'update' | 'delete'): void;
}

/** Lets other work on the event loop run: a cycle pauses between its steps and within long loops. */
export const pause = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

/** Ingresses handled between two pauses (a status check is a few microseconds). */
export const LOOP_SLICE = 500;
/** Stacks handled between two pauses (handing an actor a new target persists its snapshot: about a millisecond). */
export const STACK_SLICE = 25;
