// Per-call options for the generated API clients. The client has no request timeout of its own, so a hung
// apiserver would stall a call forever; upstream's REST client gives every call 10 s.
import { Observable, setHeaderOptions, PatchStrategy, type ConfigurationOptions, type RequestContext, type ResponseContext } from '@kubernetes/client-node';

export const DEFAULT_REQUEST_TIMEOUT_MS = 10_000;

export interface RequestOptionsInput {
  readonly timeoutMs?: number;
  /** Aborts the call early, e.g. when the owner stops. */
  readonly signal?: AbortSignal;
  /** Sets Content-Type: merge-patch (the client defaults PATCH bodies to json-patch). */
  readonly mergePatch?: boolean;
}

/** One Kubernetes API request as it went out and came back (instrumentation, --debug logs). */
export interface KubernetesRequestObservation {
  readonly method: string;
  readonly verb: string;
  readonly resource: string;
  readonly scheme: string;
  readonly host: string;
  /** The path with namespaces and names replaced by placeholders (bounded label cardinality). */
  readonly pathTemplate: string;
  readonly status: number;
  readonly seconds: number;
}

let observeRequest: ((o: KubernetesRequestObservation) => void) | undefined;

/** Installed once by the composition root; every generated-client call made with requestOptions reports to it. */
export function setKubernetesRequestObserver(observer: ((o: KubernetesRequestObservation) => void) | undefined): void {
  observeRequest = observer;
}

export function requestOptions(input: RequestOptionsInput = {}): ConfigurationOptions {
  const timeoutMs = input.timeoutMs ?? DEFAULT_REQUEST_TIMEOUT_MS;
  let sent: { at: number; method: string; url: string } | undefined;
  const signalMiddleware = {
    pre(context: RequestContext): Observable<RequestContext> {
      const timeout = AbortSignal.timeout(timeoutMs);
      context.setSignal(input.signal ? AbortSignal.any([timeout, input.signal]) : timeout);
      if (observeRequest) sent = { at: performance.now(), method: String(context.getHttpMethod()), url: context.getUrl() };
      return new Observable(Promise.resolve(context));
    },
    post(context: ResponseContext): Observable<ResponseContext> {
      if (observeRequest && sent) observeRequest(describeRequest(sent, context.httpStatusCode, (performance.now() - sent.at) / 1000));
      return new Observable(Promise.resolve(context));
    },
  };
  const base: ConfigurationOptions = { middleware: [signalMiddleware], middlewareMergeStrategy: 'append' };
  return input.mergePatch ? setHeaderOptions('Content-Type', PatchStrategy.MergePatch, base) : base;
}

/** Verb and resource the way RBAC names them, from method and path (no names, no query values). */
export function describeRequest(sent: { method: string; url: string }, status: number, seconds: number): KubernetesRequestObservation {
  let url: URL;
  try {
    url = new URL(sent.url);
  } catch {
    url = new URL('http://unknown/');
  }
  const parts = url.pathname.split('/').filter((p) => p !== '');
  // /api/v1/... or /apis/group/version/...; then optional namespaces/NS; then resource[/name[/subresource]].
  let i = parts[0] === 'api' ? 2 : parts[0] === 'apis' ? 3 : parts.length;
  const template = parts.slice(0, Math.min(i, parts.length));
  if (parts[i] === 'namespaces' && parts.length > i + 2) {
    template.push('namespaces', '{namespace}');
    i += 2;
  }
  const plural = parts[i] ?? '';
  const name = parts[i + 1];
  const sub = parts[i + 2];
  template.push(...[plural, ...(name !== undefined ? ['{name}'] : []), ...(sub !== undefined ? [sub] : [])].filter((p) => p !== ''));
  const method = sent.method.toUpperCase();
  const watch = url.searchParams.get('watch') === 'true';
  const verb = method === 'GET' ? (watch ? 'watch' : name === undefined ? 'list' : 'get')
    : method === 'POST' ? 'create' : method === 'PUT' ? 'update' : method === 'PATCH' ? 'patch' : method === 'DELETE' ? 'delete' : method.toLowerCase();
  return {
    method, verb, resource: sub ? `${plural}/${sub}` : plural, scheme: url.protocol.replace(/:$/, ''), host: url.host,
    pathTemplate: `/${template.join('/')}`, status, seconds,
  };
}
