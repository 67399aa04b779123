// The object store: one cluster-wide resourceVersion counter (like etcd's revision) and, per storage key, the
// current objects plus a bounded window of past changes that watches resume from. A watch older than the
// window is answered with 410 Expired, which is what forces informers to relist.
import type { JsonObject } from './json.ts';

export type ChangeType = 'ADDED' | 'MODIFIED' | 'DELETED';

export interface Change {
  readonly resourceVersion: number;
  readonly type: ChangeType;
  /** The object after the change (for DELETED: its last state, stamped with the deletion's version). */
  readonly object: JsonObject;
  /** The object before the change, so a selector-filtered watch can turn a MODIFIED into ADDED or DELETED. */
  readonly previous?: JsonObject;
}

export type ChangeListener = (change: Change) => void;

interface History {
  changes: Change[];
  /** Version of the newest change no longer kept; resuming from an older version is impossible. */
  compactedThrough: number;
}

export function objectKey(namespace: string | undefined, name: string): string {
  return namespace ? `${namespace}/${name}` : name;
}

function metadataOf(obj: JsonObject): JsonObject {
  return obj.metadata as JsonObject;
}

export class ObjectStore {
  private revision = 0;
  private floor = 0;
  private readonly buckets = new Map<string, Map<string, JsonObject>>();
  private readonly histories = new Map<string, History>();
  private readonly listeners = new Map<string, Set<ChangeListener>>();

  constructor(private readonly historyLimit: number) {}

  get resourceVersion(): number {
    return this.revision;
  }

  /** The stored object itself: callers must not mutate it. */
  get(storage: string, namespace: string | undefined, name: string): JsonObject | undefined {
    return this.buckets.get(storage)?.get(objectKey(namespace, name));
  }

  /** Stored objects in etcd key order (namespace, then name); callers must not mutate them. */
  list(storage: string, namespace?: string): JsonObject[] {
    const bucket = this.buckets.get(storage);
    if (!bucket) return [];
    const entries = [...bucket.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return entries
      .map(([, obj]) => obj)
      .filter((obj) => namespace === undefined || metadataOf(obj).namespace === namespace);
  }

  /**
   * Records a change under a new resourceVersion and tells the watchers. `object` becomes the store's own
   * (it is stamped in place), so pass a fresh copy.
   */
  write(storage: string, type: ChangeType, object: JsonObject): JsonObject {
    const meta = metadataOf(object);
    const key = objectKey(meta.namespace as string | undefined, meta.name as string);
    let bucket = this.buckets.get(storage);
    if (!bucket) this.buckets.set(storage, (bucket = new Map()));
    const previous = bucket.get(key);
    const resourceVersion = ++this.revision;
    meta.resourceVersion = String(resourceVersion);
    if (type === 'DELETED') bucket.delete(key);
    else bucket.set(key, object);

    const change: Change = { resourceVersion, type, object, ...(previous ? { previous } : {}) };
    const history = this.history(storage);
    history.changes.push(change);
    while (history.changes.length > this.historyLimit) {
      history.compactedThrough = history.changes.shift()!.resourceVersion;
    }
    for (const listener of [...(this.listeners.get(storage) ?? [])]) listener(change);
    return object;
  }

  /** Changes after `since`, or the oldest version still resumable when `since` is too old. */
  changesSince(storage: string, since: number): Change[] | { expiredBefore: number } {
    const history = this.history(storage);
    const compacted = Math.max(history.compactedThrough, this.floor);
    if (since < compacted) return { expiredBefore: compacted };
    return history.changes.filter((c) => c.resourceVersion > since);
  }

  /**
   * Forgets every change, as an etcd compaction does. The revision moves on by one so that the next list's
   * version is resumable while every version handed out before is not.
   */
  expireHistory(): void {
    this.floor = ++this.revision;
    for (const history of this.histories.values()) {
      history.changes = [];
      history.compactedThrough = this.floor;
    }
  }

  subscribe(storage: string, listener: ChangeListener): () => void {
    let set = this.listeners.get(storage);
    if (!set) this.listeners.set(storage, (set = new Set()));
    set.add(listener);
    return () => set.delete(listener);
  }

  private history(storage: string): History {
    let history = this.histories.get(storage);
    if (!history) this.histories.set(storage, (history = { changes: [], compactedThrough: 0 }));
    return history;
  }
}
