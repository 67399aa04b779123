// The simulated AWS endpoint: one HTTP server on 127.0.0.1 that the real SDK v3 clients reach through
// `endpoint` / AWS_ENDPOINT_URL. Requests are routed by the SigV4 credential scope's service name plus the
// query `Action` or the JSON `X-Amz-Target`; signatures are not checked.
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Clock } from '../../../services/clock.ts';
import {
  AwsError, decodeQuery, ec2Error, ec2Response, jsonError, queryError, queryResponse, throttlingError, type Protocol,
} from './protocol.ts';
import type { World } from './world.ts';
import { seededRandom } from '../../support/seeded-random.ts';

export interface SimContext {
  readonly world: World;
  readonly clock: Clock;
  /** Random in [0,1) from the simulation's seeded generator (deterministic for a given call order). */
  random(): number;
}

export type ActionHandler = (input: any, ctx: SimContext) => unknown | Promise<unknown>;

export interface ServiceDefinition {
  /** Credential-scope service name: cloudformation, elasticloadbalancing, ec2, autoscaling, iam, acm. */
  readonly name: string;
  readonly protocol: Protocol;
  readonly handlers: Readonly<Record<string, ActionHandler>>;
  /** Actions that change state (recorded as mutating in the call log). */
  readonly mutating: ReadonlySet<string>;
  /** Turns the decoded wire input into the API's typed shape for the call log (numbers, booleans). */
  readonly normalize?: (action: string, input: any) => unknown;
}

export interface CallRecord {
  /** Virtual (or real) time of the call, epoch ms. */
  readonly at: number;
  readonly service: string;
  readonly action: string;
  readonly input: unknown;
  readonly mutating: boolean;
  /** Error code answered, if any (throttling included). */
  readonly error?: string;
  /** SDK attempt number from `amz-sdk-request`. */
  readonly attempt: number;
  /** The signing key's id: tells apart several controllers sharing one simulation. */
  readonly accessKeyId: string;
}

export interface AwsSimOptions {
  world: World;
  clock: Clock;
  services: ServiceDefinition[];
  seed?: number;
}

export class AwsSimServer {
  readonly calls: CallRecord[] = [];
  private readonly server: http.Server;
  private readonly services = new Map<string, ServiceDefinition>();
  private readonly ctx: SimContext;
  private requestCounter = 0;
  private listeners: ((call: CallRecord) => void)[] = [];

  constructor(private readonly options: AwsSimOptions) {
    for (const s of options.services) this.services.set(s.name, s);
    const rnd = seededRandom(options.seed ?? 1);
    this.ctx = { world: options.world, clock: options.clock, random: rnd };
    this.server = http.createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        void this.handle(req, Buffer.concat(chunks).toString('utf8'), res);
      });
    });
    this.server.keepAliveTimeout = 5000;
  }

  get world(): World {
    return this.options.world;
  }

  get context(): SimContext {
    return this.ctx;
  }

  onCall(listener: (call: CallRecord) => void): void {
    this.listeners.push(listener);
  }

  async listen(port = 0): Promise<string> {
    await new Promise<void>((resolve) => this.server.listen(port, '127.0.0.1', resolve));
    return this.endpoint;
  }

  get endpoint(): string {
    const addr = this.server.address() as AddressInfo;
    return `http://127.0.0.1:${addr.port}`;
  }

  async close(): Promise<void> {
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  private async handle(req: http.IncomingMessage, body: string, res: http.ServerResponse): Promise<void> {
    const requestId = `req-${++this.requestCounter}`;
    const auth = String(req.headers['authorization'] ?? '');
    const scope = /Credential=[^/]+\/[^/]+\/[^/]+\/([^/]+)\/aws4_request/.exec(auth);
    const serviceName = scope?.[1] ?? '';
    const accessKeyId = /Credential=([^/]+)\//.exec(auth)?.[1] ?? '';
    const service = this.services.get(serviceName);
    const attempt = Number(/attempt=(\d+)/.exec(String(req.headers['amz-sdk-request'] ?? ''))?.[1] ?? 1);
    const send = (status: number, contentType: string, payload: string) => {
      const write = () => {
        res.writeHead(status, { 'content-type': contentType, 'x-amzn-requestid': requestId });
        res.end(payload);
      };
      const latency = this.options.world.behaviour.latencyMs;
      if (latency > 0) setTimeout(write, latency);
      else write();
    };
    if (!service) {
      send(400, 'text/xml', queryError(new AwsError('UnknownService', `no simulated service '${serviceName}'`), requestId));
      return;
    }
    let action = '';
    let input: any = {};
    try {
      if (service.protocol === 'json') {
        action = String(req.headers['x-amz-target'] ?? '').split('.').pop() ?? '';
        input = body ? JSON.parse(body) : {};
      } else {
        action = new URLSearchParams(body).get('Action') ?? '';
        input = decodeQuery(body);
      }
    } catch {
      send(400, 'application/x-amz-json-1.1', jsonError(new AwsError('SerializationException', 'malformed request body')));
      return;
    }
    const key = `${service.name}:${action}`;
    const record = (error?: string) => {
      const call: CallRecord = {
        at: this.options.clock.now(), service: service.name, action,
        input: service.normalize ? service.normalize(action, input) : input,
        mutating: service.mutating.has(action), attempt, accessKeyId, ...(error ? { error } : {}),
      };
      this.calls.push(call);
      for (const l of this.listeners) l(call);
    };
    const fail = (err: AwsError) => {
      record(err.code);
      if (service.protocol === 'json') send(err.httpStatus, 'application/x-amz-json-1.1', jsonError(err));
      else if (service.protocol === 'ec2') send(err.httpStatus, 'text/xml', ec2Error(err, requestId));
      else send(err.httpStatus, 'text/xml', queryError(err, requestId));
    };
    const handler = service.handlers[action];
    if (!handler) {
      fail(new AwsError(service.protocol === 'json' ? 'UnknownOperationException' : 'InvalidAction', `The action ${action} is not valid for this web service.`));
      return;
    }
    const b = this.options.world.behaviour;
    if ((b.throttle[key] ?? 0) > 0 && this.ctx.random() < b.throttle[key]!) {
      fail(throttlingError(service.protocol));
      return;
    }
    if ((b.serverErrors[key] ?? 0) > 0 && this.ctx.random() < b.serverErrors[key]!) {
      fail(new AwsError(service.protocol === 'json' ? 'InternalFailure' : 'InternalFailure', 'We encountered an internal error. Please try again.', 500));
      return;
    }
    try {
      const result = await handler(input, this.ctx);
      record();
      if (service.protocol === 'json') send(200, 'application/x-amz-json-1.1', JSON.stringify(result ?? {}));
      else if (service.protocol === 'ec2') send(200, 'text/xml', ec2Response(action, result, requestId));
      else send(200, 'text/xml', queryResponse(service.name, action, result, requestId));
    } catch (e) {
      if (e instanceof AwsError) fail(e);
      else fail(new AwsError('InternalFailure', e instanceof Error ? e.message : String(e), 500));
    }
  }
}
