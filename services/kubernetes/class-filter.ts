// --ingress-class-filter, as upstream applies it when listing (kubernetes/adapter.go).
import type { ResourceKind } from '../planning/types/ingress.ts';

const CLASS_ANNOTATION = 'kubernetes.io/ingress.class';

/** An empty filter accepts everything; an entry '' accepts objects without any class. */
export function acceptsClass(obj: unknown, kind: ResourceKind, filter: readonly string[]): boolean {
  if (filter.length === 0) return true;
  return filter.includes(resourceClass(obj, kind));
}

/** Ingress: spec.ingressClassName wins over the legacy annotation when set. RouteGroup: the annotation only. */
export function resourceClass(obj: unknown, kind: ResourceKind): string {
  if (kind === 'Ingress') {
    const className = field(field(obj, 'spec'), 'ingressClassName');
    if (typeof className === 'string' && className !== '') return className;
  }
  const annotation = field(field(field(obj, 'metadata'), 'annotations'), CLASS_ANNOTATION);
  return typeof annotation === 'string' ? annotation : '';
}

function field(value: unknown, key: string): unknown {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
    ? (value as Record<string, unknown>)[key]
    : undefined;
}
