import { describe, expect, it } from 'vitest';
import { prefixGlob } from '../../../../services/planning/certificates/prefix-glob.ts';

describe('prefixGlob (upstream name matching)', () => {
  it.each([
    ['', '', true],
    ['', 'foo.example.org', false],
    ['*', 'anything.at.all', true],
    ['foo.example.org', 'foo.example.org', true],
    ['foo.example.org', 'bar.example.org', false],
    ['foo.example.org', 'FOO.example.org', false], // case-sensitive, unlike verification
    ['*.example.org', 'foo.example.org', true],
    ['*.example.org', 'a.b.example.org', false],
    ['*.example.org', 'example.org', false],
    ['*.example.org', '*.example.org', true],
    ['*.example.org', 'localhost', true], // only "no dot left" is checked
    ['*foo.example.org', 'barfoo.example.org', true],
  ])('%j matches %j: %s', (pattern, host, expected) => {
    expect(prefixGlob(pattern, host)).toBe(expected);
  });
});
