import { describe, it, expect } from 'vitest';
import { ConfigError } from '../../../services/config/parse.ts';
import { configErrorOf, HOST_PORT, type Env } from './helpers.ts';

interface Case {
  readonly why: string;
  readonly args: readonly string[];
  /** The flag the error must name (ConfigError.flag and the message). */
  readonly flag: string;
  readonly env?: Env;
  /** Leave out --target-access-mode=HostPort. */
  readonly bare?: true;
}

const cases: readonly Case[] = [
  // ports
  { why: 'health check port 0', args: ['--health-check-port=0'], flag: '--health-check-port' },
  { why: 'health check port too big', args: ['--health-check-port=70000'], flag: '--health-check-port' },
  { why: 'target port 0', args: ['--target-port=0'], flag: '--target-port' },
  { why: 'target port too big', args: ['--target-port=65536'], flag: '--target-port' },
  { why: 'ALB HTTP target port too big', args: ['--alb-http-target-port=65536'], flag: '--alb-http-target-port' },
  { why: 'NLB HTTP target port too big', args: ['--nlb-http-target-port=65536', '--nlb-http-enabled'], flag: '--nlb-http-target-port' },
  { why: 'NLB HTTP target port without NLB HTTP', args: ['--nlb-http-target-port=8080'], flag: '--nlb-http-target-port' },
  // thresholds
  { why: 'ALB healthy threshold 1', args: ['--alb-healthy-threshold-count=1'], flag: '--alb-healthy-threshold-count' },
  { why: 'ALB healthy threshold 11', args: ['--alb-healthy-threshold-count=11'], flag: '--alb-healthy-threshold-count' },
  { why: 'ALB unhealthy threshold 1', args: ['--alb-unhealthy-threshold-count=1'], flag: '--alb-unhealthy-threshold-count' },
  { why: 'ALB unhealthy threshold 11', args: ['--alb-unhealthy-threshold-count=11'], flag: '--alb-unhealthy-threshold-count' },
  { why: 'NLB healthy threshold 0', args: ['--nlb-healthy-threshold-count=0'], flag: '--nlb-healthy-threshold-count' },
  { why: 'NLB healthy threshold 11', args: ['--nlb-healthy-threshold-count=11'], flag: '--nlb-healthy-threshold-count' },
  // certificates
  { why: 'more than 24 certificates', args: ['--max-certs-alb=25'], flag: '--max-certs-alb' },
  { why: 'unknown SSL policy', args: ['--ssl-policy=ELBSecurityPolicy-TLS13-1-2-PQ-2025-09'], flag: '--ssl-policy' },
  { why: 'SSL policy in the wrong case', args: ['--ssl-policy=elbsecuritypolicy-2016-08'], flag: '--ssl-policy' },
  // enums
  { why: 'ip address type ipv6', args: ['--ip-addr-type=ipv6'], flag: '--ip-addr-type' },
  { why: 'load balancer type gateway', args: ['--load-balancer-type=gateway'], flag: '--load-balancer-type' },
  { why: 'target access mode lower case', args: ['--target-access-mode=hostport'], flag: '--target-access-mode', bare: true },
  { why: 'missing target access mode', args: [], flag: '--target-access-mode', bare: true },
  { why: 'missing target access mode in plan mode', args: ['plan', '--debug'], flag: '--target-access-mode', bare: true },
  // AWS CNI
  {
    why: 'AWSCNI without a namespace',
    args: ['--target-access-mode=AWSCNI', '--target-cni-pod-labelselector=app=skipper'],
    flag: '--target-cni-namespace',
    bare: true,
  },
  {
    why: 'AWSCNI without a label selector',
    args: ['--target-access-mode=AWSCNI', '--target-cni-namespace=kube-system'],
    flag: '--target-cni-pod-labelselector',
    bare: true,
  },
  {
    why: 'AWSCNI with a label selector that does not parse',
    args: ['--target-access-mode=AWSCNI', '--target-cni-namespace=kube-system', '--target-cni-pod-labelselector=env in ()'],
    flag: '--target-cni-pod-labelselector',
    bare: true,
  },
  // durations
  { why: 'creation timeout under a minute', args: ['--creation-timeout=59s'], flag: '--creation-timeout' },
  { why: 'creation timeout under a minute from env', args: [], env: { CREATION_TIMEOUT: '30s' }, flag: '--creation-timeout' },
  { why: 'renew deadline not shorter than the lease', args: ['--leader-election-renew-deadline=15s'], flag: '--leader-election-renew-deadline' },
  { why: 'retry period not shorter than the renew deadline', args: ['--leader-election-retry-period=10s'], flag: '--leader-election-retry-period' },
  { why: 'no stack operation allowed', args: ['--max-stack-operations=0'], flag: '--max-stack-operations' },
  { why: 'stack poll interval under a second', args: ['--stack-poll-interval=500ms'], flag: '--stack-poll-interval' },
  { why: 'unit-less duration', args: ['--polling-interval=10'], flag: '--polling-interval' },
  { why: 'unknown duration unit', args: ['--cert-ttl-timeout=1d'], flag: '--cert-ttl-timeout' },
  { why: 'empty duration', args: ['--health-check-interval='], flag: '--health-check-interval' },
  { why: 'spaced duration', args: ['--min-load-balancer-age=1h 30m'], flag: '--min-load-balancer-age' },
  { why: 'malformed duration from env', args: [], env: { POLLING_INTERVAL: 'soon' }, flag: '--polling-interval' },
  { why: 'malformed duration from CERT_POLLING_INTERVAL', args: [], env: { CERT_POLLING_INTERVAL: '30' }, flag: '--cert-polling-interval' },
  // integers and booleans
  { why: 'port that is not a number', args: ['--health-check-port=http'], flag: '--health-check-port' },
  { why: 'negative uint', args: ['--target-port=-1'], flag: '--target-port' },
  { why: 'uint beyond 64 bits', args: ['--target-port=18446744073709551616'], flag: '--target-port' },
  { why: 'fractional int', args: ['--max-certs-alb=1.5'], flag: '--max-certs-alb' },
  { why: 'status code that is not a number', args: ['--deny-internal-domains-response-status-code=forbidden'], flag: '--deny-internal-domains-response-status-code' },
  { why: 'boolean spelled yes', args: ['--debug=yes'], flag: '--debug' },
  { why: 'negated boolean with a value', args: ['--no-debug=true'], flag: '--no-debug' },
  // AWS API rate limits
  { why: 'throttle entry without limits', args: ['--aws-api-throttle=ec2:Describe.*'], flag: '--aws-api-throttle' },
  { why: 'throttle entry for an unknown service', args: ['--aws-api-throttle=s3:.*=1:2'], flag: '--aws-api-throttle' },
  { why: 'throttle regex that does not compile', args: ['--aws-api-throttle=ec2:(Describe=1:2'], flag: '--aws-api-throttle' },
  { why: 'throttle rate 0', args: ['--aws-api-throttle=ec2:.*=0:2'], flag: '--aws-api-throttle' },
  { why: 'throttle burst 0', args: ['--aws-api-throttle=ec2:.*=1:0'], flag: '--aws-api-throttle' },
  { why: 'fractional throttle burst', args: ['--aws-api-throttle=ec2:.*=1:2.5'], flag: '--aws-api-throttle' },
  { why: 'throttle list with an empty entry', args: ['--aws-api-throttle=ec2:.*=1:2,'], flag: '--aws-api-throttle' },
  // structured strings
  { why: 'config map without namespace', args: ['--cloudwatch-alarms-config-map=alarms'], flag: '--cloudwatch-alarms-config-map' },
  { why: 'config map with three parts', args: ['--cloudwatch-alarms-config-map=a/b/c'], flag: '--cloudwatch-alarms-config-map' },
  { why: 'config map with an empty middle', args: ['--cloudwatch-alarms-config-map=a//b'], flag: '--cloudwatch-alarms-config-map' },
  { why: 'map entry without "="', args: ['--additional-stack-tags=team'], flag: '--additional-stack-tags' },
  { why: 'map entry with an empty key', args: ['--additional-stack-tags==web'], flag: '--additional-stack-tags' },
  // command-line shape
  { why: 'unknown flag', args: ['--bogus'], flag: '--bogus' },
  { why: 'misspelt flag', args: ['--polling-intervall=5s'], flag: '--polling-intervall' },
  { why: 'single-dash flag', args: ['-debug'], flag: '-debug' },
  { why: 'removed upstream flag', args: ['--ingress-api-version=networking.k8s.io/v1'], flag: '--ingress-api-version' },
  { why: '--no- form of a string flag', args: ['--no-cluster-id'], flag: '--no-cluster-id' },
  { why: 'missing value at the end', args: ['--cluster-id'], flag: '--cluster-id' },
  { why: 'missing value before another flag', args: ['--cluster-id', '--vpc-id=vpc-1'], flag: '--cluster-id' },
  { why: 'single-valued flag repeated', args: ['--cluster-id=a', '--cluster-id=b'], flag: '--cluster-id' },
  { why: 'boolean repeated as --x and --no-x', args: ['--debug', '--no-debug'], flag: '--no-debug' },
];

