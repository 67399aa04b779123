// Class filter + annotation parsing results per cached object, reused while the object's uid and
// resourceVersion stay the same: a snapshot of 10,000 unchanged objects is then a walk over the cache,
// not 10,000 parses.
import { isDeepStrictEqual } from 'node:util';
import type { Config } from '../config/config.ts';
import type { IngressParseResult, ResourceKind } from '../planning/types/ingress.ts';
import { acceptsClass } from './class-filter.ts';
import { parseIngress } from './ingress-parser.ts';
import { objectMeta } from './object-ref.ts';

export interface ParsedObject {
  readonly uid: string;
  readonly resourceVersion: string;
  /** Passed --ingress-class-filter; only accepted objects are parsed. */
  readonly accepted: boolean;
  readonly result: IngressParseResult | undefined;
}

export interface Refreshed {
  readonly previous: ParsedObject | undefined;
  readonly current: ParsedObject;
  /** `current` was computed now rather than taken from the cache. */
  readonly fresh: boolean;
}

export class ParsedObjects {
  private readonly entries = new Map<string, ParsedObject>();

  constructor(
    readonly kind: ResourceKind,
    private readonly config: Config,
  ) {}

  /** The entry for this version of the object, parsing it only when the cache has another version. */
  refresh(obj: unknown): Refreshed {
    const meta = objectMeta(obj);
    const key = `${meta.namespace}/${meta.name}`;
    const previous = this.entries.get(key);
    if (previous && previous.uid === meta.uid && previous.resourceVersion === meta.resourceVersion && meta.resourceVersion !== '') {
      return { previous, current: previous, fresh: false };
    }
    const accepted = acceptsClass(obj, this.kind, this.config.ingressClassFilter);
    const current: ParsedObject = {
      uid: meta.uid,
      resourceVersion: meta.resourceVersion,
      accepted,
      result: accepted ? parseIngress(obj, this.kind, this.config) : undefined,
    };
    this.entries.set(key, current);
    return { previous, current, fresh: true };
  }

  remove(obj: unknown): ParsedObject | undefined {
    const meta = objectMeta(obj);
    const key = `${meta.namespace}/${meta.name}`;
    const previous = this.entries.get(key);
    this.entries.delete(key);
    return previous;
  }

  /** The uid of the object cached under namespace/name, if any (for Events about objects the planner named). */
  uidOf(namespace: string, name: string): string | undefined {
    return this.entries.get(`${namespace}/${name}`)?.uid;
  }

  /** Every cached entry with the object it belongs to. */
  *entriesWithRefs(): Generator<[{ kind: ResourceKind; namespace: string; name: string }, ParsedObject]> {
    for (const [key, entry] of this.entries) {
      const slash = key.indexOf('/');
      yield [{ kind: this.kind, namespace: key.slice(0, slash), name: key.slice(slash + 1) }, entry];
    }
  }

  uids(): string[] {
    return [...this.entries.values()].map((e) => e.uid);
  }

  clear(): void {
    this.entries.clear();
  }

  get size(): number {
    return this.entries.size;
  }
}

/**
 * Two versions of an object that the planner cannot tell apart: same class-filter verdict and the same parsed
 * model, apart from what changes without the object changing for planning (its resourceVersion, its status
 * hostname, which is what the controller itself writes, and annotation warnings, which are reported anyway).
 */
export function sameForPlanning(a: ParsedObject | undefined, b: ParsedObject): boolean {
  if (a === undefined || a.uid !== b.uid || a.accepted !== b.accepted) return false;
  const x = a.result;
  const y = b.result;
  if (x === undefined || y === undefined) return x === y;
  if (!x.ok || !y.ok) return !x.ok && !y.ok && x.errors.length === y.errors.length && x.errors.every((e, i) => e === y.errors[i]);
  const { resourceVersion: _rv1, currentHostname: _h1, warnings: _w1, ...left } = x.ingress;
  const { resourceVersion: _rv2, currentHostname: _h2, warnings: _w2, ...right } = y.ingress;
  return isDeepStrictEqual(left, right);
}
