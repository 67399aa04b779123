// What kube-apiserver does with a request once it is routed: metadata bookkeeping (uid, creationTimestamp,
// generation, resourceVersion), optimistic concurrency, status-subresource rules, finalizers and selectors.
// Both the HTTP handlers and the test controls go through here, so they cannot disagree.
import type { Clock } from '../../../services/clock.ts';
import { alreadyExists, badRequest, conflict, invalid, notFound, type QualifiedResource } from './errors.ts';
import { clone, deepEqual, isObject, type JsonObject } from './json.ts';
import { applyPatch } from './patch.ts';
import { apiVersionOf, findByKind, type ResourceType } from './resources.ts';
import type { Matcher } from './selectors.ts';
import { ObjectStore } from './store.ts';
import { validateName, validateObject } from './validation.ts';
import { seededRandom } from '../../support/seeded-random.ts';

export interface ClusterOptions {
  clock: Clock;
  historyLimit: number;
  seed: number;
}

export interface WriteOptions {
  subresource?: 'status';
  /**
   * Test controls act like an omnipotent user: status, creationTimestamp and deletionTimestamp from the
   * manifest are kept, where an API client's would be reset or ignored.
   */
  trusted?: boolean;
}

export interface ListResult {
  items: JsonObject[];
  resourceVersion: string;
  continueToken?: string;
}

export const DEFAULT_NAMESPACES = ['default', 'kube-system', 'kube-public', 'kube-node-lease'];

// kube-apiserver's generateName alphabet: no vowels, so no accidental words.
const NAME_ALPHABET = 'bcdfghjklmnpqrstvwxz2456789';

function meta(obj: JsonObject): JsonObject {
  if (!isObject(obj.metadata)) obj.metadata = {};
  return obj.metadata as JsonObject;
}

function str(value: unknown): string | undefined {
  return typeof value === 'string' && value !== '' ? value : undefined;
}

/** Everything a write can change apart from metadata and status: what `generation` counts. */
function content(obj: JsonObject): JsonObject {
  const { metadata: _m, status: _s, ...rest } = obj;
  return rest;
}

function withoutVersion(obj: JsonObject): JsonObject {
  const copy = { ...obj, metadata: { ...meta(obj) } };
  delete copy.metadata.resourceVersion;
  return copy;
}

function qualifiedOf(t: ResourceType): QualifiedResource {
  return { group: t.group, plural: t.plural, kind: t.kind };
}

// What kube-apiserver's create strategies put in `status` when a client creates the object.
function initialStatus(type: ResourceType): unknown {
  switch (type.kind) {
    case 'Namespace': return { phase: 'Active' };
    case 'Pod': return { phase: 'Pending' };
    case 'Ingress': return { loadBalancer: {} };
    default: return undefined;
  }
}

export class Cluster {
  readonly store: ObjectStore;
  private uidCounter = 0;
  private readonly random: () => number;

  constructor(private readonly options: ClusterOptions) {
    this.store = new ObjectStore(options.historyLimit);
    this.random = seededRandom(options.seed);
    for (const ns of DEFAULT_NAMESPACES) this.ensureNamespace(ns);
  }

  /** The object as a client of `type`'s API version sees it. */
  view(type: ResourceType, stored: JsonObject): JsonObject {
    const converted = type.fromStorage ? type.fromStorage(clone(stored)) : clone(stored);
    const { apiVersion: _a, kind: _k, ...rest } = converted;
    return { apiVersion: apiVersionOf(type), kind: type.kind, ...rest };
  }

  get(type: ResourceType, namespace: string | undefined, name: string): JsonObject {
    const stored = this.store.get(type.storage, this.scope(type, namespace), name);
    if (!stored) throw notFound(qualifiedOf(type), name);
    return this.view(type, stored);
  }

  find(type: ResourceType, namespace: string | undefined, name: string): JsonObject | undefined {
    const stored = this.store.get(type.storage, this.scope(type, namespace), name);
    return stored && this.view(type, stored);
  }

