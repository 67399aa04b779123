// A list+watch cache that keeps itself running. The client's ListWatch relists on 410 by itself but stops
// for good on any other failure, and its watches have no client-side timeout; this wrapper restarts it with
// capped exponential backoff and recycles the watch stream periodically so that a half-open connection
// cannot leave the cache silently stale.
import { ListWatch, type KubeConfig, type KubernetesListObject, type KubernetesObject } from '@kubernetes/client-node';
import type { Logger } from 'pino';
import type { Clock, TimerHandle } from '../clock.ts';
import { describeError, httpStatusOf, InformerStoppedError, isAbortError } from './api-errors.ts';
import { backoffDelay, DEFAULT_BACKOFF, type BackoffPolicy } from '../backoff.ts';
import { RecyclableWatch } from './recyclable-watch.ts';

export const DEFAULT_WATCH_RESTART_INTERVAL_MS = 5 * 60_000;

export type InformerChangeType = 'add' | 'update' | 'delete';

export interface InformerChange<T> {
  readonly type: InformerChangeType;
  readonly object: T;
}

export interface ResilientInformerOptions<T extends KubernetesObject> {
  /** For logs, e.g. `ingresses`. */
  readonly name: string;
  readonly kubeConfig: KubeConfig;
  /** Collection path to watch, e.g. `/apis/networking.k8s.io/v1/ingresses`. */
  readonly path: string;
  /** Lists the same collection (with the same selector); abort the request when `signal` fires. */
  readonly list: (signal: AbortSignal) => Promise<KubernetesListObject<T>>;
  /** Applied to the watch only: `list` must apply it too. */
  readonly labelSelector?: string;
  readonly clock: Clock;
  readonly logger: Logger;
  readonly backoff?: BackoffPolicy;
  readonly watchRestartIntervalMs?: number;
  /**
   * When the watch is forbidden but the list is not (upstream's ClusterRole grants only get/list on
   * routegroups), the collection is listed this often instead (--polling-interval). Default 30 s.
   */
  readonly pollIntervalMs?: number;
}

/** What this informer may not do, as RBAC answered: named once in the log, shown in the debug API. */
export interface InformerAccess {
  readonly resource: string;
  /** Listing in place of a forbidden watch. */
  readonly polling: boolean;
  /** Verbs answered with 403 (the list itself, or the watch). */
  readonly forbidden: readonly ('list' | 'watch')[];
  /** The last list or watch failed (API server unreachable, or forbidden): the cache may be stale. */
  readonly failing: boolean;
}

type ChangeListener<T> = (change: InformerChange<T>) => void;
type ErrorListener = (err: unknown) => void;

export class ResilientInformer<T extends KubernetesObject> {
  private readonly watch: RecyclableWatch;
  private readonly listWatch: ListWatch<T>;
  private readonly lifetime = new AbortController();
  private readonly logger: Logger;
  private readonly backoff: BackoffPolicy;
  private readonly restartIntervalMs: number;
  private readonly changeListeners = new Set<ChangeListener<T>>();
  private readonly errorListeners = new Set<ErrorListener>();

  private startPromise: Promise<void> | undefined;
  private resolveSync: (() => void) | undefined;
  private rejectSync: ((err: Error) => void) | undefined;
  private stopPromise: Promise<void> | undefined;
  private stopping = false;
  private listed = false;
  private isSynced = false;
  private consecutiveFailures = 0;
  private failedDuringRun = false;
  private running: Promise<void> | undefined;
  private restartTimer: TimerHandle | undefined;
  private recycleTimer: TimerHandle | undefined;
  private listedThisRun = false;
  private polling = false;
  private readonly forbidden = new Set<'list' | 'watch'>();

  constructor(private readonly options: ResilientInformerOptions<T>) {
    this.logger = options.logger.child({ informer: options.name });
    this.backoff = options.backoff ?? DEFAULT_BACKOFF;
    this.restartIntervalMs = options.watchRestartIntervalMs ?? DEFAULT_WATCH_RESTART_INTERVAL_MS;
    this.watch = new RecyclableWatch(options.kubeConfig);
    this.listWatch = new ListWatch<T>(options.path, this.watch, () => this.listOnce(), false, options.labelSelector);
    this.listWatch.on('add', (object) => this.emit({ type: 'add', object }));
    this.listWatch.on('update', (object) => this.emit({ type: 'update', object }));
    this.listWatch.on('delete', (object) => this.emit({ type: 'delete', object }));
    this.listWatch.on('error', (err) => this.onError(err));
  }

