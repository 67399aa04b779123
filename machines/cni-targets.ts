// When the AWS CNI target sync runs (upstream-behaviour.md §4.8, issue 9). Upstream reacts to pod updates only
// and applies at most once per 5 s tick; here:
//   - pod add, update and delete start a sync after a short debounce (a burst of events is one sync), so a
//     terminating pod is deregistered within about a second and its target drains while it still serves;
//   - a change in the managed stacks' target groups (a stack completed, one went away) starts a sync at once,
//     with a fresh DescribeTargetGroups to know which are `ip`;
//   - once per --polling-interval everything is checked again (targets edited out of band).
// Syncs never overlap: a request during one runs one more afterwards.
import type { Logger } from 'pino';
import type { CniSyncSummary } from '../services/aws/targets/cni-target-sync.ts';
import type { Clock, TimerHandle } from '../services/clock.ts';

export const DEFAULT_CNI_DEBOUNCE_MS = 250;
const IP_TARGET_TYPE = 'ip';

export interface CniTargetsOptions {
  readonly clock: Clock;
  readonly logger: Logger;
  readonly pollingIntervalMs: number;
  readonly debounceMs?: number;
  /** The endpoint IPs now (the pod cache). */
  readonly endpoints: () => readonly string[];
  /** Every target group in the region with its TargetType (DescribeTargetGroups). */
  readonly targetGroupTypes: () => Promise<ReadonlyMap<string, string>>;
  readonly synchronizer: { sync(targetGroupArns: readonly string[], endpoints: readonly string[]): Promise<CniSyncSummary> };
  readonly onSynced?: (status: CniTargetsStatus) => void;
}

/** What the debug API and the metrics show. */
export interface CniTargetsStatus {
  readonly endpoints: readonly string[];
  /** The managed stacks' target groups whose type is ip. */
  readonly ipTargetGroups: readonly string[];
  /** The endpoint set was empty at the last sync: nothing was deregistered (missing information). */
  readonly missingEndpoints: boolean;
  readonly lastSyncAt: number | null;
  readonly problems: readonly string[];
  readonly registered: number;
  readonly deregistered: number;
}

export class CniTargets {
  private readonly debounceMs: number;
  private stackTargetGroups: string[] = [];
  private stackKey: string | undefined;
  private ipTargetGroups: string[] = [];
  /** The target group types must be read again before the next sync. */
  private typesStale = true;
  private debounceTimer: TimerHandle | undefined;
  private resyncTimer: TimerHandle | undefined;
  private running: Promise<void> | undefined;
  private again = false;
  private stopped = false;
  private last: CniTargetsStatus = { endpoints: [], ipTargetGroups: [], missingEndpoints: false, lastSyncAt: null, problems: [], registered: 0, deregistered: 0 };

  constructor(private readonly options: CniTargetsOptions) {
    this.debounceMs = options.debounceMs ?? DEFAULT_CNI_DEBOUNCE_MS;
  }

  start(): void {
    this.scheduleResync();
  }

  stop(): void {
    this.stopped = true;
    if (this.debounceTimer !== undefined) this.options.clock.clearTimeout(this.debounceTimer);
    if (this.resyncTimer !== undefined) this.options.clock.clearTimeout(this.resyncTimer);
    this.debounceTimer = undefined;
    this.resyncTimer = undefined;
  }

  /** A sync is running (the scenario runner waits for it). */
  get busy(): boolean {
    return this.running !== undefined;
  }

  get status(): CniTargetsStatus {
    return this.last;
  }

  /** A pod was added, updated or deleted. */
  podsChanged(): void {
    if (this.stopped) return;
    if (this.debounceTimer !== undefined) this.options.clock.clearTimeout(this.debounceTimer);
    this.debounceTimer = this.options.clock.setTimeout(() => {
      this.debounceTimer = undefined;
      this.request();
    }, this.debounceMs);
  }

  /** The target groups of the live managed stacks, told every reconcile cycle; a change syncs at once. */
  targetGroups(arns: readonly string[]): void {
    const sorted = [...new Set(arns.filter((a) => a !== ''))].sort();
    const key = sorted.join(',');
    if (key === this.stackKey) return;
    this.stackKey = key;
    this.stackTargetGroups = sorted;
    this.typesStale = true;
    this.request();
  }

  /** Waits for the sync in flight, if any (tests). */
  async settled(): Promise<void> {
    while (this.running) await this.running;
  }

  private request(): void {
    if (this.stopped) return;
    if (this.running) {
      this.again = true;
      return;
    }
    this.running = this.runSyncs().finally(() => {
      this.running = undefined;
    });
  }

  private async runSyncs(): Promise<void> {
    do {
      this.again = false;
      await this.syncOnce();
    } while (this.again && !this.stopped);
  }

  private async syncOnce(): Promise<void> {
    // Until the first reconcile cycle names the stacks, there is nothing to register into.
    if (this.stackKey === undefined) return;
    const problems: string[] = [];
    if (this.typesStale && this.stackTargetGroups.length === 0) {
      this.ipTargetGroups = [];
      this.typesStale = false;
    } else if (this.typesStale) {
      try {
        const types = await this.options.targetGroupTypes();
        this.ipTargetGroups = this.stackTargetGroups.filter((arn) => types.get(arn) === IP_TARGET_TYPE);
        this.typesStale = false;
      } catch (err) {
        // Keep the last known ip target groups; the next request tries DescribeTargetGroups again.
        problems.push(`DescribeTargetGroups failed: ${err instanceof Error ? err.message : String(err)}`);
        this.options.logger.warn({ event: 'cni-target-sync-failed', err }, 'could not read the target group types; using the last known ones');
      }
    }
    const endpoints = [...this.options.endpoints()];
    let summary: CniSyncSummary = { registered: 0, deregistered: 0, missingEndpoints: endpoints.length === 0, problems: [] };
    if (this.ipTargetGroups.length > 0 || endpoints.length === 0) {
      try {
        summary = await this.options.synchronizer.sync(this.ipTargetGroups, endpoints);
      } catch (err) {
        problems.push(err instanceof Error ? err.message : String(err));
      }
    }
    this.last = {
      endpoints, ipTargetGroups: [...this.ipTargetGroups], missingEndpoints: summary.missingEndpoints,
      lastSyncAt: this.options.clock.now(), problems: [...problems, ...summary.problems],
      registered: summary.registered, deregistered: summary.deregistered,
    };
    if (summary.registered > 0 || summary.deregistered > 0) {
      this.options.logger.info(
        { event: 'cni-targets-synced', registered: summary.registered, deregistered: summary.deregistered, targetGroups: this.ipTargetGroups.length, endpoints: endpoints.length },
        'AWS CNI targets synchronised',
      );
    }
    this.options.onSynced?.(this.last);
  }

  private scheduleResync(): void {
    if (this.stopped || this.options.pollingIntervalMs <= 0) return;
    this.resyncTimer = this.options.clock.setTimeout(() => {
      this.resyncTimer = undefined;
      this.typesStale = true;
      this.request();
      this.scheduleResync();
    }, this.options.pollingIntervalMs);
  }
}
