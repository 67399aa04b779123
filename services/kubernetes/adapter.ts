// The controller's view of the cluster: Ingresses and RouteGroups kept current by watches (upstream lists
// them every 30 s), filtered by class and parsed once per object version, plus the few writes the controller
// makes (status, Events) and ConfigMap reads.
import { CustomObjectsApi, type KubeConfig, type KubernetesListObject, type KubernetesObject } from '@kubernetes/client-node';
import type { Logger } from 'pino';
import type { Clock, TimerHandle } from '../clock.ts';
import type { Config } from '../config/config.ts';
import type { IngressModel, IngressRef, ResourceKind } from '../planning/types/ingress.ts';
import { describeError, httpStatusOf, InformerStoppedError } from './api-errors.ts';
import { backoffDelay, DEFAULT_BACKOFF, type BackoffPolicy } from '../backoff.ts';
import { compareRefs, type ClusterSnapshot, type RejectedObject } from '../planning/types/cluster.ts';
import { ConfigMapReader } from './configmaps.ts';
import { EVENT_COMPONENT, EventRecorder } from './event-recorder.ts';
import { ResilientInformer, type InformerAccess, type InformerChange } from './informer.ts';
import { ingressLogName, KIND_COORDINATES, objectMeta } from './object-ref.ts';
import { ParsedObjects, sameForPlanning, type ParsedObject } from './parsed-objects.ts';
import { withoutManagedFields } from './recyclable-watch.ts';
import { requestOptions } from './request-options.ts';
import { PodWatch } from './pod-watch.ts';
import { probeRouteGroups, type RouteGroupAvailability } from './routegroup-discovery.ts';
import { StatusWriter, type StatusWriteResult } from './status-writer.ts';

/** What changed in the cluster, as told to onChange listeners. */
export type ClusterChange =
  | { readonly type: 'add' | 'update' | 'delete'; readonly ref: IngressRef }
  | { readonly type: 'routegroups'; readonly enabled: boolean };

export const DEFAULT_ROUTEGROUP_PROBE_INTERVAL_MS = 5 * 60_000;
/** Objects per list page. */
const LIST_PAGE_SIZE = 500;
/** Objects parsed between two pauses (a parse takes up to a few hundred microseconds). */
const PARSE_SLICE = 100;
/** Reason of the Warning Events about annotation problems. */
export const INVALID_ANNOTATION_REASON = 'InvalidAnnotation';
export const INVALID_SPEC_REASON = 'InvalidSpec';

export interface KubernetesAdapterOptions {
  readonly kubeConfig: KubeConfig;
  readonly config: Config;
  readonly clock: Clock;
  readonly logger: Logger;
  /** Event source component; default `kube-ingress-aws-controller`. */
  readonly component?: string;
  /** How often zalando.org/v1 discovery is asked again whether RouteGroups are served. */
  readonly routeGroupProbeIntervalMs?: number;
  /** How often the watch streams are restarted on purpose (half-open connections). */
  readonly watchRestartIntervalMs?: number;
  readonly backoff?: BackoffPolicy;
  /** Per-request timeout of unary calls (lists, patches, Events, ConfigMaps). Upstream: 10 s. */
  readonly requestTimeoutMs?: number;
  /** Event reportingInstance; defaults to the host name. */
  readonly eventInstance?: string;
  /** False on a standby replica: no Kubernetes writes (Events) until it leads. */
  readonly isActing?: () => boolean;
}

type RawObject = KubernetesObject & Record<string, unknown>;
type ChangeListener = (change: ClusterChange) => void;

export class KubernetesAdapter {
  private readonly logger: Logger;
  private readonly custom: CustomObjectsApi;
  private readonly lifetime = new AbortController();
  private readonly recorder: EventRecorder;
  private readonly statusWriter: StatusWriter;
  private readonly configMaps: ConfigMapReader;
  private readonly parsed: Readonly<Record<ResourceKind, ParsedObjects>>;
  private readonly ingresses: ResilientInformer<RawObject>;
  private routeGroups: ResilientInformer<RawObject> | undefined;
  /** AWS CNI mode only: the router pods whose IPs are the ip target groups' targets. */
  readonly pods: PodWatch | undefined;
  private routeGroupsEnabled = false;
  private readonly listeners = new Set<ChangeListener>();
  private cachedSnapshot: ClusterSnapshot | undefined;
  private probeTimer: TimerHandle | undefined;
  private probeFailures = 0;
  private startPromise: Promise<void> | undefined;
  private stopPromise: Promise<void> | undefined;
  private stopping = false;

