import { describe, expect, it } from 'vitest';
import {
  compareBytes,
  goMarshal,
  goMarshalIndent,
  sortedByBytes,
  sortedDeep,
} from '../../../../services/planning/template/go-json.ts';

describe('goMarshal (Go json.Marshal)', () => {
  it('escapes HTML characters and line separators like Go', () => {
    expect(goMarshal('List<AWS::EC2::Subnet::Id> & more')).toBe('"List\\u003cAWS::EC2::Subnet::Id\\u003e \\u0026 more"');
    expect(goMarshal('a\u2028b\u2029c')).toBe('"a\\u2028b\\u2029c"');
  });

  it('escapes control characters with Go short forms where Go has them', () => {
    expect(goMarshal('"\\\n\r\t\b\f\u0001\u001f')).toBe('"\\"\\\\\\n\\r\\t\\b\\f\\u0001\\u001f"');
  });

  it('keeps non-ASCII text and replaces lone surrogates as Go replaces invalid UTF-8', () => {
    expect(goMarshal('é😀')).toBe('"é😀"');
    expect(goMarshal('a\ud800b')).toBe('"a\\ufffdb"');
  });

  it('writes compact objects in insertion order and leaves out undefined', () => {
    expect(goMarshal({ b: 1, a: [true, null, 'x'], c: undefined, d: {} })).toBe('{"b":1,"a":[true,null,"x"],"d":{}}');
    expect(goMarshal([])).toBe('[]');
  });
});

describe('goMarshalIndent (Go json.MarshalIndent with four spaces)', () => {
  it('indents nested values and keeps empty containers on one line', () => {
    expect(goMarshalIndent({ a: [1, { b: [] }], c: {} })).toBe(
      '{\n    "a": [\n        1,\n        {\n            "b": []\n        }\n    ],\n    "c": {}\n}',
    );
  });
});

describe('ordering helpers', () => {
  it('compares bytewise like Go (uppercase before lowercase, UTF-8 order)', () => {
    expect(['b', 'B', 'a', 'é', 'z'].sort(compareBytes)).toEqual(['B', 'a', 'b', 'z', 'é']);
    // UTF-16 order would put U+FF5E before U+1F600; UTF-8 byte order does not.
    expect(compareBytes('\u{1F600}', '\uFF5E')).toBeGreaterThan(0);
  });

  it('sortedByBytes orders map keys and drops undefined', () => {
    expect(Object.keys(sortedByBytes({ TG: 1, LB: 2, HTTPSListener: 3, HTTPListener: 4, x: undefined }))).toEqual([
      'HTTPListener',
      'HTTPSListener',
      'LB',
      'TG',
    ]);
  });

  it('sortedDeep orders nested objects but not arrays', () => {
    expect(goMarshal(sortedDeep({ b: [{ z: 1, y: 2 }, 3], a: { d: 1, c: undefined } }))).toBe(
      '{"a":{"d":1},"b":[{"y":2,"z":1},3]}',
    );
  });

  it('rejects values JSON cannot carry', () => {
    expect(() => sortedDeep({ a: Number.NaN })).toThrow();
    expect(() => goMarshal(() => 1)).toThrow();
  });
});

describe('the built-in writer against the golden templates', () => {
  it('is byte-identical to every golden template as Go wrote it, compact and indented', async () => {
    const { readdirSync, readFileSync } = await import('node:fs');
    const { fixturePath } = await import('../../../helpers/fixtures.ts');
    const dir = fixturePath('golden/templates');
    const files = readdirSync(dir).filter((f) => f.endsWith('.template.json'));
    expect(files).toHaveLength(48);
    for (const file of files) {
      const text = readFileSync(`${dir}/${file}`, 'utf8');
      const value = JSON.parse(text) as unknown;
      expect(goMarshalIndent(value)).toBe(text.replace(/\n$/, ''));
      // Compact is the same document without the layout; keys and escapes are identical.
      expect(JSON.parse(goMarshal(value))).toEqual(value);
    }
  });

  it('escapes a lone surrogate but not escaped backslashes that look like one', () => {
    expect(goMarshal('\\ud800')).toBe('"\\\\ud800"');
    expect(goMarshal('\\\ud800')).toBe('"\\\\\\ufffd"');
  });
});
