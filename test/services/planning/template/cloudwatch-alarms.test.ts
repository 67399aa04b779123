import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import {
  alarmConfigHash,
  alarmResources,
  parseAlarmConfig,
  type CloudWatchAlarm,
} from '../../../../services/planning/template/cloudwatch-alarms.ts';
import { goMarshal, sortedDeep } from '../../../../services/planning/template/go-json.ts';

function parse(yaml: string): readonly CloudWatchAlarm[] {
  const { alarms, warnings } = parseAlarmConfig({ key: yaml });
  expect(warnings).toEqual([]);
  return alarms;
}

function rejected(yaml: string): string {
  const { alarms, warnings } = parseAlarmConfig({ key: yaml });
  expect(alarms).toEqual([]);
  expect(warnings).toHaveLength(1);
  return warnings[0]!.message;
}

describe('alarmConfigHash', () => {
  it('is upstream’s value for a single empty alarm', () => {
    expect(alarmConfigHash([{}])).toBe('e10808d43975dc400731053386849f864f297e6c4f7519c380f3dbaf7067a840');
  });

  it('is empty for no alarms', () => {
    expect(alarmConfigHash([])).toBe('');
  });

  it('hashes Go’s compact JSON: struct order, omitempty, HTML escaping, dropped fields included', () => {
    const alarms = parse(`
- Unit: Count
  alarmname: "a<b"
  Threshold: "5"
  DatapointsToAlarm: 2
  ActionsEnabled: false
  Namespace: ""
  Dimensions: {Name: LoadBalancer, Value: x}
  Metrics: [{Id: m1, ReturnData: "t", MetricStat: {Period: 60, Metric: {MetricName: M}}}]
`);
    const json =
      '[{"ActionsEnabled":false,"AlarmName":"a\\u003cb","DatapointsToAlarm":2,' +
      '"Dimensions":[{"Name":"LoadBalancer","Value":"x"}],' +
      '"Metrics":[{"Id":"m1","MetricStat":{"Metric":{"MetricName":"M"},"Period":60},"ReturnData":true}],' +
      '"Namespace":"","Threshold":5,"Unit":"Count"}]';
    expect(goMarshal(sortedDeep(alarms))).toBe(json);
    expect(alarmConfigHash(alarms)).toBe(createHash('sha256').update(json).digest('hex'));
  });

  it('changes when only a field the template drops changes', () => {
    expect(alarmConfigHash(parse('- DatapointsToAlarm: 1'))).not.toBe(alarmConfigHash(parse('- DatapointsToAlarm: 2')));
  });
});

describe('parseAlarmConfig', () => {
  it('reads keys in bytewise order and concatenates their lists', () => {
    const { alarms } = parseAlarmConfig({ b: '- MetricName: B', B: '- MetricName: upper', a: '- MetricName: A' });
    expect(alarms.map((a) => a.MetricName)).toEqual(['upper', 'A', 'B']);
  });

  it('skips a key with a float Threshold and keeps the others, with a warning', () => {
    const { alarms, warnings } = parseAlarmConfig({ bad: '- Threshold: 1.5', good: '- Threshold: 2' });
    expect(alarms).toEqual([{ Threshold: 2 }]);
    expect(warnings.map((w) => w.key)).toEqual(['bad']);
  });

  it('accepts numeric strings for integers and Go’s boolean spellings', () => {
    expect(parse('- {Period: "+60", EvaluationPeriods: "007", ActionsEnabled: "F"}')).toEqual([
      { ActionsEnabled: false, EvaluationPeriods: 7, Period: 60 },
    ]);
    rejected('- Period: "60s"');
    rejected('- ActionsEnabled: "maybe"');
  });

  it('reads YAML 1.1 like go-yaml (yes/no booleans, timestamps stay strings)', () => {
    expect(parse('- {ActionsEnabled: yes, AlarmDescription: 2024-01-02}')).toEqual([
      { ActionsEnabled: true, AlarmDescription: '2024-01-02' },
    ]);
  });

  it('drops unknown fields, matches names case-insensitively and lets null clear a field', () => {
    expect(parse('- {metricname: m, Foo: bar, AlarmName: x, alarmname: ~}')).toEqual([{ MetricName: 'm' }]);
  });

  it('applies clashing spellings in bytewise key order, the last one winning', () => {
    // "ALARMNAME" sorts before "AlarmName", so the exact spelling is applied last here.
    expect(parse('- {AlarmName: x, ALARMNAME: ~}')).toEqual([{ AlarmName: 'x' }]);
  });

  it('rejects a number where a string is expected, as go-cloudformation does', () => {
    rejected('- AlarmDescription: 5');
  });

  it('widens a single string or object to a list', () => {
    expect(parse('- {AlarmActions: arn:1, Dimensions: {Name: lb, Value: v}}')).toEqual([
      { AlarmActions: ['arn:1'], Dimensions: [{ Name: 'lb', Value: 'v' }] },
    ]);
  });

  it('treats YAML 1.1 booleans such as n in a string field as an error, like go-yaml v2', () => {
    expect(rejected('- Dimensions: [{Name: n, Value: v}]')).toContain('boolean');
  });

  it('keeps intrinsic functions and rejects unknown ones', () => {
    expect(parse('- {AlarmActions: [{Ref: Topic}], AlarmDescription: {"Fn::Sub": "x-${AWS::Region}"}}')).toEqual([
      { AlarmActions: [{ Ref: 'Topic' }], AlarmDescription: { 'Fn::Sub': 'x-${AWS::Region}' } },
    ]);
    rejected('- AlarmDescription: {"Fn::Nope": x}');
  });

  it('handles empty documents, null items and non-list documents like upstream', () => {
    expect(parseAlarmConfig({ empty: '', comment: '# nothing' })).toEqual({ alarms: [], warnings: [] });
    expect(parse('- ~')).toEqual([{}]);
    rejected('MetricName: not-a-list');
    rejected('- [nested]');
    rejected('- {a: [unclosed');
  });
});

describe('alarmResources', () => {
  it('writes each alarm as CloudWatchAlarm<i> with upstream’s rewrites', () => {
    const resources = alarmResources([
      { AlarmName: 'n', Dimensions: [{ Name: 'TargetGroup', Value: 'x' }, { Value: 'no-name' }], Metrics: [], Tags: [] },
      { Namespace: 'Custom', Dimensions: [] },
    ]);
    expect(resources).toEqual({
      CloudWatchAlarm0: {
        Type: 'AWS::CloudWatch::Alarm',
        Properties: {
          AlarmName: { 'Fn::Join': ['-', [{ Ref: 'AWS::StackName' }, 'n']] },
          Dimensions: [
            { Name: 'TargetGroup', Value: { 'Fn::GetAtt': ['TG', 'TargetGroupFullName'] } },
            { Value: 'no-name' },
          ],
          Namespace: 'AWS/ApplicationELB',
        },
      },
      CloudWatchAlarm1: {
        Type: 'AWS::CloudWatch::Alarm',
        Properties: {
          Dimensions: [{ Name: 'LoadBalancer', Value: { 'Fn::GetAtt': ['LB', 'LoadBalancerFullName'] } }],
          Namespace: 'Custom',
        },
      },
    });
  });
});
