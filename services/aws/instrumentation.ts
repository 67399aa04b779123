// What every AWS request did, per attempt, as it went over the wire: upstream's instrumented_http summary
// (unless --disable-instrumented-http-client), a count by service, operation and outcome (throttles show as
// their error code), and with --debug one log line per request. Nothing of the request body or credentials is
// logged: the query protocol carries its parameters in the body, and only method, host and path are read.
import type { Logger } from 'pino';
import type { AwsClients } from './clients.ts';

export interface HttpRequestObservation {
  readonly client: 'aws' | 'kubernetes';
  readonly scheme: string;
  readonly host: string;
  readonly path: string;
  readonly query: string;
  readonly method: string;
  /** HTTP status; 0 when no answer came (network error, timeout). */
  readonly status: number;
  readonly seconds: number;
}

export interface AwsCallObservation {
  readonly service: string;
  readonly operation: string;
  /** 'ok', or the error code AWS answered (ThrottlingException, ...), or the error name of a local failure. */
  readonly code: string;
}

export interface RequestObserver {
  http(observation: HttpRequestObservation): void;
  awsCall(observation: AwsCallObservation): void;
}

interface RawRequest {
  protocol?: string;
  hostname?: string;
  port?: number;
  path?: string;
  method?: string;
  query?: Record<string, string | string[] | null>;
}

interface InstrumentableClient {
  middlewareStack: {
    add(
      middleware: (next: (args: { request: unknown }) => Promise<{ response: unknown }>, context: { commandName?: string; clientName?: string }) =>
        (args: { request: unknown }) => Promise<{ response: unknown }>,
      options: { step: 'deserialize'; name: string; priority: 'low' },
    ): void;
  };
}

const SERVICES = ['cloudformation', 'ec2', 'elbv2', 'autoscaling', 'acm', 'iam'] as const;

export function instrumentAwsClients(clients: AwsClients, observer: RequestObserver, logger: Logger): void {
  for (const service of SERVICES) {
    (clients[service] as unknown as InstrumentableClient).middlewareStack.add(
      (next, context) => async (args) => {
        const operation = (context.commandName ?? '').replace(/Command$/, '');
        const request = (args.request ?? {}) as RawRequest;
        const started = performance.now();
        let status = 0;
        let code = 'ok';
        try {
          const out = await next(args);
          status = (out.response as { statusCode?: number } | undefined)?.statusCode ?? 0;
          return out;
        } catch (err) {
          const e = err as { name?: string; Code?: string; $metadata?: { httpStatusCode?: number }; $response?: { statusCode?: number } };
          status = e.$metadata?.httpStatusCode ?? e.$response?.statusCode ?? 0;
          code = e.Code ?? e.name ?? 'Error';
          throw err;
        } finally {
          const seconds = (performance.now() - started) / 1000;
          const scheme = (request.protocol ?? 'https:').replace(/:$/, '');
          const host = `${request.hostname ?? ''}${request.port ? `:${request.port}` : ''}`;
          observer.http({ client: 'aws', scheme, host, path: request.path ?? '/', query: queryString(request.query), method: request.method ?? '', status, seconds });
          observer.awsCall({ service, operation, code: code === 'ok' && status >= 400 ? `HTTP${status}` : code });
          logger.debug({ event: 'aws-request', service, operation, method: request.method, host, path: request.path, status, code, ms: Math.round(seconds * 1000) }, `AWS ${service} ${operation} -> ${status || code}`);
        }
      },
      { step: 'deserialize', name: 'requestInstrumentation', priority: 'low' },
    );
  }
}

/** Query parameter names only: values (tokens, ids) stay out of metrics and logs. */
function queryString(query: RawRequest['query']): string {
  if (!query) return '';
  return Object.keys(query).sort().join('&');
}
