// Which pods are AWS CNI endpoints (upstream-behaviour.md §4.8): a pod counts while it is not terminating
// (no deletionTimestamp) and is Running (its first container too, when the status lists containers) with a pod IP. A terminating pod stops counting at once, so its
// target drains while the pod still serves.
import { isIPv4, isIPv6 } from 'node:net';

/** The parts of a v1 Pod the rule reads. */
export interface PodLike {
  readonly metadata?: {
    readonly name?: string; readonly namespace?: string; readonly resourceVersion?: string; readonly deletionTimestamp?: unknown; readonly labels?: Record<string, string>;
  };
  readonly status?: {
    readonly phase?: string;
    readonly podIP?: string;
    readonly containerStatuses?: readonly { readonly state?: { readonly running?: unknown } }[];
  };
}

export type EndpointVerdict =
  | { readonly endpoint: true; readonly ip: string }
  | { readonly endpoint: false; readonly reason: 'terminating' | 'not-running' | 'no-ip' | 'malformed-ip' };

export function podEndpoint(pod: PodLike): EndpointVerdict {
  if (pod.metadata?.deletionTimestamp !== undefined && pod.metadata.deletionTimestamp !== null) return { endpoint: false, reason: 'terminating' };
  if (pod.status?.phase !== 'Running') return { endpoint: false, reason: 'not-running' };
  // Upstream reads the first container's state: a pod whose (router) container crashed is Running but serves nothing.
  const first = pod.status.containerStatuses?.[0];
  if (first && (first.state?.running === undefined || first.state.running === null)) return { endpoint: false, reason: 'not-running' };
  const ip = pod.status.podIP ?? '';
  if (ip === '') return { endpoint: false, reason: 'no-ip' };
  if (!isIPv4(ip) && !isIPv6(ip)) return { endpoint: false, reason: 'malformed-ip' };
  return { endpoint: true, ip };
}

/** The sorted, de-duplicated endpoint IPs of the given pods; `skipped` lists the others and why (debug lines). */
export function endpointIps(pods: Iterable<PodLike>): { ips: string[]; skipped: { pod: string; reason: string }[] } {
  const ips = new Set<string>();
  const skipped: { pod: string; reason: string }[] = [];
  for (const pod of pods) {
    const v = podEndpoint(pod);
    if (v.endpoint) ips.add(v.ip);
    else if (v.reason === 'no-ip' || v.reason === 'malformed-ip') skipped.push({ pod: `${pod.metadata?.namespace ?? ''}/${pod.metadata?.name ?? ''}`, reason: v.reason });
  }
  return { ips: [...ips].sort(), skipped };
}
