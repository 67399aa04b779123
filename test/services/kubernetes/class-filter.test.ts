import { describe, expect, it } from 'vitest';
import { acceptsClass } from '../../../services/kubernetes/class-filter.ts';
import type { ResourceKind } from '../../../services/planning/types/ingress.ts';

const CLASS = 'kubernetes.io/ingress.class';

function obj(annotation?: string, className?: string): unknown {
  return {
    metadata: { name: 'a', namespace: 'b', annotations: annotation === undefined ? {} : { [CLASS]: annotation } },
    spec: className === undefined ? {} : { ingressClassName: className },
  };
}

describe('acceptsClass', () => {
  it.each<[string, unknown, ResourceKind, string[], boolean]>([
    ['empty filter accepts everything', obj('anything'), 'Ingress', [], true],
    ['empty filter accepts unclassed', obj(), 'Ingress', [], true],
    ['annotation in the filter', obj('skipper'), 'Ingress', ['skipper'], true],
    ['annotation not in the filter', obj('nginx'), 'Ingress', ['skipper'], false],
    ['one of several entries', obj('b'), 'Ingress', ['a', 'b'], true],
    ['unclassed rejected by a non-empty filter', obj(), 'Ingress', ['skipper'], false],
    ['empty entry accepts unclassed', obj(), 'Ingress', ['skipper', ''], true],
    ['empty entry does not accept other classes', obj('nginx'), 'Ingress', ['skipper', ''], false],
    ['ingressClassName used', obj(undefined, 'skipper'), 'Ingress', ['skipper'], true],
    ['ingressClassName wins over the annotation', obj('yet-another-ignored', 'yet-another'), 'Ingress', ['yet-another-ignored'], false],
    ['ingressClassName wins and matches', obj('yet-another-ignored', 'yet-another'), 'Ingress', ['yet-another'], true],
    ['empty ingressClassName falls back to the annotation', obj('skipper', ''), 'Ingress', ['skipper'], true],
    ['RouteGroup ignores spec.ingressClassName', obj(undefined, 'skipper'), 'RouteGroup', ['skipper'], false],
    ['RouteGroup uses the annotation', obj('skipper'), 'RouteGroup', ['skipper'], true],
    ['exact match only (no trimming, case-sensitive)', obj(' Skipper'), 'Ingress', ['skipper'], false],
  ])('%s', (_label, o, kind, filter, expected) => {
    expect(acceptsClass(o, kind, filter)).toBe(expected);
  });
});