  list(
    type: ResourceType,
    namespace: string | undefined,
    match: Matcher,
    page: { limit?: number; continueToken?: string } = {},
  ): ListResult {
    let items = this.store.list(type.storage, type.namespaced ? namespace : undefined)
      .map((o) => this.view(type, o))
      .filter(match);
    let resourceVersion = String(this.store.resourceVersion);
    if (page.continueToken) {
      const token = decodeContinue(page.continueToken);
      items = items.filter((o) => keyOf(o) > token.after);
      resourceVersion = token.resourceVersion;
    }
    let continueToken: string | undefined;
    if (page.limit && page.limit > 0 && items.length > page.limit) {
      items = items.slice(0, page.limit);
      continueToken = encodeContinue({ after: keyOf(items[items.length - 1]!), resourceVersion });
    }
    return { items, resourceVersion, ...(continueToken ? { continueToken } : {}) };
  }

  create(type: ResourceType, namespace: string | undefined, body: unknown, options: WriteOptions = {}): JsonObject {
    const obj = this.checkBody(type, body);
    const m = meta(obj);
    this.checkNamespace(type, m, namespace);
    if (!str(m.name) && str(m.generateName)) m.name = this.generateName(type, m.namespace as string | undefined, m.generateName as string);
    const name = str(m.name) ?? '';
    this.validate(type, obj, name);

    const ns = this.scope(type, m.namespace as string | undefined);
    if (this.store.get(type.storage, ns, name)) throw alreadyExists(qualifiedOf(type), name);
    if (ns) this.ensureNamespace(ns);

    const stored = type.toStorage ? type.toStorage(obj) : obj;
    const sm = meta(stored);
    const kept = options.trusted ? { creationTimestamp: sm.creationTimestamp, deletionTimestamp: sm.deletionTimestamp } : {};
    delete sm.resourceVersion;
    delete sm.deletionTimestamp;
    delete sm.deletionGracePeriodSeconds;
    delete sm.managedFields;
    sm.uid = this.newUid();
    sm.creationTimestamp = this.timestamp();
    sm.generation = 1;
    if (str(kept.creationTimestamp)) sm.creationTimestamp = kept.creationTimestamp;
    if (str(kept.deletionTimestamp)) sm.deletionTimestamp = kept.deletionTimestamp;
    if (type.hasStatus && !(options.trusted && stored.status !== undefined)) {
      const status = initialStatus(type);
      if (status === undefined) delete stored.status;
      else stored.status = status;
    }
    return this.view(type, this.store.write(type.storage, 'ADDED', stored));
  }

  /** PUT, on the object or (with `subresource: 'status'`) on its status. */
  replace(type: ResourceType, namespace: string | undefined, name: string, body: unknown, options: WriteOptions = {}): JsonObject {
    const obj = this.checkBody(type, body);
    const m = meta(obj);
    this.checkNamespace(type, m, namespace);
    if (m.name !== name) {
      throw badRequest(`the name of the object (${String(m.name ?? '')}) does not match the name on the URL (${name})`);
    }
    const ns = this.scope(type, namespace);
    const current = this.store.get(type.storage, ns, name);
    if (!current) throw notFound(qualifiedOf(type), name);
    if (str(m.resourceVersion) && m.resourceVersion !== meta(current).resourceVersion) {
      throw conflict(qualifiedOf(type), name);
    }
    if (options.subresource !== 'status') this.validate(type, obj, name);

    const incoming = type.toStorage ? type.toStorage(obj) : obj;
    let next: JsonObject;
    if (options.subresource === 'status') {
      next = clone(current);
      if (incoming.status === undefined) delete next.status;
      else next.status = incoming.status;
    } else {
      next = incoming;
      const nm = meta(next);
      const cm = meta(current);
      for (const field of ['uid', 'creationTimestamp', 'generation', 'deletionTimestamp', 'deletionGracePeriodSeconds']) {
        if (options.trusted && (field === 'creationTimestamp' || field === 'deletionTimestamp') && str(nm[field])) continue;
        if (cm[field] === undefined) delete nm[field];
        else nm[field] = cm[field];
      }
      delete nm.managedFields;
      const keepStatus = type.hasStatus && !(options.trusted && next.status !== undefined);
      if (keepStatus) {
        if (current.status === undefined) delete next.status;
        else next.status = clone(current.status);
      }
      if (!deepEqual(content(next), content(current))) nm.generation = Number(cm.generation ?? 0) + 1;
    }
    return this.commitUpdate(type, current, next);
  }