describe('validation errors', () => {
  it.each(cases.map((c) => [c.why, c] as const))('%s', (_why, c) => {
    const error = configErrorOf(c.bare ? c.args : [HOST_PORT, ...c.args], c.env ?? {});
    expect(error).toBeInstanceOf(ConfigError);
    expect(error.flag).toBe(c.flag);
    expect(error.message.startsWith(c.flag)).toBe(true);
    expect(error.message).toContain('; accepted: ');
    expect(error.message).not.toMatch(/[\r\n]/);
    if (c.env) {
      const [name, value] = Object.entries(c.env)[0] as [string, string];
      expect(error.message).toContain(name);
      expect(error.value).toBe(value);
    }
  });

  it('spells the message as flag, value, problem and what is accepted', () => {
    const error = configErrorOf([HOST_PORT, '--health-check-port=70000']);
    expect(error.message).toBe('--health-check-port: 70000 is out of range; accepted: 1..65535');
    expect(error.value).toBe('70000');
  });

  it('lists all 18 SSL policies as accepted', () => {
    const error = configErrorOf([HOST_PORT, '--ssl-policy=nope']);
    expect(error.accepted.split(', ')).toHaveLength(18);
  });

  it('names the environment variable a bad value came from', () => {
    expect(configErrorOf([HOST_PORT], { POLLING_INTERVAL: '10' }).message).toBe(
      '--polling-interval: 10 (from POLLING_INTERVAL) has no unit; accepted: a Go duration such as 300ms, 30s, 5m, 1h30m or 1.5h (units ns, us, ms, s, m, h)',
    );
  });

  it('suggests the closest flag for a typo', () => {
    expect(configErrorOf([HOST_PORT, '--polling-intervall=5s']).message).toContain('did you mean --polling-interval?');
  });

  it('keeps a value with a line break on one line', () => {
    const error = configErrorOf([HOST_PORT, '--cloudwatch-alarms-config-map=a\nb']);
    expect(error.message).not.toMatch(/\n/);
    expect(error.message).toContain('"a\\nb"');
  });

  it.each([
    [['foo'], 'foo'],
    [['plan', 'now'], 'now'],
    [['plan', 'plan'], 'plan'],
  ])('rejects stray arguments %j', (args, stray) => {
    const error = configErrorOf([HOST_PORT, ...args]);
    expect(error.message).toContain(`"${stray}"`);
    expect(error.message).not.toMatch(/\n/);
  });

  it('accepts the boundaries', () => {
    expect(() =>
      configErrorOf([
        HOST_PORT,
        '--health-check-port=65535',
        '--target-port=1',
        '--alb-http-target-port=65535',
        '--nlb-http-target-port=65535',
        '--nlb-http-enabled',
        '--alb-healthy-threshold-count=2',
        '--alb-unhealthy-threshold-count=10',
        '--nlb-healthy-threshold-count=10',
        '--max-certs-alb=24',
        '--creation-timeout=1m',
      ]),
    ).toThrow(/expected a ConfigError/);
  });
});
