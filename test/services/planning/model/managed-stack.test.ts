import { describe, expect, it } from 'vitest';
import { isManagedStack, toManagedStack } from '../../../../services/planning/model/managed-stack.ts';
import { formatRFC3339, parseRFC3339 } from '../../../../services/planning/rfc3339.ts';
import { GO_ZERO_TIME } from '../../../../services/planning/stack-contract.ts';
import { CLUSTER_ID, CONTROLLER_ID, NOW, rawStack } from './builders.ts';

describe('isManagedStack', () => {
  const app = { 'kubernetes:application': CONTROLLER_ID };
  it.each<[string, Record<string, string>, boolean]>([
    ['controller and cluster tags', { ...app, [`kubernetes.io/cluster/${CLUSTER_ID}`]: 'owned' }, true],
    ['legacy ClusterID tag', { ...app, ClusterID: CLUSTER_ID }, true],
    ['cluster tag not "owned"', { ...app, [`kubernetes.io/cluster/${CLUSTER_ID}`]: 'shared' }, false],
    ['another cluster', { ...app, 'kubernetes.io/cluster/other': 'owned', ClusterID: 'other' }, false],
    ['another controller', { 'kubernetes:application': 'other', [`kubernetes.io/cluster/${CLUSTER_ID}`]: 'owned' }, false],
    ['no controller tag', { [`kubernetes.io/cluster/${CLUSTER_ID}`]: 'owned' }, false],
  ])('%s', (_label, tags, expected) => {
    expect(isManagedStack(tags, CONTROLLER_ID, CLUSTER_ID)).toBe(expected);
  });
});

describe('toManagedStack', () => {
  it('derives everything from parameters, outputs and tags', () => {
    const raw = rawStack('s1', {
      certs: { 'arn:a': null, 'arn:b': Date.parse('2026-03-01T13:00:00Z') },
      owner: 'shop/web',
      scheme: 'internal',
      securityGroup: 'sg-9',
      sslPolicy: 'ELBSecurityPolicy-FS-2018-06',
      ipAddressType: 'dualstack',
      type: 'network',
      http2: false,
      waf: 'waf-1',
      alarmHash: 'abc',
    });
    const stack = toManagedStack({
      ...raw,
      outputs: { ...raw.outputs, HTTPTargetGroupARN: 'arn:tg-http' },
    });
    expect(stack).toMatchObject({
      name: 's1',
      status: 'CREATE_COMPLETE',
      scheme: 'internal',
      securityGroup: 'sg-9',
      sslPolicy: 'ELBSecurityPolicy-FS-2018-06',
      ipAddressType: 'dualstack',
      loadBalancerType: 'network',
      http2: false,
      wafWebACLID: 'waf-1',
      loadBalancerARN: raw.outputs['LoadBalancerARN'],
      dnsName: 's1-1.eu-central-1.elb.amazonaws.com',
      targetGroupARNs: [raw.outputs['TargetGroupARN'], 'arn:tg-http'],
      certificateARNs: { 'arn:a': null, 'arn:b': Date.parse('2026-03-01T13:00:00Z') },
      ownerIngress: 'shop/web',
      cwAlarmConfigHash: 'abc',
    });
  });

  it('reads a legacy stack: no Type, no HTTP2, no owner, no WAF', () => {
    const raw = rawStack('legacy', { type: undefined });
    const { HTTP2: _omit, ...parameters } = raw.parameters;
    const stack = toManagedStack({ ...raw, parameters });
    expect(stack).toMatchObject({ loadBalancerType: '', http2: true, ownerIngress: '', wafWebACLID: '', cwAlarmConfigHash: '' });
  });

  it.each([
    ['true', true],
    ['false', false],
    ['False', true],
    ['', true],
  ])('HTTP2 parameter %j reads as %s', (value, expected) => {
    const raw = rawStack('s');
    expect(toManagedStack({ ...raw, parameters: { ...raw.parameters, HTTP2: value } }).http2).toBe(expected);
  });

  it('reads certificate tags: zero time, legacy tag and unparseable values mean "in use"', () => {
    const raw = rawStack('s');
    const stack = toManagedStack({
      ...raw,
      tags: {
        ...raw.tags,
        'ingress:certificate-arn/arn:zero': GO_ZERO_TIME,
        'ingress:certificate-arn/arn:future': '2026-03-01T13:00:00Z',
        'ingress:certificate-arn/arn:garbage': 'tomorrow',
        'ingress:certificate-arn': 'arn:legacy',
      },
    });
    expect(stack.certificateARNs).toEqual({
      'arn:zero': null,
      'arn:future': Date.parse('2026-03-01T13:00:00Z'),
      'arn:garbage': null,
      'arn:legacy': null,
    });
  });

  it('reads no certificates from a stack without certificate tags', () => {
    expect(toManagedStack(rawStack('s')).certificateARNs).toEqual({});
  });
});

describe('RFC3339 as Go reads and writes it', () => {
  it.each<[string, number | null | undefined]>([
    ['0001-01-01T00:00:00Z', null],
    ['0001-01-01T01:00:00+01:00', null],
    ['2026-03-01T12:00:00Z', NOW],
    ['2026-03-01T13:00:00+01:00', NOW],
    ['2026-03-01T12:00:00.5Z', NOW + 500],
    ['2026-03-01 12:00:00Z', undefined],
    ['2026-02-30T12:00:00Z', undefined],
    ['2026-03-01T24:00:00Z', undefined],
    ['2026-03-01T12:00:00', undefined],
  ])('%j', (value, expected) => {
    expect(parseRFC3339(value)).toBe(expected);
  });

  it('formats whole UTC seconds, and null as the zero time', () => {
    expect(formatRFC3339(NOW + 999)).toBe('2026-03-01T12:00:00Z');
    expect(formatRFC3339(null)).toBe('0001-01-01T00:00:00Z');
  });
});
