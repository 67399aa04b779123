// One case per template rule of spec §3.2/§3.6. Each builds a whole stack document through the public entry
// point; golden.test.ts compares it with test/fixtures/golden/templates/<name>.*, and resource-spec.test.ts
// validates every template against the CloudFormation resource specification.
import { expect } from 'vitest';
import type { Config } from '../../../../services/config/config.ts';
import type { LoadBalancerSpec } from '../../../../services/planning/types/load-balancer.ts';
import { parseAlarmConfig } from '../../../../services/planning/template/cloudwatch-alarms.ts';
import {
  buildStackDocument,
  type StackDocument,
  type StackEnvironment,
} from '../../../../services/planning/template/stack-document.ts';
import { defaultConfig, environment, loadBalancer } from './fixtures.ts';

export interface GoldenCase {
  readonly name: string;
  readonly rule: string;
  readonly lb?: Partial<LoadBalancerSpec>;
  readonly config?: Partial<Config>;
  readonly env?: Partial<Omit<StackEnvironment, 'config'>>;
  /** Assertions naming the rule, so a regenerated golden cannot silently drop it. */
  readonly check: (doc: StackDocument) => void;
}

type Resources = StackDocument['template']['Resources'];

function resources(doc: StackDocument): Resources {
  return doc.template.Resources;
}

function props(doc: StackDocument, logicalId: string): Record<string, unknown> {
  const resource = resources(doc)[logicalId];
  expect(resource, `resource ${logicalId}`).toBeDefined();
  return resource!.Properties as Record<string, unknown>;
}

function lbAttributes(doc: StackDocument): Record<string, string> {
  const list = props(doc, 'LB').LoadBalancerAttributes as { Key: string; Value: string }[];
  return Object.fromEntries(list.map((a) => [a.Key, a.Value]));
}

const CERT_A = 'arn:aws:acm:eu-central-1:123456789012:certificate/a';
const CERT_B = 'arn:aws:acm:eu-central-1:123456789012:certificate/b';
const CERT_C = 'arn:aws:iam::123456789012:server-certificate/c';
const LISTENER_CERT_FOO = 'HTTPSListenerCertificatecf2dd9d41fc11192d6378499441d653744b0c76f85d0b3b663bc48cfe8adf602';

const ALARM_YAML = `
- AlarmName: high-5xx
  AlarmDescription: "5xx > 10 <per minute> & more"
  ActionsEnabled: "true"
  AlarmActions: arn:aws:sns:eu-central-1:123456789012:alerts
  ComparisonOperator: GreaterThanThreshold
  EvaluationPeriods: "2"
  MetricName: HTTPCode_ELB_5XX_Count
  Period: 60
  Statistic: Sum
  Threshold: 10
  TreatMissingData: notBreaching
  DatapointsToAlarm: 2
  Tags: [{Key: team, Value: sre}]
  Dimensions:
    - Name: LoadBalancer
      Value: ignored
    - Name: TargetGroup
      Value: ignored
    - Name: AvailabilityZone
      Value: eu-central-1a
- MetricName: UnHealthyHostCount
  Namespace: AWS/NetworkELB
  ComparisonOperator: GreaterThanOrEqualToThreshold
  EvaluationPeriods: 1
  Threshold: 1
  Statistic: Maximum
  OKActions: [arn:aws:sns:eu-central-1:123456789012:ok]
  InsufficientDataActions: []
`;

