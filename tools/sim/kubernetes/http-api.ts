// The REST surface: turns HTTP requests into cluster operations and their results (or Status failures) back
// into HTTP, while recording the traffic tests look at.
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Clock } from '../../../services/clock.ts';
import type { Cluster } from './cluster.ts';
import * as discovery from './discovery.ts';
import { ApiError, badRequest, fromCode, methodNotAllowed, resourceNotServed, unsupportedMediaType } from './errors.ts';
import { isObject, type JsonObject } from './json.ts';
import { apiVersionOf, ROUTEGROUP_GROUP, type ResourceType } from './resources.ts';
import { parseRoute, routePattern, type Route } from './routes.ts';
import { parseFieldSelector, parseLabelSelector } from './selectors.ts';
import { HOLD, type TrafficLog } from './traffic.ts';
import type { ExpiredWatchStyle, WatchHub } from './watches.ts';

export interface ApiState {
  routeGroupsEnabled: boolean;
  expiredWatchStyle: ExpiredWatchStyle;
  serverAddress: string;
}

type Outcome = { status: number; body: unknown } | { status: number; streaming: true };

type ResourceRoute = Extract<Route, { kind: 'resource' }>;

interface Request {
  method: string;
  url: URL;
  contentType: string | undefined;
  rawBody: string;
}

function mediaType(header: string | undefined): string | undefined {
  const type = header?.split(';')[0]?.trim().toLowerCase();
  return type ? type : undefined;
}

// strconv.ParseBool, which kube-apiserver uses for `watch`.
function parseBool(value: string | null): boolean {
  return value !== null && ['1', 't', 'T', 'true', 'TRUE', 'True'].includes(value);
}

function parseJson(text: string): unknown {
  if (text.trim() === '') throw badRequest('the request body is empty');
  try {
    return JSON.parse(text);
  } catch (e) {
    throw badRequest(`the request body is not valid JSON: ${(e as Error).message}`);
  }
}

function bodyForLog(text: string): unknown {
  if (text === '') return undefined;
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}

export class HttpApi {
  constructor(
    private readonly cluster: Cluster,
    private readonly watches: WatchHub,
    private readonly traffic: TrafficLog,
    private readonly clock: Clock,
    private readonly state: ApiState,
  ) {}

