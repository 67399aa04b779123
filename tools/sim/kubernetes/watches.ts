// Watch streams: HTTP 200 with newline-delimited JSON events, replayed from the store's history and then
// live. Streams end on `timeoutSeconds` (measured on the injected clock), on request of a test, or because
// the requested resourceVersion is too old (410 Expired, either in-stream or as the HTTP status).
import type { ServerResponse } from 'node:http';
import type { Clock, TimerHandle } from '../../../services/clock.ts';
import type { Cluster } from './cluster.ts';
import { badRequest, expired } from './errors.ts';
import { isObject, type JsonObject } from './json.ts';
import type { ResourceType } from './resources.ts';
import type { Matcher } from './selectors.ts';
import type { Change } from './store.ts';

export type ExpiredWatchStyle = 'event' | 'http';

export interface WatchRequest {
  type: ResourceType;
  /** undefined watches every namespace. */
  namespace: string | undefined;
  match: Matcher;
  resourceVersion: string | undefined;
  timeoutSeconds: number | undefined;
  /** Request path and query, for tests to see who is watching what. */
  path: string;
}

export interface WatchInfo {
  readonly path: string;
  readonly resourceVersion: string | undefined;
  readonly resource: string;
}

interface ActiveWatch extends WatchInfo {
  readonly type: ResourceType;
  readonly res: ServerResponse;
}

type WatchEvent = { type: 'ADDED' | 'MODIFIED' | 'DELETED' | 'ERROR'; object: unknown };

function namespaceOf(obj: JsonObject): unknown {
  return isObject(obj.metadata) ? obj.metadata.namespace : undefined;
}

export class WatchHub {
  private readonly active = new Set<ActiveWatch>();

  constructor(
    private readonly cluster: Cluster,
    private readonly clock: Clock,
    private readonly expiredStyle: () => ExpiredWatchStyle,
  ) {}

  /** Throws an ApiError only before anything is written (bad version, or a 410 answered as HTTP status). */
  serve(request: WatchRequest, res: ServerResponse): void {
    const { type } = request;
    const inScope = (obj: JsonObject) =>
      (request.namespace === undefined || namespaceOf(obj) === request.namespace) && request.match(obj);

    let backlog: WatchEvent[];
    const rv = request.resourceVersion;
    if (rv === undefined || rv === '' || rv === '0') {
      // "Start at most recent" still begins with a synthetic ADDED for every existing object.
      backlog = this.cluster.store.list(type.storage)
        .map((o) => this.cluster.view(type, o))
        .filter(inScope)
        .map((object) => ({ type: 'ADDED' as const, object }));
    } else {
      if (!/^\d+$/.test(rv)) throw badRequest(`invalid resource version "${rv}"`);
      const since = this.cluster.store.changesSince(type.storage, Number(rv));
      if (!Array.isArray(since)) {
        const error = expired(rv, since.expiredBefore);
        if (this.expiredStyle() === 'http') throw error;
        this.open(res);
        // The stream must close after the ERROR event: the client relists only once it ends.
        res.end(line({ type: 'ERROR', object: error.toStatus() }));
        return;
      }
      backlog = since.flatMap((c) => this.translate(type, c, inScope));
    }

    this.open(res);
    for (const event of backlog) res.write(line(event));

    const watch: ActiveWatch = { path: request.path, resourceVersion: rv, resource: type.storage, type, res };
    this.active.add(watch);
    const unsubscribe = this.cluster.store.subscribe(type.storage, (change) => {
      if (res.writableEnded || res.destroyed) return;
      for (const event of this.translate(type, change, inScope)) res.write(line(event));
    });
    let timer: TimerHandle | undefined;
    if (request.timeoutSeconds !== undefined && request.timeoutSeconds > 0) {
      timer = this.clock.setTimeout(() => {
        timer = undefined;
        res.end();
      }, request.timeoutSeconds * 1000);
    }
    // res 'close' (not req 'close', which fires once the request body is read) means the stream is over.
    res.on('close', () => {
      unsubscribe();
      if (timer !== undefined) this.clock.clearTimeout(timer);
      this.active.delete(watch);
    });
  }

  list(): WatchInfo[] {
    return [...this.active].map(({ path, resourceVersion, resource }) => ({ path, resourceVersion, resource }));
  }

  /** Ends streams cleanly (the terminating chunk is sent): what a server-side timeout looks like. */
  end(filter: (type: ResourceType) => boolean = () => true): number {
    let n = 0;
    for (const w of [...this.active]) {
      if (!filter(w.type)) continue;
      w.res.end();
      this.active.delete(w);
      n++;
    }
    return n;
  }

  /** Cuts the connections under the streams: what a crashed apiserver or a broken network looks like. */
  drop(): number {
    let n = 0;
    for (const w of [...this.active]) {
      w.res.socket?.destroy();
      w.res.destroy();
      this.active.delete(w);
      n++;
    }
    return n;
  }

  private open(res: ServerResponse): void {
    res.writeHead(200, { 'Content-Type': 'application/json', 'Cache-Control': 'no-cache, private' });
    res.flushHeaders();
  }

  /** A stored change as this watcher sees it; objects entering or leaving a selector become ADDED/DELETED. */
  private translate(type: ResourceType, change: Change, inScope: (o: JsonObject) => boolean): WatchEvent[] {
    const now = this.cluster.view(type, change.object);
    const was = change.previous !== undefined && inScope(this.cluster.view(type, change.previous));
    const is = inScope(now);
    switch (change.type) {
      case 'ADDED':
        return is ? [{ type: 'ADDED', object: now }] : [];
      case 'DELETED':
        return is || was ? [{ type: 'DELETED', object: now }] : [];
      case 'MODIFIED':
        if (was && is) return [{ type: 'MODIFIED', object: now }];
        if (is) return [{ type: 'ADDED', object: now }];
        if (was) return [{ type: 'DELETED', object: now }];
        return [];
    }
  }
}

function line(event: WatchEvent): string {
  return `${JSON.stringify(event)}\n`;
}
