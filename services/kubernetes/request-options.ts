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

export function requestOptions(input: RequestOptionsInput = {}): ConfigurationOptions {
  const timeoutMs = input.timeoutMs ?? DEFAULT_REQUEST_TIMEOUT_MS;
  const signalMiddleware = {
    pre(context: RequestContext): Observable<RequestContext> {
      const timeout = AbortSignal.timeout(timeoutMs);
      context.setSignal(input.signal ? AbortSignal.any([timeout, input.signal]) : timeout);
      return new Observable(Promise.resolve(context));
    },
    post(context: ResponseContext): Observable<ResponseContext> {
      return new Observable(Promise.resolve(context));
    },
  };
  const base: ConfigurationOptions = { middleware: [signalMiddleware], middlewareMergeStrategy: 'append' };
  return input.mergePatch ? setHeaderOptions('Content-Type', PatchStrategy.MergePatch, base) : base;
}
