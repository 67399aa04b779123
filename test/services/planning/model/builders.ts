// Shared builders for the planning and parsing tests: a complete default Config, ingresses, certificates and
// stacks, all around one fixed instant so that validity windows read as real dates.
import type { Config } from '../../../../services/config/config.ts';
import type { CertificateSummary } from '../../../../services/planning/types/certificate.ts';
import type { IngressModel, IngressRef } from '../../../../services/planning/types/ingress.ts';
import type { ManagedStack } from '../../../../services/planning/types/stack.ts';
import { toManagedStack, type RawStack } from '../../../../services/planning/model/managed-stack.ts';
import { formatRFC3339 } from '../../../../services/planning/rfc3339.ts';
import { configFromFlags } from '../../../helpers/config.ts';

export const NOW = Date.parse('2026-03-01T12:00:00Z');
export const HOUR = 60 * 60 * 1000;
export const DAY = 24 * HOUR;
export const at = (iso: string): number => Date.parse(iso);

export const DEFAULT_SG = 'sg-default';
export const CONTROLLER_ID = 'kube-ingress-aws-controller';
export const CLUSTER_ID = 'aws:123:eu-central-1:kube-1';

export function testConfig(overrides: Partial<Config> = {}): Config {
  return configFromFlags([], overrides);
}

export function ref(name: string, kind: IngressRef['kind'] = 'Ingress', namespace = 'default'): IngressRef {
  return { kind, namespace, name };
}

/** A shared, internet-facing ALB ingress with the default settings; override what a test is about. */
export function ingress(name: string, hostnames: readonly string[], overrides: Partial<IngressModel> = {}): IngressModel {
  return {
    ref: ref(name),
    uid: `uid-${name}`,
    resourceVersion: '1',
    hostnames,
    clusterLocal: hostnames.length === 0,
    certificateARN: undefined,
    scheme: 'internet-facing',
    shared: true,
    securityGroup: undefined,
    sslPolicy: 'ELBSecurityPolicy-2016-08',
    hasSSLPolicyAnnotation: false,
    loadBalancerType: 'application',
    http2: true,
    wafWebACLID: '',
    ipAddressType: 'ipv4',
    currentHostname: '',
    warnings: [],
    ...overrides,
  };
}

/** A trusted certificate valid from 30 days ago to 60 days ahead of NOW, with its names as SANs. */
export function cert(arn: string, names: readonly string[], overrides: Partial<CertificateSummary> = {}): CertificateSummary {
  const notBefore = overrides.notBefore ?? NOW - 30 * DAY;
  const notAfter = overrides.notAfter ?? NOW + 60 * DAY;
  return {
    arn,
    source: 'acm',
    domainNames: names,
    dnsNames: names,
    notBefore,
    notAfter,
    chainNotBefore: notBefore,
    chainNotAfter: notAfter,
    trusted: true,
    ...overrides,
  };
}

export interface StackOptions {
  /** ARN -> expiry; null = in use. */
  readonly certs?: Readonly<Record<string, number | null>>;
  readonly owner?: string;
  readonly status?: string;
  readonly scheme?: string;
  readonly securityGroup?: string;
  readonly sslPolicy?: string;
  readonly ipAddressType?: string;
  /** undefined = a legacy stack without the Type parameter. */
  readonly type?: string | undefined;
  readonly http2?: boolean;
  readonly waf?: string;
  readonly alarmHash?: string;
}

export function rawStack(name: string, options: StackOptions = {}): RawStack {
  const tags: Record<string, string> = {
    'kubernetes:application': CONTROLLER_ID,
    [`kubernetes.io/cluster/${CLUSTER_ID}`]: 'owned',
  };
  for (const [arn, expiry] of Object.entries(options.certs ?? {})) {
    tags[`ingress:certificate-arn/${arn}`] = formatRFC3339(expiry);
  }
  if (options.owner !== undefined) tags['ingress:owner'] = options.owner;
  if (options.alarmHash !== undefined) tags['cloudwatch:alarm-config-hash'] = options.alarmHash;

  const parameters: Record<string, string> = {
    LoadBalancerSchemeParameter: options.scheme ?? 'internet-facing',
    LoadBalancerSecurityGroupParameter: options.securityGroup ?? DEFAULT_SG,
    ListenerSslPolicyParameter: options.sslPolicy ?? 'ELBSecurityPolicy-2016-08',
    IpAddressType: options.ipAddressType ?? 'ipv4',
    HTTP2: String(options.http2 ?? true),
  };
  const type = 'type' in options ? options.type : 'application';
  if (type !== undefined) parameters['Type'] = type;
  if (options.waf !== undefined && options.waf !== '') parameters['LoadBalancerWAFWebACLIDParameter'] = options.waf;

  return {
    name,
    stackId: `arn:aws:cloudformation:eu-central-1:123456789012:stack/${name}/0000`,
    status: options.status ?? 'CREATE_COMPLETE',
    statusReason: '',
    createdAt: NOW - 10 * DAY,
    terminationProtection: false,
    tags,
    parameters,
    outputs: {
      LoadBalancerARN: `arn:aws:elasticloadbalancing:eu-central-1:123456789012:loadbalancer/app/${name}/1`,
      LoadBalancerDNSName: `${name}-1.eu-central-1.elb.amazonaws.com`,
      TargetGroupARN: `arn:aws:elasticloadbalancing:eu-central-1:123456789012:targetgroup/${name}/1`,
    },
  };
}

export function stack(name: string, options: StackOptions = {}): ManagedStack {
  return toManagedStack(rawStack(name, options));
}
