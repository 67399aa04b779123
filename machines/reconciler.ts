// One planning cycle: read the cluster and AWS, compute the desired load balancers with the pure model and
// template, hand each stack actor its target, and write ingress statuses. Actors execute; this decides.
import type { Logger } from 'pino';
import type { Clock } from '../services/clock.ts';
import type { Config } from '../services/config/config.ts';
import type { StackObservation, StackOperations } from '../services/aws/stack-operations.ts';
import type { TargetSyncSummary } from '../services/aws/targets/target-sync.ts';
import { Planner, type AlarmConfiguration, type AwsEnvironment } from '../services/planning/cycle-plan.ts';
import { isManagedStack, toManagedStack, certificateExpiries } from '../services/planning/model/managed-stack.ts';
import { isCompleteStatus, isExpectedStatus } from '../services/planning/stack-contract.ts';
import type { StackDocument } from '../services/planning/template/stack-document.ts';
import { stackName as makeStackName } from '../services/planning/template/stack-name.ts';
import type { CertificateSummary } from '../services/planning/types/certificate.ts';
import type { ClusterSnapshot } from '../services/planning/types/cluster.ts';
import type { IngressModel, IngressRef } from '../services/planning/types/ingress.ts';
import { ownerKey, refKey } from '../services/planning/types/ingress.ts';
import type { LoadBalancerAction, LoadBalancerSpec } from '../services/planning/types/load-balancer.ts';
import type { LoadBalancerState, ManagedStack } from '../services/planning/types/stack.ts';
import type { StackActorRegistry } from './stack-registry.ts';
import type { StackTarget } from './stack-machine.ts';

export type { AlarmConfiguration, AwsEnvironment };

export interface ReconcilerDeps {
  readonly config: Config;
  readonly clock: Clock;
  readonly logger: Logger;
  readonly environment: AwsEnvironment;
  readonly cluster: { snapshot(): ClusterSnapshot };
  readonly stacks: StackOperations & { listStacks(): Promise<StackObservation[]> };
  readonly loadBalancerStates: (arns: readonly string[]) => Promise<{ states: Map<string, LoadBalancerState>; missing: readonly string[] }>;
  readonly certificates: { current(): readonly CertificateSummary[] | undefined };
  readonly alarms: () => Promise<AlarmConfiguration>;
  readonly writeStatus: (ref: IngressRef, hostname: string) => Promise<'written' | 'unchanged'>;
  readonly registry: StackActorRegistry;
  /** Random UUID source (seeded in the scenario runner so stack names are reproducible). */
  readonly uuid: () => string;
  readonly metrics?: CycleMetrics;
  /** Tells an object's owners, on the object itself, why it got no load balancer (a Warning Event). */
  readonly warn?: (ingress: IngressModel, reason: string, message: string) => void;
  /** Attaches target groups to Auto Scaling groups and registers single instances (HostPort/Legacy modes). */
  readonly targets?: { sync(targetGroupARNs: readonly string[]): Promise<TargetSyncSummary> };
}

export interface CycleMetrics {
  cycle(summary: CycleSummary): void;
  targets?(result: TargetSyncSummary): void;
  change(resourceType: 'stack' | 'ingress' | 'routegroup', operation: 'create' | 'update' | 'delete'): void;
}

/** Why an ingress is (or is not) on a load balancer: what the debug API answers. */
export interface IngressPlacement {
  readonly ref: IngressRef;
  readonly stackName: string | undefined;
  readonly hostname: string | undefined;
  readonly reason: string;
}

export interface PlannedLoadBalancer {
  readonly stackName: string;
  readonly action: LoadBalancerAction;
  readonly spec: LoadBalancerSpec;
  readonly document: StackDocument;
}

export interface CycleSummary {
  readonly at: number;
  readonly ok: boolean;
  readonly problems: readonly string[];
  readonly ingressCount: number;
  readonly routeGroupCount: number;
  readonly stackCount: number;
  readonly certificateCount: number;
  readonly alarmCount: number;
  readonly planned: readonly PlannedLoadBalancer[];
  readonly placements: readonly IngressPlacement[];
  /** Earliest time a status write becomes possible (min LB age), so the supervisor can wake then. */
  readonly nextWakeAt: number | undefined;
}

