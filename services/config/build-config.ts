// From typed flag values to the Config object: upstream's validation (same rules, one-line errors), upstream's
// silent coercions (kept, but reported as warnings), and the few derived fields.

import { parseLabelSelector } from '../kubernetes/label-selector.ts';
import { throttleRules, type ThrottleRule } from '../aws/throttle/throttle-rules.ts';
import type {
  Config,
  ConfigWarning,
  IpAddressType,
  LoadBalancerType,
  NamespacedName,
  TargetAccessMode,
} from './config.ts';
import { ConfigError } from './config-error.ts';
import { CUSTOM_FILTERS_ENV, parseCustomFilters } from './custom-filters.ts';
import type { Environment, FlagValues } from './flag-values.ts';
import { TARGET_ACCESS_MODES } from './flags.ts';

const SECOND = 1_000;
const MINUTE = 60 * SECOND;
const MAX_PORT = 65_535;
/** AWS allows 25 certificates per listener; upstream keeps one slot free to dodge a CloudFormation bug. */
const MAX_CERTS_PER_ALB = 24;

function fail(values: FlagValues, name: string, problem: string, accepted: string): never {
  throw new ConfigError(`--${name}`, values.text(name), problem, accepted, values.envSource(name));
}

function requireRange(values: FlagValues, name: string, value: number, min: number, max: number): void {
  if (value < min || value > max) fail(values, name, 'is out of range', `${min}..${max}`);
}

/** Upstream's kubernetes.ParseResourceLocation: outer slashes trimmed, then exactly `namespace/name`. */
export function parseNamespacedName(text: string): NamespacedName | undefined {
  const parts = text.replace(/^\/+|\/+$/g, '').split('/');
  if (parts.length !== 2) return undefined;
  const [namespace, name] = parts as [string, string];
  return { namespace, name };
}

/** Upstream's adapter keeps its zero value when the flag is outside the accepted window. */
function coerceWindow(
  values: FlagValues,
  name: string,
  min: number,
  max: number,
  warnings: ConfigWarning[],
): number {
  const value = values.duration(name);
  if (value >= min && value <= max) return value;
  // Seconds, as upstream's help states the window; Go's format would turn 4000s into 1h6m40s.
  warnings.push({
    flag: `--${name}`,
    message:
      `--${name}: ${values.text(name)} is outside ${min / SECOND}s..${max / SECOND}s; ` +
      'using 0 as the Go controller does (the load balancer attribute becomes "0")',
  });
  return 0;
}

function certFilterTag(values: FlagValues, warnings: ConfigWarning[]): string {
  const tag = values.string('cert-filter-tag');
  if (tag === '') return '';
  if (tag.split('=').length !== 2) {
    warnings.push({
      flag: '--cert-filter-tag',
      message: `--cert-filter-tag: ${JSON.stringify(tag)} is not key=value (exactly one "="); ignoring it, all certificates are considered`,
    });
    return '';
  }
  if (tag === '=') {
    warnings.push({
      flag: '--cert-filter-tag',
      message: '--cert-filter-tag: "=" names no tag; ignoring it, all certificates are considered',
    });
    return '';
  }
  return tag;
}

function apiThrottle(values: FlagValues): ThrottleRule[] {
  try {
    return throttleRules(values.string('aws-api-throttle'));
  } catch (err) {
    return fail(values, 'aws-api-throttle', `is invalid (${(err as Error).message})`, 'comma-separated service:operationRegex=rate:burst, e.g. elasticloadbalancing:^Describe=5:10');
  }
}

