import { describe, it, expect } from 'vitest';
import type { Config } from '../../../services/config/config.ts';
import { parseRun, HOST_PORT } from './helpers.ts';
import { DEFAULT_AWS_API_THROTTLE, throttleRules } from '../../../services/aws/throttle/throttle-rules.ts';

// The upstream defaults (v0.18) plus this project's flags, as one object.
const DEFAULT_CONFIG: Config = {
  version: false,
  debug: false,
  quiet: false,
  apiServerBaseURL: '',
  metricsAddress: ':7979',
  disableInstrumentedHTTPClient: false,

  pollingIntervalMs: 30_000,
  creationTimeoutMs: 5 * 60_000,
  stackPollIntervalMs: 10_000,
  maxStackOperations: 10,
  discoveryRefreshIntervalMs: 600_000,
  leaderElection: { enabled: true, namespace: '', name: 'kube-ingress-aws-controller', leaseDurationMs: 15_000, renewDeadlineMs: 10_000, retryPeriodMs: 2_000 },
  certPollingIntervalMs: 30 * 60_000,
  certTTLTimeoutMs: 60 * 60_000,
  minLoadBalancerAgeMs: 6 * 60_000,
  healthCheckIntervalMs: 10_000,
  healthCheckTimeoutMs: 5_000,
  idleConnectionTimeoutMs: 60_000,
  deregistrationDelayTimeoutMs: 5 * 60_000,

  controllerId: 'kube-ingress-aws-controller',
  clusterId: '',
  vpcId: '',
  clusterLocalDomain: '',
  customFilters: undefined,

  disableSNISupport: false,
  maxCertsALB: 24,
  certFilterTag: '',
  blacklistCertificateARNs: [],
  extraTrustedCAFile: '',

  stackTerminationProtection: false,
  additionalStackTags: {},
  cloudwatchAlarmsConfigMap: undefined,

  loadBalancerType: 'application',
  ipAddrType: 'ipv4',
  sslPolicy: 'ELBSecurityPolicy-2016-08',
  healthCheckPath: '/kube-system/healthz',
  healthCheckPort: 9999,
  targetPort: 9999,
  albHTTPTargetPort: 0,
  nlbHTTPTargetPort: 0,
  targetHTTPS: false,
  albHealthyThresholdCount: 5,
  albUnhealthyThresholdCount: 2,
  nlbHealthyThresholdCount: 3,
  logsS3Bucket: '',
  logsS3Prefix: '',
  awsWAFWebACLID: '',
  redirectHTTPToHTTPS: false,
  nlbZoneAffinity: 'any_availability_zone',
  nlbCrossZone: false,
  nlbHTTPEnabled: false,
  denyInternalDomains: false,
  internalDomains: ['*.cluster.local'],
  denyInternalDomainsResponse: 'Unauthorized',
  denyInternalDomainsResponseContentType: 'text/plain',
  denyInternalDomainsResponseStatusCode: 401,

  ingressClassFilter: [],
  targetAccessMode: 'HostPort',
  targetCNINamespace: '',
  targetCNIPodLabelSelector: '',

  stateDir: '/var/lib/kube-ingress-aws-controller',
  awsApiThrottle: throttleRules(DEFAULT_AWS_API_THROTTLE),
};

describe('defaults', () => {
  it('--target-access-mode=HostPort alone gives every upstream default and no warning', () => {
    const outcome = parseRun([HOST_PORT]);
    expect(outcome.kind).toBe('run');
    expect(outcome.config).toStrictEqual(DEFAULT_CONFIG);
    expect(outcome.warnings).toEqual([]);
  });

  it('the two-argument form gives the same result', () => {
    expect(parseRun(['--target-access-mode', 'HostPort']).config).toStrictEqual(DEFAULT_CONFIG);
  });

  it('unrelated environment variables change nothing', () => {
    const env = { DEBUG: 'true', HEALTH_CHECK_PORT: '1', KUBERNETES_SERVICE_HOST: '10.0.0.1', POLLING_INTERVAL: '' };
    expect(parseRun([HOST_PORT], env).config).toStrictEqual(DEFAULT_CONFIG);
  });
});