  patch(
    type: ResourceType, namespace: string | undefined, name: string,
    contentType: string | undefined, body: unknown, options: WriteOptions = {},
  ): JsonObject {
    const current = this.get(type, namespace, name);
    const patched = applyPatch(current, contentType, body, { strategicAllowed: !type.custom });
    if (!isObject(patched)) throw badRequest('the patched document is not an object');
    const pm = meta(patched);
    // A patch that does not mention resourceVersion is unconditional; one that sets it is a precondition.
    if (pm.resourceVersion === undefined) pm.resourceVersion = meta(current).resourceVersion;
    return this.replace(type, namespace, name, patched, options);
  }

  /**
   * DELETE. An object with finalizers is only marked (deletionTimestamp) and stays until an update empties
   * its finalizers. Returns the object and whether it is gone.
   */
  delete(
    type: ResourceType, namespace: string | undefined, name: string,
    preconditions: { uid?: string; resourceVersion?: string } = {},
  ): { object: JsonObject; removed: boolean } {
    const ns = this.scope(type, namespace);
    const current = this.store.get(type.storage, ns, name);
    if (!current) throw notFound(qualifiedOf(type), name);
    const cm = meta(current);
    if ((preconditions.uid && preconditions.uid !== cm.uid) ||
        (preconditions.resourceVersion && preconditions.resourceVersion !== cm.resourceVersion)) {
      throw conflict(qualifiedOf(type), name);
    }
    const finalizers = Array.isArray(cm.finalizers) ? cm.finalizers : [];
    if (finalizers.length > 0) {
      if (cm.deletionTimestamp) return { object: this.view(type, current), removed: false };
      const next = clone(current);
      meta(next).deletionTimestamp = this.timestamp();
      meta(next).deletionGracePeriodSeconds = 0;
      return { object: this.view(type, this.store.write(type.storage, 'MODIFIED', next)), removed: false };
    }
    return { object: this.view(type, this.store.write(type.storage, 'DELETED', clone(current))), removed: true };
  }

  /** Test-control apply: create, or replace keeping what the manifest leaves out of status. */
  apply(manifest: unknown): JsonObject {
    if (!isObject(manifest)) throw new Error('apply: manifest must be an object');
    const type = resolveType(manifest.apiVersion, manifest.kind);
    const obj = clone(manifest);
    const m = meta(obj);
    const namespace = type.namespaced ? (str(m.namespace) ?? 'default') : undefined;
    if (type.namespaced) m.namespace = namespace;
    const name = str(m.name);
    if (name && this.store.get(type.storage, namespace, name)) {
      delete m.resourceVersion;
      return this.replace(type, namespace, name, obj, { trusted: true });
    }
    return this.create(type, namespace, obj, { trusted: true });
  }

  ensureNamespace(name: string): void {
    const type = findByKind('Namespace', 'v1')!;
    if (this.store.get(type.storage, undefined, name)) return;
    this.store.write(type.storage, 'ADDED', {
      apiVersion: 'v1',
      kind: 'Namespace',
      metadata: { name, uid: this.newUid(), creationTimestamp: this.timestamp(), generation: 1 },
      spec: { finalizers: ['kubernetes'] },
      status: { phase: 'Active' },
    });
  }

  timestamp(): string {
    return new Date(this.options.clock.now()).toISOString().replace(/\.\d{3}Z$/, 'Z');
  }