export const GOLDEN_CASES: readonly GoldenCase[] = [
  {
    name: 'alb-default',
    rule: 'ALB with one certificate and default flags',
    check: (doc) => {
      expect(Object.keys(resources(doc))).toEqual(['HTTPListener', 'HTTPSListener', LISTENER_CERT_FOO, 'LB', 'TG']);
      expect(props(doc, 'HTTPSListener').Protocol).toBe('HTTPS');
      expect(props(doc, 'TG').TargetType).toBe('instance');
    },
  },
  {
    name: 'nlb-default',
    rule: 'NLB: TLS listener, no HTTP listener, no security groups, TCP target group without health-check timeout',
    lb: { loadBalancerType: 'network' },
    check: (doc) => {
      expect(resources(doc).HTTPListener).toBeUndefined();
      expect(props(doc, 'HTTPSListener').Protocol).toBe('TLS');
      expect(props(doc, 'LB').SecurityGroups).toBeUndefined();
      expect(props(doc, 'TG').Protocol).toBe('TCP');
      expect(props(doc, 'TG').HealthCheckTimeoutSeconds).toBeUndefined();
      expect(props(doc, 'TG').UnhealthyThresholdCount).toBe(3);
      expect(doc.parameters.LoadBalancerSecurityGroupParameter).toBe('sg-1');
    },
  },
  {
    name: 'alb-no-certificates',
    rule: 'no certificate: no HTTPS listener and no ListenerCertificate',
    lb: { certificateARNs: {} },
    check: (doc) => {
      expect(Object.keys(resources(doc))).toEqual(['HTTPListener', 'LB', 'TG']);
    },
  },
  {
    name: 'nlb-no-certificates',
    rule: 'NLB without certificates and without HTTP: only LB and TG',
    lb: { loadBalancerType: 'network', certificateARNs: {} },
    check: (doc) => {
      expect(Object.keys(resources(doc))).toEqual(['LB', 'TG']);
    },
  },
  {
    name: 'alb-sni-certificates',
    rule: 'several certificates: sorted default on the listener, all of them under the hashed logical id',
    lb: { certificateARNs: { [CERT_C]: null, [CERT_B]: null, [CERT_A]: Date.UTC(2026, 5, 1, 12, 0, 0) } },
    check: (doc) => {
      expect(props(doc, 'HTTPSListener').Certificates).toEqual([{ CertificateArn: CERT_A }]);
      const id = Object.keys(resources(doc)).find((k) => k.startsWith('HTTPSListenerCertificate'))!;
      expect(props(doc, id).Certificates).toEqual([CERT_A, CERT_B, CERT_C].map((CertificateArn) => ({ CertificateArn })));
      expect(doc.tags[`ingress:certificate-arn/${CERT_A}`]).toBe('2026-06-01T12:00:00Z');
      expect(doc.tags[`ingress:certificate-arn/${CERT_B}`]).toBe('0001-01-01T00:00:00Z');
    },
  },
  {
    name: 'alb-redirect',
    rule: '--redirect-http-to-https: HTTP listener answers with a 301 to HTTPS',
    config: { redirectHTTPToHTTPS: true },
    check: (doc) => {
      const action = (props(doc, 'HTTPListener').DefaultActions as Record<string, unknown>[])[0]!;
      expect(action.Type).toBe('redirect');
      expect(action.TargetGroupArn).toBeUndefined();
    },
  },
  {
    name: 'nlb-redirect-ignored',
    rule: 'NLBs never redirect: --redirect-http-to-https keeps the TCP forward listener',
    lb: { loadBalancerType: 'network' },
    config: { redirectHTTPToHTTPS: true, nlbHTTPEnabled: true },
    check: (doc) => {
      expect(props(doc, 'HTTPListener').Protocol).toBe('TCP');
      expect((props(doc, 'HTTPListener').DefaultActions as Record<string, unknown>[])[0]!.Type).toBe('forward');
    },
  },
  {
    name: 'alb-http-target-port',
    rule: '--alb-http-target-port ≠ --target-port: TGHTTP with its own port parameter and output',
    config: { albHTTPTargetPort: 9998 },
    check: (doc) => {
      expect(props(doc, 'TGHTTP').Port).toEqual({ Ref: 'TargetGroupHTTPTargetPortParameter' });
      expect((props(doc, 'HTTPListener').DefaultActions as Record<string, unknown>[])[0]!.TargetGroupArn).toEqual({
        Ref: 'TGHTTP',
      });
      expect(doc.template.Parameters.TargetGroupHTTPTargetPortParameter).toBeDefined();
      expect(doc.template.Outputs.HTTPTargetGroupARN).toBeDefined();
      expect(doc.parameters.TargetGroupHTTPTargetPortParameter).toBe('9998');
    },
  },
  {
    name: 'alb-http-target-port-same-as-target-port',
    rule: 'an HTTP target port equal to --target-port needs no second target group',
    config: { albHTTPTargetPort: 9999 },
    check: (doc) => {
      expect(resources(doc).TGHTTP).toBeUndefined();
      expect(doc.parameters.TargetGroupHTTPTargetPortParameter).toBeUndefined();
    },
  },
  {
    name: 'alb-redirect-with-http-target-port',
    rule: 'TGHTTP is created even when the HTTP listener only redirects',
    config: { albHTTPTargetPort: 9998, redirectHTTPToHTTPS: true },
    check: (doc) => {
      expect(resources(doc).TGHTTP).toBeDefined();
      expect((props(doc, 'HTTPListener').DefaultActions as Record<string, unknown>[])[0]!.Type).toBe('redirect');
    },
  },
  {
    name: 'alb-ignores-nlb-http-target-port',
    rule: '--nlb-http-target-port does not concern ALBs',
    config: { nlbHTTPTargetPort: 9998, nlbHTTPEnabled: true },
    check: (doc) => {
      expect(resources(doc).TGHTTP).toBeUndefined();
    },
  },
  {
    name: 'nlb-http-enabled',
    rule: '--nlb-http-enabled: TCP:80 listener forwarding to TG',
    lb: { loadBalancerType: 'network' },
    config: { nlbHTTPEnabled: true },
    check: (doc) => {
      expect(props(doc, 'HTTPListener')).toMatchObject({ Port: 80, Protocol: 'TCP' });
    },
  },
  {
    name: 'nlb-http-target-port',
    rule: 'NLB HTTP listener on its own target group (--nlb-http-target-port)',
    lb: { loadBalancerType: 'network' },
    config: { nlbHTTPEnabled: true, nlbHTTPTargetPort: 9997 },
    check: (doc) => {
      expect(props(doc, 'TGHTTP').Protocol).toBe('TCP');
      expect(doc.parameters.TargetGroupHTTPTargetPortParameter).toBe('9997');
    },
  },
  {
    name: 'nlb-http-target-port-without-http',
    rule: 'no HTTP listener, no TGHTTP, whatever the HTTP target port',
    lb: { loadBalancerType: 'network' },
    config: { nlbHTTPTargetPort: 9997 },
    check: (doc) => {
      expect(resources(doc).TGHTTP).toBeUndefined();
      expect(doc.parameters.TargetGroupHTTPTargetPortParameter).toBeUndefined();
    },
  },
  {
    name: 'alb-target-https',
    rule: '--target-https: ALB target group and health check over HTTPS',
    config: { targetHTTPS: true },
    check: (doc) => {
      expect(props(doc, 'TG')).toMatchObject({ Protocol: 'HTTPS', HealthCheckProtocol: 'HTTPS' });
    },
  },
  {
    name: 'nlb-target-https-ignored',
    rule: '--target-https does not change NLB target groups',
    lb: { loadBalancerType: 'network' },
    config: { targetHTTPS: true },
    check: (doc) => {
      expect(props(doc, 'TG')).toMatchObject({ Protocol: 'TCP', HealthCheckProtocol: 'HTTP' });
    },
  },
  {
    name: 'alb-threshold-counts',
    rule: 'ALB healthy/unhealthy threshold counts are literal integers from the flags',
    config: { albHealthyThresholdCount: 7, albUnhealthyThresholdCount: 4, nlbHealthyThresholdCount: 9 },
    check: (doc) => {
      expect(props(doc, 'TG')).toMatchObject({ HealthyThresholdCount: 7, UnhealthyThresholdCount: 4 });
    },
  },
  {
    name: 'nlb-threshold-counts',
    rule: 'NLB uses --nlb-healthy-threshold-count for both counts',
    lb: { loadBalancerType: 'network' },
    config: { albHealthyThresholdCount: 7, albUnhealthyThresholdCount: 4, nlbHealthyThresholdCount: 9 },
    check: (doc) => {
      expect(props(doc, 'TG')).toMatchObject({ HealthyThresholdCount: 9, UnhealthyThresholdCount: 9 });
    },
  },
  {
    name: 'deregistration-delay',
    rule: 'deregistration delay attribute in whole seconds',
    config: { deregistrationDelayTimeoutMs: 45_500 },
    check: (doc) => {
      expect(props(doc, 'TG').TargetGroupAttributes).toEqual([
        { Key: 'deregistration_delay.timeout_seconds', Value: '45' },
      ]);
    },
  },
  {
    name: 'idle-timeout',
    rule: 'ALB idle timeout attribute in whole seconds',
    config: { idleConnectionTimeoutMs: 3_600_000 },
    check: (doc) => {
      expect(lbAttributes(doc)['idle_timeout.timeout_seconds']).toBe('3600');
    },
  },
  {
    name: 'timeouts-coerced-to-zero',
    rule: 'out-of-range idle and deregistration timeouts arrive as 0 and are written as "0"',
    config: { idleConnectionTimeoutMs: 0, deregistrationDelayTimeoutMs: 0 },
    check: (doc) => {
      expect(lbAttributes(doc)['idle_timeout.timeout_seconds']).toBe('0');
    },
  },
  {
    name: 'alb-http2-disabled',
    rule: 'HTTP/2 off: attribute false and HTTP2 parameter "false"',
    lb: { http2: false },
    check: (doc) => {
      expect(lbAttributes(doc)['routing.http2.enabled']).toBe('false');
      expect(doc.parameters.HTTP2).toBe('false');
    },
  },
  {
    name: 'nlb-cross-zone',
    rule: '--nlb-cross-zone sets load_balancing.cross_zone.enabled',
    lb: { loadBalancerType: 'network' },
    config: { nlbCrossZone: true },
    check: (doc) => {
      expect(lbAttributes(doc)['load_balancing.cross_zone.enabled']).toBe('true');
    },
  },
  {
    name: 'nlb-zone-affinity',
    rule: '--nlb-zone-affinity sets dns_record.client_routing_policy',
    lb: { loadBalancerType: 'network' },
    config: { nlbZoneAffinity: 'availability_zone_affinity' },
    check: (doc) => {
      expect(lbAttributes(doc)['dns_record.client_routing_policy']).toBe('availability_zone_affinity');
    },
  },
  {
    name: 'alb-access-logs',
    rule: 'S3 access logs with bucket only',
    config: { logsS3Bucket: 'logs-bucket' },
    check: (doc) => {
      expect(lbAttributes(doc)).toMatchObject({ 'access_logs.s3.enabled': 'true', 'access_logs.s3.bucket': 'logs-bucket' });
      expect(lbAttributes(doc)['access_logs.s3.prefix']).toBeUndefined();
    },
  },
  {
    name: 'alb-access-logs-prefix',
    rule: 'S3 access logs with bucket and prefix',
    config: { logsS3Bucket: 'logs-bucket', logsS3Prefix: 'ingress/alb' },
    check: (doc) => {
      expect(lbAttributes(doc)['access_logs.s3.prefix']).toBe('ingress/alb');
    },
  },
  {
    name: 'access-logs-prefix-without-bucket',
    rule: 'a prefix without a bucket is ignored',
    config: { logsS3Prefix: 'ingress/alb' },
    check: (doc) => {
      expect(lbAttributes(doc)).toEqual({
        'idle_timeout.timeout_seconds': '60',
        'routing.http2.enabled': 'true',
        'access_logs.s3.enabled': 'false',
      });
    },
  },
  {
    name: 'nlb-access-logs',
    rule: 'NLB access logs follow the NLB attributes',
    lb: { loadBalancerType: 'network' },
    config: { logsS3Bucket: 'logs-bucket', logsS3Prefix: 'nlb' },
    check: (doc) => {
      const keys = (props(doc, 'LB').LoadBalancerAttributes as { Key: string }[]).map((a) => a.Key);
      expect(keys).toEqual([
        'load_balancing.cross_zone.enabled',
        'dns_record.client_routing_policy',
        'access_logs.s3.enabled',
        'access_logs.s3.bucket',
        'access_logs.s3.prefix',
      ]);
    },
  },
  {
    name: 'alb-deny-internal-domains',
    rule: '--deny-internal-domains: fixed-response rules on both listeners',
    config: {
      denyInternalDomains: true,
      internalDomains: ['*.cluster.local', '*.svc'],
      denyInternalDomainsResponse: '<h1>Forbidden & gone</h1>',
      denyInternalDomainsResponseContentType: 'text/html',
      denyInternalDomainsResponseStatusCode: 403,
    },
    check: (doc) => {
      expect(props(doc, 'HTTPRuleBlockInternalTraffic').ListenerArn).toEqual({ Ref: 'HTTPListener' });
      expect(props(doc, 'HTTPSRuleBlockInternalTraffic').ListenerArn).toEqual({ Ref: 'HTTPSListener' });
      expect(props(doc, 'HTTPRuleBlockInternalTraffic').Conditions).toEqual([
        { Field: 'host-header', Values: ['*.cluster.local', '*.svc'] },
      ]);
      expect(doc.templateBody).toContain('\\u003ch1\\u003eForbidden \\u0026 gone\\u003c/h1\\u003e');
    },
  },
  {
    name: 'alb-deny-internal-domains-redirect',
    rule: 'a redirecting HTTP listener gets no deny rule; HTTPS still does',
    config: { denyInternalDomains: true, redirectHTTPToHTTPS: true },
    check: (doc) => {
      expect(resources(doc).HTTPRuleBlockInternalTraffic).toBeUndefined();
      expect(resources(doc).HTTPSRuleBlockInternalTraffic).toBeDefined();
    },
  },
  {
    name: 'alb-deny-internal-domains-no-certificates',
    rule: 'no HTTPS listener, no HTTPS deny rule',
    lb: { certificateARNs: {} },
    config: { denyInternalDomains: true },
    check: (doc) => {
      expect(resources(doc).HTTPRuleBlockInternalTraffic).toBeDefined();
      expect(resources(doc).HTTPSRuleBlockInternalTraffic).toBeUndefined();
    },
  },
  {
    name: 'nlb-deny-internal-domains-ignored',
    rule: 'NLBs never get deny rules',
    lb: { loadBalancerType: 'network' },
    config: { denyInternalDomains: true, nlbHTTPEnabled: true },
    check: (doc) => {
      expect(resources(doc).HTTPRuleBlockInternalTraffic).toBeUndefined();
      expect(resources(doc).HTTPSRuleBlockInternalTraffic).toBeUndefined();
    },
  },
  {
    name: 'alb-waf-classic',
    rule: 'a WAF Classic WebACL id: AWS::WAFRegional::WebACLAssociation',
    lb: { wafWebACLID: '0c8e4b0e-1234-4d1c-9c3a-5a1f2f3e4d5c' },
    check: (doc) => {
      expect(resources(doc).WAFAssociation!.Type).toBe('AWS::WAFRegional::WebACLAssociation');
      expect(props(doc, 'WAFAssociation').WebACLId).toEqual({ Ref: 'LoadBalancerWAFWebACLIDParameter' });
      expect(doc.parameters.LoadBalancerWAFWebACLIDParameter).toBe('0c8e4b0e-1234-4d1c-9c3a-5a1f2f3e4d5c');
    },
  },
  {
    name: 'alb-wafv2',
    rule: 'a WAFv2 ARN: AWS::WAFv2::WebACLAssociation',
    lb: { wafWebACLID: 'arn:aws:wafv2:eu-central-1:123456789012:regional/webacl/acl/abc' },
    check: (doc) => {
      expect(resources(doc).WAFAssociation!.Type).toBe('AWS::WAFv2::WebACLAssociation');
      expect(props(doc, 'WAFAssociation').WebACLArn).toEqual({ Ref: 'LoadBalancerWAFWebACLIDParameter' });
    },
  },
  {
    name: 'waf-other-partition-is-classic',
    rule: 'only arn:aws:wafv2: counts as WAFv2; other partitions fall back to WAF Classic',
    lb: { wafWebACLID: 'arn:aws-cn:wafv2:cn-north-1:123456789012:regional/webacl/acl/abc' },
    check: (doc) => {
      expect(resources(doc).WAFAssociation!.Type).toBe('AWS::WAFRegional::WebACLAssociation');
    },
  },
  {
    name: 'nlb-waf-parameter-only',
    rule: 'NLBs get the WAF parameter but never the association',
    lb: { loadBalancerType: 'network', wafWebACLID: 'arn:aws:wafv2:eu-central-1:123456789012:regional/webacl/acl/abc' },
    check: (doc) => {
      expect(resources(doc).WAFAssociation).toBeUndefined();
      expect(doc.template.Parameters.LoadBalancerWAFWebACLIDParameter).toBeDefined();
      expect(doc.parameters.LoadBalancerWAFWebACLIDParameter).toBeDefined();
    },
  },
  {
    name: 'target-type-awscni',
    rule: 'AWSCNI access mode: TargetType ip',
    config: { targetAccessMode: 'AWSCNI' },
    check: (doc) => {
      expect(props(doc, 'TG').TargetType).toBe('ip');
    },
  },
  {
    name: 'target-type-legacy',
    rule: 'Legacy access mode: no TargetType',
    config: { targetAccessMode: 'Legacy' },
    check: (doc) => {
      expect(props(doc, 'TG').TargetType).toBeUndefined();
    },
  },
  {
    name: 'legacy-stack-without-type',
    rule: 'a stack from before LB types: no Type property on LB, otherwise shaped like an ALB',
    lb: { loadBalancerType: '' },
    check: (doc) => {
      expect(props(doc, 'LB').Type).toBeUndefined();
      expect(props(doc, 'LB').SecurityGroups).toBeDefined();
      expect(resources(doc).HTTPListener).toBeDefined();
      expect(props(doc, 'HTTPSListener').Protocol).toBe('HTTPS');
      expect(doc.parameters.Type).toBe('');
    },
  },
  {
    name: 'cloudwatch-alarms',
    rule: 'CloudWatchAlarm<i>: name joined with the stack name, default namespace, dimension rewriting, dropped fields',
    env: { alarms: parseAlarmConfig({ 'alarms.yaml': ALARM_YAML }).alarms },
    check: (doc) => {
      const first = props(doc, 'CloudWatchAlarm0');
      expect(first.AlarmName).toEqual({ 'Fn::Join': ['-', [{ Ref: 'AWS::StackName' }, 'high-5xx']] });
      expect(first.Namespace).toBe('AWS/ApplicationELB');
      expect(first.Dimensions).toEqual([
        { Name: 'LoadBalancer', Value: { 'Fn::GetAtt': ['LB', 'LoadBalancerFullName'] } },
        { Name: 'TargetGroup', Value: { 'Fn::GetAtt': ['TG', 'TargetGroupFullName'] } },
        { Name: 'AvailabilityZone', Value: 'eu-central-1a' },
      ]);
      expect(first.DatapointsToAlarm).toBeUndefined();
      expect(first.Tags).toBeUndefined();
      expect(first.ActionsEnabled).toBe(true);
      expect(first.EvaluationPeriods).toBe(2);
      const second = props(doc, 'CloudWatchAlarm1');
      expect(second.AlarmName).toBeUndefined();
      expect(second.Namespace).toBe('AWS/NetworkELB');
      expect(second.Dimensions).toEqual([{ Name: 'LoadBalancer', Value: { 'Fn::GetAtt': ['LB', 'LoadBalancerFullName'] } }]);
      expect(second.InsufficientDataActions).toEqual([]);
      expect(doc.tags['cloudwatch:alarm-config-hash']).toMatch(/^[0-9a-f]{64}$/);
    },
  },
  {
    name: 'nlb-cloudwatch-alarm-namespace',
    rule: 'the default alarm namespace stays AWS/ApplicationELB on NLBs',
    lb: { loadBalancerType: 'network' },
    env: { alarms: [{ MetricName: 'HealthyHostCount', ComparisonOperator: 'LessThanThreshold', EvaluationPeriods: 1 }] },
    check: (doc) => {
      expect(props(doc, 'CloudWatchAlarm0').Namespace).toBe('AWS/ApplicationELB');
    },
  },
  {
    name: 'internal-dualstack',
    rule: 'internal scheme (all subnets, internal-elb role preferred) and dualstack parameters',
    lb: { scheme: 'internal', ipAddressType: 'dualstack' },
    check: (doc) => {
      expect(doc.parameters.LoadBalancerSchemeParameter).toBe('internal');
      expect(doc.parameters.LoadBalancerSubnetsParameter).toBe('subnet-a2,subnet-b1');
      expect(doc.parameters.IpAddressType).toBe('dualstack');
    },
  },
  {
    name: 'non-shared-owner',
    rule: 'a non-shared load balancer carries ingress:owner',
    lb: { shared: false, owner: 'default/rg' },
    check: (doc) => {
      expect(doc.tags['ingress:owner']).toBe('default/rg');
    },
  },
  {
    name: 'additional-stack-tags',
    rule: '--additional-stack-tags are merged under the controller tags',
    config: {
      additionalStackTags: { team: 'platform', 'kubernetes:application': 'someone-else', 'ingress:owner': 'x/y' },
      controllerId: 'my-controller',
    },
    check: (doc) => {
      expect(doc.tags.team).toBe('platform');
      expect(doc.tags['kubernetes:application']).toBe('my-controller');
      expect(doc.tags['ingress:owner']).toBe('x/y');
    },
  },
  {
    name: 'health-check-parameters',
    rule: 'health-check path, port, interval and timeout parameters (seconds with %.0f, halves to even)',
    config: {
      healthCheckPath: '/healthz',
      healthCheckPort: 8080,
      healthCheckIntervalMs: 2_500,
      healthCheckTimeoutMs: 1_500,
      targetPort: 8443,
    },
    check: (doc) => {
      expect(doc.parameters).toMatchObject({
        TargetGroupHealthCheckPathParameter: '/healthz',
        TargetGroupHealthCheckPortParameter: '8080',
        TargetGroupHealthCheckIntervalParameter: '2',
        TargetGroupHealthCheckTimeoutParameter: '2',
        TargetGroupTargetPortParameter: '8443',
      });
    },
  },
  {
    name: 'ssl-policy-create-fallback',
    rule: 'a new stack without an SSL policy gets --ssl-policy',
    lb: { sslPolicy: '' },
    config: { sslPolicy: 'ELBSecurityPolicy-TLS13-1-2-2021-06' },
    check: (doc) => {
      expect(doc.parameters.ListenerSslPolicyParameter).toBe('ELBSecurityPolicy-TLS13-1-2-2021-06');
    },
  },
  {
    name: 'reference-alb-zeroed',
    rule: 'the upstream ALB reference template (numeric settings zeroed, Legacy, cert DUMMY)',
    lb: { certificateARNs: { DUMMY: null } },
    config: zeroedNumbers(),
    check: (doc) => {
      expect(Object.keys(resources(doc))).toContain(
        'HTTPSListenerCertificatefc48082457b770e278fc0bd3d392d127869993166f76e8df57d19a0e662820ea',
      );
    },
  },
  {
    name: 'reference-nlb-zeroed',
    rule: 'the upstream NLB reference template (numeric settings zeroed, Legacy, cert DUMMY)',
    lb: { certificateARNs: { DUMMY: null }, loadBalancerType: 'network' },
    config: zeroedNumbers(),
    check: (doc) => {
      expect(props(doc, 'TG').TargetType).toBeUndefined();
    },
  },
];

function zeroedNumbers(): Partial<Config> {
  return {
    targetAccessMode: 'Legacy',
    albHealthyThresholdCount: 0,
    albUnhealthyThresholdCount: 0,
    nlbHealthyThresholdCount: 0,
    idleConnectionTimeoutMs: 0,
    deregistrationDelayTimeoutMs: 0,
  };
}

export function buildCase(c: GoldenCase): StackDocument {
  return buildStackDocument(
    loadBalancer(c.lb),
    environment({ ...c.env, config: defaultConfig(c.config) }),
  );
}
