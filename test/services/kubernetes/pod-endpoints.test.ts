import { describe, expect, it } from 'vitest';
import { endpointIps, podEndpoint } from '../../../services/kubernetes/pod-endpoints.ts';

const pod = (name: string, status: { phase?: string; podIP?: string; containerStatuses?: { state?: { running?: unknown } }[] }, deletionTimestamp?: string) => ({
  metadata: { name, namespace: 'kube-system', ...(deletionTimestamp ? { deletionTimestamp } : {}) },
  status,
});

describe('podEndpoint', () => {
  it('counts a running pod with an IP, not terminating', () => {
    expect(podEndpoint(pod('a', { phase: 'Running', podIP: '10.0.0.1' }))).toEqual({ endpoint: true, ip: '10.0.0.1' });
  });
  it('drops a terminating pod at once, even while running', () => {
    expect(podEndpoint(pod('a', { phase: 'Running', podIP: '10.0.0.1' }, '2026-01-01T00:00:00Z'))).toEqual({ endpoint: false, reason: 'terminating' });
  });
  it('drops pods not running, without IP or with a malformed IP', () => {
    expect(podEndpoint(pod('a', { phase: 'Pending', podIP: '10.0.0.1' })).endpoint).toBe(false);
    expect(podEndpoint(pod('a', { phase: 'Running' }))).toEqual({ endpoint: false, reason: 'no-ip' });
    expect(podEndpoint(pod('a', { phase: 'Running', podIP: '10.0.0.300' }))).toEqual({ endpoint: false, reason: 'malformed-ip' });
  });

  it('drops a running pod whose first container is not running (as upstream reads it)', () => {
    const crashed = { phase: 'Running', podIP: '10.0.0.1', containerStatuses: [{ state: { waiting: {} } }, { state: { running: {} } }] };
    expect(podEndpoint(pod('a', crashed))).toEqual({ endpoint: false, reason: 'not-running' });
    const fine = { phase: 'Running', podIP: '10.0.0.1', containerStatuses: [{ state: { running: { startedAt: '2026-01-01T00:00:00Z' } } }] };
    expect(podEndpoint(pod('a', fine))).toEqual({ endpoint: true, ip: '10.0.0.1' });
  });
});

describe('endpointIps', () => {
  it('sorts, de-duplicates and reports the skipped pods', () => {
    const r = endpointIps([pod('b', { phase: 'Running', podIP: '10.0.0.2' }), pod('a', { phase: 'Running', podIP: '10.0.0.1' }), pod('c', { phase: 'Running' })]);
    expect(r.ips).toEqual(['10.0.0.1', '10.0.0.2']);
    expect(r.skipped).toEqual([{ pod: 'kube-system/c', reason: 'no-ip' }]);
  });
});