  /** The initial list has been applied to the cache. */
  get synced(): boolean {
    return this.isSynced;
  }

  /**
   * Starts listing and watching. Resolves once the initial list is in the cache, retrying failures with
   * backoff for as long as it takes; rejects with InformerStoppedError if stop() comes first.
   */
  start(): Promise<void> {
    if (this.startPromise) return this.startPromise;
    if (this.stopping) return Promise.reject(new InformerStoppedError(this.options.name));
    this.startPromise = new Promise<void>((resolve, reject) => {
      this.resolveSync = resolve;
      this.rejectSync = reject;
    });
    // A stop() before the first list rejects this promise; callers that await it see that, but one that has
    // moved on (e.g. Promise.all that already failed on another informer) must not leave an unhandled rejection.
    this.startPromise.catch(() => undefined);
    this.scheduleRecycle();
    this.run();
    return this.startPromise;
  }

  /** Stops watching; leaves no timer or connection behind. The cache keeps its last content. */
  stop(): Promise<void> {
    this.stopPromise ??= this.shutdown();
    return this.stopPromise;
  }

  list(): readonly T[] {
    return this.listWatch.list();
  }

  get(name: string, namespace?: string): T | undefined {
    return this.listWatch.get(name, namespace);
  }

  on(event: 'change', listener: ChangeListener<T>): () => void;
  on(event: 'error', listener: ErrorListener): () => void;
  on(event: 'change' | 'error', listener: ChangeListener<T> | ErrorListener): () => void {
    if (event === 'change') {
      const l = listener as ChangeListener<T>;
      this.changeListeners.add(l);
      return () => this.changeListeners.delete(l);
    }
    const l = listener as ErrorListener;
    this.errorListeners.add(l);
    return () => this.errorListeners.delete(l);
  }

  /** RBAC and reachability as the last requests found them. */
  access(): InformerAccess {
    return { resource: this.options.name, polling: this.polling, forbidden: [...this.forbidden].sort(), failing: this.consecutiveFailures > 0 && !this.polling };
  }

  private async listOnce(): Promise<KubernetesListObject<T>> {
    let result: KubernetesListObject<T>;
    try {
      result = await this.options.list(this.lifetime.signal);
    } catch (err) {
      if (httpStatusOf(err) === 403 && !this.forbidden.has('list')) {
        this.forbidden.add('list');
        this.logger.error({ event: 'rbac-forbidden', resource: this.options.name, verb: 'list', err: describeError(err) },
          `not allowed to list ${this.options.name}: grant the list verb on ${this.options.name} (its objects are not reconciled until then)`);
      }
      throw err;
    }
    if (this.forbidden.delete('list')) this.logger.info({ event: 'rbac-allowed', resource: this.options.name, verb: 'list' }, `listing ${this.options.name} is allowed again`);
    this.listed = true;
    this.listedThisRun = true;
    return result;
  }

  private run(): void {
    if (this.stopping) return;
    this.failedDuringRun = false;
    this.listedThisRun = false;
    // Polling: the watch is forbidden, so each round must list afresh (the ListWatch relists only without a
    // resourceVersion) and diff the result into the cache, which emits the adds, updates and deletes.
    if (this.polling) this.forceRelist();
    this.running = (async () => {
      try {
        // Resolves once the list is applied and the watch request has been answered (or has failed).
        await this.listWatch.start();
      } catch (err) {
        // Thrown before any request, e.g. an unreadable service account token.
        this.onError(err);
        return;
      }
      if (this.stopping) return;
      if (!this.failedDuringRun) {
        if (this.consecutiveFailures > 0) this.logger.info({ event: 'informer-recovered', path: this.options.path }, `${this.options.name}: list/watch works again`);
        this.consecutiveFailures = 0;
        if (this.polling) {
          // The watch was answered: RBAC allows it now.
          this.polling = false;
          this.forbidden.delete('watch');
          this.logger.info({ event: 'rbac-allowed', resource: this.options.name, verb: 'watch' }, `watching ${this.options.name} is allowed again; no more polling`);
        }
      }
      if (this.listed && !this.isSynced) {
        this.isSynced = true;
        this.resolveSync?.();
      }
    })();
  }

