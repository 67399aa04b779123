// A simulated kube-apiserver on 127.0.0.1 that the real @kubernetes/client-node talks to over HTTP, plus the
// controls tests and the scenario runner use to shape and observe the cluster.
import http from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { KubeConfig } from '@kubernetes/client-node';
import type { Clock } from '../../../services/clock.ts';
import { Cluster, resolveType } from './cluster.ts';
import { HttpApi, type ApiState } from './http-api.ts';
import type { JsonObject } from './json.ts';
import { ROUTEGROUP_GROUP } from './resources.ts';
import { TrafficLog, type WriteListener, type WriteRecord } from './traffic.ts';
import { WatchHub, type ExpiredWatchStyle, type WatchInfo } from './watches.ts';

export type { WriteRecord, WriteListener } from './traffic.ts';
export type { ExpiredWatchStyle, WatchInfo } from './watches.ts';
export type { JsonObject } from './json.ts';

export interface KubernetesSimOptions {
  clock: Clock;
  /** Manifests stored before the server starts (as `apply` would). */
  objects?: unknown[];
  /** false: every routegroups URL and the zalando.org discovery answer 404. Default true. */
  routeGroupsCRD?: boolean;
  /** Watch events kept per resource for resuming watches. Default 1000. */
  historyLimit?: number;
  /** How a watch from an expired resourceVersion is refused. Default 'event' (what kube-apiserver does). */
  expiredWatchStyle?: ExpiredWatchStyle;
  /** Seeds generateName suffixes. Default 1. */
  seed?: number;
}

export interface ObjectRef {
  apiVersion: string;
  kind: string;
  /** Defaults to `default` for namespaced kinds. */
  namespace?: string;
  name: string;
}

export interface KubernetesSim {
  /** `http://127.0.0.1:<port>` */
  readonly url: string;
  /** A KubeConfig for the real client: plain http, a bearer token (the simulator accepts any, or none). */
  kubeConfig(options?: { token?: string }): KubeConfig;

  /** Creates or replaces an object like an all-powerful user; status is kept when the manifest has none. */
  apply(manifest: unknown): JsonObject;
  /** Deletes (or, with finalizers, marks for deletion). false when there was nothing to delete. */
  delete(ref: ObjectRef): boolean;
  get(ref: ObjectRef): JsonObject | undefined;
  /** Objects of a kind in key order. `Event` means core/v1 unless `apiVersion` says otherwise. */
  list(kind: string, options?: { apiVersion?: string; namespace?: string }): JsonObject[];
  /** The cluster-wide resourceVersion of the last write. */
  resourceVersion(): string;

  /** Open watch streams. */
  watches(): WatchInfo[];
  /** Ends every watch stream cleanly, like a server-side timeout; informers resume from their last version. */
  endWatches(): number;
  /** Destroys the connection under every watch stream, abruptly. */
  dropWatches(): number;
  /** Forgets the watch history: resuming from any version handed out so far gets 410 Expired. */
  expireHistory(): void;
  setExpiredWatchStyle(style: ExpiredWatchStyle): void;
  readonly routeGroupsEnabled: boolean;
  /** Installs or removes the RouteGroup API; removing it also ends open routegroup watches. */
  setRouteGroupsEnabled(enabled: boolean): void;

  /** The next request with this method (or '*') whose path matches answers `status` with a Status body. */
  failNext(method: string, path: RegExp | string, status: number, message?: string): void;
  /** Every matching request answers `status` until the returned function is called (a missing RBAC verb). */
  failAlways(method: string, path: RegExp | string, status: number, message?: string): () => void;
  /** The next matching request is never answered (no headers), like a hung API server. */
  holdNext(method: string, path: RegExp | string): void;
  /** Every request other than GET, in arrival order. */
  readonly writes: readonly WriteRecord[];
  onWrite(listener: WriteListener): () => void;
  /** GET requests by `<verb> <path pattern>`, e.g. `watch /apis/networking.k8s.io/v1/ingresses`. */
  readCounts(): Record<string, number>;
  /** Clears the write log and read counts. */
  resetTraffic(): void;

