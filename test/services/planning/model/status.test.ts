import { describe, expect, it } from 'vitest';
import { decideAction, inSync, shouldDelete } from '../../../../services/planning/model/status.ts';
import { isCompleteStatus as isComplete } from '../../../../services/planning/stack-contract.ts';
import type { LoadBalancerSpec } from '../../../../services/planning/types/load-balancer.ts';
import type { ManagedStack } from '../../../../services/planning/types/stack.ts';
import { HOUR, NOW, ref, stack } from './builders.ts';

function spec(s: ManagedStack | undefined, overrides: Partial<LoadBalancerSpec> = {}): LoadBalancerSpec {
  return {
    stack: s,
    scheme: 'internet-facing',
    securityGroup: 'sg-default',
    sslPolicy: 'ELBSecurityPolicy-2016-08',
    ipAddressType: 'ipv4',
    loadBalancerType: 'application',
    http2: true,
    wafWebACLID: '',
    shared: true,
    owner: '',
    ingressesByCertificate: { 'arn:a': [ref('web')] },
    certificateARNs: { 'arn:a': null },
    ingresses: [ref('web')],
    clusterLocal: false,
    ...overrides,
  };
}

describe('shouldDelete', () => {
  it.each<[string, Record<string, number | null> | undefined, boolean]>([
    ['no stack', undefined, false],
    ['no certificate tags at all', {}, true],
    ['a certificate in use', { 'arn:a': null }, false],
    ['a drain still running', { 'arn:a': NOW + 1000 }, false],
    ['every drain expired', { 'arn:a': NOW - 1000, 'arn:b': NOW - HOUR }, true],
    ['expiry exactly now counts as expired', { 'arn:a': NOW }, true],
    ['one expired, one in use', { 'arn:a': NOW - 1000, 'arn:b': null }, false],
    ['one expired, one draining', { 'arn:a': NOW - 1000, 'arn:b': NOW + HOUR }, false],
  ])('%s', (_label, certs, expected) => {
    expect(shouldDelete(certs === undefined ? undefined : stack('s', { certs }), NOW)).toBe(expected);
  });
});

describe('isComplete', () => {
  it.each([
    ['CREATE_COMPLETE', true],
    ['UPDATE_COMPLETE', true],
    ['ROLLBACK_COMPLETE', true],
    ['UPDATE_ROLLBACK_COMPLETE', true],
    ['CREATE_IN_PROGRESS', false],
    ['UPDATE_IN_PROGRESS', false],
    ['UPDATE_COMPLETE_CLEANUP_IN_PROGRESS', false],
    ['DELETE_FAILED', false],
  ])('%s: %s', (status, expected) => {
    expect(isComplete(status)).toBe(expected);
  });
});

describe('inSync', () => {
  const base = stack('s', { certs: { 'arn:a': null }, alarmHash: 'h1', waf: 'waf-1', sslPolicy: 'ELBSecurityPolicy-2016-08' });
  const lb = (overrides: Partial<LoadBalancerSpec> = {}): LoadBalancerSpec => spec(base, { wafWebACLID: 'waf-1', ...overrides });

  it.each<[string, LoadBalancerSpec, string, boolean]>([
    ['everything equal', lb(), 'h1', true],
    ['certificate added', lb({ certificateARNs: { 'arn:a': null, 'arn:b': null } }), 'h1', false],
    ['certificate removed', lb({ certificateARNs: {} }), 'h1', false],
    ['certificate starts draining', lb({ certificateARNs: { 'arn:a': NOW + HOUR } }), 'h1', false],
    ['different certificate', lb({ certificateARNs: { 'arn:b': null } }), 'h1', false],
    ['alarm configuration changed', lb(), 'h2', false],
    ['alarms removed', lb(), '', false],
    ['WAF changed', lb({ wafWebACLID: 'waf-2' }), 'h1', false],
    ['SSL policy changed', lb({ sslPolicy: 'ELBSecurityPolicy-FS-2018-06' }), 'h1', false],
    ['security group differs: not compared', lb({ securityGroup: 'sg-other' }), 'h1', true],
    ['scheme differs: not compared', lb({ scheme: 'internal' }), 'h1', true],
    ['http2 differs: not compared', lb({ http2: false }), 'h1', true],
  ])('%s', (_label, model, alarmHash, expected) => {
    expect(inSync(model, alarmHash)).toBe(expected);
  });

  it('compares drain deadlines as instants', () => {
    const draining = stack('s', { certs: { 'arn:a': NOW + HOUR } });
    expect(inSync(spec(draining, { certificateARNs: { 'arn:a': NOW + HOUR } }), '')).toBe(true);
    expect(inSync(spec(draining, { certificateARNs: { 'arn:a': NOW + 2 * HOUR } }), '')).toBe(false);
  });
});

describe('decideAction', () => {
  const opts = { alarmHash: '', now: NOW };

  it.each<[string, LoadBalancerSpec, string]>([
    ['cluster-local holder is always ready', spec(undefined, { clusterLocal: true, ingressesByCertificate: {}, certificateARNs: {} }), 'ready'],
    ['new load balancer with ingresses is created', spec(undefined), 'create'],
    ['stack whose drains all expired is deleted', spec(stack('s', { certs: { 'arn:a': NOW - 1 } }), { certificateARNs: {} }), 'delete'],
    ['stack without certificate tags is deleted', spec(stack('s'), { certificateARNs: {} }), 'delete'],
    ['stack in sync is ready', spec(stack('s', { certs: { 'arn:a': null } })), 'ready'],
    ['stack out of sync and complete is updated', spec(stack('s', { certs: { 'arn:b': null } })), 'update'],
    ['stack out of sync but in progress waits', spec(stack('s', { certs: { 'arn:b': null }, status: 'UPDATE_IN_PROGRESS' })), 'ready'],
    ['stack out of sync after a rollback is updated', spec(stack('s', { certs: { 'arn:b': null }, status: 'UPDATE_ROLLBACK_COMPLETE' })), 'update'],
    ['delete wins over an out-of-sync update', spec(stack('s', { certs: { 'arn:b': NOW - 1 } })), 'delete'],
  ])('%s', (_label, lb, expected) => {
    expect(decideAction(lb, opts)).toBe(expected);
  });
});