  private commitUpdate(type: ResourceType, current: JsonObject, next: JsonObject): JsonObject {
    const nm = meta(next);
    const count = (o: JsonObject) => (Array.isArray(meta(o).finalizers) ? (meta(o).finalizers as unknown[]).length : 0);
    // Removing the last finalizer of an object marked for deletion is what finally deletes it. An object marked
    // without finalizers (a terminating Pod set up by a test) stays, as kubelet would still be stopping it.
    if (nm.deletionTimestamp && count(next) === 0 && count(current) > 0) {
      return this.view(type, this.store.write(type.storage, 'DELETED', next));
    }
    // kube-apiserver skips writes that change nothing: no new resourceVersion, no watch event.
    if (deepEqual(withoutVersion(next), withoutVersion(current))) return this.view(type, current);
    return this.view(type, this.store.write(type.storage, 'MODIFIED', next));
  }

  private checkBody(type: ResourceType, body: unknown): JsonObject {
    if (!isObject(body)) throw badRequest('the request body must be a JSON object');
    const obj = clone(body);
    if (obj.kind !== undefined && obj.kind !== type.kind) {
      throw badRequest(`the kind of the object (${String(obj.kind)}) does not match the kind on the URL (${type.kind})`);
    }
    if (obj.apiVersion !== undefined && obj.apiVersion !== apiVersionOf(type)) {
      throw badRequest(`the API version in the data (${String(obj.apiVersion)}) does not match the expected API version (${apiVersionOf(type)})`);
    }
    obj.apiVersion = apiVersionOf(type);
    obj.kind = type.kind;
    return obj;
  }

  private checkNamespace(type: ResourceType, m: JsonObject, namespace: string | undefined): void {
    if (!type.namespaced) {
      delete m.namespace;
      return;
    }
    if (str(m.namespace) && namespace && m.namespace !== namespace) {
      throw badRequest('the namespace of the provided object does not match the namespace sent on the request');
    }
    m.namespace = namespace ?? str(m.namespace) ?? 'default';
  }

  private validate(type: ResourceType, obj: JsonObject, name: string): void {
    const causes = [...validateName(type, name), ...validateObject(type, obj)];
    if (causes.length > 0) throw invalid(qualifiedOf(type), name, causes);
  }

  private scope(type: ResourceType, namespace: string | undefined): string | undefined {
    return type.namespaced ? namespace : undefined;
  }

  private generateName(type: ResourceType, namespace: string | undefined, prefix: string): string {
    for (;;) {
      let suffix = '';
      for (let i = 0; i < 5; i++) suffix += NAME_ALPHABET[Math.floor(this.random() * NAME_ALPHABET.length)];
      const name = prefix.slice(0, 58) + suffix;
      if (!this.store.get(type.storage, this.scope(type, namespace), name)) return name;
    }
  }

  // Deterministic uids keep scenario results byte-for-byte reproducible.
  private newUid(): string {
    const n = ++this.uidCounter;
    return `00000000-0000-4000-8000-${n.toString(16).padStart(12, '0')}`;
  }
}

export function resolveType(apiVersion: unknown, kind: unknown): ResourceType {
  const type = typeof kind === 'string' ? findByKind(kind, typeof apiVersion === 'string' ? apiVersion : undefined) : undefined;
  if (!type) throw new Error(`unknown resource type ${String(apiVersion)} ${String(kind)}`);
  return type;
}

function keyOf(obj: JsonObject): string {
  const m = meta(obj);
  return `${String(m.namespace ?? '')}/${String(m.name ?? '')}`;
}

function encodeContinue(token: { after: string; resourceVersion: string }): string {
  return Buffer.from(JSON.stringify(token)).toString('base64url');
}

function decodeContinue(text: string): { after: string; resourceVersion: string } {
  try {
    const parsed: unknown = JSON.parse(Buffer.from(text, 'base64url').toString('utf8'));
    if (isObject(parsed) && typeof parsed.after === 'string' && typeof parsed.resourceVersion === 'string') {
      return { after: parsed.after, resourceVersion: parsed.resourceVersion };
    }
  } catch {
    // fall through to the error below
  }
  throw badRequest('continue key is not valid');
}
