// Typed view of an Ingress (networking.k8s.io/v1) or RouteGroup (zalando.org/v1), after annotation parsing.
import type { IpAddressType, LoadBalancerType } from '../../config/config.ts';

export type ResourceKind = 'Ingress' | 'RouteGroup';
export type Scheme = 'internet-facing' | 'internal';

export interface IngressRef {
  readonly kind: ResourceKind;
  readonly namespace: string;
  readonly name: string;
}

export function refKey(ref: IngressRef): string {
  return `${ref.kind}/${ref.namespace}/${ref.name}`;
}

/** `namespace/name`: what upstream writes in the `ingress:owner` tag (it does not record the kind). */
export function ownerKey(ref: IngressRef): string {
  return `${ref.namespace}/${ref.name}`;
}

export interface IngressModel {
  readonly ref: IngressRef;
  readonly uid: string;
  readonly resourceVersion: string;
  /** Non-empty rule hosts (RouteGroup: spec.hosts), minus those ending in --cluster-local-domain. */
  readonly hostnames: readonly string[];
  /** No hostnames left: the object is served only inside the cluster. */
  readonly clusterLocal: boolean;
  /** zalando.org/aws-load-balancer-ssl-cert: pins the certificate, skipping host matching. */
  readonly certificateARN: string | undefined;
  readonly scheme: Scheme;
  readonly shared: boolean;
  /** zalando.org/aws-load-balancer-security-group; undefined = the discovered security group. */
  readonly securityGroup: string | undefined;
  /** Effective policy: a valid annotation, else --ssl-policy. */
  readonly sslPolicy: string;
  /** True only if the annotation is present and valid. */
  readonly hasSSLPolicyAnnotation: boolean;
  readonly loadBalancerType: LoadBalancerType;
  readonly http2: boolean;
  /** zalando.org/aws-waf-web-acl-id; '' = none (the model applies the global WAF later). */
  readonly wafWebACLID: string;
  /** Not validated, as upstream: passed verbatim into the IpAddressType parameter. */
  readonly ipAddressType: IpAddressType | string;
  /** First non-empty hostname in the object's load balancer status. */
  readonly currentHostname: string;
  /** Annotation problems that did not prevent parsing (each becomes a Warning Event). */
  readonly warnings: readonly string[];
}

/** Result of parsing one object: usable, or rejected with reasons (each becomes a Warning Event). */
export type IngressParseResult =
  | { readonly ok: true; readonly ingress: IngressModel }
  | { readonly ok: false; readonly ref: IngressRef; readonly uid: string; readonly errors: readonly string[] };
