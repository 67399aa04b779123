// Raw Ingress / RouteGroup JSON -> IngressModel, with upstream's annotation semantics (newIngress). Upstream
// silently coerces bad annotation values; we keep the coerced values identical (the resulting stacks must be
// the same) but report each coercion as a warning, so the operator learns why the annotation had no effect.
import type { Config, LoadBalancerType } from '../config/config.ts';
import { isSupportedSslPolicy } from '../config/ssl-policies.ts';
import type { IngressModel, IngressParseResult, IngressRef, ResourceKind, Scheme } from '../planning/types/ingress.ts';
import { quoteValue } from './bounded-text.ts';
import { checkHosts, validateSecurityGroups, validateWafId, MAX_TAG_VALUE } from './input-validation.ts';

export const ANNOTATIONS = {
  certificateARN: 'zalando.org/aws-load-balancer-ssl-cert',
  scheme: 'zalando.org/aws-load-balancer-scheme',
  shared: 'zalando.org/aws-load-balancer-shared',
  securityGroup: 'zalando.org/aws-load-balancer-security-group',
  sslPolicy: 'zalando.org/aws-load-balancer-ssl-policy',
  loadBalancerType: 'zalando.org/aws-load-balancer-type',
  http2: 'zalando.org/aws-load-balancer-http2',
  wafWebACLID: 'zalando.org/aws-waf-web-acl-id',
  ipAddressType: 'alb.ingress.kubernetes.io/ip-address-type',
  ingressClass: 'kubernetes.io/ingress.class',
} as const;

/** Upstream's error text, kept so that logs and events read the same after the image swap. */
export const NLB_SG_WAF_ERROR = 'security group or WAF are not supported by NLB (configured by annotation)';

type Obj = Record<string, unknown>;