  constructor(private readonly options: KubernetesAdapterOptions) {
    this.logger = options.logger.child({ component: 'kubernetes' });
    const { kubeConfig, clock } = options;
    this.custom = kubeConfig.makeApiClient(CustomObjectsApi);
    const timeout = options.requestTimeoutMs === undefined ? {} : { timeoutMs: options.requestTimeoutMs };
    this.recorder = new EventRecorder({
      kubeConfig,
      clock,
      logger: this.logger,
      component: options.component ?? EVENT_COMPONENT,
      ...(options.eventInstance === undefined ? {} : { instance: options.eventInstance }),
      ...(options.isActing ? { isActing: options.isActing } : {}),
      ...timeout,
    });
    this.statusWriter = new StatusWriter({ kubeConfig, logger: this.logger, lookup: (ref) => this.cachedObject(ref), ...timeout });
    this.configMaps = new ConfigMapReader({ kubeConfig, signal: this.lifetime.signal, ...timeout });
    this.parsed = {
      Ingress: new ParsedObjects('Ingress', options.config),
      RouteGroup: new ParsedObjects('RouteGroup', options.config),
    };
    this.ingresses = this.makeInformer('Ingress');
    const { config } = options;
    if (config.targetAccessMode === 'AWSCNI') {
      this.pods = new PodWatch({
        kubeConfig,
        namespace: config.targetCNINamespace,
        labelSelector: config.targetCNIPodLabelSelector,
        clock,
        logger: this.logger,
        ...(options.backoff ? { backoff: options.backoff } : {}),
        ...(options.watchRestartIntervalMs === undefined ? {} : { watchRestartIntervalMs: options.watchRestartIntervalMs }),
        ...timeout,
      });
    }
  }

  /**
   * Resolves once the Ingress list (and the RouteGroup list, when served) is cached. Transient failures are
   * retried with backoff until then: a snapshot missing objects that exist could delete their load balancers.
   */
  start(): Promise<void> {
    if (!this.startPromise) {
      this.startPromise = this.startOnce();
      // stop() rejects a start still waiting; a caller that is no longer listening (its own Promise.all already
      // failed) must not turn that into an unhandled rejection. Callers that await still see it.
      this.startPromise.catch(() => undefined);
    }
    return this.startPromise;
  }

  stop(): Promise<void> {
    this.stopPromise ??= this.stopOnce();
    return this.stopPromise;
  }

