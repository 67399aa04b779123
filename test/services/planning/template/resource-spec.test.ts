// Every template the golden cases produce must conform to the CloudFormation resource specification.
import { beforeAll, describe, expect, it } from 'vitest';
import { loadResourceSpec, type ResourceSpecChecker } from '../../../helpers/resource-spec.ts';
import { buildCase, GOLDEN_CASES } from './golden-cases.ts';

let checker: ResourceSpecChecker;

beforeAll(async () => {
  checker = await loadResourceSpec();
  // Measured at about 0.75 s on the 2-core build machine; loaded once for the whole file.
  console.info(`resource specification loaded in ${Math.round(checker.loadMs)} ms`);
});

describe('templates against the CloudFormation resource specification', () => {
  for (const c of GOLDEN_CASES) {
    it(c.name, () => {
      expect(checker.validateTemplate(buildCase(c).template)).toEqual([]);
    });
  }
});

describe('the checker itself', () => {
  const base = () => JSON.parse(JSON.stringify(buildCase(GOLDEN_CASES[0]!).template)) as Record<string, any>;

  it('reports parameters without a CloudFormation parameter type', () => {
    const t = base();
    t.Parameters.HTTP2.Type = 'Boolean';
    expect(checker.validateTemplate(t)).toEqual([{ path: 'Parameters.HTTP2', message: 'parameter without a valid Type' }]);
  });

  it('reports unknown resource types', () => {
    const t = base();
    t.Resources.X = { Type: 'AWS::Nope::Nothing', Properties: {} };
    expect(checker.validateTemplate(t)).toEqual([{ path: 'Resources.X.Type', message: 'unknown resource type AWS::Nope::Nothing' }]);
  });

  it('reports unknown properties, wrong primitive types and missing required properties', () => {
    const t = base();
    t.Resources.TG.Properties.Colour = 'blue';
    t.Resources.TG.Properties.HealthyThresholdCount = '5';
    delete t.Resources.HTTPListener.Properties.DefaultActions;
    t.Resources.HTTPSListener.Properties.DefaultActions[0].Type = 7;
    const paths = checker.validateTemplate(t).map((p) => `${p.path}: ${p.message.split(',')[0]}`);
    expect(paths).toEqual(
      expect.arrayContaining([
        'Resources.TG.Properties.Colour: unknown property',
        'Resources.TG.Properties.HealthyThresholdCount: expected integer',
        'Resources.HTTPListener.Properties.DefaultActions: required property missing',
        'Resources.HTTPSListener.Properties.DefaultActions[0].Type: expected string',
      ]),
    );
  });

  it('accepts intrinsics anywhere but checks where Ref and Fn::GetAtt point', () => {
    const t = base();
    t.Resources.TG.Properties.HealthyThresholdCount = { Ref: 'Nowhere' };
    t.Outputs.LoadBalancerDNSName.Value = { 'Fn::GetAtt': ['LB', 'NoSuchAttribute'] };
    expect(checker.validateTemplate(t)).toEqual([
      { path: 'Resources.TG.Properties.HealthyThresholdCount', message: 'Ref to undeclared Nowhere' },
      {
        path: 'Outputs.LoadBalancerDNSName.Value',
        message: 'AWS::ElasticLoadBalancingV2::LoadBalancer has no attribute NoSuchAttribute',
      },
    ]);
  });
});
