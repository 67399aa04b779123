// The pure pieces: patch algorithms and selector parsing.
import { describe, expect, it } from 'vitest';
import { jsonPatch, mergePatch } from '../../../../tools/sim/kubernetes/patch.ts';
import { parseLabelSelector } from '../../../../tools/sim/kubernetes/selectors.ts';

describe('merge patch (RFC 7386)', () => {
  it('merges objects, deletes on null and replaces arrays', () => {
    expect(mergePatch({ a: { b: 1, c: 2 }, l: [1, 2] }, { a: { b: null, d: 3 }, l: [3] })).toEqual({ a: { c: 2, d: 3 }, l: [3] });
    expect(mergePatch({ a: 1 }, [1])).toEqual([1]);
  });
});

describe('JSON patch (RFC 6902)', () => {
  const doc = { a: { b: [1, 2] }, 'x/y': 1 };
  it('adds, removes, replaces, moves, copies and tests', () => {
    expect(jsonPatch(doc, [
      { op: 'add', path: '/a/b/-', value: 3 },
      { op: 'add', path: '/a/b/0', value: 0 },
      { op: 'remove', path: '/x~1y' },
      { op: 'replace', path: '/a/b/1', value: 9 },
      { op: 'copy', from: '/a/b', path: '/c' },
      { op: 'move', from: '/c', path: '/d' },
      { op: 'test', path: '/d/1', value: 9 },
    ])).toEqual({ a: { b: [0, 9, 2, 3] }, d: [0, 9, 2, 3] });
    expect(doc).toEqual({ a: { b: [1, 2] }, 'x/y': 1 });
  });
  it('fails with 422 when the document does not fit and 400 when the patch is malformed', () => {
    expect(() => jsonPatch(doc, [{ op: 'test', path: '/a/b/0', value: 5 }])).toThrow(expect.objectContaining({ code: 422 }));
    expect(() => jsonPatch(doc, [{ op: 'replace', path: '/missing', value: 1 }])).toThrow(expect.objectContaining({ code: 422 }));
    expect(() => jsonPatch(doc, [{ op: 'remove', path: '/a/b/5' }])).toThrow(expect.objectContaining({ code: 422 }));
    expect(() => jsonPatch(doc, { op: 'add' })).toThrow(expect.objectContaining({ code: 400 }));
    expect(() => jsonPatch(doc, [{ op: 'jump', path: '/a' }])).toThrow(expect.objectContaining({ code: 400 }));
  });
});

describe('label selectors', () => {
  const obj = (labels: Record<string, string>) => ({ metadata: { labels } });
  it.each([
    ['', { a: '1' }, true],
    ['a=1', { a: '1' }, true],
    ['a==1', { a: '2' }, false],
    ['a!=1', {}, true],
    ['a in (1,2)', { a: '2' }, true],
    ['a in (1,2)', {}, false],
    ['a notin (1,2)', {}, true],
    ['a notin (1,2)', { a: '1' }, false],
    ['a', { a: '' }, true],
    ['!a', { a: '' }, false],
    ['app.kubernetes.io/name=x,!b', { 'app.kubernetes.io/name': 'x' }, true],
    ['a>5', { a: '7' }, true],
    ['a<5', { a: 'x' }, false],
  ] as const)('%j on %j is %s', (selector, labels, expected) => {
    expect(parseLabelSelector(selector)(obj(labels))).toBe(expected);
  });
  it.each(['a in (1', 'a=b=c', '=x', 'a b'])('rejects %j with 400', (selector) => {
    expect(() => parseLabelSelector(selector)).toThrow(expect.objectContaining({ code: 400 }));
  });
});