export function parseIngress(obj: unknown, kind: ResourceKind, config: Config): IngressParseResult {
  const metadata = isObject(obj) ? obj['metadata'] : undefined;
  const meta = isObject(metadata) ? metadata : {};
  const name = stringField(meta, 'name');
  const namespace = stringField(meta, 'namespace');
  const uid = stringField(meta, 'uid');
  const ref: IngressRef = { kind, namespace, name };

  const malformed: string[] = [];
  if (!isObject(obj)) malformed.push(`the ${kind} is not a JSON object`);
  else if (!isObject(metadata)) malformed.push(`the ${kind} has no metadata`);
  else {
    if (name === '') malformed.push(`the ${kind} has no metadata.name`);
    if (namespace === '') malformed.push(`the ${kind} has no metadata.namespace`);
  }
  if (malformed.length > 0 || !isObject(obj)) return { ok: false, ref, uid, errors: malformed };

  const warnings: string[] = [];
  const annotations = stringRecord(meta['annotations'], warnings);
  const has = (key: string): boolean => Object.hasOwn(annotations, key);
  const get = (key: string): string | undefined => (has(key) ? annotations[key] : undefined);

  const schemeValue = get(ANNOTATIONS.scheme);
  const scheme: Scheme = schemeValue === 'internal' ? 'internal' : 'internet-facing';
  if (schemeValue !== undefined && schemeValue !== 'internal' && schemeValue !== 'internet-facing') {
    warnings.push(invalid(ANNOTATIONS.scheme, schemeValue, '"internal" or "internet-facing"', 'internet-facing'));
  }

  const sharedValue = get(ANNOTATIONS.shared);
  const shared = sharedValue !== 'false';
  if (sharedValue !== undefined && sharedValue !== 'true' && sharedValue !== 'false') {
    warnings.push(invalid(ANNOTATIONS.shared, sharedValue, '"true" or "false"', 'true (shared)'));
  }

  const http2Value = get(ANNOTATIONS.http2);
  const http2 = http2Value !== 'false';
  if (http2Value !== undefined && http2Value !== 'true' && http2Value !== 'false') {
    warnings.push(invalid(ANNOTATIONS.http2, http2Value, '"true" or "false"', 'true (HTTP/2 enabled)'));
  }

  const ipValue = get(ANNOTATIONS.ipAddressType);
  // Passed on verbatim, as upstream does: changing it would change the IpAddressType parameter of live stacks.
  const ipAddressType = ipValue ?? config.ipAddrType;
  if (ipValue !== undefined && ipValue !== 'ipv4' && ipValue !== 'dualstack') {
    warnings.push(
      `annotation ${ANNOTATIONS.ipAddressType} has invalid value ${quoteValue(ipValue)}: expected "ipv4" or "dualstack"; ` +
        `the value is passed to CloudFormation unchanged and will likely make the stack fail`,
    );
  }

  const policyValue = get(ANNOTATIONS.sslPolicy);
  const hasSSLPolicyAnnotation = policyValue !== undefined && isSupportedSslPolicy(policyValue);
  const sslPolicy = hasSSLPolicyAnnotation ? policyValue : config.sslPolicy;
  if (policyValue !== undefined && !hasSSLPolicyAnnotation) {
    warnings.push(
      `annotation ${ANNOTATIONS.sslPolicy} has unsupported value ${quoteValue(policyValue)}; using the default ` +
        `"${config.sslPolicy}" (--ssl-policy)`,
    );
  }

  const typeDecision = decideLoadBalancerType(annotations, scheme, config.loadBalancerType);
  if (!typeDecision.ok) return { ok: false, ref, uid, errors: [typeDecision.error] };
  if (typeDecision.warning !== undefined) warnings.push(typeDecision.warning);

  // Values AWS would refuse stop the object here, before any stack is made with them (upstream sends them and
  // the stack fails); the message names the annotation.
  const rejected: string[] = [];
  const securityGroup = get(ANNOTATIONS.securityGroup);
  if (securityGroup !== undefined) {
    const problem = validateSecurityGroups(securityGroup);
    if (problem) rejected.push(`annotation ${ANNOTATIONS.securityGroup} has invalid value ${quoteValue(securityGroup)}: ${problem}`);
  }
  const wafWebACLID = get(ANNOTATIONS.wafWebACLID) ?? '';
  if (wafWebACLID !== '') {
    const problem = validateWafId(wafWebACLID);
    if (problem) rejected.push(`annotation ${ANNOTATIONS.wafWebACLID} has invalid value ${quoteValue(wafWebACLID)}: ${problem}`);
  }
  if (!shared && `${namespace}/${name}`.length > MAX_TAG_VALUE) {
    rejected.push(
      `a load balancer of its own (annotation ${ANNOTATIONS.shared}: "false") is tagged ingress:owner=${namespace}/${name}, ` +
        `${namespace.length + 1 + name.length} characters, and AWS allows ${MAX_TAG_VALUE}: shorten the name or share the load balancer`,
    );
  }
  if (rejected.length > 0) return { ok: false, ref, uid, errors: rejected };

  const listed = kind === 'Ingress' ? ingressHosts(obj, warnings) : routeGroupHosts(obj, warnings);
  const hostnames = checkHosts(listed, warnings).filter(
    (host) => host !== '' && (config.clusterLocalDomain === '' || !host.endsWith(config.clusterLocalDomain)),
  );
  const certificateARN = get(ANNOTATIONS.certificateARN);

  const ingress: IngressModel = {
    ref,
    uid,
    resourceVersion: stringField(meta, 'resourceVersion'),
    hostnames,
    clusterLocal: hostnames.length === 0,
    // An empty pin means "no pin": upstream then matches by hostname.
    certificateARN: certificateARN === '' ? undefined : certificateARN,
    scheme,
    shared,
    securityGroup,
    sslPolicy,
    hasSSLPolicyAnnotation,
    loadBalancerType: typeDecision.type,
    http2,
    wafWebACLID,
    ipAddressType,
    currentHostname: statusHostname(obj, kind),
    warnings,
  };
  return { ok: true, ingress };
}

type TypeDecision =
  | { ok: true; type: LoadBalancerType; warning: string | undefined }
  | { ok: false; error: string };

const ANNOTATION_TO_TYPE: Readonly<Record<string, LoadBalancerType>> = { alb: 'application', nlb: 'network' };
const TYPE_TO_ANNOTATION: Readonly<Record<LoadBalancerType, string>> = { application: 'alb', network: 'nlb' };

/** Upstream's decision order matters: the NLB/SG/WAF check runs on the raw value, before validation. */
function decideLoadBalancerType(
  annotations: Readonly<Record<string, string>>,
  scheme: Scheme,
  defaultType: LoadBalancerType,
): TypeDecision {
  const annotated = annotations[ANNOTATIONS.loadBalancerType];
  // An internal NLB drops connections from clients that are also its targets (AWS documents this as
  // "intermittent connection failure"); in-cluster callers are exactly that, hence ALB unless asked otherwise.
  let value = annotated ?? (scheme === 'internal' ? 'alb' : TYPE_TO_ANNOTATION[defaultType]);

  const hasSGorWAF =
    Object.hasOwn(annotations, ANNOTATIONS.securityGroup) || Object.hasOwn(annotations, ANNOTATIONS.wafWebACLID);
  if (value === 'nlb' && hasSGorWAF) {
    if (annotated !== undefined) return { ok: false, error: NLB_SG_WAF_ERROR };
    value = 'alb';
  }

  if (Object.hasOwn(ANNOTATION_TO_TYPE, value)) {
    return { ok: true, type: ANNOTATION_TO_TYPE[value] as LoadBalancerType, warning: undefined };
  }
  return {
    ok: true,
    type: defaultType,
    warning: invalid(
      ANNOTATIONS.loadBalancerType,
      value,
      '"alb" or "nlb"',
      `${TYPE_TO_ANNOTATION[defaultType]} (--load-balancer-type)`,
    ),
  };
}

