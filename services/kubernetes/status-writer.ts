// Load balancer hostname write-back into Ingress / RouteGroup status, byte-compatible with upstream
// (merge-patch of the /status subresource, hostname lower-cased, no write when the first non-empty status
// hostname already matches).
//
// Clearing (cluster-local objects): upstream's UpdateIngressLoadBalancer turns the hostname into "" and then
// patches a one-element list whose hostname is empty, `[{"hostname":""}]`, not an empty list. We send the same
// body, so swapping the image in either direction leaves identical status; a merge-patch replaces the whole
// list either way, so the old hostname disappears. As upstream compares with the first NON-empty hostname,
// an object that is already cleared (or never had one) is 'unchanged' and is not patched again.
import { CustomObjectsApi, type KubeConfig } from '@kubernetes/client-node';
import type { Logger } from 'pino';
import type { IngressRef, ResourceKind } from '../planning/types/ingress.ts';
import { refKey } from '../planning/types/ingress.ts';
import { httpStatusOf, StatusWriteError } from './api-errors.ts';
import { ingressLogName, KIND_COORDINATES, objectMeta } from './object-ref.ts';
import { requestOptions } from './request-options.ts';

export type StatusWriteResult = 'written' | 'unchanged';

/** status.loadBalancer list name per kind. */
const STATUS_LIST: Readonly<Record<ResourceKind, 'ingress' | 'routegroup'>> = { Ingress: 'ingress', RouteGroup: 'routegroup' };

export function statusPatchBody(kind: ResourceKind, hostname: string): { status: { loadBalancer: Record<string, { hostname: string }[]> } } {
  return { status: { loadBalancer: { [STATUS_LIST[kind]]: [{ hostname }] } } };
}

/** First non-empty status.loadBalancer.{ingress|routegroup}[].hostname of a raw object, '' when none. */
export function currentStatusHostname(obj: unknown, kind: ResourceKind): string {
  const status = field(obj, 'status');
  const entries = field(field(status, 'loadBalancer'), STATUS_LIST[kind]);
  if (!Array.isArray(entries)) return '';
  for (const entry of entries) {
    const hostname = field(entry, 'hostname');
    if (typeof hostname === 'string' && hostname !== '') return hostname;
  }
  return '';
}

export interface StatusWriterOptions {
  readonly kubeConfig: KubeConfig;
  /** The object as the informer cache holds it; undefined when it is not cached. */
  readonly lookup: (ref: IngressRef) => unknown;
  readonly logger: Logger;
  readonly timeoutMs?: number;
}

interface LastWrite {
  readonly uid: string;
  readonly resourceVersion: string;
  readonly hostname: string;
}

export class StatusWriter {
  private readonly api: CustomObjectsApi;
  /** What we patched onto which cached version, until the watch brings the patched object back. */
  private readonly lastWrites = new Map<string, LastWrite>();

  constructor(private readonly options: StatusWriterOptions) {
    this.api = options.kubeConfig.makeApiClient(CustomObjectsApi);
  }

  /**
   * '' clears the hostname. 'unchanged' also when the object no longer exists (404). Other failures throw
   * StatusWriteError.
   */
  async writeStatus(ref: IngressRef, hostname: string): Promise<StatusWriteResult> {
    const desired = hostname.toLowerCase();
    const cached = this.options.lookup(ref);
    const key = refKey(ref);
    if (cached !== undefined) {
      if (currentStatusHostname(cached, ref.kind) === desired) {
        this.lastWrites.delete(key);
        return 'unchanged';
      }
      // Our own patch may simply not have come back through the watch yet.
      const meta = objectMeta(cached);
      const last = this.lastWrites.get(key);
      if (last && last.uid === meta.uid && last.resourceVersion === meta.resourceVersion && last.hostname === desired) {
        return 'unchanged';
      }
    }
    // Not cached: the object may be newer than the cache, so write rather than guess; a 404 settles it.
    const { group, version, plural } = KIND_COORDINATES[ref.kind];
    try {
      await this.api.patchNamespacedCustomObjectStatus(
        { group, version, plural, namespace: ref.namespace, name: ref.name, body: statusPatchBody(ref.kind, desired) },
        requestOptions({ mergePatch: true, ...(this.options.timeoutMs === undefined ? {} : { timeoutMs: this.options.timeoutMs }) }),
      );
    } catch (err) {
      const code = httpStatusOf(err);
      if (code === 404) {
        this.options.logger.info({ ingress: ingressLogName(ref), kind: ref.kind, event: 'status-skipped' }, 'object gone; status not written');
        return 'unchanged';
      }
      throw new StatusWriteError(ref, desired, code, { cause: err });
    }
    if (cached !== undefined) {
      const meta = objectMeta(cached);
      this.lastWrites.set(key, { uid: meta.uid, resourceVersion: meta.resourceVersion, hostname: desired });
    }
    this.options.logger.info(
      { ingress: ingressLogName(ref), kind: ref.kind, event: 'status-updated', hostname: desired },
      desired === '' ? 'cleared the load balancer hostname' : `set the load balancer hostname to ${desired}`,
    );
    return 'written';
  }

  /** Forget bookkeeping for a deleted object. */
  forget(ref: IngressRef): void {
    this.lastWrites.delete(refKey(ref));
  }
}

function field(value: unknown, key: string): unknown {
  return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Record<string, unknown>)[key] : undefined;
}
