// Leader election on a coordination.k8s.io/v1 Lease, so that two replicas (or the old and new pod of a rolling
// update) never both act. The rules are client-go's: the holder renews every retry period; another candidate
// takes the Lease over once it has seen the same record unchanged for a whole lease duration (measured on its
// own clock, so clock skew between nodes does not matter); every write is optimistic (resourceVersion), so two
// candidates cannot both win. Fencing: `isLeader` turns false as soon as the last successful renewal is older
// than the renew deadline, which is shorter than the lease duration, so a leader that cannot renew stops
// mutating before anybody else may take over. If the Lease API is forbidden (upstream's RBAC has no rule for
// it) the controller runs as the only instance, as upstream always does, and says so once.
import os from 'node:os';
import { randomBytes } from 'node:crypto';
import { CoordinationV1Api, V1MicroTime, type KubeConfig, type V1Lease } from '@kubernetes/client-node';
import type { Logger } from 'pino';
import type { Clock, TimerHandle } from '../clock.ts';
import { describeError, httpStatusOf } from './api-errors.ts';
import { requestOptions } from './request-options.ts';

export type LeaderMode = 'leader' | 'standby' | 'single-instance' | 'disabled';

export interface LeaderElectionOptions {
  readonly kubeConfig: KubeConfig;
  readonly clock: Clock;
  readonly logger: Logger;
  readonly namespace: string;
  readonly name: string;
  readonly leaseDurationMs: number;
  readonly renewDeadlineMs: number;
  readonly retryPeriodMs: number;
  /** Defaults to the pod (host) name with a random suffix, so a restarted pod is a new candidate. */
  readonly identity?: string;
  /** Leadership was gained (or single-instance mode entered): start acting. */
  readonly onStartedLeading: () => void;
  /** Leadership was lost after having been held: stop acting (the process exits, as client-go's users do). */
  readonly onStoppedLeading: () => void;
}

export interface LeaderStatus {
  readonly mode: LeaderMode;
  readonly identity: string;
  readonly lease: string;
  /** The holder last seen on the Lease (ourselves when leading). */
  readonly holder: string | null;
  readonly lastRenewal: number | null;
  readonly transitions: number;
  /** Why the controller runs without election (the Lease API forbidden or missing). */
  readonly reason: string | null;
}

export class LeaderElector {
  private mode: LeaderMode = 'standby';
  private holder: string | null = null;
  private lastRenewal: number | null = null;
  private transitions = 0;
  private reason: string | null = null;
  private observed: { record: string; at: number } | undefined;
  private timer: TimerHandle | undefined;
  private stopped = false;
  private readonly api: CoordinationV1Api;
  readonly identity: string;

  constructor(private readonly options: LeaderElectionOptions) {
    this.api = options.kubeConfig.makeApiClient(CoordinationV1Api);
    this.identity = options.identity ?? `${os.hostname()}_${randomBytes(4).toString('hex')}`;
  }

  /** Mutations are allowed: leading with a renewal younger than the renew deadline, or the only instance. */
  isLeader(): boolean {
    if (this.mode === 'single-instance') return true;
    if (this.mode !== 'leader' || this.lastRenewal === null) return false;
    return this.options.clock.now() - this.lastRenewal < this.options.renewDeadlineMs;
  }

  status(): LeaderStatus {
    return {
      mode: this.mode, identity: this.identity, lease: `${this.options.namespace}/${this.options.name}`, holder: this.holder,
      lastRenewal: this.lastRenewal, transitions: this.transitions, reason: this.reason,
    };
  }

  start(): void {
    void this.tick();
  }

  /** Stops renewing; a leader gives the Lease up so that a successor need not wait a whole lease duration. */
  async stop(): Promise<void> {
    this.stopped = true;
    if (this.timer !== undefined) this.options.clock.clearTimeout(this.timer);
    if (this.mode !== 'leader') return;
    try {
      const lease = await this.read();
      if (lease?.spec?.holderIdentity === this.identity) {
        const spec = { ...lease.spec, holderIdentity: undefined, renewTime: undefined, acquireTime: undefined, leaseDurationSeconds: 1 };
        await this.api.replaceNamespacedLease({ name: this.options.name, namespace: this.options.namespace, body: { ...lease, spec } }, requestOptions({ timeoutMs: 2000 }));
      }
    } catch {
      // Best effort: the Lease simply expires.
    }
    this.mode = 'standby';
  }

  private schedule(ms: number): void {
    if (this.stopped) return;
    this.timer = this.options.clock.setTimeout(() => void this.tick(), ms);
  }