export function buildConfig(values: FlagValues, env: Environment): { config: Config; warnings: ConfigWarning[] } {
  const warnings: ConfigWarning[] = [];

  const targetAccessMode = values.enum('target-access-mode');
  if (targetAccessMode === undefined) {
    throw new ConfigError('--target-access-mode', undefined, 'is required', TARGET_ACCESS_MODES.join(', '));
  }
  if (targetAccessMode === 'AWSCNI') {
    if (values.string('target-cni-namespace') === '') {
      fail(values, 'target-cni-namespace', 'is required with --target-access-mode=AWSCNI', 'a namespace name');
    }
    if (values.string('target-cni-pod-labelselector') === '') {
      fail(values, 'target-cni-pod-labelselector', 'is required with --target-access-mode=AWSCNI', 'a Kubernetes label selector');
    }
  }
  // AWS CNI: parsed here so a selector the API server would reject stops start-up (upstream fails it late).
  if (values.string('target-cni-pod-labelselector') !== '') {
    try {
      parseLabelSelector(values.string('target-cni-pod-labelselector'));
    } catch (err) {
      fail(values, 'target-cni-pod-labelselector', `does not parse (${(err as Error).message})`, 'a Kubernetes label selector, e.g. application=skipper or env in (a,b)');
    }
  }

  if (values.duration('leader-election-renew-deadline') >= values.duration('leader-election-lease-duration')) {
    fail(values, 'leader-election-renew-deadline', 'is not shorter than --leader-election-lease-duration', 'a duration shorter than the lease duration');
  }
  if (values.duration('leader-election-retry-period') >= values.duration('leader-election-renew-deadline') || values.duration('leader-election-retry-period') <= 0) {
    fail(values, 'leader-election-retry-period', 'is not between 0 and --leader-election-renew-deadline', 'a positive duration shorter than the renew deadline');
  }
  if (values.int('max-stack-operations') < 1) {
    fail(values, 'max-stack-operations', 'is less than 1', 'a whole number of at least 1');
  }
  if (values.duration('stack-poll-interval') < SECOND) {
    fail(values, 'stack-poll-interval', 'is shorter than a second', 'a duration of at least 1s');
  }
  if (values.duration('creation-timeout') < MINUTE) {
    fail(values, 'creation-timeout', 'is shorter than a minute', 'a duration of at least 1m');
  }
  requireRange(values, 'health-check-port', values.uint('health-check-port'), 1, MAX_PORT);
  for (const name of ['alb-healthy-threshold-count', 'alb-unhealthy-threshold-count', 'nlb-healthy-threshold-count']) {
    requireRange(values, name, values.uint(name), 2, 10);
  }
  requireRange(values, 'target-port', values.uint('target-port'), 1, MAX_PORT);
  requireRange(values, 'alb-http-target-port', values.uint('alb-http-target-port'), 0, MAX_PORT);
  requireRange(values, 'nlb-http-target-port', values.uint('nlb-http-target-port'), 0, MAX_PORT);
  if (values.uint('nlb-http-target-port') > 0 && !values.bool('nlb-http-enabled')) {
    fail(values, 'nlb-http-target-port', 'needs --nlb-http-enabled', '0, or any port together with --nlb-http-enabled');
  }
  if (values.int('max-certs-alb') > MAX_CERTS_PER_ALB) {
    fail(values, 'max-certs-alb', 'is more than AWS allows', `at most ${MAX_CERTS_PER_ALB}`);
  }

  const alarmsText = values.string('cloudwatch-alarms-config-map');
  let cloudwatchAlarmsConfigMap: NamespacedName | undefined;
  if (alarmsText !== '') {
    cloudwatchAlarmsConfigMap = parseNamespacedName(alarmsText);
    if (!cloudwatchAlarmsConfigMap) fail(values, 'cloudwatch-alarms-config-map', 'is not namespace/name', 'namespace/name, or empty');
  }

  if (values.bool('debug') && values.bool('quiet')) {
    warnings.push({ flag: '--quiet', message: '--quiet and --debug are both set; --debug wins, logging at debug level' });
  }

  const customFilters = parseCustomFilters(env[CUSTOM_FILTERS_ENV]);
  if (customFilters.warning) warnings.push(customFilters.warning);

  const classFilter = values.string('ingress-class-filter');

  const config: Config = {
    version: values.bool('version'),
    debug: values.bool('debug'),
    quiet: values.bool('quiet'),
    apiServerBaseURL: values.string('api-server-base-url'),
    metricsAddress: values.string('metrics-address'),
    disableInstrumentedHTTPClient: values.bool('disable-instrumented-http-client'),

    pollingIntervalMs: values.duration('polling-interval'),
    creationTimeoutMs: values.duration('creation-timeout'),
    stackPollIntervalMs: values.duration('stack-poll-interval'),
    maxStackOperations: values.int('max-stack-operations'),
    discoveryRefreshIntervalMs: values.duration('discovery-refresh-interval'),
    leaderElection: {
      enabled: values.bool('leader-election'),
      namespace: values.string('leader-election-namespace'),
      name: values.string('leader-election-name'),
      leaseDurationMs: values.duration('leader-election-lease-duration'),
      renewDeadlineMs: values.duration('leader-election-renew-deadline'),
      retryPeriodMs: values.duration('leader-election-retry-period'),
    },
    certPollingIntervalMs: values.duration('cert-polling-interval'),
    certTTLTimeoutMs: values.duration('cert-ttl-timeout'),
    minLoadBalancerAgeMs: values.duration('min-load-balancer-age'),
    healthCheckIntervalMs: values.duration('health-check-interval'),
    healthCheckTimeoutMs: values.duration('health-check-timeout'),
    idleConnectionTimeoutMs: coerceWindow(values, 'idle-connection-timeout', 1 * SECOND, 4000 * SECOND, warnings),
    deregistrationDelayTimeoutMs: coerceWindow(values, 'deregistration-delay-timeout', 1 * SECOND, 3600 * SECOND, warnings),

    controllerId: values.string('controller-id'),
    clusterId: values.string('cluster-id'),
    vpcId: values.string('vpc-id'),
    clusterLocalDomain: values.string('cluster-local-domain'),
    customFilters: customFilters.filters,

    disableSNISupport: values.bool('disable-sni-support'),
    maxCertsALB: values.int('max-certs-alb'),
    certFilterTag: certFilterTag(values, warnings),
    blacklistCertificateARNs: values.strings('blacklist-certificate-arns'),
    extraTrustedCAFile: values.string('extra-trusted-ca-file'),

    stackTerminationProtection: values.bool('stack-termination-protection'),
    additionalStackTags: values.map('additional-stack-tags'),
    cloudwatchAlarmsConfigMap,

    loadBalancerType: values.enum('load-balancer-type') as LoadBalancerType,
    ipAddrType: values.enum('ip-addr-type') as IpAddressType,
    sslPolicy: values.enum('ssl-policy') as string,
    healthCheckPath: values.string('health-check-path'),
    healthCheckPort: values.uint('health-check-port'),
    targetPort: values.uint('target-port'),
    albHTTPTargetPort: values.uint('alb-http-target-port'),
    nlbHTTPTargetPort: values.uint('nlb-http-target-port'),
    targetHTTPS: values.bool('target-https'),
    albHealthyThresholdCount: values.uint('alb-healthy-threshold-count'),
    albUnhealthyThresholdCount: values.uint('alb-unhealthy-threshold-count'),
    nlbHealthyThresholdCount: values.uint('nlb-healthy-threshold-count'),
    logsS3Bucket: values.string('logs-s3-bucket'),
    logsS3Prefix: values.string('logs-s3-prefix'),
    awsWAFWebACLID: values.string('aws-waf-web-acl-id'),
    redirectHTTPToHTTPS: values.bool('redirect-http-to-https'),
    nlbZoneAffinity: values.string('nlb-zone-affinity'),
    nlbCrossZone: values.bool('nlb-cross-zone'),
    nlbHTTPEnabled: values.bool('nlb-http-enabled'),
    denyInternalDomains: values.bool('deny-internal-domains'),
    internalDomains: values.strings('internal-domains'),
    denyInternalDomainsResponse: values.string('deny-internal-domains-response'),
    denyInternalDomainsResponseContentType: values.string('deny-internal-domains-response-content-type'),
    denyInternalDomainsResponseStatusCode: values.int('deny-internal-domains-response-status-code'),

    // Split without trimming, as upstream: 'a, b' selects the classes 'a' and ' b'.
    ingressClassFilter: classFilter === '' ? [] : classFilter.split(','),
    targetAccessMode: targetAccessMode as TargetAccessMode,
    targetCNINamespace: values.string('target-cni-namespace'),
    targetCNIPodLabelSelector: values.string('target-cni-pod-labelselector'),

    stateDir: values.string('state-dir'),
    awsApiThrottle: apiThrottle(values),
  };
  return { config, warnings };
}
