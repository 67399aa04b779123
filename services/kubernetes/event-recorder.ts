// Kubernetes Events about Ingresses and RouteGroups (upstream emits none: bad annotations were only logged).
// The reconcile loop re-evaluates every object on every change, so the recorder must not turn that into a
// stream of identical Events: a given object+reason+message is recorded once until the message for that
// reason changes (whatever the resourceVersion), and a message that comes back bumps count/lastTimestamp of
// its existing Event, the way kubectl expects to aggregate. Messages are cut to 1 KB. Writing an Event is best
// effort: failures (e.g. RBAC without `events: create`, as in upstream's manifests) are logged once per
// attempt and never reach the caller.
import os from 'node:os';
import { CoreV1Api, type CoreV1Event, type KubeConfig } from '@kubernetes/client-node';
import type { Logger } from 'pino';
import type { Clock } from '../clock.ts';
import type { IngressRef } from '../planning/types/ingress.ts';
import { describeError, httpStatusOf } from './api-errors.ts';
import { boundMessage } from './bounded-text.ts';
import { ingressLogName, KIND_COORDINATES } from './object-ref.ts';
import { requestOptions } from './request-options.ts';

export const EVENT_COMPONENT = 'kube-ingress-aws-controller';
export type EventType = 'Warning' | 'Normal';

export interface EventRecorderOptions {
  readonly kubeConfig: KubeConfig;
  readonly clock: Clock;
  readonly logger: Logger;
  /** source.component and reportingComponent. */
  readonly component?: string;
  /** reportingInstance; defaults to the host (pod) name. */
  readonly instance?: string;
  readonly timeoutMs?: number;
  /** Distinct object+reason+message series remembered for deduplication; the oldest are forgotten first. */
  readonly maxTracked?: number;
  /** False on a standby replica: nothing is written or remembered, so the leader-to-be reports it later. */
  readonly isActing?: () => boolean;
}

export interface RecordOptions {
  /** The object's resourceVersion, for the log line (deduplication ignores it: see record()). */
  readonly resourceVersion?: string;
}

interface Series {
  readonly uid: string;
  readonly namespace: string;
  eventName: string;
  count: number;
  firstTimestamp: Date;
  /** Writes of one series are serialised so that a bump never races the create it updates. */
  tail: Promise<void>;
}

const MAX_NAME_LENGTH = 253;

export class EventRecorder {
  private readonly core: CoreV1Api;
  private readonly component: string;
  private readonly instance: string;
  private readonly maxTracked: number;
  private readonly series = new Map<string, Series>();
  /** The last message recorded per object, type and reason. */
  private readonly lastMessage = new Map<string, string>();
  /** Series keys per object uid, so that forgetting a deleted object does not scan every series. */
  private readonly keysByUid = new Map<string, Set<string>>();
  private readonly pending = new Set<Promise<void>>();
  private sequence = 0;

  constructor(private readonly options: EventRecorderOptions) {
    this.core = options.kubeConfig.makeApiClient(CoreV1Api);
    this.component = options.component ?? EVENT_COMPONENT;
    this.instance = options.instance ?? os.hostname();
    this.maxTracked = options.maxTracked ?? 10_000;
  }

  /** Resolves when the Event is written or the failure logged; never rejects. */
  record(ref: IngressRef, uid: string, type: EventType, reason: string, fullMessage: string, options: RecordOptions = {}): Promise<void> {
    if (this.options.isActing && !this.options.isActing()) return Promise.resolve();
    const message = boundMessage(fullMessage);
    const key = [uid, ref.kind, ref.namespace, ref.name, type, reason, message].join('\u0000');
    const existing = this.series.get(key);
    // One Event per object, reason and message until the message changes, whatever the resourceVersion: the
    // controller's own status write bumps it, and must not repeat the Warning.
    const topic = [uid, ref.kind, ref.namespace, ref.name, type, reason].join('\u0000');
    if (this.lastMessage.get(topic) === message) return Promise.resolve();
    this.lastMessage.set(topic, message);
    if (this.lastMessage.size > this.maxTracked) this.lastMessage.delete(this.lastMessage.keys().next().value!);
    this.index(uid, topic);
    this.options.logger[type === 'Warning' ? 'warn' : 'info'](
      { ingress: ingressLogName(ref), kind: ref.kind, event: 'kubernetes-event', reason, eventType: type, resourceVersion: options.resourceVersion },
      message,
    );
    const now = new Date(this.options.clock.now());
    let series: Series;
    if (existing) {
      series = existing;
      series.count++;
      // Re-insert so that eviction drops the series untouched for longest.
      this.series.delete(key);
      this.series.set(key, series);
    } else {
      series = {
        uid,
        namespace: ref.namespace,
        eventName: this.eventName(ref.name),
        count: 1,
        firstTimestamp: now,
        tail: Promise.resolve(),
      };
      this.series.set(key, series);
      this.index(uid, key);
      this.evictOldest();
    }
    const isNew = !existing;
    const count = series.count;
    const write = series.tail.then(() =>
      isNew ? this.create(series, ref, type, reason, message, now) : this.bump(series, ref, type, reason, message, now, count),
    );
    series.tail = write;
    this.pending.add(write);
    void write.finally(() => this.pending.delete(write));
    return write;
  }

