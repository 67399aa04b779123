import { describe, expect, it } from 'vitest';
import { loadBalancerEventOf, ServedObjects } from '../../machines/load-balancer-events.ts';
import type { StackActorContext, StackPhase } from '../../machines/stack-machine.ts';

const context = (status: string): StackActorContext => ({
  stackName: 's', target: undefined, applied: undefined, inFlight: undefined, accepted: true, satisfied: true, status, statusReason: '',
  outputs: { LoadBalancerDNSName: 'lb-1.elb.amazonaws.com' }, drainDeadline: null, pollAt: null, retryAt: null, attempts: 0, lastError: null, failedOperation: null,
});
const at = Date.parse('2026-01-01T00:01:00Z');
const t = (from: string | null, to: string, phase: StackPhase, status: string) => ({ actorId: 's', at, from, to, event: 'x', phase, context: context(status) });

describe('loadBalancerEventOf', () => {
  it('names a completed create, a completed update and a deletion, with the time so each is its own Event', () => {
    expect(loadBalancerEventOf(t('creating.polling', 'active', 'active', 'CREATE_COMPLETE'))).toEqual({
      type: 'Normal', reason: 'LoadBalancerCreated', message: 'load balancer lb-1.elb.amazonaws.com created (stack s, 2026-01-01T00:01:00.000Z)',
    });
    expect(loadBalancerEventOf(t('updating.polling', 'active', 'active', 'UPDATE_COMPLETE'))?.reason).toBe('LoadBalancerUpdated');
    expect(loadBalancerEventOf(t('deleting.polling', 'deleted', 'deleted', 'DELETE_COMPLETE'))?.reason).toBe('LoadBalancerDeleted');
  });

  it('says nothing for adoption, an update that changed nothing, or a rolled-back update', () => {
    expect(loadBalancerEventOf(t(null, 'active', 'active', 'CREATE_COMPLETE'))).toBeUndefined();
    expect(loadBalancerEventOf(t('updating.submitting', 'active', 'active', 'CREATE_COMPLETE'))).toBeUndefined();
    expect(loadBalancerEventOf(t('updating.polling', 'failed', 'failed', 'UPDATE_ROLLBACK_COMPLETE'))).toBeUndefined();
  });
});

describe('a DeleteStack that keeps failing', () => {
  it('is a Warning on the objects once it failed five times, with the cause and no count', () => {
    const failed = (attempts: number) => ({ ...t('deleting.polling', 'failed', 'failed', 'DELETE_FAILED'), context: { ...context('DELETE_FAILED'), failedOperation: 'delete' as const, attempts, lastError: 'resource in use' } });
    expect(loadBalancerEventOf(failed(4))).toBeUndefined();
    expect(loadBalancerEventOf(failed(5))).toEqual({ type: 'Warning', reason: 'LoadBalancerDeleteFailed', message: 'DeleteStack of s keeps failing (still retried with backoff): resource in use' });
    expect(loadBalancerEventOf(failed(6))).toEqual(loadBalancerEventOf(failed(5)));
  });
});

describe('ServedObjects', () => {
  it('keeps the last non-empty set of objects per stack, so a deletion reaches the objects that moved away', () => {
    const served = new ServedObjects();
    const a = { kind: 'Ingress' as const, namespace: 'default', name: 'a' };
    served.remember([{ stackName: 's', spec: { ingresses: [a] } }]);
    served.remember([{ stackName: 's', spec: { ingresses: [] } }]);
    expect(served.of('s')).toEqual([a]);
    served.forget('s');
    expect(served.of('s')).toEqual([]);
  });

  it('announces a stack only to the objects not told before: an update of a shared stack reaches the newcomer alone', () => {
    const served = new ServedObjects();
    const ref = (name: string) => ({ kind: 'Ingress' as const, namespace: 'default', name });
    served.remember([{ stackName: 's', spec: { ingresses: [ref('a'), ref('b')] } }]);
    expect(served.untold('s')).toEqual([ref('a'), ref('b')]);
    served.remember([{ stackName: 's', spec: { ingresses: [ref('a'), ref('b'), ref('c')] } }]);
    expect(served.untold('s')).toEqual([ref('c')]);
    expect(served.untold('s')).toEqual([]);
  });
});
