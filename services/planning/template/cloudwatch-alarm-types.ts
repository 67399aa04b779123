// One configured CloudWatch alarm, as parsed from the alarm ConfigMap. Property names are the CloudFormation
// names. A property is present exactly when upstream's Go struct would hold a non-nil pointer, because presence
// (not only value) changes the alarm hash: `Namespace: ""` and no Namespace hash differently.
import type { Intrinsic } from './template-types.ts';

export type StringValue = string | Intrinsic;
export type IntegerValue = number | Intrinsic;
export type BooleanValue = boolean | Intrinsic;
/** null entries are what Go keeps for YAML `- ~` inside a list of strings. */
export type StringListValue = readonly (StringValue | null)[] | Intrinsic;

export interface AlarmDimension {
  readonly Name?: StringValue;
  readonly Value?: StringValue;
}

export interface AlarmTag {
  readonly Key?: StringValue;
  readonly Value?: StringValue;
}

export interface AlarmMetric {
  readonly Dimensions?: readonly AlarmDimension[];
  readonly MetricName?: StringValue;
  readonly Namespace?: StringValue;
}

export interface AlarmMetricStat {
  readonly Metric?: AlarmMetric;
  readonly Period?: IntegerValue;
  readonly Stat?: StringValue;
  readonly Unit?: StringValue;
}

export interface AlarmMetricDataQuery {
  readonly AccountId?: StringValue;
  readonly Expression?: StringValue;
  readonly Id?: StringValue;
  readonly Label?: StringValue;
  readonly MetricStat?: AlarmMetricStat;
  readonly Period?: IntegerValue;
  readonly ReturnData?: BooleanValue;
}

/** Fields in upstream's struct order (which is also bytewise order). */
export interface CloudWatchAlarm {
  readonly ActionsEnabled?: BooleanValue;
  readonly AlarmActions?: StringListValue;
  readonly AlarmDescription?: StringValue;
  readonly AlarmName?: StringValue;
  readonly ComparisonOperator?: StringValue;
  /** Parsed and hashed, never written to the template. */
  readonly DatapointsToAlarm?: IntegerValue;
  readonly Dimensions?: readonly AlarmDimension[];
  readonly EvaluateLowSampleCountPercentile?: StringValue;
  readonly EvaluationPeriods?: IntegerValue;
  readonly ExtendedStatistic?: StringValue;
  readonly InsufficientDataActions?: StringListValue;
  readonly MetricName?: StringValue;
  /** Parsed and hashed, never written to the template. */
  readonly Metrics?: readonly AlarmMetricDataQuery[];
  readonly Namespace?: StringValue;
  readonly OKActions?: StringListValue;
  readonly Period?: IntegerValue;
  readonly Statistic?: StringValue;
  /** Parsed and hashed, never written to the template. */
  readonly Tags?: readonly AlarmTag[];
  /** An integer in upstream's schema: a float makes the whole ConfigMap key fail to parse. */
  readonly Threshold?: IntegerValue;
  /** Parsed and hashed, never written to the template. */
  readonly ThresholdMetricId?: StringValue;
  readonly TreatMissingData?: StringValue;
  readonly Unit?: StringValue;
}