  /** Fired synchronously on every add/update/delete of an object that passes (or passed) the class filter. */
  onChange(listener: ChangeListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  snapshot(): ClusterSnapshot {
    this.cachedSnapshot ??= this.buildSnapshot();
    return this.cachedSnapshot;
  }

  writeStatus(ref: IngressRef, hostname: string): Promise<StatusWriteResult> {
    return this.statusWriter.writeStatus(ref, hostname);
  }

  readConfigMap(namespace: string, name: string): Promise<Record<string, string>> {
    return this.configMaps.readConfigMap(namespace, name);
  }

  /** RBAC and reachability per watched resource, and Event writes refused: what the debug API reports. */
  access(): { informers: InformerAccess[]; eventsForbidden: number } {
    const informers = [this.ingresses.access(), ...(this.routeGroups ? [this.routeGroups.access()] : [])];
    return { informers, eventsForbidden: this.recorder.forbiddenWrites };
  }

  /** Every watch is answering (or polling works): the cache is current. */
  healthy(): boolean {
    return this.access().informers.every((a) => !a.failing && !a.forbidden.includes('list'));
  }

  /** The uid of a cached Ingress or RouteGroup (undefined once it is gone). */
  uidOf(ref: IngressRef): string | undefined {
    return this.parsed[ref.kind].uidOf(ref.namespace, ref.name);
  }

  /** For the controller's own Events (e.g. load balancer created); deduplicated like the annotation warnings. */
  get events(): EventRecorder {
    return this.recorder;
  }

  private async startOnce(): Promise<void> {
    const availability = await this.probeUntilAnswered();
    if (availability === undefined) throw new InformerStoppedError('routegroups discovery');
    const ready: Promise<void>[] = [this.ingresses.start()];
    if (this.pods) ready.push(this.pods.start());
    if (availability === 'served') ready.push(this.enableRouteGroups());
    else this.logRouteGroupsUnavailable(availability);
    // Wait for every informer, whichever fails first: stop() rejects them in no particular order.
    const outcomes = await Promise.allSettled(ready);
    const failed = outcomes.find((o): o is PromiseRejectedResult => o.status === 'rejected');
    if (failed) throw failed.reason;
    await this.parseInSlices('Ingress', this.ingresses);
    if (this.stopping) throw new InformerStoppedError('kubernetes adapter');
    this.scheduleProbe(this.probeInterval());
    this.logger.info(
      { event: 'cache-synced', ingresses: this.ingresses.list().length, routeGroups: this.routeGroups?.list().length ?? 0, routeGroupsEnabled: this.routeGroupsEnabled, ...(this.pods ? { pods: this.pods.pods().length } : {}) },
      'Kubernetes caches synced',
    );
  }

  private async stopOnce(): Promise<void> {
    this.stopping = true;
    this.lifetime.abort();
    if (this.probeTimer !== undefined) this.options.clock.clearTimeout(this.probeTimer);
    this.probeTimer = undefined;
    await Promise.all([this.ingresses.stop(), this.routeGroups?.stop(), this.pods?.stop()]);
    await this.recorder.flush();
  }

  private makeInformer(kind: ResourceKind): ResilientInformer<RawObject> {
    const { group, version, plural } = KIND_COORDINATES[kind];
    const timeout = this.options.requestTimeoutMs === undefined ? {} : { timeoutMs: this.options.requestTimeoutMs };
    // Both kinds are listed through the untyped custom-object call: the typed Ingress list would deserialize
    // into model classes while watch events stay raw JSON, and the parser wants one shape.
    // Listed in pages, so that no single response is a large JSON document to parse in one go.
    const list = async (signal: AbortSignal): Promise<KubernetesListObject<RawObject>> => {
      const items: RawObject[] = [];
      let page: KubernetesListObject<RawObject>;
      let token: string | undefined;
      do {
        page = (await this.custom.listClusterCustomObject(
          { group, version, plural, limit: LIST_PAGE_SIZE, ...(token ? { _continue: token } : {}) },
          requestOptions({ ...timeout, signal }),
        )) as KubernetesListObject<RawObject>;
        for (const item of page.items) items.push(withoutManagedFields(item));
        token = page.metadata?._continue ?? (page.metadata as { continue?: string } | undefined)?.continue;
      } while (token);
      return { ...page, items };
    };
    const informer = new ResilientInformer<RawObject>({
      name: plural,
      kubeConfig: this.options.kubeConfig,
      path: `/apis/${group}/${version}/${plural}`,
      list,
      clock: this.options.clock,
      logger: this.logger,
      ...(this.options.backoff ? { backoff: this.options.backoff } : {}),
      ...(this.options.watchRestartIntervalMs === undefined ? {} : { watchRestartIntervalMs: this.options.watchRestartIntervalMs }),
      pollIntervalMs: this.options.config.pollingIntervalMs,
    });
    informer.on('change', (change) => {
      // A RouteGroup informer being shut down after the API disappeared may still deliver a late event.
      if (kind === 'RouteGroup' && informer !== this.routeGroups) return;
      // The initial list arrives as one burst of adds: they are parsed afterwards, in slices (parseInSlices).
      if (!informer.synced) {
        this.cachedSnapshot = undefined;
        return;
      }
      this.onObjectChange(kind, change);
    });
    if (kind === 'RouteGroup') {
      // The CRD was probably removed: ask discovery now rather than at the next periodic probe.
      informer.on('error', (err) => {
        if (httpStatusOf(err) === 404 && informer === this.routeGroups) this.reprobeSoon();
      });
    }
    return informer;
  }

  private onObjectChange(kind: ResourceKind, change: InformerChange<RawObject>): void {
    const cache = this.parsed[kind];
    const meta = objectMeta(change.object);
    const ref: IngressRef = { kind, namespace: meta.namespace, name: meta.name };
    if (change.type === 'delete') {
      const previous = cache.remove(change.object);
      this.recorder.forget(meta.uid);
      this.statusWriter.forget(ref);
      if (previous?.accepted) this.changed({ type: 'delete', ref });
      return;
    }
    const { previous, current, fresh } = cache.refresh(change.object);
    if (fresh && current.accepted) this.reportProblems(ref, current);
    if (!current.accepted && !previous?.accepted) return;
    // Status-only and metadata-only updates (the controller's own status writes among them) change nothing the
    // planner reads: the snapshot takes the new version, but no cycle is started for it.
    if (change.type === 'update' && (!fresh || sameForPlanning(previous, current))) {
      this.cachedSnapshot = undefined;
      return;
    }
    this.changed({ type: change.type, ref });
  }

  /** A standby that became the leader reports what it parsed while it could not write Events. */
  reportAllProblems(): void {
    for (const kind of ['Ingress', 'RouteGroup'] as const) {
      for (const [ref, entry] of this.parsed[kind].entriesWithRefs()) if (entry.accepted) this.reportProblems(ref, entry);
    }
  }

  private reportProblems(ref: IngressRef, entry: ParsedObject): void {
    const result = entry.result;
    if (!result) return;
    const problems = result.ok ? result.ingress.warnings : result.errors.map((e) => `${e}; the ${ref.kind} is ignored`);
    if (problems.length === 0) return;
    if (ref.namespace === '' || ref.name === '') {
      // Nothing an Event could point at.
      this.logger.warn({ ingress: ingressLogName(ref), kind: ref.kind, event: 'invalid-annotation', problems }, 'malformed object ignored');
      return;
    }
    for (const problem of problems) {
      // Problems in the spec (wrong types, hosts that cannot be served) get a reason of their own.
      const reason = problem.startsWith('spec') || problem.startsWith('metadata') ? INVALID_SPEC_REASON : INVALID_ANNOTATION_REASON;
      void this.recorder.record(ref, entry.uid, 'Warning', reason, problem, { resourceVersion: entry.resourceVersion });
    }
  }

  private changed(change: ClusterChange): void {
    this.cachedSnapshot = undefined;
    for (const listener of [...this.listeners]) {
      try {
        listener(change);
      } catch (err) {
        this.logger.error({ event: 'listener-failed', err: describeError(err) }, 'cluster change listener threw');
      }
    }
  }

  /** Parses a freshly listed cache a slice at a time, reporting annotation problems as a watch event would. */
  private async parseInSlices(kind: ResourceKind, informer: ResilientInformer<RawObject>): Promise<void> {
    let done = 0;
    for (const obj of informer.list()) {
      if (this.stopping) return;
      const { current, fresh } = this.parsed[kind].refresh(obj);
      const meta = objectMeta(obj);
      if (fresh && current.accepted) this.reportProblems({ kind, namespace: meta.namespace, name: meta.name }, current);
      if (++done % PARSE_SLICE === 0) await new Promise((resolve) => setImmediate(resolve));
    }
    this.cachedSnapshot = undefined;
  }

  private buildSnapshot(): ClusterSnapshot {
    const ingresses: IngressModel[] = [];
    const rejected: RejectedObject[] = [];
    const sources: [ResourceKind, ResilientInformer<RawObject> | undefined][] = [
      ['Ingress', this.ingresses],
      ['RouteGroup', this.routeGroupsEnabled ? this.routeGroups : undefined],
    ];
    for (const [kind, informer] of sources) {
      if (!informer) continue;
      const accepted: IngressModel[] = [];
      const refused: RejectedObject[] = [];
      for (const obj of informer.list()) {
        const { current, fresh } = this.parsed[kind].refresh(obj);
        const meta = objectMeta(obj);
        if (fresh && current.accepted) this.reportProblems({ kind, namespace: meta.namespace, name: meta.name }, current);
        const result = current.result;
        if (!result) continue;
        if (result.ok) accepted.push(result.ingress);
        else refused.push({ ref: result.ref, uid: result.uid, errors: result.errors });
      }
      accepted.sort((a, b) => compareRefs(a.ref, b.ref));
      refused.sort((a, b) => compareRefs(a.ref, b.ref));
      ingresses.push(...accepted);
      rejected.push(...refused);
    }
    return { ingresses, rejected, routeGroupsEnabled: this.routeGroupsEnabled };
  }

  private cachedObject(ref: IngressRef): unknown {
    const informer = ref.kind === 'Ingress' ? this.ingresses : this.routeGroups;
    return informer?.get(ref.name, ref.namespace);
  }

  // --- RouteGroup availability -------------------------------------------------------------------------

  /** Asks discovery until it gives a definite answer; undefined when stopped first. */
  private async probeUntilAnswered(): Promise<RouteGroupAvailability | undefined> {
    for (let attempt = 1; !this.stopping; attempt++) {
      try {
        return await this.probe();
      } catch (err) {
        const delay = backoffDelay(attempt, this.options.backoff ?? DEFAULT_BACKOFF);
        this.logger.warn({ event: 'route-group-discovery-failed', err: describeError(err), retryInMs: delay }, 'RouteGroup discovery failed; retrying');
        await this.sleep(delay);
      }
    }
    return undefined;
  }

  private probe(): Promise<RouteGroupAvailability> {
    return probeRouteGroups(this.custom, {
      signal: this.lifetime.signal,
      ...(this.options.requestTimeoutMs === undefined ? {} : { timeoutMs: this.options.requestTimeoutMs }),
    });
  }

  private scheduleProbe(delay: number): void {
    if (this.stopping) return;
    this.probeTimer = this.options.clock.setTimeout(() => {
      this.probeTimer = undefined;
      void this.reprobe();
    }, delay);
  }

  private reprobeSoon(): void {
    if (this.stopping || this.probeTimer === undefined) return;
    this.options.clock.clearTimeout(this.probeTimer);
    this.scheduleProbe(0);
  }

  private async reprobe(): Promise<void> {
    let availability: RouteGroupAvailability;
    try {
      availability = await this.probe();
      this.probeFailures = 0;
    } catch (err) {
      if (this.stopping) return;
      this.probeFailures++;
      // Keep whatever we have: an inconclusive answer must not drop RouteGroups from the snapshot.
      const delay = Math.min(this.probeInterval(), backoffDelay(this.probeFailures, this.options.backoff ?? DEFAULT_BACKOFF));
      this.logger.warn({ event: 'route-group-discovery-failed', err: describeError(err), retryInMs: delay }, 'RouteGroup discovery failed');
      this.scheduleProbe(delay);
      return;
    }
    if (this.stopping) return;
    if (availability === 'served' && !this.routeGroups) {
      this.logger.info({ event: 'route-groups-enabled' }, 'the RouteGroup API is served now; watching routegroups');
      // Not awaited: the initial list may take retries, and probing must go on meanwhile.
      this.enableRouteGroups().catch((err: unknown) => {
        if (!(err instanceof InformerStoppedError)) this.logger.error({ event: 'route-groups-enable-failed', err: describeError(err) }, 'failed to start the RouteGroup informer');
      });
    } else if (availability === 'absent' && this.routeGroups) {
      this.disableRouteGroups();
    } else if (availability === 'forbidden' && this.routeGroups) {
      // Upstream would drop RouteGroups here, and with them their load balancers; an RBAC slip is more
      // likely than intent, so keep the last known RouteGroups and say so.
      this.logger.warn({ event: 'route-groups-forbidden' }, 'RouteGroup discovery is forbidden (403); keeping the cached RouteGroups');
    }
    this.scheduleProbe(this.probeInterval());
  }

  private async enableRouteGroups(): Promise<void> {
    const informer = this.makeInformer('RouteGroup');
    this.routeGroups = informer;
    await informer.start();
    await this.parseInSlices('RouteGroup', informer);
    if (this.routeGroups !== informer || this.stopping) return;
    this.routeGroupsEnabled = true;
    this.changed({ type: 'routegroups', enabled: true });
  }

  private disableRouteGroups(): void {
    const informer = this.routeGroups;
    this.routeGroups = undefined;
    const wasEnabled = this.routeGroupsEnabled;
    this.routeGroupsEnabled = false;
    for (const uid of this.parsed.RouteGroup.uids()) this.recorder.forget(uid);
    this.parsed.RouteGroup.clear();
    void informer?.stop();
    this.logRouteGroupsUnavailable('absent');
    if (wasEnabled) this.changed({ type: 'routegroups', enabled: false });
  }

  private logRouteGroupsUnavailable(availability: Exclude<RouteGroupAvailability, 'served'>): void {
    this.logger.warn(
      { event: 'route-groups-disabled', reason: availability, reprobeInMs: this.probeInterval() },
      availability === 'forbidden'
        ? 'RouteGroup discovery is forbidden (403): RouteGroup support disabled until a later probe succeeds'
        : 'the RouteGroup API (zalando.org/v1 routegroups) is not served: RouteGroup support disabled until it appears',
    );
  }

  private probeInterval(): number {
    return this.options.routeGroupProbeIntervalMs ?? DEFAULT_ROUTEGROUP_PROBE_INTERVAL_MS;
  }

  private sleep(ms: number): Promise<void> {
    return new Promise((resolve) => {
      if (this.stopping) return resolve();
      const timer = this.options.clock.setTimeout(() => {
        this.lifetime.signal.removeEventListener('abort', onAbort);
        resolve();
      }, ms);
      const onAbort = () => {
        this.options.clock.clearTimeout(timer);
        resolve();
      };
      this.lifetime.signal.addEventListener('abort', onAbort, { once: true });
    });
  }
}
