// Every command-line flag, declared once. The parser, the help text and docs/flags.md are all driven by this
// table, so a flag cannot be accepted without being documented or documented without being accepted.
// Names, kinds, defaults and environment variables are upstream's (v0.18); the order is upstream's too,
// followed by the flags this project adds.

import { deepFreeze } from './deep-freeze.ts';
import { formatGoDuration } from './duration.ts';
import { DEFAULT_SSL_POLICY, SSL_POLICIES } from './ssl-policies.ts';

export type FlagKind = 'bool' | 'string' | 'duration' | 'uint' | 'int' | 'enum' | 'strings' | 'map';

interface FlagBase {
  /** Long name without the leading dashes. */
  readonly name: string;
  readonly help: string;
  /** Environment variable consulted when the flag is absent (a flag always wins; an empty variable is unset). */
  readonly env?: string;
  /** Added by this project; the Go controller does not have it. */
  readonly ours?: true;
}

export interface BoolFlag extends FlagBase {
  readonly kind: 'bool';
  readonly default: boolean;
}
export interface StringFlag extends FlagBase {
  readonly kind: 'string';
  readonly default: string;
}
export interface DurationFlag extends FlagBase {
  readonly kind: 'duration';
  /** Milliseconds. */
  readonly default: number;
}
export interface UintFlag extends FlagBase {
  readonly kind: 'uint';
  readonly default: number;
}
export interface IntFlag extends FlagBase {
  readonly kind: 'int';
  readonly default: number;
}
export interface EnumFlag extends FlagBase {
  readonly kind: 'enum';
  /** undefined only for a required flag. */
  readonly default: string | undefined;
  readonly values: readonly string[];
  readonly required?: true;
}
export interface StringsFlag extends FlagBase {
  readonly kind: 'strings';
  /** Used only when the flag is absent; any occurrence replaces it entirely. */
  readonly default: readonly string[];
}
export interface MapFlag extends FlagBase {
  readonly kind: 'map';
  readonly default: Readonly<Record<string, string>>;
}

export type FlagSpec =
  | BoolFlag
  | StringFlag
  | DurationFlag
  | UintFlag
  | IntFlag
  | EnumFlag
  | StringsFlag
  | MapFlag;

/** Flags that may be given several times, accumulating. */
export function isRepeatable(flag: FlagSpec): boolean {
  return flag.kind === 'strings' || flag.kind === 'map';
}

const SECOND = 1_000;
const MINUTE = 60 * SECOND;
const HOUR = 60 * MINUTE;

export const TARGET_ACCESS_MODES = ['HostPort', 'AWSCNI', 'Legacy'] as const;
export const LOAD_BALANCER_TYPES = ['application', 'network'] as const;
export const IP_ADDRESS_TYPES = ['ipv4', 'dualstack'] as const;

