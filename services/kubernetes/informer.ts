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

  private async listOnce(): Promise<KubernetesListObject<T>> {
    const result = await this.options.list(this.lifetime.signal);
    this.listed = true;
    return result;
  }

  private run(): void {
    if (this.stopping) return;
    this.failedDuringRun = false;
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
      if (!this.failedDuringRun) this.consecutiveFailures = 0;
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
    if (this.restartTimer !== undefined) return;
    this.restartTimer = this.options.clock.setTimeout(() => {
      this.restartTimer = undefined;
      // A restart must not overlap a start() of the ListWatch that is still settling.
      const previous = this.running ?? Promise.resolve();
      void previous.then(() => this.run());
    }, delay);
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
