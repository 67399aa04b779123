// The security group and subnets are re-read while the controller runs (upstream reads them once, so a subnet
// tagged later is used only after a restart): every --discovery-refresh-interval, and soon after a stack is
// created (a new load balancer is when a missing subnet hurts most). The cluster id and VPC never change: they
// are the controller's identity. A refresh that fails keeps the last good discovery; one that finds a change
// hands the planner a new environment, and the stacks whose templates read it are updated once.
import type { Logger } from 'pino';
import type { AwsEnvironment } from '../planning/cycle-plan.ts';
import type { Clock, TimerHandle } from '../clock.ts';
import type { NetworkDiscovery } from './discovery.ts';

export interface DiscoveryRefreshOptions {
  readonly initial: AwsEnvironment;
  /** Reads the network again (discoverNetwork with the controller's cluster id and VPC). */
  readonly rediscover: () => Promise<NetworkDiscovery>;
  readonly clock: Clock;
  readonly logger: Logger;
  /** 0 turns the periodic refresh off. */
  readonly intervalMs: number;
  /** Least time between a refresh and one asked for after a stack create. */
  readonly minGapMs?: number;
  /** The environment changed: a new plan is due. */
  readonly onChange: (reason: string) => void;
}

export class DiscoveryRefresher {
  private env: AwsEnvironment;
  private timer: TimerHandle | undefined;
  private soonTimer: TimerHandle | undefined;
  private running: Promise<boolean> | undefined;
  private lastRunAt: number;
  private failing = false;
  private stopped = false;

  constructor(private readonly options: DiscoveryRefreshOptions) {
    this.env = options.initial;
    this.lastRunAt = options.clock.now();
  }

  /** The environment to plan with. The same object until something changes (the planner's memo keys on it). */
  get environment(): AwsEnvironment {
    return this.env;
  }

  start(): void {
    this.schedule();
  }

  stop(): void {
    this.stopped = true;
    if (this.timer !== undefined) this.options.clock.clearTimeout(this.timer);
    if (this.soonTimer !== undefined) this.options.clock.clearTimeout(this.soonTimer);
  }

  /** A stack was created: refresh soon, at most once per minGapMs, without delaying the create itself. */
  requestSoon(): void {
    if (this.stopped || this.soonTimer !== undefined) return;
    const gap = this.options.minGapMs ?? 60_000;
    const wait = Math.max(0, this.lastRunAt + gap - this.options.clock.now());
    this.soonTimer = this.options.clock.setTimeout(() => {
      this.soonTimer = undefined;
      void this.refresh('stack created');
    }, wait);
  }

  /** Reads the network once (one refresh at a time); true when the environment changed. */
  refresh(reason: string): Promise<boolean> {
    this.running ??= this.run(reason).finally(() => {
      this.running = undefined;
    });
    return this.running;
  }

  private async run(reason: string): Promise<boolean> {
    this.lastRunAt = this.options.clock.now();
    let found: NetworkDiscovery;
    try {
      found = await this.options.rediscover();
    } catch (err) {
      // Logged when it starts failing and when it recovers, not on every attempt.
      if (!this.failing) this.options.logger.warn({ event: 'discovery-refresh-failed', reason, err }, 'refreshing subnets and security group failed; keeping the last good discovery');
      this.failing = true;
      return false;
    }
    if (this.failing) this.options.logger.info({ event: 'discovery-refresh-recovered', reason }, 'refreshing subnets and security group works again');
    this.failing = false;
    const change = describeChange(this.env, found);
    if (change === undefined) return false;
    this.env = { ...this.env, securityGroupId: found.securityGroupId, subnets: found.subnets };
    this.options.logger.info({ event: 'discovery-changed', reason, ...change }, 'subnets or security group changed; affected stacks will be updated');
    this.options.onChange('discovery changed');
    return true;
  }

  private schedule(): void {
    if (this.stopped || this.options.intervalMs <= 0) return;
    this.timer = this.options.clock.setTimeout(() => {
      void this.refresh('periodic').finally(() => this.schedule());
    }, this.options.intervalMs);
  }
}

interface EnvironmentChange {
  readonly securityGroup?: { readonly from: string; readonly to: string };
  readonly subnetsAdded?: string[];
  readonly subnetsRemoved?: string[];
  readonly subnetsChanged?: string[];
}

function describeChange(before: AwsEnvironment, after: NetworkDiscovery): EnvironmentChange | undefined {
  const out: { -readonly [K in keyof EnvironmentChange]: EnvironmentChange[K] } = {};
  if (before.securityGroupId !== after.securityGroupId) out.securityGroup = { from: before.securityGroupId, to: after.securityGroupId };
  const old = new Map(before.subnets.map((s) => [s.id, s]));
  const now = new Map(after.subnets.map((s) => [s.id, s]));
  const added = [...now.keys()].filter((id) => !old.has(id));
  const removed = [...old.keys()].filter((id) => !now.has(id));
  const changed = [...now.entries()].filter(([id, s]) => old.has(id) && !sameSubnet(old.get(id)!, s)).map(([id]) => id);
  if (added.length > 0) out.subnetsAdded = added;
  if (removed.length > 0) out.subnetsRemoved = removed;
  if (changed.length > 0) out.subnetsChanged = changed;
  return Object.keys(out).length === 0 ? undefined : out;
}

function sameSubnet(a: AwsEnvironment['subnets'][number], b: AwsEnvironment['subnets'][number]): boolean {
  if (a.availabilityZone !== b.availabilityZone || a.public !== b.public) return false;
  const ka = Object.keys(a.tags);
  return ka.length === Object.keys(b.tags).length && ka.every((k) => b.tags[k] === a.tags[k]);
}