// Frozen all the way down: defaults end up inside every Config, so they must not be writable through it.
export const FLAGS: readonly FlagSpec[] = deepFreeze<FlagSpec[]>([
  {
    name: 'help',
    kind: 'bool',
    default: false,
    help: 'Print this help and exit. Works without the otherwise required --target-access-mode.',
  },
  {
    name: 'version',
    kind: 'bool',
    default: false,
    help: 'Print the version and exit. Unlike upstream, works without --target-access-mode.',
  },
  { name: 'debug', kind: 'bool', default: false, help: 'Log at debug level, including AWS SDK requests. Wins over --quiet.' },
  { name: 'quiet', kind: 'bool', default: false, help: 'Log warnings and errors only.' },
  {
    name: 'api-server-base-url',
    kind: 'string',
    default: '',
    env: 'API_SERVER_BASE_URL',
    help:
      'Kubernetes API server URL. Empty: use the in-cluster service account. Set: plain connection without TLS ' +
      'verification or credentials, meant for `kubectl proxy` during development.',
  },
  {
    name: 'polling-interval',
    kind: 'duration',
    default: 30 * SECOND,
    env: 'POLLING_INTERVAL',
    help: 'Pause between the end of one reconcile cycle and the start of the next.',
  },
  {
    name: 'stack-poll-interval',
    kind: 'duration',
    default: 10 * SECOND,
    help:
      'How often a stack operation in progress (create, update, delete) is checked; one scan answers every stack in ' +
      'progress. Not in upstream, which checks on every --polling-interval. At least 1s.',
  },
  {
    name: 'discovery-refresh-interval',
    kind: 'duration',
    default: 10 * MINUTE,
    help:
      'How often the subnets, their route tables and the security group are read again (and soon after a stack is ' +
      'created); a change updates the affected stacks. 0 reads them only at start-up, as upstream does.',
  },
  {
    name: 'max-stack-operations',
    kind: 'int',
    default: 10,
    help:
      'Most CloudFormation stack operations (create, update, delete) in progress at once; the rest wait their turn. ' +
      'Not in upstream. At least 1.',
  },
  {
    name: 'leader-election',
    kind: 'bool',
    default: true,
    help:
      'Elect one leader among the replicas on a coordination.k8s.io Lease; the others stay warm and read-only. ' +
      'Without the Lease permission the controller runs as the only instance, as upstream does. Not in upstream.',
  },
  {
    name: 'leader-election-namespace',
    kind: 'string',
    default: '',
    help: "Namespace of the Lease. Empty: the service account's namespace, else kube-system.",
  },
  { name: 'leader-election-name', kind: 'string', default: 'kube-ingress-aws-controller', help: 'Name of the Lease.' },
  {
    name: 'leader-election-lease-duration',
    kind: 'duration',
    default: 15 * SECOND,
    help: 'How long a standby waits, after the last renewal it saw, before it takes the Lease over.',
  },
  {
    name: 'leader-election-renew-deadline',
    kind: 'duration',
    default: 10 * SECOND,
    help: 'A leader that has not renewed for this long stops mutating and exits. Shorter than the lease duration.',
  },
  {
    name: 'leader-election-retry-period',
    kind: 'duration',
    default: 2 * SECOND,
    help: 'How often the Lease is renewed or, on a standby, checked. Shorter than the renew deadline.',
  },
  {
    name: 'creation-timeout',
    kind: 'duration',
    default: 5 * MINUTE,
    env: 'CREATION_TIMEOUT',
    help: 'CloudFormation stack creation timeout, rounded down to whole minutes. At least 1m.',
  },
  {
    name: 'cert-polling-interval',
    kind: 'duration',
    default: 30 * MINUTE,
    env: 'CERT_POLLING_INTERVAL',
    help: 'How often the ACM and IAM certificate lists are refreshed.',
  },
  {
    name: 'disable-sni-support',
    kind: 'bool',
    default: false,
    help: 'Attach at most one certificate per load balancer.',
  },
  {
    name: 'disable-instrumented-http-client',
    kind: 'bool',
    default: false,
    help: 'Drop the http_request_duration_seconds summary of AWS and Kubernetes API requests (the request counters stay).',
  },
  {
    name: 'stack-termination-protection',
    kind: 'bool',
    default: false,
    help: 'Turn on CloudFormation termination protection for the stacks this controller creates or updates.',
  },
  {
    name: 'additional-stack-tags',
    kind: 'map',
    default: {},
    help: 'Extra KEY=VALUE tag for every managed stack; repeat for more. The controller\'s own tags win on a clash.',
  },
  {
    name: 'cert-ttl-timeout',
    kind: 'duration',
    default: 1 * HOUR,
    help:
      'How long a certificate nobody needs any more stays on a load balancer; also how long a load balancer ' +
      'with no needed certificate lives before its stack is deleted.',
  },
  {
    name: 'cert-filter-tag',
    kind: 'string',
    default: '',
    help: 'key=value: consider only ACM/IAM certificates carrying this tag. A value without exactly one "=" is ignored.',
  },
  {
    name: 'health-check-path',
    kind: 'string',
    default: '/kube-system/healthz',
    help: 'HTTP path of the target group health check.',
  },
  { name: 'health-check-port', kind: 'uint', default: 9999, help: 'Port of the target group health check (1..65535).' },
  { name: 'target-port', kind: 'uint', default: 9999, help: 'Port traffic is forwarded to on the targets (1..65535).' },
  {
    name: 'alb-http-target-port',
    kind: 'uint',
    default: 0,
    help: 'ALB only: separate target port for the HTTP listener (0 = use --target-port; at most 65535).',
  },
  {
    name: 'nlb-http-target-port',
    kind: 'uint',
    default: 0,
    help:
      'NLB only: separate target port for the HTTP listener (0 = use --target-port; at most 65535). ' +
      'Requires --nlb-http-enabled.',
  },
  {
    name: 'target-https',
    kind: 'bool',
    default: false,
    help: 'ALB only: talk HTTPS to targets and health checks.',
  },
  {
    name: 'health-check-interval',
    kind: 'duration',
    default: 10 * SECOND,
    help: 'Time between target group health checks.',
  },
  {
    name: 'health-check-timeout',
    kind: 'duration',
    default: 5 * SECOND,
    help: 'Time after which a health check counts as failed (ALB target groups only).',
  },
  {
    name: 'alb-healthy-threshold-count',
    kind: 'uint',
    default: 5,
    help: 'Successful checks before an ALB target counts as healthy (2..10).',
  },
  {
    name: 'alb-unhealthy-threshold-count',
    kind: 'uint',
    default: 2,
    help: 'Failed checks before an ALB target counts as unhealthy (2..10).',
  },
  {
    name: 'nlb-healthy-threshold-count',
    kind: 'uint',
    default: 3,
    help: 'Checks before an NLB target changes state, in either direction (2..10).',
  },
  {
    name: 'idle-connection-timeout',
    kind: 'duration',
    default: 1 * MINUTE,
    help: 'ALB idle connection timeout. Between 1s and 4000s; anything else becomes 0, as upstream does (with a warning here).',
  },
  {
    name: 'deregistration-delay-timeout',
    kind: 'duration',
    default: 5 * MINUTE,
    help:
      'How long a deregistered target keeps draining. Between 1s and 3600s; anything else becomes 0, as upstream ' +
      'does (with a warning here).',
  },
  {
    name: 'min-load-balancer-age',
    kind: 'duration',
    default: 6 * MINUTE,
    help: 'A new load balancer is not written to ingress status until it is at least this old.',
  },
  { name: 'metrics-address', kind: 'string', default: ':7979', help: 'Listen address of the /metrics HTTP server.' },
  {
    name: 'ingress-class-filter',
    kind: 'string',
    default: '',
    help:
      'Comma-separated ingress classes to handle, not trimmed. Empty: handle all. An empty entry (e.g. "a,") ' +
      'matches resources without a class.',
  },
  {
    name: 'controller-id',
    kind: 'string',
    default: 'kube-ingress-aws-controller',
    help: 'Identity written to the stacks this controller owns; lets several controllers share an account.',
  },
  {
    name: 'cluster-id',
    kind: 'string',
    default: '',
    help: 'Cluster ID. If it or --vpc-id is empty, both are discovered from the EC2 instance the controller runs on.',
  },
  {
    name: 'vpc-id',
    kind: 'string',
    default: '',
    help: 'VPC ID. If it or --cluster-id is empty, both are discovered from the EC2 instance the controller runs on.',
  },
  {
    name: 'cluster-local-domain',
    kind: 'string',
    default: '',
    help: 'Hosts ending in this domain never get a load balancer (e.g. cluster.local). Empty: no host is skipped.',
  },
  {
    name: 'max-certs-alb',
    kind: 'int',
    default: 24,
    help: 'Most certificates attached to one load balancer. At most 24 (AWS allows 25; one slot stays free).',
  },
  {
    name: 'ssl-policy',
    kind: 'enum',
    default: DEFAULT_SSL_POLICY,
    values: SSL_POLICIES,
    help: 'Default TLS policy of HTTPS/TLS listeners.',
  },
  {
    name: 'blacklist-certificate-arns',
    kind: 'strings',
    default: [],
    help: 'Certificate ARN the controller must never use; repeat for more.',
  },
  {
    name: 'ip-addr-type',
    kind: 'enum',
    default: 'ipv4',
    values: IP_ADDRESS_TYPES,
    help: 'Default IP address type of load balancers.',
  },
  { name: 'logs-s3-bucket', kind: 'string', default: '', help: 'S3 bucket for load balancer access logs. Empty: no logs.' },
  { name: 'logs-s3-prefix', kind: 'string', default: '', help: 'Key prefix for access logs in --logs-s3-bucket.' },
  {
    name: 'aws-waf-web-acl-id',
    kind: 'string',
    default: '',
    help: 'WAF web ACL for every ALB without its own annotation: a WAF Classic ID or a WAFv2 ARN (arn:aws:wafv2:...).',
  },
  {
    name: 'cloudwatch-alarms-config-map',
    kind: 'string',
    default: '',
    help: 'namespace/name of a ConfigMap holding CloudWatch alarm definitions. Empty: no alarms.',
  },
  {
    name: 'redirect-http-to-https',
    kind: 'bool',
    default: false,
    help: 'ALB only: answer plain HTTP with a 301 redirect to HTTPS.',
  },
  {
    name: 'load-balancer-type',
    kind: 'enum',
    default: 'application',
    values: LOAD_BALANCER_TYPES,
    help: 'Load balancer type for ingresses that do not choose one.',
  },
  {
    name: 'nlb-zone-affinity',
    kind: 'string',
    default: 'any_availability_zone',
    help:
      'NLB DNS client routing policy: any_availability_zone, availability_zone_affinity or ' +
      'partial_availability_zone_affinity. Not checked here, as upstream.',
  },
  {
    name: 'nlb-cross-zone',
    kind: 'bool',
    default: false,
    help: 'NLB only: balance across availability zones.',
  },
  {
    name: 'nlb-http-enabled',
    kind: 'bool',
    default: false,
    help: 'NLB only: also listen for plain HTTP on port 80.',
  },
  {
    name: 'deny-internal-domains',
    kind: 'bool',
    default: false,
    help: 'ALB only: answer requests for --internal-domains with a fixed response instead of forwarding them.',
  },
  {
    name: 'internal-domains',
    kind: 'strings',
    default: ['*.cluster.local'],
    help:
      'Host pattern denied by --deny-internal-domains; repeat for more (giving it replaces the default). ' +
      'Wildcards * and ? allowed, at most 128 characters each.',
  },
  {
    name: 'deny-internal-domains-response',
    kind: 'string',
    default: 'Unauthorized',
    help: 'Body of the fixed response for internal domains.',
  },
  {
    name: 'deny-internal-domains-response-content-type',
    kind: 'string',
    default: 'text/plain',
    help: 'Content type of the fixed response for internal domains.',
  },
  {
    name: 'deny-internal-domains-response-status-code',
    kind: 'int',
    default: 401,
    help: 'Status code of the fixed response for internal domains.',
  },
  {
    name: 'target-access-mode',
    kind: 'enum',
    default: undefined,
    values: TARGET_ACCESS_MODES,
    required: true,
    help:
      'Required. HostPort: instance targets from ASGs and single instances. AWSCNI: pod IPs as targets. ' +
      'Legacy: like HostPort but leaves the target type unset (switching Legacy to HostPort replaces target groups).',
  },
  {
    name: 'target-cni-namespace',
    kind: 'string',
    default: '',
    help: 'AWSCNI only (and required there): namespace of the ingress router pods.',
  },
  {
    name: 'target-cni-pod-labelselector',
    kind: 'string',
    default: '',
    help: 'AWSCNI only (and required there): label selector of the ingress router pods, e.g. application=skipper.',
  },
  {
    name: 'state-dir',
    kind: 'string',
    default: '/var/lib/kube-ingress-aws-controller',
    env: 'STATE_DIR',
    ours: true,
    help: 'Directory holding the SQLite state database.',
  },
  {
    name: 'extra-trusted-ca-file',
    kind: 'string',
    default: '',
    ours: true,
    help:
      'PEM file of CA certificates trusted besides the system roots when checking ACM/IAM certificates, so ' +
      'certificates from a private CA can be chosen automatically. Empty: system roots only.',
  },
  {
    name: 'aws-api-throttle',
    kind: 'string',
    default: '',
    ours: true,
    help:
      'Client-side AWS API rate limits, as the AWS Load Balancer Controller writes them: comma-separated ' +
      'service:operationRegex=rate:burst (e.g. elasticloadbalancing:^Describe=5:10). A rule with the service ' +
      'and regex of a default replaces it, any other is added; a call matching several rules waits for all. ' +
      'Throttled calls wait, never fail. Defaults: docs/flags.md, "AWS API rate limits".',
  },
]);

const BY_NAME: ReadonlyMap<string, FlagSpec> = new Map(FLAGS.map((flag) => [flag.name, flag]));

export function findFlag(name: string): FlagSpec | undefined {
  return BY_NAME.get(name);
}

/** The flag's default as help and docs show it (durations in Go's format). */
export function formatDefault(flag: FlagSpec): string {
  switch (flag.kind) {
    case 'bool':
      return String(flag.default);
    case 'duration':
      return formatGoDuration(flag.default);
    case 'uint':
    case 'int':
      return String(flag.default);
    case 'enum':
      return flag.default ?? '(required)';
    case 'string':
      return flag.default === '' ? '""' : flag.default;
    case 'strings':
      return flag.default.length === 0 ? '(none)' : flag.default.join(', ');
    case 'map': {
      const entries = Object.entries(flag.default);
      return entries.length === 0 ? '(none)' : entries.map(([k, v]) => `${k}=${v}`).join(', ');
    }
  }
}

/** The flag's value type as help and docs show it. */
export function formatKind(flag: FlagSpec): string {
  switch (flag.kind) {
    case 'strings':
      return 'strings...';
    case 'map':
      return 'KEY=VALUE...';
    default:
      return flag.kind;
  }
}
