// Observe: what the cycle plans from. The cluster from the Kubernetes adapter's cache; the stacks from the AWS
// observation, which is scanned in full only at start-up and once per --polling-interval (a cluster change is
// planned against the view the stack actors keep current); certificates from their cache; the alarm
// ConfigMap with each full scan. New stacks are adopted and stacks gone out of band noticed with the scan.
import type { Logger } from 'pino';
import type { StackObservation } from '../../services/aws/stack-operations.ts';
import type { Config } from '../../services/config/config.ts';
import type { AlarmConfiguration } from '../../services/planning/cycle-plan.ts';
import { certificateExpiries, toManagedStack } from '../../services/planning/model/managed-stack.ts';
import { isExpectedStatus } from '../../services/planning/stack-contract.ts';
import type { CertificateSummary } from '../../services/planning/types/certificate.ts';
import type { ClusterSnapshot } from '../../services/planning/types/cluster.ts';
import type { ManagedStack } from '../../services/planning/types/stack.ts';
import type { StackActorRegistry } from '../stack-registry.ts';
import { pause, STACK_SLICE } from './cycle-types.ts';

/** What observe needs of the AWS observation (services/aws/observation.ts). */
export interface StackView {
  readonly scannedAt: number | undefined;
  resync(): Promise<void>;
  stacks(): StackObservation[];
  template(name: string): Promise<string | undefined>;
}

export interface ObserveDeps {
  readonly config: Config;
  readonly logger: Logger;
  /** `healthy` false: the Kubernetes API did not answer (or forbids listing); the snapshot is the last cached one. */
  readonly cluster: { snapshot(): ClusterSnapshot; healthy?(): boolean };
  readonly stacks: StackView;
  readonly certificates: { current(): readonly CertificateSummary[] | undefined };
  readonly alarms: () => Promise<AlarmConfiguration>;
  readonly registry: StackActorRegistry;
}

export interface Observed {
  readonly resync: boolean;
  readonly cluster: ClusterSnapshot;
  /** Managed stacks as the planner sees them (with operations in flight shown as submitted). */
  readonly stacks: readonly ManagedStack[];
  readonly stackNames: ReadonlySet<string>;
  /** undefined or empty: the zero-certificates stop applies. */
  readonly certificates: readonly CertificateSummary[] | undefined;
  readonly problems: readonly string[];
}

export class CycleObserver {
  private alarmConfiguration: AlarmConfiguration | undefined;
  private readonly managed = new WeakMap<StackObservation, ManagedStack>();

  constructor(private readonly deps: ObserveDeps) {}

  /** The alarm configuration read at the last full scan. */
  async alarms(resync: boolean): Promise<AlarmConfiguration> {
    if (resync || this.alarmConfiguration === undefined) this.alarmConfiguration = await this.deps.alarms();
    return this.alarmConfiguration;
  }

  async observe(now: number): Promise<Observed> {
    const { stacks: view, registry } = this.deps;
    const resync = view.scannedAt === undefined || now - view.scannedAt >= this.deps.config.pollingIntervalMs;
    if (resync) await view.resync();
    const listed = view.stacks();
    const stackNames = new Set(listed.map((s) => s.name));
    if (resync) {
      await registry.adopt(listed, (name) => view.template(name));
      registry.noticeMissing(stackNames);
    }
    const problems: string[] = [];
    // Planning goes on from the cache, but the cycle is not clean: the last-sync metric stops advancing.
    if (this.deps.cluster.healthy && !this.deps.cluster.healthy()) {
      problems.push('the Kubernetes API is not answering or forbids listing: planning from the last cached objects');
    }
    for (const s of listed) {
      if (!isExpectedStatus(s.status)) problems.push(`unexpected status ${s.status}: ${s.statusReason}`);
    }
    const stacks: ManagedStack[] = [];
    for (const s of listed) {
      if (stacks.length % STACK_SLICE === STACK_SLICE - 1) await pause();
      stacks.push(this.withActorView(this.managedStack(s)));
    }
    return {
      resync,
      cluster: this.deps.cluster.snapshot(),
      stacks,
      stackNames,
      certificates: this.deps.certificates.current(),
      problems,
    };
  }

  private managedStack(observed: StackObservation): ManagedStack {
    let stack = this.managed.get(observed);
    if (stack === undefined) {
      stack = toManagedStack(observed);
      this.managed.set(observed, stack);
    }
    return stack;
  }

  /**
   * While an update is in flight the model must see what was submitted, not a DescribeStacks answer that lags
   * behind it: otherwise a certificate's "now + TTL" would be recomputed and sent again (the same holds for a drain
   * whose update failed: see StackActorRegistry.viewDocument). Otherwise the live tags
   * are the truth, so edits made outside the controller are seen and reverted, as upstream does.
   */
  private withActorView(stack: ManagedStack): ManagedStack {
    // DeleteStack sent: the scan may still say CREATE_COMPLETE; the model keeps a drained one from taking anybody.
    const seen = this.deps.registry.phaseOf(stack.name) === 'deleting' ? { ...stack, beingDeleted: true } : stack;
    const doc = this.deps.registry.viewDocument(stack.name);
    if (!doc) return seen;
    return { ...seen, certificateARNs: certificateExpiries(doc.tags) };
  }
}
