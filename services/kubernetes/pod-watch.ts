// The AWS CNI pods (upstream-behaviour.md §4.8): Pods in --target-cni-namespace matching
// --target-cni-pod-labelselector, kept current by a watch on the same connection as the ingresses (so
// --api-server-base-url is honoured; upstream insists on in-cluster config). Pod events never start a
// planning cycle: they only tell the CNI target sync that the endpoint set may have changed.
import { CoreV1Api, type KubeConfig, type KubernetesListObject, type KubernetesObject } from '@kubernetes/client-node';
import type { Logger } from 'pino';
import type { BackoffPolicy } from '../backoff.ts';
import type { Clock } from '../clock.ts';
import { ResilientInformer, type InformerChangeType } from './informer.ts';
import { endpointIps, type PodLike } from './pod-endpoints.ts';
import { withoutManagedFields } from './recyclable-watch.ts';
import { requestOptions } from './request-options.ts';

type RawPod = KubernetesObject & PodLike;
export type PodListener = (type: InformerChangeType, pod: PodLike) => void;

export interface PodWatchOptions {
  readonly kubeConfig: KubeConfig;
  readonly namespace: string;
  readonly labelSelector: string;
  readonly clock: Clock;
  readonly logger: Logger;
  readonly backoff?: BackoffPolicy;
  readonly watchRestartIntervalMs?: number;
  readonly requestTimeoutMs?: number;
}

export class PodWatch {
  private readonly informer: ResilientInformer<RawPod>;
  private readonly listeners = new Set<PodListener>();
  private readonly logger: Logger;
  private reportedSkips = new Set<string>();

  constructor(readonly options: PodWatchOptions) {
    this.logger = options.logger;
    const core = options.kubeConfig.makeApiClient(CoreV1Api);
    const { namespace, labelSelector } = options;
    const timeout = options.requestTimeoutMs === undefined ? {} : { timeoutMs: options.requestTimeoutMs };
    const list = async (signal: AbortSignal): Promise<KubernetesListObject<RawPod>> => {
      const page = await core.listNamespacedPod({ namespace, labelSelector }, requestOptions({ ...timeout, signal }));
      return { ...page, items: page.items.map((p) => withoutManagedFields(p as RawPod)) } as KubernetesListObject<RawPod>;
    };
    this.informer = new ResilientInformer<RawPod>({
      name: 'pods',
      kubeConfig: options.kubeConfig,
      path: `/api/v1/namespaces/${encodeURIComponent(namespace)}/pods`,
      list,
      labelSelector,
      clock: options.clock,
      logger: options.logger,
      ...(options.backoff ? { backoff: options.backoff } : {}),
      ...(options.watchRestartIntervalMs === undefined ? {} : { watchRestartIntervalMs: options.watchRestartIntervalMs }),
    });
    this.informer.on('change', (change) => {
      if (!this.informer.synced) return;
      for (const listener of [...this.listeners]) {
        try {
          listener(change.type, change.object);
        } catch (err) {
          this.logger.error({ event: 'listener-failed', err }, 'pod change listener threw');
        }
      }
    });
  }

  start(): Promise<void> {
    return this.informer.start();
  }

  stop(): Promise<void> {
    return this.informer.stop();
  }

  get synced(): boolean {
    return this.informer.synced;
  }

  onChange(listener: PodListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  pods(): readonly PodLike[] {
    return this.informer.list();
  }

  pod(name: string): PodLike | undefined {
    return this.informer.get(name, this.options.namespace);
  }

  /** The endpoint IPs now; a pod without IP or with a malformed one is skipped with a debug line (once per reason). */
  endpoints(): string[] {
    const { ips, skipped } = endpointIps(this.informer.list());
    const now = new Set<string>();
    for (const s of skipped) {
      const key = `${s.pod}:${s.reason}`;
      now.add(key);
      if (!this.reportedSkips.has(key)) this.logger.debug({ event: 'cni-pod-skipped', pod: s.pod, reason: s.reason }, 'pod is not an AWS CNI endpoint');
    }
    this.reportedSkips = now;
    return ips;
  }
}
