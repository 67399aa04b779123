// Normal Events on the objects a load balancer serves when its stack is created, updated or deleted: what an
// operator sees with `kubectl describe ingress`. Upstream records none.
import type { IngressRef } from '../services/planning/types/ingress.ts';
import { StackOutput } from '../services/planning/stack-contract.ts';
import type { TransitionRecord } from '../storage/state-store.ts';
import type { StackActorContext, StackPhase } from './stack-machine.ts';

export type LoadBalancerEventReason = 'LoadBalancerCreated' | 'LoadBalancerUpdated' | 'LoadBalancerDeleted' | 'LoadBalancerDeleteFailed';

/** DeleteStack failures before a person is asked to look (a resource CloudFormation cannot remove). */
export const DELETE_ATTEMPTS_BEFORE_ATTENTION = 5;

export interface LoadBalancerEvent {
  readonly type: 'Normal' | 'Warning';
  readonly reason: LoadBalancerEventReason;
  /** Unique per operation (it carries the time), so the recorder's deduplication never swallows a second one. */
  readonly message: string;
}

/** The Event a lifecycle transition deserves, if any: a completed create or update, or the stack gone. */
export function loadBalancerEventOf(t: TransitionRecord & { phase: StackPhase; context: StackActorContext }): LoadBalancerEvent | undefined {
  const at = new Date(t.at).toISOString();
  const dns = t.context.outputs[StackOutput.dnsName];
  const lb = dns ? `load balancer ${dns}` : 'load balancer';
  if (t.phase === 'deleted') return { type: 'Normal', reason: 'LoadBalancerDeleted', message: `${lb} deleted (stack ${t.actorId}, ${at})` };
  // Upstream retries a failing DeleteStack forever in silence; after a few attempts the objects are told. The
  // message carries no count, so it is one Event (bumped) while the cause stays the same.
  if (t.phase === 'failed' && t.context.failedOperation === 'delete' && t.context.attempts >= DELETE_ATTEMPTS_BEFORE_ATTENTION) {
    return { type: 'Warning', reason: 'LoadBalancerDeleteFailed', message: `DeleteStack of ${t.actorId} keeps failing (still retried with backoff): ${t.context.lastError ?? 'unknown error'}` };
  }
  if (t.phase !== 'active' || t.from === null) return undefined;
  if (t.from.startsWith('creating') && t.context.status === 'CREATE_COMPLETE') {
    return { type: 'Normal', reason: 'LoadBalancerCreated', message: `${lb} created (stack ${t.actorId}, ${at})` };
  }
  if (t.from.startsWith('updating') && t.context.status === 'UPDATE_COMPLETE') {
    return { type: 'Normal', reason: 'LoadBalancerUpdated', message: `${lb} updated (stack ${t.actorId}, ${at})` };
  }
  return undefined;
}

/**
 * The objects each stack served in the latest plan that named any, and which of them have been told about the
 * stack. A created or updated stack is announced only to objects not told before (the ingress whose certificate
 * an update added, not the 200 others already on a shared load balancer: a change costs what it changes); a
 * deleted stack is announced to the objects it last served (a stack is only deleted once it serves nothing).
 */
export class ServedObjects {
  private readonly byStack = new Map<string, readonly IngressRef[]>();
  private readonly told = new Map<string, Set<string>>();

  remember(planned: readonly { stackName: string; spec: { ingresses: readonly IngressRef[] } }[]): void {
    for (const p of planned) if (p.spec.ingresses.length > 0) this.byStack.set(p.stackName, p.spec.ingresses);
  }

  of(stackName: string): readonly IngressRef[] {
    return this.byStack.get(stackName) ?? [];
  }

  /** The objects the stack serves that have not heard of it yet; from now on they have. */
  untold(stackName: string): IngressRef[] {
    const told = this.told.get(stackName) ?? new Set<string>();
    this.told.set(stackName, told);
    const out: IngressRef[] = [];
    for (const ref of this.of(stackName)) {
      const key = `${ref.kind}/${ref.namespace}/${ref.name}`;
      if (told.has(key)) continue;
      told.add(key);
      out.push(ref);
    }
    return out;
  }

  forget(stackName: string): void {
    this.byStack.delete(stackName);
    this.told.delete(stackName);
  }
}