export class Reconciler {
  private lastSummary: CycleSummary | undefined;
  private lastTargetSync: { at: number; arns: string } | undefined;
  /** Last reported reason per skipped object, so each reason is logged and evented once, not every cycle. */
  private reportedSkips = new Map<string, string>();
  private readonly planner = new Planner();

  constructor(private readonly deps: ReconcilerDeps) {}

  get last(): CycleSummary | undefined {
    return this.lastSummary;
  }

  async cycle(): Promise<CycleSummary> {
    const { config, clock, logger, registry } = this.deps;
    const now = clock.now();
    const problems: string[] = [];
    const cluster = this.deps.cluster.snapshot();
    const routeGroupCount = cluster.ingresses.filter((i) => i.ref.kind === 'RouteGroup').length;
    const base = {
      at: now, ingressCount: cluster.ingresses.length - routeGroupCount, routeGroupCount,
      planned: [] as PlannedLoadBalancer[], placements: [] as IngressPlacement[], nextWakeAt: undefined as number | undefined,
    };

    const listed = (await this.deps.stacks.listStacks())
      .filter((s) => isManagedStack(s.tags, config.controllerId, this.deps.environment.clusterId));
    for (const s of listed) {
      if (!isExpectedStatus(s.status)) problems.push(`unexpected status ${s.status}: ${s.statusReason}`);
    }
    await registry.adopt(listed);
    registry.noticeMissing(new Set(listed.map((s) => s.name)));

    const stacks = listed.map((s) => this.withActorView(toManagedStack(s)));
    const lbArns = stacks.map((s) => s.loadBalancerARN).filter((a) => a !== '');
    const { states } = lbArns.length > 0 ? await this.deps.loadBalancerStates(lbArns) : { states: new Map<string, LoadBalancerState>() };

    const certificates = this.deps.certificates.current();
    if (!certificates || certificates.length === 0) {
      // Upstream's safety stop (#747): without certificates nothing is created, updated, deleted or written.
      problems.push('no certificates found');
      return this.finish({ ...base, ok: false, problems, stackCount: stacks.length, certificateCount: 0, alarmCount: 0 });
    }

    await this.syncTargets(stacks, now, problems);
    const alarms = await this.deps.alarms();
    const plan = this.planner.plan({ ingresses: cluster.ingresses, stacks, certificates, alarms, environment: this.deps.environment, config, now });

    const placements = new Map<string, IngressPlacement>();
    for (const s of plan.skipped) placements.set(refKey(s.ref), { ref: s.ref, stackName: undefined, hostname: undefined, reason: s.reason });
    this.reportSkipped(plan.skipped, cluster.ingresses);
    for (const ref of plan.clusterLocal) {
      placements.set(refKey(ref), { ref, stackName: undefined, hostname: '', reason: 'cluster-local: no hostname outside the cluster' });
      await this.safeStatus(ref, '', problems);
    }
    let nextWakeAt: number | undefined;
    const planned: PlannedLoadBalancer[] = [];
    const claimed = new Set<string>();

    for (const p of plan.stacks) {
      // A stack being created is not listed yet, or its create failed and rolled away: reuse that actor.
      // A stack being deleted without an actor (state lost mid-delete) finishes on its own.
      if (p.stack?.status === 'DELETE_IN_PROGRESS' && !registry.has(p.stack.name)) continue;
      const name = p.stack?.name ?? registry.pendingCreation(claimed, p.document) ?? makeStackName(this.deps.environment.clusterId, this.deps.uuid());
      claimed.add(name);
      const target: StackTarget = { intent: p.action, document: p.document, drainDeadline: p.drainDeadline, targetGroupARNs: p.stack?.targetGroupARNs ?? [] };
      registry.desire(name, target);
      planned.push({ stackName: name, action: p.action, spec: p.spec, document: p.document });

      const hostname = this.statusHostname(p.stack, states, now);
      if (typeof hostname === 'number') nextWakeAt = Math.min(nextWakeAt ?? hostname, hostname);
      for (const ref of p.spec.ingresses) {
        const dns = typeof hostname === 'string' ? hostname : undefined;
        placements.set(refKey(ref), {
          ref, stackName: name, hostname: dns,
          reason: dns ? `served by ${name}` : `load balancer ${name} is not ready yet (${registry.phaseOf(name) ?? 'planned'})`,
        });
        if (dns) await this.safeStatus(ref, dns, problems);
      }
    }
    registry.retireUnclaimed(claimed, new Set(listed.map((l) => l.name)));
    // Stack operations that failed are problems of the cycle, as upstream records create/update errors (§4.6):
    // the last-sync metric stops advancing and the usual staleness alert fires.
    for (const actor of registry.list()) {
      if (actor.phase === 'failed' && actor.context.lastError) problems.push(`stack ${actor.stackName}: ${actor.context.lastError}`);
    }
    for (const r of cluster.rejected) {
      placements.set(refKey(r.ref), { ref: r.ref, stackName: undefined, hostname: undefined, reason: `rejected: ${r.errors.join('; ')}` });
    }
    logger.debug({ event: 'cycle', planned: planned.length, problems }, 'reconcile cycle done');
    return this.finish({
      ...base, ok: problems.length === 0, problems, stackCount: stacks.length, certificateCount: certificates.length,
      alarmCount: alarms.alarms.length, planned, placements: [...placements.values()], nextWakeAt,
    });
  }

