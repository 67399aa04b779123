// Where each kind lives in the API, for building paths, involvedObject references and log fields.
import type { IngressRef, ResourceKind } from '../planning/types/ingress.ts';

export interface KindCoordinates {
  readonly group: string;
  readonly version: string;
  readonly plural: string;
  readonly apiVersion: string;
}

export const KIND_COORDINATES: Readonly<Record<ResourceKind, KindCoordinates>> = {
  Ingress: { group: 'networking.k8s.io', version: 'v1', plural: 'ingresses', apiVersion: 'networking.k8s.io/v1' },
  RouteGroup: { group: 'zalando.org', version: 'v1', plural: 'routegroups', apiVersion: 'zalando.org/v1' },
};

/** The `ingress` log field: `namespace/name`, as upstream logs it. */
export function ingressLogName(ref: IngressRef): string {
  return `${ref.namespace}/${ref.name}`;
}

/** metadata.{namespace,name,uid,resourceVersion} of a raw object, '' where missing. */
export function objectMeta(obj: unknown): { namespace: string; name: string; uid: string; resourceVersion: string } {
  const meta = typeof obj === 'object' && obj !== null ? (obj as { metadata?: unknown }).metadata : undefined;
  const m = typeof meta === 'object' && meta !== null ? (meta as Record<string, unknown>) : {};
  const str = (v: unknown): string => (typeof v === 'string' ? v : '');
  return { namespace: str(m['namespace']), name: str(m['name']), uid: str(m['uid']), resourceVersion: str(m['resourceVersion']) };
}
