// The desired state of one load balancer, as computed by the pure model.
import type { IngressRef } from './ingress.ts';
import type { CertificateExpiries, ManagedStack } from './stack.ts';

export interface LoadBalancerSpec {
  /** The existing stack this load balancer maps to; undefined when it must be created. */
  readonly stack: ManagedStack | undefined;
  readonly scheme: string;
  readonly securityGroup: string;
  readonly sslPolicy: string;
  readonly ipAddressType: string;
  /** '' only for legacy stacks without a Type parameter (they get no new ingresses and phase out). */
  readonly loadBalancerType: 'application' | 'network' | '';
  readonly http2: boolean;
  readonly wafWebACLID: string;
  readonly shared: boolean;
  /** `namespace/name` of the owning object for a non-shared load balancer, '' when shared. */
  readonly owner: string;
  /** Certificate ARN -> ingresses served with it (empty list: kept only until its TTL passes). */
  readonly ingressesByCertificate: Readonly<Record<string, readonly IngressRef[]>>;
  /** Desired certificate tags (upstream's CertificateARNs()). */
  readonly certificateARNs: CertificateExpiries;
  /** Every ingress served by this load balancer, in model order, deduplicated. */
  readonly ingresses: readonly IngressRef[];
  /** The synthetic load balancer that collects cluster-local ingresses: never a stack. */
  readonly clusterLocal: boolean;
}

/** What should happen to one load balancer this cycle (upstream's loadBalancer.Status()). */
export type LoadBalancerAction = 'ready' | 'delete' | 'create' | 'update';
