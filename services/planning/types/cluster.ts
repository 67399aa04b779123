// The cluster as one planning cycle sees it: what the Kubernetes adapter (and plan mode) hand the planner.
import type { IngressModel, IngressRef } from './ingress.ts';

export interface RejectedObject {
  readonly ref: IngressRef;
  readonly uid: string;
  readonly errors: readonly string[];
}

export interface ClusterSnapshot {
  /** Accepted and parsed: Ingresses first, then RouteGroups, each sorted by namespace then name. */
  readonly ingresses: readonly IngressModel[];
  /** Accepted by the class filter but unusable (e.g. NLB with a security group annotation), same order. */
  readonly rejected: readonly RejectedObject[];
  /** RouteGroups are served and their cache is synced; when false, `ingresses` holds no RouteGroup. */
  readonly routeGroupsEnabled: boolean;
}

/** Namespace, then name, in code-unit order (for the ASCII names Kubernetes allows, the byte order Go sorts in). */
export function compareRefs(a: IngressRef, b: IngressRef): number {
  if (a.namespace !== b.namespace) return a.namespace < b.namespace ? -1 : 1;
  if (a.name !== b.name) return a.name < b.name ? -1 : 1;
  return 0;
}