  private async tick(): Promise<void> {
    if (this.stopped || this.mode === 'single-instance') return;
    const wasLeader = this.mode === 'leader';
    try {
      const won = await this.tryAcquireOrRenew();
      if (won) {
        this.lastRenewal = this.options.clock.now();
        if (!wasLeader) {
          this.mode = 'leader';
          this.options.logger.info({ event: 'leader-elected', identity: this.identity, lease: this.status().lease }, 'became the leader');
          this.options.onStartedLeading();
        }
      }
    } catch (err) {
      const status = httpStatusOf(err);
      if (!wasLeader && (status === 403 || status === 404)) {
        this.enterSingleInstance(status, err);
        return;
      }
      this.options.logger.warn({ event: 'leader-renew-failed', identity: this.identity, httpStatus: status, err: describeError(err) }, 'could not read or renew the leader Lease');
    }
    if (wasLeader && !this.isLeader()) {
      this.mode = 'standby';
      this.options.logger.error({ event: 'leader-lost', identity: this.identity }, 'leadership lost (the Lease could not be renewed within the renew deadline)');
      this.options.onStoppedLeading();
      return;
    }
    this.schedule(this.options.retryPeriodMs);
  }

  private enterSingleInstance(status: number, err: unknown): void {
    const { namespace, name } = this.options;
    this.reason = status === 403
      ? `the Lease API is forbidden (${describeError(err)}): grant get, create and update on leases.coordination.k8s.io in namespace ${namespace} (deploy/base/lease-role.yaml)`
      : `the Lease API (coordination.k8s.io/v1) is not served in namespace ${namespace}`;
    this.mode = 'single-instance';
    this.options.logger.error({ event: 'leader-election-unavailable', lease: `${namespace}/${name}`, httpStatus: status }, `leader election unavailable, running as the only instance: ${this.reason}`);
    this.options.onStartedLeading();
  }

  private async read(): Promise<V1Lease | undefined> {
    try {
      return await this.api.readNamespacedLease({ name: this.options.name, namespace: this.options.namespace }, requestOptions({ timeoutMs: this.options.renewDeadlineMs }));
    } catch (err) {
      if (httpStatusOf(err) === 404) return undefined;
      throw err;
    }
  }

  /** One round of client-go's tryAcquireOrRenew: true when we hold the Lease afterwards. */
  private async tryAcquireOrRenew(): Promise<boolean> {
    const { namespace, name } = this.options;
    // A MicroTime: the API server (1.20 at least) rejects a time without exactly six fractional digits.
    const now = new V1MicroTime(this.options.clock.now());
    const durationSeconds = Math.ceil(this.options.leaseDurationMs / 1000);
    const options = requestOptions({ timeoutMs: this.options.renewDeadlineMs });
    const lease = await this.read();
    if (lease === undefined) {
      const body: V1Lease = {
        apiVersion: 'coordination.k8s.io/v1', kind: 'Lease', metadata: { name, namespace },
        spec: { holderIdentity: this.identity, leaseDurationSeconds: durationSeconds, acquireTime: now, renewTime: now, leaseTransitions: 0 },
      };
      try {
        await this.api.createNamespacedLease({ namespace, body }, options);
      } catch (err) {
        if (httpStatusOf(err) === 409) return false; // another candidate created it first
        throw err;
      }
      this.holder = this.identity;
      return true;
    }
    const spec = lease.spec ?? {};
    const holder = spec.holderIdentity ?? '';
    this.holder = holder === '' ? null : holder;
    this.transitions = spec.leaseTransitions ?? 0;
    // Expiry is judged by when *we* saw the record change, not by the renewTime written by another node's clock.
    const record = JSON.stringify([holder, spec.renewTime, spec.leaseTransitions]);
    if (this.observed?.record !== record) this.observed = { record, at: this.options.clock.now() };
    const leaseMs = (spec.leaseDurationSeconds ?? durationSeconds) * 1000;
    const held = holder !== '' && holder !== this.identity && this.observed.at + leaseMs > this.options.clock.now();
    if (held) return false;

    const taking = holder !== this.identity;
    const body: V1Lease = {
      ...lease,
      spec: {
        ...spec, holderIdentity: this.identity, leaseDurationSeconds: durationSeconds, renewTime: now,
        ...(taking ? { acquireTime: now, leaseTransitions: (spec.leaseTransitions ?? 0) + (holder === '' ? 0 : 1) } : {}),
      },
    };
    try {
      const written = await this.api.replaceNamespacedLease({ name, namespace, body }, options);
      this.observed = { record: JSON.stringify([this.identity, written.spec?.renewTime, written.spec?.leaseTransitions]), at: this.options.clock.now() };
    } catch (err) {
      if (httpStatusOf(err) === 409) return false; // someone else wrote it between our read and our write
      throw err;
    }
    this.holder = this.identity;
    this.transitions = body.spec?.leaseTransitions ?? this.transitions;
    return true;
  }
}

/** The namespace a pod's service account lives in, else kube-system (upstream's default namespace). */
export function defaultLeaseNamespace(readFile: (path: string) => string): string {
  try {
    const ns = readFile('/var/run/secrets/kubernetes.io/serviceaccount/namespace').trim();
    return ns === '' ? 'kube-system' : ns;
  } catch {
    return 'kube-system';
  }
}
