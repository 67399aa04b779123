// The CloudWatch alarms attached to every load balancer: read from the alarm ConfigMap, fingerprinted for the
// `cloudwatch:alarm-config-hash` stack tag, and written into the template as CloudWatchAlarm<i> resources.
import { createHash } from 'node:crypto';
import { decodeAlarmDocument } from './alarm-decoding.ts';
import type { AlarmDimension, CloudWatchAlarm, StringValue } from './cloudwatch-alarm-types.ts';
import { compareBytes, goMarshal, sortedDeep } from './go-json.ts';
import { LogicalId } from '../stack-contract.ts';
import { getAtt, join, ref, type Intrinsic, type TemplateResource } from './template-types.ts';

export type * from './cloudwatch-alarm-types.ts';

export interface AlarmConfigWarning {
  /** The ConfigMap data key that was skipped. */
  readonly key: string;
  readonly message: string;
}

export interface AlarmConfig {
  readonly alarms: readonly CloudWatchAlarm[];
  /** One per skipped key; upstream logs these and carries on with the other keys. */
  readonly warnings: readonly AlarmConfigWarning[];
}

/** ConfigMap data → alarm list: keys in bytewise order, each a YAML list, a key that fails is skipped whole. */
export function parseAlarmConfig(data: Readonly<Record<string, string>>): AlarmConfig {
  const alarms: CloudWatchAlarm[] = [];
  const warnings: AlarmConfigWarning[] = [];
  for (const key of Object.keys(data).sort(compareBytes)) {
    try {
      alarms.push(...decodeAlarmDocument(data[key] ?? ''));
    } catch (error) {
      // Whatever made the key unreadable (YAML syntax, alias bombs, wrong types), upstream only logs it.
      warnings.push({ key, message: error instanceof Error ? error.message : String(error) });
    }
  }
  return { alarms, warnings };
}

/** sha256 hex of Go's json.Marshal of the parsed list; '' for no alarms (then the tag is not written). */
export function alarmConfigHash(alarms: readonly CloudWatchAlarm[]): string {
  if (alarms.length === 0) return '';
  return createHash('sha256').update(goMarshal(sortedDeep(alarms)), 'utf8').digest('hex');
}

const DEFAULT_NAMESPACE = 'AWS/ApplicationELB';

function loadBalancerFullName(): Intrinsic {
  return getAtt(LogicalId.loadBalancer, 'LoadBalancerFullName');
}

/** CloudWatchAlarm<i> resources, i being the index in the configured list. */
export function alarmResources(alarms: readonly CloudWatchAlarm[]): Record<string, TemplateResource> {
  const resources: Record<string, TemplateResource> = {};
  alarms.forEach((alarm, i) => {
    resources[`${LogicalId.alarmPrefix}${i}`] = {
      Type: 'AWS::CloudWatch::Alarm',
      Properties: sortedDeep({
        ActionsEnabled: alarm.ActionsEnabled,
        AlarmActions: alarm.AlarmActions,
        AlarmDescription: alarm.AlarmDescription,
        // Alarm names are unique per account, so the stack name keeps two load balancers' alarms apart.
        AlarmName: alarm.AlarmName === undefined ? undefined : join('-', [ref('AWS::StackName'), alarm.AlarmName]),
        ComparisonOperator: alarm.ComparisonOperator,
        Dimensions: alarmDimensions(alarm.Dimensions),
        EvaluateLowSampleCountPercentile: alarm.EvaluateLowSampleCountPercentile,
        EvaluationPeriods: alarm.EvaluationPeriods,
        ExtendedStatistic: alarm.ExtendedStatistic,
        InsufficientDataActions: alarm.InsufficientDataActions,
        MetricName: alarm.MetricName,
        // Even for NLBs: upstream never switched the default to AWS/NetworkELB.
        Namespace: alarm.Namespace ?? DEFAULT_NAMESPACE,
        OKActions: alarm.OKActions,
        Period: alarm.Period,
        Statistic: alarm.Statistic,
        Threshold: alarm.Threshold,
        TreatMissingData: alarm.TreatMissingData,
        Unit: alarm.Unit,
      }) as TemplateResource['Properties'],
    };
  });
  return resources;
}

/**
 * The user cannot know the generated LB and TG names, so the dimensions named LoadBalancer and TargetGroup get
 * them from the stack; no dimensions at all means "this load balancer".
 */
function alarmDimensions(dimensions: readonly AlarmDimension[] | undefined): readonly AlarmDimension[] {
  if (dimensions === undefined || dimensions.length === 0) {
    return [{ Name: 'LoadBalancer', Value: loadBalancerFullName() }];
  }
  return dimensions.map((dimension) => {
    // Upstream dereferences Name unchecked and would crash without one; here such a dimension stays as it is.
    const name: StringValue | undefined = dimension.Name;
    if (name === 'LoadBalancer') return { Name: name, Value: loadBalancerFullName() };
    if (name === 'TargetGroup') return { Name: name, Value: getAtt(LogicalId.targetGroup, 'TargetGroupFullName') };
    return { Name: dimension.Name, Value: dimension.Value };
  });
}