  private reportSkipped(skipped: readonly { ref: IngressRef; reason: string }[], ingresses: readonly IngressModel[]): void {
    const current = new Map<string, string>();
    for (const s of skipped) {
      const key = refKey(s.ref);
      current.set(key, s.reason);
      if (this.reportedSkips.get(key) === s.reason) continue;
      this.deps.logger.info({ ingress: ownerKey(s.ref), kind: s.ref.kind, event: 'no-load-balancer' }, `no load balancer: ${s.reason}`);
      const model = ingresses.find((i) => refKey(i.ref) === key);
      if (model) this.deps.warn?.(model, 'NoLoadBalancer', s.reason);
    }
    this.reportedSkips = current;
  }

  /**
   * Upstream re-attaches every cycle; our cycles also run on every watch event, so the (idempotent) target sync
   * runs once per --polling-interval, or at once when the set of target groups changed.
   */
  private async syncTargets(stacks: readonly ManagedStack[], now: number, problems: string[]): Promise<void> {
    if (!this.deps.targets) return;
    // A stack on its way out must not get its target groups re-attached after the pre-delete detach.
    const live = stacks.filter((s) => !s.status.startsWith('DELETE_') && this.deps.registry.phaseOf(s.name) !== 'deleting');
    const arns = [...new Set(live.flatMap((s) => s.targetGroupARNs))].sort();
    const key = arns.join(',');
    const last = this.lastTargetSync;
    if (last && last.arns === key && now - last.at < this.deps.config.pollingIntervalMs) return;
    try {
      const result = await this.deps.targets.sync(arns);
      problems.push(...result.problems);
      this.deps.metrics?.targets?.(result);
      this.lastTargetSync = { at: now, arns: key };
    } catch (err) {
      problems.push(`target groups not synchronised: ${err instanceof Error ? err.message : String(err)}`);
    }
  }

  private finish(summary: CycleSummary): CycleSummary {
    this.lastSummary = summary;
    this.deps.metrics?.cycle(summary);
    for (const p of summary.problems) this.deps.logger.warn({ event: 'problem' }, p);
    return summary;
  }

  /**
   * While an update is in flight the model must see what was submitted, not a DescribeStacks answer that lags
   * behind it: otherwise a certificate's "now + TTL" would be recomputed and sent again. Otherwise the live tags
   * are the truth, so edits made outside the controller are seen and reverted, as upstream does.
   */
  private withActorView(stack: ManagedStack): ManagedStack {
    const doc = this.deps.registry.inFlightDocument(stack.name);
    if (!doc) return stack;
    return { ...stack, certificateARNs: certificateExpiries(doc.tags) };
  }

  /** The hostname to publish, or the time at which the load balancer becomes old enough, or undefined. */
  private statusHostname(stack: ManagedStack | undefined, states: Map<string, LoadBalancerState>, now: number): string | number | undefined {
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
