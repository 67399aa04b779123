// Publish: tell the cluster what the plan means for each object. Status hostnames are written once a load
// balancer can serve (its stack complete, the load balancer active and older than --min-load-balancer-age);
// cluster-local objects get their hostname cleared; objects that got no load balancer are told why, once per
// reason (a log line and a Warning Event). The placements are what the debug API shows per ingress.
import type { Logger } from 'pino';
import type { Config } from '../../services/config/config.ts';
import type { CyclePlan } from '../../services/planning/cycle-plan.ts';
import { certificateExpiries } from '../../services/planning/model/managed-stack.ts';
import { isCompleteStatus } from '../../services/planning/stack-contract.ts';
import type { ClusterSnapshot } from '../../services/planning/types/cluster.ts';
import type { IngressModel, IngressRef } from '../../services/planning/types/ingress.ts';
import { ownerKey, refKey } from '../../services/planning/types/ingress.ts';
import type { LoadBalancerState, ManagedStack } from '../../services/planning/types/stack.ts';
import type { StackActorRegistry } from '../stack-registry.ts';
import { LOOP_SLICE, pause, type CycleMetrics, type IngressPlacement, type PlannedLoadBalancer } from './cycle-types.ts';

/** What publish needs of the AWS observation: load balancer states, asked only when unknown or not active. */
export interface LoadBalancerView {
  loadBalancerStates(arns: readonly string[]): Promise<Map<string, LoadBalancerState>>;
  nextLoadBalancerRecheck(arns: readonly string[]): number | undefined;
}

export interface PublishDeps {
  readonly config: Config;
  readonly logger: Logger;
  readonly loadBalancers: LoadBalancerView;
  readonly registry: StackActorRegistry;
  readonly writeStatus: (ref: IngressRef, hostname: string) => Promise<'written' | 'unchanged'>;
  /** Tells an object's owners, on the object itself, why it got no load balancer (a Warning Event). */
  readonly warn?: (ingress: IngressModel, reason: string, message: string) => void;
  readonly metrics?: CycleMetrics;
}

export interface Published {
  readonly placements: IngressPlacement[];
  readonly nextWakeAt: number | undefined;
  readonly problems: string[];
}

export class StatusPublisher {
  /** Last reported reason per skipped object, so each reason is logged and evented once, not every cycle. */
  private reportedSkips = new Map<string, string>();

  constructor(private readonly deps: PublishDeps) {}

  async publish(plan: CyclePlan, planned: readonly PlannedLoadBalancer[], cluster: ClusterSnapshot, stacks: readonly ManagedStack[], now: number): Promise<Published> {
    const { registry } = this.deps;
    const problems: string[] = [];
    const placements = new Map<string, IngressPlacement>();
    const models = new Map(cluster.ingresses.map((i) => [refKey(i.ref), i]));
    const byHostname = new Map(stacks.filter((s) => s.dnsName !== '').map((s) => [s.dnsName.toLowerCase(), s]));
    let written = 0;
    const write = async (ref: IngressRef, hostname: string) => {
      if (++written % LOOP_SLICE === 0) await pause();
      await this.safeStatus(ref, hostname, problems);
    };
    /**
     * An object whose load balancer is not (or no longer) ready keeps its status while it names a load balancer
     * that still serves; a status naming one that is gone or being deleted is cleared.
     */
    const keepOrClear = async (ref: IngressRef) => {
      const current = models.get(refKey(ref))?.currentHostname.toLowerCase() ?? '';
      if (current === '' || !isLoadBalancerHostname(current)) return;
      const stack = byHostname.get(current);
      const going = stack === undefined || stack.status.startsWith('DELETE_') || registry.phaseOf(stack.name) === 'deleting';
      if (going) await write(ref, '');
    };

    for (const s of plan.skipped) {
      placements.set(refKey(s.ref), { ref: s.ref, stackName: undefined, hostname: undefined, reason: s.reason });
      await keepOrClear(s.ref);
    }
    this.reportSkipped(plan.skipped, models);
    for (const ref of plan.clusterLocal) {
      placements.set(refKey(ref), { ref, stackName: undefined, hostname: '', reason: 'cluster-local: no hostname outside the cluster' });
      await write(ref, '');
    }

    const servable = planned.map((p) => p.spec.stack).filter((s): s is ManagedStack => s !== undefined && isCompleteStatus(s.status) && s.dnsName !== '');
    const arns = servable.map((s) => s.loadBalancerARN).filter((a) => a !== '');
    const states = arns.length > 0 ? await this.deps.loadBalancers.loadBalancerStates(arns) : new Map<string, LoadBalancerState>();
    let nextWakeAt = this.deps.loadBalancers.nextLoadBalancerRecheck(arns);

    for (const p of planned) {
      const hostname = this.statusHostname(p.spec.stack, states, now);
      if (typeof hostname === 'number') nextWakeAt = Math.min(nextWakeAt ?? hostname, hostname);
      const dns = typeof hostname === 'string' ? hostname : undefined;
      const live = p.spec.stack ? certificateExpiries(p.spec.stack.tags) : {};
      const certificatesOf = dns ? certificatesByIngress(p.spec.ingressesByCertificate) : new Map<string, string[]>();
      for (const ref of p.spec.ingresses) {
        // Served once the live load balancer carries every certificate the object needs: for a shared
        // stack that is after the UpdateStack that added them has completed.
        const missing = dns ? (certificatesOf.get(refKey(ref)) ?? []).filter((arn) => !Object.hasOwn(live, arn)) : [];
        const ready = dns !== undefined && missing.length === 0;
        placements.set(refKey(ref), {
          ref, stackName: p.stackName, hostname: ready ? dns : undefined,
          reason: ready ? `served by ${p.stackName}`
            : dns ? `load balancer ${p.stackName} does not carry its certificate${missing.length === 1 ? '' : 's'} yet (${registry.phaseOf(p.stackName) ?? 'planned'})`
              : `load balancer ${p.stackName} is not ready yet (${registry.phaseOf(p.stackName) ?? 'planned'})`,
        });
        if (ready) await write(ref, dns);
        else await keepOrClear(ref);
      }
    }
    for (const r of cluster.rejected) {
      placements.set(refKey(r.ref), { ref: r.ref, stackName: undefined, hostname: undefined, reason: `rejected: ${r.errors.join('; ')}` });
    }
    return { placements: [...placements.values()], nextWakeAt, problems };
  }

