// One reconcile cycle, in four steps of its own: observe (cluster, stacks, certificates), plan (pure: which
// load balancers, with which documents), dispatch (hand each stack actor its target), publish (status
// hostnames, why an ingress has no load balancer). Actors execute; this decides. The cycle pauses between its
// steps and inside long loops, so health checks and the debug API answer while it runs.
import { RepeatLimiter } from '../services/repeat-limiter.ts';
import type { Logger } from 'pino';
import type { Clock } from '../services/clock.ts';
import type { Config } from '../services/config/config.ts';
import type { TargetSyncSummary } from '../services/aws/targets/target-sync.ts';
import { Planner, type AlarmConfiguration, type AwsEnvironment, type CyclePlan } from '../services/planning/cycle-plan.ts';
import type { ClusterSnapshot } from '../services/planning/types/cluster.ts';
import type { CertificateSummary } from '../services/planning/types/certificate.ts';
import type { IngressModel, IngressRef } from '../services/planning/types/ingress.ts';
import type { ManagedStack } from '../services/planning/types/stack.ts';
import { pause, type CycleMetrics, type CycleSummary, type PlannedLoadBalancer } from './cycle/cycle-types.ts';
import { dispatch } from './cycle/dispatch.ts';
import { CycleObserver, type StackView } from './cycle/observe.ts';
import { StatusPublisher, type LoadBalancerView } from './cycle/publish.ts';
import type { StackActorRegistry } from './stack-registry.ts';

export type { AlarmConfiguration, AwsEnvironment };
export type { CycleMetrics, CycleSummary, IngressPlacement, PlannedLoadBalancer } from './cycle/cycle-types.ts';

export interface ReconcilerDeps {
  readonly config: Config;
  readonly clock: Clock;
  readonly logger: Logger;
  /** Where the stacks go; a function when discovery is refreshed while running (the current one each cycle). */
  readonly environment: AwsEnvironment | (() => AwsEnvironment);
  /** `healthy` false: the Kubernetes API did not answer (or forbids listing); the snapshot is the last cached one. */
  readonly cluster: { snapshot(): ClusterSnapshot; healthy?(): boolean };
  /** The one observation of AWS (services/aws/observation.ts). */
  readonly observation: StackView & LoadBalancerView;
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
  /** AWS CNI mode: told the live stacks' target groups every cycle; syncs pod IPs into the ip ones on its own. */
  readonly cniTargets?: { targetGroups(targetGroupARNs: readonly string[]): void };
}

export class Reconciler {
  private lastSummary: CycleSummary | undefined;
  private lastTargetSync: { at: number; arns: string } | undefined;
  private readonly problemLog = new RepeatLimiter();
  private readonly planner = new Planner();
  private readonly observer: CycleObserver;
  private readonly publisher: StatusPublisher;

  constructor(private readonly deps: ReconcilerDeps) {
    this.observer = new CycleObserver({ ...deps, stacks: deps.observation });
    this.publisher = new StatusPublisher({ ...deps, loadBalancers: deps.observation });
  }

  get last(): CycleSummary | undefined {
    return this.lastSummary;
  }

  async cycle(): Promise<CycleSummary> {
    const { clock, registry } = this.deps;
    const now = clock.now();

    const observed = await this.observer.observe(now);
    const { cluster } = observed;
    const problems = [...observed.problems];
    const routeGroupCount = cluster.ingresses.filter((i) => i.ref.kind === 'RouteGroup').length;
    const base = {
      at: now, resync: observed.resync, ingressCount: cluster.ingresses.length - routeGroupCount, routeGroupCount,
      stackCount: observed.stacks.length, planned: [] as PlannedLoadBalancer[], placements: [], nextWakeAt: undefined,
    };
    const certificates = observed.certificates;
    if (!certificates || certificates.length === 0) {
      // Upstream's safety stop (#747): without certificates nothing is created, updated, deleted or written.
      problems.push('no certificates found');
      return this.finish({ ...base, ok: false, problems, certificateCount: 0, alarmCount: 0 });
    }

    await this.syncTargets(observed.stacks, now, problems);
    const alarms = await this.observer.alarms(observed.resync);
    await pause();
    const environment = typeof this.deps.environment === 'function' ? this.deps.environment() : this.deps.environment;
    const plan = await this.plan({
      ingresses: cluster.ingresses, stacks: observed.stacks, certificates, alarms, environment, config: this.deps.config, now,
    });
    await pause();
    const planned = await dispatch(plan, observed.stackNames, { registry, clusterId: environment.clusterId, uuid: this.deps.uuid });
    await pause();
    const published = await this.publisher.publish(plan, planned, cluster, observed.stacks, now);
    problems.push(...published.problems);
    // Stack operations that failed are problems of the cycle, as upstream records create/update errors (§4.6):
    // the last-sync metric stops advancing and the usual staleness alert fires.
    for (const actor of registry.list()) {
      if (actor.phase === 'failed' && actor.context.lastError) problems.push(`stack ${actor.stackName}: ${actor.context.lastError}`);
    }
    this.deps.logger.debug({ event: 'cycle', resync: observed.resync, planned: planned.length, problems }, 'reconcile cycle done');
    return this.finish({
      ...base, ok: problems.length === 0, problems, certificateCount: certificates.length, alarmCount: alarms.alarms.length,
      planned, placements: published.placements, nextWakeAt: published.nextWakeAt,
    });
  }

  /** The pure plan, driven in slices with a pause between them. */
  private async plan(input: Parameters<Planner['plan']>[0]): Promise<CyclePlan> {
    const steps = this.planner.planInSlices(input);
    for (;;) {
      const step = steps.next();
      if (step.done) return step.value;
      await pause();
    }
  }

  /**
   * Upstream re-attaches every cycle; our cycles also run on every watch event, so the (idempotent) target sync
   * runs once per --polling-interval, or at once when the set of target groups changed.
   */
  private async syncTargets(stacks: readonly ManagedStack[], now: number, problems: string[]): Promise<void> {
    if (!this.deps.targets && !this.deps.cniTargets) return;
    // A stack on its way out must not get its target groups re-attached after the pre-delete detach.
    const live = stacks.filter((s) => !s.status.startsWith('DELETE_') && this.deps.registry.phaseOf(s.name) !== 'deleting');
    const arns = [...new Set(live.flatMap((s) => s.targetGroupARNs))].sort();
    // A new stack's target groups appear here once it is complete (its outputs name them): they get pods at once.
    this.deps.cniTargets?.targetGroups(arns);
    if (!this.deps.targets) return;
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
    // A persisting problem is logged once, then every 10 minutes; the cycle metric counts every cycle.
    for (const p of summary.problems) {
      const { log, suppressed } = this.problemLog.admit(p, summary.at);
      if (log) this.deps.logger.warn({ event: 'problem', ...(suppressed > 0 ? { repeatedSinceLastLog: suppressed } : {}) }, p);
    }
    for (const p of this.problemLog.endRound()) this.deps.logger.info({ event: 'problem-resolved' }, `resolved: ${p}`);
    return summary;
  }
}
