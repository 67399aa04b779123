import { describe, expect, it } from 'vitest';
import { planCniTargets } from '../../../../services/aws/targets/cni-target-plan.ts';

describe('planCniTargets', () => {
  it('registers the missing and deregisters the extra', () => {
    expect(planCniTargets(['10.0.0.1', '10.0.0.3'], ['10.0.0.2', '10.0.0.1'])).toEqual({ kind: 'sync', register: ['10.0.0.3'], deregister: ['10.0.0.2'] });
  });
  it('does nothing when in sync', () => {
    expect(planCniTargets(['10.0.0.1'], ['10.0.0.1'])).toEqual({ kind: 'sync', register: [], deregister: [] });
  });
  it('never empties a group on an empty endpoint set', () => {
    expect(planCniTargets([], ['10.0.0.1'])).toEqual({ kind: 'no-endpoints' });
  });
});