  handle(req: IncomingMessage, res: ServerResponse): void {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => this.dispatch(req, Buffer.concat(chunks).toString('utf8'), res));
  }

  private dispatch(req: IncomingMessage, rawBody: string, res: ServerResponse): void {
    const at = this.clock.now();
    const request: Request = {
      method: (req.method ?? 'GET').toUpperCase(),
      url: new URL(req.url ?? '/', 'http://sim.invalid'),
      contentType: mediaType(req.headers['content-type']),
      rawBody,
    };
    let status: number;
    try {
      const route = parseRoute(request.url.pathname);
      if (request.method === 'GET') this.traffic.recordRead(this.readKey(route, request.url));
      const failure = this.traffic.takeFailure(request.method, request.url.pathname, request.url.search);
      // A held request gets nothing, not even headers; closing the server destroys its connection.
      if (failure?.status === HOLD) return;
      if (failure) throw fromCode(failure.status, failure.message);
      const outcome = this.route(route, request, res);
      status = outcome.status;
      if (!('streaming' in outcome)) send(res, outcome.status, outcome.body);
    } catch (e) {
      const error = e instanceof ApiError ? e : new ApiError(500, `simulator error: ${(e as Error).message}`);
      status = error.code;
      if (!res.headersSent) send(res, error.code, error.toStatus());
      else res.destroy();
    }
    if (request.method !== 'GET' && request.method !== 'HEAD') {
      this.traffic.recordWrite({
        at,
        method: request.method,
        path: request.url.pathname,
        query: request.url.search,
        contentType: request.contentType,
        body: bodyForLog(rawBody),
        status,
      });
    }
  }

  private readKey(route: Route, url: URL): string {
    if (route.kind !== 'resource') return `get ${url.pathname}`;
    const verb = route.name !== undefined ? 'get' : parseBool(url.searchParams.get('watch')) ? 'watch' : 'list';
    return `${verb} ${routePattern(route, url.pathname)}`;
  }

  private route(route: Route, request: Request, res: ServerResponse): Outcome {
    if (route.kind === 'resource') return this.resource(route, request, res);
    if (request.method !== 'GET') throw methodNotAllowed(request.method);
    const ctx = { routeGroupsEnabled: this.state.routeGroupsEnabled, serverAddress: this.state.serverAddress };
    let body: unknown;
    switch (route.kind) {
      case 'root': body = discovery.rootPaths(ctx); break;
      case 'version': body = discovery.SIMULATED_VERSION; break;
      case 'health': return { status: 200, body: 'ok' };
      case 'legacyVersions': body = discovery.legacyVersions(ctx); break;
      case 'groupList': body = discovery.groupList(ctx); break;
      case 'group': body = discovery.group(route.group, ctx); break;
      case 'resourceList': body = discovery.resourceList(route.group, route.version, ctx); break;
      case 'unknown': body = undefined; break;
    }
    if (body === undefined) throw resourceNotServed();
    return { status: 200, body };
  }

  private resource(route: ResourceRoute, request: Request, res: ServerResponse): Outcome {
    const { type, namespace, name, subresource } = route;
    if (type.group === ROUTEGROUP_GROUP && !this.state.routeGroupsEnabled) throw resourceNotServed();
    if (subresource !== undefined && (subresource !== 'status' || !type.hasStatus)) throw resourceNotServed();
    if (request.url.searchParams.has('dryRun')) throw badRequest('dryRun is not supported by the simulator');
    if (name === undefined) return this.collection(type, namespace, request, res);
    // A namespaced object can only be addressed inside its namespace.
    if (type.namespaced && namespace === undefined) throw resourceNotServed();

    const options = subresource === 'status' ? { subresource: 'status' as const } : {};
    switch (request.method) {
      case 'GET':
        return { status: 200, body: this.cluster.get(type, namespace, name) };
      case 'PUT':
        this.requireJson(request);
        return { status: 200, body: this.cluster.replace(type, namespace, name, parseJson(request.rawBody), options) };
      case 'PATCH':
        return {
          status: 200,
          body: this.cluster.patch(type, namespace, name, request.contentType, parseJson(request.rawBody), options),
        };
      case 'DELETE':
        if (subresource !== undefined) throw methodNotAllowed(request.method);
        return this.deleteOne(type, namespace, name, request);
      default:
        throw methodNotAllowed(request.method);
    }
  }

  private collection(type: ResourceType, namespace: string | undefined, request: Request, res: ServerResponse): Outcome {
    const q = request.url.searchParams;
    switch (request.method) {
      case 'GET': {
        const label = parseLabelSelector(q.get('labelSelector'));
        const field = parseFieldSelector(q.get('fieldSelector'));
        const match = (o: unknown) => label(o) && field(o);
        if (parseBool(q.get('watch'))) {
          const timeout = q.get('timeoutSeconds');
          this.watches.serve({
            type,
            namespace,
            match,
            resourceVersion: q.get('resourceVersion') ?? undefined,
            timeoutSeconds: timeout !== null && /^\d+$/.test(timeout) ? Number(timeout) : undefined,
            path: request.url.pathname + request.url.search,
          }, res);
          return { status: 200, streaming: true };
        }
        const limit = Number(q.get('limit') ?? '0');
        // kube-apiserver serves resourceVersion=0 lists from its cache, which ignores the limit.
        const paged = q.get('resourceVersion') !== '0' && Number.isInteger(limit) && limit > 0;
        const result = this.cluster.list(type, namespace, match, {
          ...(paged ? { limit } : {}),
          ...(q.get('continue') ? { continueToken: q.get('continue')! } : {}),
        });
        return { status: 200, body: this.listBody(type, result.items, result.resourceVersion, result.continueToken) };
      }
      case 'POST': {
        if (type.namespaced && namespace === undefined) throw methodNotAllowed(request.method);
        this.requireJson(request);
        return { status: 201, body: this.cluster.create(type, namespace, parseJson(request.rawBody)) };
      }
      case 'DELETE': {
        if (type.kind === 'Namespace') throw methodNotAllowed(request.method);
        const match = parseLabelSelector(q.get('labelSelector'));
        const items = this.cluster.list(type, namespace, match).items.map((o) => {
          const meta = o.metadata as JsonObject;
          return this.cluster.delete(type, meta.namespace as string | undefined, meta.name as string).object;
        });
        return { status: 200, body: this.listBody(type, items, String(this.cluster.store.resourceVersion)) };
      }
      default:
        throw methodNotAllowed(request.method);
    }
  }

  private deleteOne(type: ResourceType, namespace: string | undefined, name: string, request: Request): Outcome {
    const options = bodyForLog(request.rawBody);
    const pre = isObject(options) && isObject(options.preconditions) ? options.preconditions : {};
    const { object, removed } = this.cluster.delete(type, namespace, name, {
      ...(typeof pre.uid === 'string' ? { uid: pre.uid } : {}),
      ...(typeof pre.resourceVersion === 'string' ? { resourceVersion: pre.resourceVersion } : {}),
    });
    // Built-in types answer an immediate deletion with a Success Status; custom resources return the object.
    if (!removed || type.custom) return { status: 200, body: object };
    const meta = object.metadata as JsonObject;
    return {
      status: 200,
      body: {
        kind: 'Status',
        apiVersion: 'v1',
        metadata: {},
        status: 'Success',
        details: { name, ...(type.group ? { group: type.group } : {}), kind: type.plural, uid: meta.uid },
      },
    };
  }

  private listBody(type: ResourceType, items: JsonObject[], resourceVersion: string, continueToken?: string): unknown {
    return {
      kind: `${type.kind}List`,
      apiVersion: apiVersionOf(type),
      metadata: { resourceVersion, ...(continueToken ? { continue: continueToken } : {}) },
      // Like kube-apiserver, lists of built-in types leave kind/apiVersion off their items.
      items: type.custom ? items : items.map(({ kind: _k, apiVersion: _a, ...rest }) => rest),
    };
  }

  private requireJson(request: Request): void {
    const ct = request.contentType;
    if (ct !== undefined && ct !== 'application/json' && ct !== '*/*') {
      throw unsupportedMediaType(ct, ['application/json']);
    }
  }
}

function send(res: ServerResponse, status: number, body: unknown): void {
  const text = typeof body === 'string' ? body : JSON.stringify(body);
  res.writeHead(status, {
    'Content-Type': typeof body === 'string' ? 'text/plain; charset=utf-8' : 'application/json',
    'Content-Length': Buffer.byteLength(text),
  });
  res.end(text);
}
