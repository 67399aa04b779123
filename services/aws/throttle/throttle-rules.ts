// Client-side rate limits per AWS operation family, written as the AWS Load Balancer Controller's
// --aws-api-throttle: comma-separated `service:operationRegex=rate:burst` (rate per second, burst a whole
// number of calls). The service is an SDK service ID (`Elastic Load Balancing v2`) or a signing name
// (`elasticloadbalancing`), case-insensitive; the regex is matched, unanchored, against the operation name.

/** The services the controller has clients for, by the key of `AwsClients`. */
export type ThrottledService = 'cloudformation' | 'ec2' | 'elbv2' | 'autoscaling' | 'acm' | 'iam';

const SERVICE_NAMES: Readonly<Record<string, ThrottledService>> = {
  cloudformation: 'cloudformation',
  ec2: 'ec2',
  elasticloadbalancing: 'elbv2',
  'elastic load balancing v2': 'elbv2',
  elbv2: 'elbv2',
  autoscaling: 'autoscaling',
  'auto scaling': 'autoscaling',
  acm: 'acm',
  iam: 'iam',
};

export interface ThrottleRule {
  readonly service: ThrottledService;
  /** The pattern as written (a later rule with the same service and pattern replaces an earlier one). */
  readonly pattern: string;
  readonly operations: RegExp;
  readonly rate: number;
  readonly burst: number;
}

/**
 * Below AWS's published limits where there are some: ELBv2's Describe* bucket holds 40 calls and refills 10 per
 * second, EC2's non-mutating one 100 and 20, ACM's GetCertificate allows about 10 per second. CloudFormation,
 * Auto Scaling and IAM publish no figures; their defaults are deliberately modest. Stack mutations are the
 * slowest: each one makes CloudFormation call ELBv2 and CloudWatch many times on our behalf.
 */
export const DEFAULT_AWS_API_THROTTLE = [
  'cloudformation:^(DescribeStacks|GetTemplate)$=10:20',
  'cloudformation:^(CreateStack|UpdateStack|DeleteStack|UpdateTerminationProtection|ContinueUpdateRollback)$=2:5',
  'elasticloadbalancing:^Describe=8:32',
  'elasticloadbalancing:^(RegisterTargets|DeregisterTargets)$=4:10',
  'ec2:^Describe=16:80',
  'autoscaling:^Describe=5:10',
  'autoscaling:^(Attach|Detach)LoadBalancerTargetGroups$=2:5',
  'acm:^ListCertificates$=4:8',
  'acm:^(GetCertificate|ListTagsForCertificate)$=8:10',
  'iam:.*=4:8',
].join(',');

/** The defaults with every rate and burst multiplied: for benchmarks that measure the controller, not AWS's limits. */
export function loosenedDefaults(factor: number): string {
  return parseThrottleRules(DEFAULT_AWS_API_THROTTLE)
    .map((r) => `${r.service === 'elbv2' ? 'elasticloadbalancing' : r.service}:${r.pattern}=${r.rate * factor}:${r.burst * factor}`)
    .join(',');
}

export class ThrottleSyntaxError extends Error {
  override readonly name = 'ThrottleSyntaxError';
}

function parseEntry(entry: string): ThrottleRule {
  const eq = entry.lastIndexOf('=');
  const colon = entry.indexOf(':');
  if (eq < 0 || colon < 0 || colon > eq) throw new ThrottleSyntaxError(`"${entry}" is not service:operationRegex=rate:burst`);
  const serviceText = entry.slice(0, colon).trim();
  const pattern = entry.slice(colon + 1, eq);
  const limits = entry.slice(eq + 1).split(':');
  const service = SERVICE_NAMES[serviceText.toLowerCase()];
  if (!service) throw new ThrottleSyntaxError(`"${entry}": unknown service "${serviceText}"`);
  if (pattern === '') throw new ThrottleSyntaxError(`"${entry}": empty operation regex`);
  let operations: RegExp;
  try {
    operations = new RegExp(pattern);
  } catch (err) {
    throw new ThrottleSyntaxError(`"${entry}": operation regex does not parse (${(err as Error).message})`);
  }
  if (limits.length !== 2 || !/^\d+(\.\d+)?$/.test(limits[0]!) || !/^\d+$/.test(limits[1]!)) {
    throw new ThrottleSyntaxError(`"${entry}": limits are not rate:burst`);
  }
  const rate = Number(limits[0]);
  const burst = Number(limits[1]);
  if (!(rate > 0)) throw new ThrottleSyntaxError(`"${entry}": rate must be above 0`);
  if (burst < 1) throw new ThrottleSyntaxError(`"${entry}": burst must be at least 1`);
  return { service, pattern, operations, rate, burst };
}

/** Parses a flag value; an empty value is no rule. Throws ThrottleSyntaxError naming the bad entry. */
export function parseThrottleRules(text: string): ThrottleRule[] {
  if (text.trim() === '') return [];
  return text.split(',').map((e) => parseEntry(e.trim()));
}

/** The defaults with the operator's rules applied: same service and pattern replaces, anything else adds. */
export function throttleRules(flagValue: string): ThrottleRule[] {
  const rules = new Map<string, ThrottleRule>();
  for (const r of [...parseThrottleRules(DEFAULT_AWS_API_THROTTLE), ...parseThrottleRules(flagValue)]) {
    rules.set(`${r.service}\u0000${r.pattern}`, r);
  }
  return [...rules.values()];
}