function invalid(annotation: string, value: string, expected: string, used: string): string {
  return `annotation ${annotation} has invalid value ${quoteValue(value)}: expected ${expected}; using ${used}`;
}

/** The hosts with where they were found (for messages); fields of the wrong type are warnings naming them. */
function ingressHosts(obj: Obj, warnings: string[]): { host: string; field: string }[] {
  const out: { host: string; field: string }[] = [];
  specList(obj, 'rules', 'Ingress', warnings).forEach((rule, i) => {
    if (!isObject(rule)) {
      warnings.push(`spec.rules[${i}] is ${typeName(rule)}, not an object: ignored`);
      return;
    }
    const host = rule['host'];
    if (host === undefined || host === null) return;
    if (!isString(host)) warnings.push(`spec.rules[${i}].host is ${typeName(host)}, not a string: ignored`);
    else out.push({ host, field: `spec.rules[${i}].host` });
  });
  return out;
}

function routeGroupHosts(obj: Obj, warnings: string[]): { host: string; field: string }[] {
  const out: { host: string; field: string }[] = [];
  specList(obj, 'hosts', 'RouteGroup', warnings).forEach((host, i) => {
    if (isString(host)) out.push({ host, field: `spec.hosts[${i}]` });
    else warnings.push(`spec.hosts[${i}] is ${typeName(host)}, not a string: ignored`);
  });
  return out;
}

/** spec.<field> as a list: empty when absent, and a warning naming it when it is something else. */
function specList(obj: Obj, field: string, kind: ResourceKind, warnings: string[]): unknown[] {
  const spec = specOf(obj, warnings);
  const value = spec?.[field];
  if (value === undefined || value === null) return [];
  if (Array.isArray(value)) return value;
  warnings.push(`spec.${field} is ${typeName(value)}, not a list: the ${kind} has no hosts`);
  return [];
}

function specOf(obj: Obj, warnings: string[]): Obj | undefined {
  const spec = obj['spec'];
  if (spec === undefined || spec === null) {
    warnings.push('spec is missing: the object has no hosts');
    return undefined;
  }
  if (!isObject(spec)) {
    warnings.push(`spec is ${typeName(spec)}, not an object: the object has no hosts`);
    return undefined;
  }
  return spec;
}

function typeName(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'a list';
  return typeof value === 'object' ? 'an object' : `a ${typeof value}`;
}

/** First non-empty hostname of the load balancer status (RouteGroups keep it under `routegroup`). */
function statusHostname(obj: Obj, kind: ResourceKind): string {
  const status = obj['status'];
  const lb = isObject(status) ? status['loadBalancer'] : undefined;
  const entries = isObject(lb) ? lb[kind === 'Ingress' ? 'ingress' : 'routegroup'] : undefined;
  if (!Array.isArray(entries)) return '';
  for (const entry of entries) {
    const hostname = isObject(entry) ? entry['hostname'] : undefined;
    if (isString(hostname) && hostname !== '') return hostname;
  }
  return '';
}

function isObject(value: unknown): value is Obj {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function isString(value: unknown): value is string {
  return typeof value === 'string';
}

function stringField(obj: Obj, key: string): string {
  const value = obj[key];
  return isString(value) ? value : '';
}

function stringRecord(value: unknown, warnings: string[]): Record<string, string> {
  // No prototype: annotation keys are user input and must not collide with Object.prototype members.
  const out: Record<string, string> = Object.create(null) as Record<string, string>;
  if (value === undefined || value === null) return out;
  if (!isObject(value)) {
    warnings.push(`metadata.annotations is ${typeName(value)}, not a map of strings: every annotation is ignored`);
    return out;
  }
  for (const [key, v] of Object.entries(value)) {
    if (isString(v)) out[key] = v;
    else if (key.includes('aws-load-balancer') || key.includes('aws-waf') || key.startsWith('alb.ingress.kubernetes.io/') || key === ANNOTATIONS.ingressClass) {
      warnings.push(`annotation ${quoteValue(key)} is ${typeName(v)}, not a string: ignored`);
    }
  }
  return out;
}
