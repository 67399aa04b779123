// The stacks of the three public conformance scenarios, reproduced from equivalent inputs: default flags with
// --target-access-mode=HostPort, cluster aws:123:eu-central-1:kube-1, vpc-1, sg-1, public subnets a1/b1.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import type { LoadBalancerSpec } from '../../../../services/planning/types/load-balancer.ts';
import { buildStackDocument } from '../../../../services/planning/template/stack-document.ts';
import { environment, loadBalancer } from './fixtures.ts';
import { PUBLIC_CONFORMANCE } from '../../../helpers/fixtures.ts';

interface ExpectedStack {
  readonly namePrefix: string;
  readonly template: unknown;
  readonly parameters: Record<string, string>;
  readonly tags: Record<string, string>;
}

function expectedStack(scenario: string): ExpectedStack {
  const expected = JSON.parse(readFileSync(path.join(PUBLIC_CONFORMANCE, scenario, 'expected.json'), 'utf8')) as {
    stacks: ExpectedStack[];
  };
  expect(expected.stacks).toHaveLength(1);
  return expected.stacks[0]!;
}

const SCENARIOS: ReadonlyArray<readonly [string, Partial<LoadBalancerSpec>]> = [
  ['01-alb-basic', {}],
  ['02-nlb-annotation', { loadBalancerType: 'network' }],
  ['03-routegroup-not-shared', { shared: false, owner: 'default/rg' }],
];

describe('public conformance stacks', () => {
  for (const [scenario, lb] of SCENARIOS) {
    it(`${scenario}: template, parameters and tags`, () => {
      const expected = expectedStack(scenario);
      const doc = buildStackDocument(loadBalancer(lb), environment());
      expect(JSON.parse(doc.templateBody)).toEqual(expected.template);
      expect(doc.parameters).toEqual(expected.parameters);
      expect(doc.tags).toEqual(expected.tags);
    });
  }
});
