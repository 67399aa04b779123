// Typed failures of the Kubernetes side, and the two facts callers need from the client's untyped errors:
// the HTTP status (ApiException.code for unary calls, statusCode for watch requests) and whether a request
// was aborted on purpose.
import { ApiException } from '@kubernetes/client-node';
import type { IngressRef } from '../planning/types/ingress.ts';

/** HTTP status carried by a client error, undefined for network failures and timeouts. */
export function httpStatusOf(err: unknown): number | undefined {
  if (err instanceof ApiException) return err.code;
  if (typeof err === 'object' && err !== null) {
    const statusCode = (err as { statusCode?: unknown }).statusCode;
    if (typeof statusCode === 'number') return statusCode;
    const code = (err as { code?: unknown }).code;
    if (typeof code === 'number') return code;
  }
  return undefined;
}

/** node-fetch rejects aborted requests (ours, or a timeout signal) with name AbortError / type 'aborted'. */
export function isAbortError(err: unknown): boolean {
  if (typeof err !== 'object' || err === null) return false;
  const { name, type } = err as { name?: unknown; type?: unknown };
  return name === 'AbortError' || name === 'TimeoutError' || type === 'aborted';
}

/** The apiserver's own explanation (Status.message) when there is one, else the error's message. */
export function describeError(err: unknown): string {
  if (err instanceof ApiException) {
    const body: unknown = err.body;
    if (typeof body === 'string') {
      try {
        const status = JSON.parse(body) as { message?: unknown };
        if (typeof status.message === 'string' && status.message !== '') return `HTTP ${err.code}: ${status.message}`;
      } catch {
        // not a Status document; fall through to the generic message
      }
    }
    return `HTTP ${err.code}`;
  }
  if (err instanceof Error) return err.message;
  return String(err);
}

/** Status write-back failed; `code` is the HTTP status, undefined when the apiserver was not reached. */
export class StatusWriteError extends Error {
  override readonly name = 'StatusWriteError';
  constructor(
    readonly ref: IngressRef,
    readonly hostname: string,
    readonly code: number | undefined,
    options?: { cause?: unknown },
  ) {
    super(`failed to write the load balancer status of ${ref.kind} ${ref.namespace}/${ref.name} = "${hostname}": ${describeError(options?.cause)}`, options);
  }
}

/** The CloudWatch alarm ConfigMap could not be read: upstream aborts the cycle, so this must not be swallowed. */
export class ConfigMapReadError extends Error {
  override readonly name = 'ConfigMapReadError';
  constructor(
    readonly namespace: string,
    readonly configMapName: string,
    readonly code: number | undefined,
    options?: { cause?: unknown },
  ) {
    super(`failed to read ConfigMap ${namespace}/${configMapName}: ${describeError(options?.cause)}`, options);
  }
}

/** start() was still waiting for the initial list when stop() was called. */
export class InformerStoppedError extends Error {
  override readonly name = 'InformerStoppedError';
  constructor(readonly informer: string) {
    super(`the ${informer} informer was stopped before its initial list completed`);
  }
}

/** Discovery of zalando.org/v1 failed in a way that says nothing about whether RouteGroups exist. */
export class RouteGroupDiscoveryError extends Error {
  override readonly name = 'RouteGroupDiscoveryError';
  constructor(readonly code: number | undefined, options?: { cause?: unknown }) {
    super(`RouteGroup API discovery failed: ${describeError(options?.cause)}`, options);
  }
}