  /** Stops listening and destroys every connection, open watches included. */
  close(): Promise<void>;
}

export async function startKubernetesSim(options: KubernetesSimOptions): Promise<KubernetesSim> {
  const cluster = new Cluster({ clock: options.clock, historyLimit: options.historyLimit ?? 1000, seed: options.seed ?? 1 });
  const state: ApiState = {
    routeGroupsEnabled: options.routeGroupsCRD ?? true,
    expiredWatchStyle: options.expiredWatchStyle ?? 'event',
    serverAddress: '127.0.0.1:0',
  };
  const watchHub = new WatchHub(cluster, options.clock, () => state.expiredWatchStyle);
  const traffic = new TrafficLog();
  const api = new HttpApi(cluster, watchHub, traffic, options.clock, state);
  for (const manifest of options.objects ?? []) cluster.apply(manifest);

  const sockets = new Set<Socket>();
  const server = http.createServer((req, res) => api.handle(req, res));
  server.on('connection', (socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const port = (server.address() as AddressInfo).port;
  state.serverAddress = `127.0.0.1:${port}`;
  const url = `http://127.0.0.1:${port}`;

  const typeOf = (ref: { apiVersion?: string; kind: string }) => resolveType(ref.apiVersion, ref.kind);
  const namespaceOf = (ref: ObjectRef) => (typeOf(ref).namespaced ? (ref.namespace ?? 'default') : undefined);

  return {
    url,
    kubeConfig({ token = 'sim-token' } = {}) {
      const kc = new KubeConfig();
      kc.loadFromOptions({
        clusters: [{ name: 'sim', server: url, skipTLSVerify: true }],
        users: [{ name: 'sim', token }],
        contexts: [{ name: 'sim', cluster: 'sim', user: 'sim' }],
        currentContext: 'sim',
      });
      return kc;
    },
    apply: (manifest) => cluster.apply(manifest),
    delete(ref) {
      const type = typeOf(ref);
      if (!cluster.find(type, namespaceOf(ref), ref.name)) return false;
      cluster.delete(type, namespaceOf(ref), ref.name);
      return true;
    },
    get: (ref) => cluster.find(typeOf(ref), namespaceOf(ref), ref.name),
    list(kind, opts = {}) {
      return cluster.list(typeOf({ kind, ...(opts.apiVersion ? { apiVersion: opts.apiVersion } : {}) }), opts.namespace, () => true).items;
    },
    resourceVersion: () => String(cluster.store.resourceVersion),
    watches: () => watchHub.list(),
    endWatches: () => watchHub.end(),
    dropWatches: () => watchHub.drop(),
    expireHistory: () => cluster.store.expireHistory(),
    setExpiredWatchStyle(style) {
      state.expiredWatchStyle = style;
    },
    get routeGroupsEnabled() {
      return state.routeGroupsEnabled;
    },
    setRouteGroupsEnabled(enabled) {
      state.routeGroupsEnabled = enabled;
      // Deleting a CRD ends its watches; the clients' re-watch then meets the 404.
      if (!enabled) watchHub.end((t) => t.group === ROUTEGROUP_GROUP);
    },
    failNext: (method, path, status, message) => traffic.failNext(method, path, status, message),
    failAlways: (method, path, status, message) => traffic.failAlways(method, path, status, message),
    holdNext: (method, path) => traffic.holdNext(method, path),
    writes: traffic.writes,
    onWrite: (listener) => traffic.onWrite(listener),
    readCounts: () => traffic.readCounts(),
    resetTraffic: () => traffic.reset(),
    async close() {
      watchHub.drop();
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      for (const socket of sockets) socket.destroy();
      server.closeAllConnections();
      await closed;
    },
  };
}
