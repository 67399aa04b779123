// Everything the template depends on, resolved from one load balancer, the configuration and the alarm list.
// Kept as plain data so that plans can be stored, diffed and shown by the debug API.
import type { Config, TargetAccessMode } from '../../config/config.ts';
import type { LoadBalancerSpec } from '../types/load-balancer.ts';
import type { CloudWatchAlarm } from './cloudwatch-alarms.ts';

export interface DenyInternalTraffic {
  /** Host-header values of the rule's single condition, in flag order. */
  readonly domains: readonly string[];
  readonly body: string;
  readonly contentType: string;
  readonly statusCode: number;
}

export interface TemplateInput {
  /** '' for stacks created before load balancer types existed: shaped like an ALB, but without the LB Type property. */
  readonly loadBalancerType: 'application' | 'network' | '';
  /** Any order; the template sorts them. */
  readonly certificateARNs: readonly string[];
  readonly targetAccessMode: TargetAccessMode;
  readonly targetPort: number;
  /** The per-type HTTP target port, already defaulted to targetPort. */
  readonly httpTargetPort: number;
  /** false only for NLBs without --nlb-http-enabled. */
  readonly httpEnabled: boolean;
  readonly targetHTTPS: boolean;
  readonly albHealthyThresholdCount: number;
  readonly albUnhealthyThresholdCount: number;
  readonly nlbHealthyThresholdCount: number;
  readonly idleConnectionTimeoutSeconds: number;
  readonly deregistrationDelayTimeoutSeconds: number;
  readonly http2: boolean;
  readonly nlbCrossZone: boolean;
  readonly nlbZoneAffinity: string;
  readonly logsS3Bucket: string;
  readonly logsS3Prefix: string;
  readonly wafWebACLID: string;
  readonly redirectHTTPToHTTPS: boolean;
  /** null when --deny-internal-domains is off. */
  readonly denyInternalTraffic: DenyInternalTraffic | null;
  readonly alarms: readonly CloudWatchAlarm[];
}

export function templateInputFrom(
  lb: LoadBalancerSpec,
  config: Config,
  alarms: readonly CloudWatchAlarm[],
): TemplateInput {
  return {
    loadBalancerType: lb.loadBalancerType,
    certificateARNs: Object.keys(lb.certificateARNs),
    targetAccessMode: config.targetAccessMode,
    targetPort: config.targetPort,
    httpTargetPort: httpTargetPort(lb.loadBalancerType, config),
    httpEnabled: lb.loadBalancerType !== 'network' || config.nlbHTTPEnabled,
    targetHTTPS: config.targetHTTPS,
    albHealthyThresholdCount: config.albHealthyThresholdCount,
    albUnhealthyThresholdCount: config.albUnhealthyThresholdCount,
    nlbHealthyThresholdCount: config.nlbHealthyThresholdCount,
    // Go converts with uint(d.Seconds()): whole seconds, truncated.
    idleConnectionTimeoutSeconds: Math.trunc(config.idleConnectionTimeoutMs / 1000),
    deregistrationDelayTimeoutSeconds: Math.trunc(config.deregistrationDelayTimeoutMs / 1000),
    http2: lb.http2,
    nlbCrossZone: config.nlbCrossZone,
    nlbZoneAffinity: config.nlbZoneAffinity,
    logsS3Bucket: config.logsS3Bucket,
    logsS3Prefix: config.logsS3Prefix,
    wafWebACLID: lb.wafWebACLID,
    redirectHTTPToHTTPS: config.redirectHTTPToHTTPS,
    denyInternalTraffic: config.denyInternalDomains
      ? {
          domains: config.internalDomains,
          body: config.denyInternalDomainsResponse,
          contentType: config.denyInternalDomainsResponseContentType,
          statusCode: config.denyInternalDomainsResponseStatusCode,
        }
      : null,
    alarms,
  };
}

/** Upstream's per-type HTTP port: 0 means "unset", which falls back to the HTTPS target port. */
export function httpTargetPort(loadBalancerType: LoadBalancerSpec['loadBalancerType'], config: Config): number {
  if (loadBalancerType === 'application' && config.albHTTPTargetPort !== 0) return config.albHTTPTargetPort;
  if (loadBalancerType === 'network' && config.nlbHTTPTargetPort !== 0) return config.nlbHTTPTargetPort;
  return config.targetPort;
}

/** TGHTTP exists only when there is an HTTP listener and it needs a port other than the HTTPS target group's. */
export function hasHTTPTargetGroup(input: Pick<TemplateInput, 'httpEnabled' | 'httpTargetPort' | 'targetPort'>): boolean {
  return input.httpEnabled && input.httpTargetPort !== input.targetPort;
}
