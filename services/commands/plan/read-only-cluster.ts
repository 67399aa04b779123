// The cluster as one cycle would see it, read with plain GETs. The controller's KubernetesAdapter is not used:
// starting it records a Warning Event for every object with an annotation problem, and it has no switch to
// stop that. The same class filter and parser run here, and the problems are returned instead of recorded.
import { CustomObjectsApi, HttpMethod, Observable, type ConfigurationOptions, type KubeConfig, type RequestContext, type ResponseContext } from '@kubernetes/client-node';
import type { Config } from '../../config/config.ts';
import { compareRefs, type ClusterSnapshot, type RejectedObject } from '../../planning/types/cluster.ts';
import { ConfigMapReader } from '../../kubernetes/configmaps.ts';
import { KIND_COORDINATES, objectMeta } from '../../kubernetes/object-ref.ts';
import { ParsedObjects } from '../../kubernetes/parsed-objects.ts';
import { requestOptions } from '../../kubernetes/request-options.ts';
import { probeRouteGroups } from '../../kubernetes/routegroup-discovery.ts';
import type { IngressModel, ResourceKind } from '../../planning/types/ingress.ts';
import { ReadOnlyViolationError } from './plan-errors.ts';
import type { ObjectWarning } from './plan-report.ts';

export interface ClusterRead {
  readonly snapshot: ClusterSnapshot;
  /** What the adapter would have turned into Warning Events. */
  readonly warnings: readonly ObjectWarning[];
  readonly notes: readonly string[];
}

export interface ReadClusterOptions {
  readonly kubeConfig: KubeConfig;
  readonly config: Config;
  readonly timeoutMs?: number;
}

export async function readClusterOnce(options: ReadClusterOptions): Promise<ClusterRead> {
  const { kubeConfig, config } = options;
  const custom = kubeConfig.makeApiClient(CustomObjectsApi);
  const timeout = options.timeoutMs === undefined ? {} : { timeoutMs: options.timeoutMs };
  const notes: string[] = [];

  const availability = await probeRouteGroups(custom, timeout);
  // Same startup decision as the adapter: only a served API brings RouteGroups into the snapshot.
  if (availability === 'forbidden') notes.push('RouteGroup discovery is forbidden (403): RouteGroups are ignored, as the controller would at startup');
  const kinds: ResourceKind[] = availability === 'served' ? ['Ingress', 'RouteGroup'] : ['Ingress'];

  const ingresses: IngressModel[] = [];
  const rejected: RejectedObject[] = [];
  const warnings: ObjectWarning[] = [];
  for (const kind of kinds) {
    const { group, version, plural } = KIND_COORDINATES[kind];
    const list = (await custom.listClusterCustomObject({ group, version, plural }, readOnlyRequestOptions(timeout))) as { items?: unknown[] };
    const parsed = new ParsedObjects(kind, config);
    const accepted: IngressModel[] = [];
    const refused: RejectedObject[] = [];
    for (const obj of list.items ?? []) {
      const { current } = parsed.refresh(obj);
      const result = current.result;
      if (!current.accepted || !result) continue;
      const meta = objectMeta(obj);
      const ref = { kind, namespace: meta.namespace, name: meta.name };
      if (result.ok) {
        accepted.push(result.ingress);
        for (const message of result.ingress.warnings) warnings.push({ ref, message });
      } else {
        refused.push({ ref: result.ref, uid: result.uid, errors: result.errors });
        for (const e of result.errors) warnings.push({ ref, message: `${e}; the ${kind} is ignored` });
      }
    }
    accepted.sort((a, b) => compareRefs(a.ref, b.ref));
    refused.sort((a, b) => compareRefs(a.ref, b.ref));
    ingresses.push(...accepted);
    rejected.push(...refused);
  }
  warnings.sort((a, b) => (a.ref.kind === b.ref.kind ? compareRefs(a.ref, b.ref) : a.ref.kind < b.ref.kind ? -1 : 1));
  return { snapshot: { ingresses, rejected, routeGroupsEnabled: kinds.includes('RouteGroup') }, warnings, notes };
}

/** The alarm ConfigMap's data, read the way the controller reads it every cycle. */
export function readConfigMapOnce(options: { kubeConfig: KubeConfig; timeoutMs?: number }, namespace: string, name: string): Promise<Record<string, string>> {
  return new ConfigMapReader({ kubeConfig: options.kubeConfig, ...(options.timeoutMs === undefined ? {} : { timeoutMs: options.timeoutMs }) })
    .readConfigMap(namespace, name);
}

/** The usual per-call options plus a guard that fails any request other than GET before it is sent. */
export function readOnlyRequestOptions(input: { timeoutMs?: number } = {}): ConfigurationOptions {
  const base = requestOptions(input);
  const guard = {
    pre(context: RequestContext): Observable<RequestContext> {
      const method = context.getHttpMethod();
      if (method !== HttpMethod.GET) throw new ReadOnlyViolationError('kubernetes', `${method} ${context.getUrl()}`);
      return new Observable(Promise.resolve(context));
    },
    post(context: ResponseContext): Observable<ResponseContext> {
      return new Observable(Promise.resolve(context));
    },
  };
  return { ...base, middleware: [...(base.middleware ?? []), guard] };
}
