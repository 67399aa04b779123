import { describe, expect, it } from 'vitest';
import { LabelSelectorError, matchesLabels, parseLabelSelector } from '../../../services/kubernetes/label-selector.ts';

describe('parseLabelSelector', () => {
  it('parses equality and set-based requirements', () => {
    expect(parseLabelSelector('application=skipper, tier!=canary,env in (prod, staging),!legacy,zone')).toEqual([
      { key: 'application', op: 'in', values: ['skipper'] },
      { key: 'tier', op: 'notin', values: ['canary'] },
      { key: 'env', op: 'in', values: ['prod', 'staging'] },
      { key: 'legacy', op: 'not-exists' },
      { key: 'zone', op: 'exists' },
    ]);
  });

  it('rejects what the API server would reject', () => {
    for (const bad of ['a=b,', 'env in ()', 'bad key=x', 'a=b c', '=x', 'a==!b']) {
      expect(() => parseLabelSelector(bad), bad).toThrow(LabelSelectorError);
    }
  });
});

describe('matchesLabels', () => {
  const req = parseLabelSelector('application=skipper,env notin (dev),!legacy');
  it('matches by every requirement', () => {
    expect(matchesLabels(req, { application: 'skipper' })).toBe(true);
    expect(matchesLabels(req, { application: 'skipper', env: 'prod' })).toBe(true);
    expect(matchesLabels(req, { application: 'skipper', env: 'dev' })).toBe(false);
    expect(matchesLabels(req, { application: 'skipper', legacy: '' })).toBe(false);
    expect(matchesLabels(req, { application: 'other' })).toBe(false);
    expect(matchesLabels(req, undefined)).toBe(false);
  });
});