  private reportSkipped(skipped: CyclePlan['skipped'], models: ReadonlyMap<string, IngressModel>): void {
    const current = new Map<string, string>();
    for (const s of skipped) {
      const key = refKey(s.ref);
      current.set(key, s.reason);
      if (this.reportedSkips.get(key) === s.reason) continue;
      this.deps.logger.info({ ingress: ownerKey(s.ref), kind: s.ref.kind, event: 'no-load-balancer' }, `no load balancer: ${s.reason}`);
      const model = models.get(key);
      if (model) this.deps.warn?.(model, 'NoLoadBalancer', s.reason);
    }
    this.reportedSkips = current;
  }

  /** The hostname to publish, or the time at which the load balancer becomes old enough, or undefined. */
  private statusHostname(stack: ManagedStack | undefined, states: ReadonlyMap<string, LoadBalancerState>, now: number): string | number | undefined {
    if (!stack || !isCompleteStatus(stack.status) || !stack.dnsName) return undefined;
    const state = states.get(stack.loadBalancerARN);
    if (!state || state.state !== 'active') return undefined;
    const readyAt = state.createdAt + this.deps.config.minLoadBalancerAgeMs;
    if (now < readyAt) return readyAt;
    return stack.dnsName.toLowerCase();
  }

  private async safeStatus(ref: IngressRef, hostname: string, problems: string[]): Promise<void> {
    try {
      const result = await this.deps.writeStatus(ref, hostname);
      if (result === 'written') this.deps.metrics?.change(ref.kind === 'Ingress' ? 'ingress' : 'routegroup', 'update');
    } catch (err) {
      problems.push(`failed to update status of ${ref.kind} ${ownerKey(ref)}: ${err instanceof Error ? err.message : String(err)}`);
    }
  }
}

/** Ingress -> the certificates it needs on its load balancer. */
function certificatesByIngress(byCertificate: Readonly<Record<string, readonly IngressRef[]>>): Map<string, string[]> {
  const out = new Map<string, string[]>();
  for (const [arn, refs] of Object.entries(byCertificate)) {
    for (const ref of refs) {
      const key = refKey(ref);
      const list = out.get(key);
      if (list) list.push(arn);
      else out.set(key, [arn]);
    }
  }
  return out;
}

/**
 * A hostname an ELB load balancer would have: only such a status is ever cleared, so a hostname someone else
 * wrote (another controller, a hand-made status) is left alone.
 */
function isLoadBalancerHostname(hostname: string): boolean {
  return /\.elb\.amazonaws\.com(\.cn)?$/.test(hostname);
}