  /** Drops the deduplication state of a deleted object. */
  forget(uid: string): void {
    for (const key of this.keysByUid.get(uid) ?? []) {
      this.series.delete(key);
      this.lastMessage.delete(key);
    }
    this.keysByUid.delete(uid);
  }

  /** Waits for the Event writes in flight. */
  async flush(): Promise<void> {
    while (this.pending.size > 0) await Promise.allSettled([...this.pending]);
  }

  private async create(series: Series, ref: IngressRef, type: EventType, reason: string, message: string, now: Date): Promise<void> {
    const body: CoreV1Event = {
      metadata: { name: series.eventName, namespace: ref.namespace },
      involvedObject: {
        apiVersion: KIND_COORDINATES[ref.kind].apiVersion,
        kind: ref.kind,
        name: ref.name,
        namespace: ref.namespace,
        uid: series.uid,
      },
      type,
      reason,
      message,
      source: { component: this.component },
      reportingComponent: this.component,
      reportingInstance: this.instance,
      firstTimestamp: series.firstTimestamp,
      lastTimestamp: now,
      count: series.count,
    };
    try {
      await this.core.createNamespacedEvent({ namespace: ref.namespace, body }, requestOptions(this.timeout()));
    } catch (err) {
      this.logFailure(ref, reason, err);
    }
  }

  private async bump(
    series: Series,
    ref: IngressRef,
    type: EventType,
    reason: string,
    message: string,
    now: Date,
    count: number,
  ): Promise<void> {
    try {
      await this.core.patchNamespacedEvent(
        { name: series.eventName, namespace: series.namespace, body: { count, lastTimestamp: now.toISOString() } },
        requestOptions({ ...this.timeout(), mergePatch: true }),
      );
    } catch (err) {
      if (httpStatusOf(err) !== 404) {
        this.logFailure(ref, reason, err);
        return;
      }
      // The apiserver expires Events (1 h by default): start a new series under a new name.
      series.eventName = this.eventName(ref.name);
      series.count = 1;
      series.firstTimestamp = now;
      await this.create(series, ref, type, reason, message, now);
    }
  }

  /** Event writes refused by RBAC (upstream's ClusterRole grants nothing on events); logged once, counted always. */
  forbiddenWrites = 0;
  private forbiddenLogged = false;

  private logFailure(ref: IngressRef, reason: string, err: unknown): void {
    if (httpStatusOf(err) === 403) {
      this.forbiddenWrites++;
      if (this.forbiddenLogged) return;
      this.forbiddenLogged = true;
      this.options.logger.error(
        { ingress: ingressLogName(ref), kind: ref.kind, event: 'rbac-forbidden', resource: 'events', verb: 'create', reason, err: describeError(err) },
        'not allowed to write Kubernetes Events: grant create and patch on events (further refusals are only counted)',
      );
      return;
    }
    this.options.logger.warn(
      { ingress: ingressLogName(ref), kind: ref.kind, event: 'kubernetes-event-failed', reason, httpStatus: httpStatusOf(err), err: describeError(err) },
      'failed to write a Kubernetes Event',
    );
  }

  private eventName(objectName: string): string {
    // Like client-go: the object's name plus a unique hex suffix.
    const suffix = (this.options.clock.now() * 1000 + (this.sequence++ % 1000)).toString(16);
    return `${objectName.slice(0, MAX_NAME_LENGTH - suffix.length - 1)}.${suffix}`;
  }

  private timeout(): { timeoutMs?: number } {
    return this.options.timeoutMs === undefined ? {} : { timeoutMs: this.options.timeoutMs };
  }

  private index(uid: string, key: string): void {
    const keys = this.keysByUid.get(uid);
    if (keys) keys.add(key);
    else this.keysByUid.set(uid, new Set([key]));
  }

  private evictOldest(): void {
    while (this.series.size > this.maxTracked) {
      const oldest = this.series.entries().next();
      if (oldest.done) return;
      const [key, series] = oldest.value;
      this.series.delete(key);
      const keys = this.keysByUid.get(series.uid);
      keys?.delete(key);
      if (keys?.size === 0) this.keysByUid.delete(series.uid);
    }
  }
}