  private onError(err: unknown): void {
    this.failedDuringRun = true;
    // stop() aborts requests; whatever surfaces afterwards (the AbortError included) is expected.
    if (this.stopping) return;
    if (httpStatusOf(err) === 403) {
      if (this.listedThisRun) {
        this.pollInsteadOfWatching(err);
        return;
      }
      // A watch refused without a list before it (permissions changed while running): list again next time,
      // so that the list tells whether only the watch is forbidden.
      this.forceRelist();
    }
    this.consecutiveFailures++;
    const delay = backoffDelay(this.consecutiveFailures, this.backoff);
    this.logger[isAbortError(err) ? 'info' : 'warn'](
      {
        event: 'informer-restart',
        path: this.options.path,
        httpStatus: httpStatusOf(err),
        err: describeError(err),
        retryInMs: delay,
        attempt: this.consecutiveFailures,
      },
      'list/watch failed; restarting after backoff',
    );
    for (const listener of [...this.errorListeners]) {
      try {
        listener(err);
      } catch (listenerError) {
        this.logger.error({ event: 'listener-failed', err: describeError(listenerError) }, 'informer error listener threw');
      }
    }
    this.scheduleRestart(delay);
  }

  private scheduleRestart(delayMs: number): void {
    if (this.restartTimer !== undefined) return;
    this.restartTimer = this.options.clock.setTimeout(() => {
      this.restartTimer = undefined;
      // A restart must not overlap a start() of the ListWatch that is still settling.
      const previous = this.running ?? Promise.resolve();
      void previous.then(() => this.run());
    }, delayMs);
  }

  /** The ListWatch relists only when it has no resourceVersion; this is the one way to ask it to. */
  private forceRelist(): void {
    (this.listWatch as unknown as { resourceVersion: string }).resourceVersion = '';
  }

  /** The list worked and the watch was forbidden: list every poll interval instead, and say so once. */
  private pollInsteadOfWatching(err: unknown): void {
    const everyMs = this.options.pollIntervalMs ?? 30_000;
    if (!this.polling) {
      this.polling = true;
      this.forbidden.add('watch');
      this.logger.warn({ event: 'rbac-forbidden', resource: this.options.name, verb: 'watch', pollIntervalMs: everyMs, err: describeError(err) },
        `not allowed to watch ${this.options.name}: listing it every ${everyMs / 1000} s instead (grant the watch verb to react at once)`);
    }
    // A list round that succeeded is not a failure: readiness and backoff see a working, slower informer.
    this.consecutiveFailures = 0;
    if (!this.isSynced) {
      this.isSynced = true;
      this.resolveSync?.();
    }
    this.scheduleRestart(everyMs);
  }

  private scheduleRecycle(): void {
    if (this.stopping || this.restartIntervalMs <= 0) return;
    this.recycleTimer = this.options.clock.setTimeout(() => {
      this.recycleTimer = undefined;
      const ended = this.watch.recycle();
      this.logger.debug({ event: 'watch-recycled', streams: ended }, 'restarted the watch stream');
      this.scheduleRecycle();
    }, this.restartIntervalMs);
  }

  private emit(change: InformerChange<T>): void {
    for (const listener of [...this.changeListeners]) {
      try {
        listener(change);
      } catch (err) {
        this.logger.error({ event: 'listener-failed', err: describeError(err) }, 'informer change listener threw');
      }
    }
  }

  private async shutdown(): Promise<void> {
    this.stopping = true;
    if (this.restartTimer !== undefined) this.options.clock.clearTimeout(this.restartTimer);
    if (this.recycleTimer !== undefined) this.options.clock.clearTimeout(this.recycleTimer);
    this.restartTimer = undefined;
    this.recycleTimer = undefined;
    this.lifetime.abort();
    // Order matters: the ListWatch must be marked stopped before its streams end, or it re-watches.
    const listWatchStopped = this.listWatch.stop();
    this.watch.close();
    await listWatchStopped;
    await this.running;
    if (!this.isSynced) this.rejectSync?.(new InformerStoppedError(this.options.name));
  }
}
