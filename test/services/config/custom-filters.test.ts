import { describe, it, expect } from 'vitest';
import { parseCustomFilters } from '../../../services/config/custom-filters.ts';

describe('parseCustomFilters (CUSTOM_FILTERS)', () => {
  it('unset or empty means the default filters, silently', () => {
    expect(parseCustomFilters(undefined)).toEqual({ filters: undefined });
    expect(parseCustomFilters('')).toEqual({ filters: undefined });
  });

  it('splits terms on whitespace and values on commas', () => {
    const result = parseCustomFilters('tag:kubernetes.io/cluster/prod=owned  tag-key=node-role\n\tvpc-id=vpc-1,vpc-2');
    expect(result.warning).toBeUndefined();
    expect(result.filters).toEqual([
      { name: 'tag:kubernetes.io/cluster/prod', values: ['owned'] },
      { name: 'tag-key', values: ['node-role'] },
      { name: 'vpc-id', values: ['vpc-1', 'vpc-2'] },
    ]);
  });

  it('keeps an empty value as one empty string, as Go strings.Split does', () => {
    expect(parseCustomFilters('tag:Foo=').filters).toEqual([{ name: 'tag:Foo', values: [''] }]);
    expect(parseCustomFilters('tag:Foo=a,,b').filters).toEqual([{ name: 'tag:Foo', values: ['a', '', 'b'] }]);
  });

  it('treats Go whitespace (including U+0085) as a separator', () => {
    expect(parseCustomFilters('a=1\u0085b=2').filters).toEqual([
      { name: 'a', values: ['1'] },
      { name: 'b', values: ['2'] },
    ]);
  });

  it.each([['tag-key'], ['a=b=c'], ['tag:Foo=a tag-key'], ['x==y']])(
    'a term without exactly one "=" (%j) falls back to the defaults with a warning',
    (value) => {
      const result = parseCustomFilters(value);
      expect(result.filters).toBeUndefined();
      expect(result.warning?.flag).toBe('CUSTOM_FILTERS');
      expect(result.warning?.message).toContain('CUSTOM_FILTERS');
      expect(result.warning?.message).toContain('default filters');
    },
  );

  it('a blank but set variable gives no filters at all (upstream), and says so', () => {
    const result = parseCustomFilters('   ');
    expect(result.filters).toEqual([]);
    expect(result.warning?.flag).toBe('CUSTOM_FILTERS');
    expect(result.warning?.message).toMatch(/every instance/);
  });
});
