// What to do with one modelled load balancer (upstream's loadBalancer.Status and inSync), minus upstream's
// "update every stack on the first cycle": drift in flags is found elsewhere by comparing documents.
import type { LoadBalancerAction, LoadBalancerSpec } from '../types/load-balancer.ts';
import type { CertificateExpiries, ManagedStack } from '../types/stack.ts';
import { isCompleteStatus } from '../stack-contract.ts';

/**
 * Every certificate's drain deadline has passed, so nothing may still resolve to this load balancer. A stack
 * without any certificate tag counts as drained too: upstream deletes it at once.
 */
export function shouldDelete(stack: ManagedStack | undefined, now: number): boolean {
  if (stack === undefined) return false;
  return Object.values(stack.certificateARNs).every((expiry) => expiry !== null && expiry <= now);
}

/**
 * The stack already carries what the model wants, as far as upstream looks: certificates with their expiries,
 * the alarm configuration, the WAF and the SSL policy. Other differences (scheme, SG, type, ...) mean a
 * different load balancer, never an update.
 */
export function inSync(lb: LoadBalancerSpec, alarmHash: string): boolean {
  const stack = lb.stack;
  if (stack === undefined) return true;
  return (
    sameExpiries(lb.certificateARNs, stack.certificateARNs) &&
    stack.cwAlarmConfigHash === alarmHash &&
    lb.wafWebACLID === stack.wafWebACLID &&
    lb.sslPolicy === stack.sslPolicy
  );
}

export interface DecideActionInput {
  /** Hash of the current CloudWatch alarm configuration; '' when there are no alarms. */
  readonly alarmHash: string;
  readonly now: number;
}

export function decideAction(lb: LoadBalancerSpec, input: DecideActionInput): LoadBalancerAction {
  if (lb.clusterLocal) return 'ready';
  if (shouldDelete(lb.stack, input.now)) return 'delete';
  // Upstream counts certificate buckets here, not ingresses; a new load balancer always has both.
  if (lb.stack === undefined) return Object.keys(lb.ingressesByCertificate).length > 0 ? 'create' : 'ready';
  if (!inSync(lb, input.alarmHash) && isCompleteStatus(lb.stack.status)) return 'update';
  return 'ready';
}

function sameExpiries(a: CertificateExpiries, b: CertificateExpiries): boolean {
  const keys = Object.keys(a);
  if (keys.length !== Object.keys(b).length) return false;
  return keys.every((arn) => Object.hasOwn(b, arn) && a[arn] === b[arn]);
}
