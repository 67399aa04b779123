// Whether the cluster serves RouteGroups (zalando.org/v1, from skipper's CRD). Upstream learns it from its
// routegroups list failing with 404/403 and then gives up for the life of the process; we ask discovery
// instead, and ask again periodically, so installing the CRD later needs no restart.
import type { CustomObjectsApi } from '@kubernetes/client-node';
import { httpStatusOf, RouteGroupDiscoveryError } from './api-errors.ts';
import { requestOptions } from './request-options.ts';

export const ROUTEGROUP_GROUP = 'zalando.org';
export const ROUTEGROUP_VERSION = 'v1';
export const ROUTEGROUP_PLURAL = 'routegroups';
export const ROUTEGROUPS_PATH = `/apis/${ROUTEGROUP_GROUP}/${ROUTEGROUP_VERSION}/${ROUTEGROUP_PLURAL}`;

/** served: the API lists routegroups; absent: 404 or no such resource; forbidden: 403. */
export type RouteGroupAvailability = 'served' | 'absent' | 'forbidden';

/** Throws RouteGroupDiscoveryError when the answer says nothing either way (5xx, network, timeout). */
export async function probeRouteGroups(
  api: CustomObjectsApi,
  options: { timeoutMs?: number; signal?: AbortSignal } = {},
): Promise<RouteGroupAvailability> {
  try {
    const resources = await api.getAPIResources({ group: ROUTEGROUP_GROUP, version: ROUTEGROUP_VERSION }, requestOptions(options));
    return resources.resources.some((r) => r.name === ROUTEGROUP_PLURAL) ? 'served' : 'absent';
  } catch (err) {
    const status = httpStatusOf(err);
    if (status === 404) return 'absent';
    if (status === 403) return 'forbidden';
    throw new RouteGroupDiscoveryError(status, { cause: err });
  }
}
