// A minimal IMDSv2 client. Discovery needs only two facts from the instance metadata service, and the SDK's
// own IMDS code lives in a credential-provider package we would have to depend on for a fraction of its use.
// IMDSv2 (session token) is the only mode: instances configured with "HttpTokens: required" refuse IMDSv1,
// and v2 works everywhere v1 does.
import { systemClock, type Clock } from '../clock.ts';

export const DEFAULT_IMDS_ENDPOINT = 'http://169.254.169.254';

/** What discovery reads from the instance metadata service. */
export interface InstanceMetadata {
  instanceId(): Promise<string>;
  region(): Promise<string>;
}

export interface ImdsClientOptions {
  /** Defaults to AWS_EC2_METADATA_SERVICE_ENDPOINT, else the link-local address. */
  readonly endpoint?: string;
  /** Per request. IMDS answers in milliseconds when present; off EC2 the address simply does not answer. */
  readonly timeoutMs?: number;
  readonly tokenTtlSeconds?: number;
  /** Decides when a cached token is stale. */
  readonly clock?: Clock;
}

/** IMDS could not be reached or refused to answer: not running on EC2, hop limit too low, or IMDS disabled. */
export class ImdsUnavailableError extends Error {
  constructor(
    readonly endpoint: string,
    readonly path: string,
    reason: string,
    options?: { cause?: unknown },
  ) {
    super(`instance metadata ${path} unavailable at ${endpoint}: ${reason}`, options);
    this.name = 'ImdsUnavailableError';
  }
}

export function imdsEndpointFromEnv(env: NodeJS.ProcessEnv = process.env): string {
  const configured = env['AWS_EC2_METADATA_SERVICE_ENDPOINT']?.trim();
  return (configured || DEFAULT_IMDS_ENDPOINT).replace(/\/+$/, '');
}

const TOKEN_PATH = '/latest/api/token';
// Renew a little before expiry so a token never dies between being read and being used.
const TOKEN_RENEW_MARGIN_MS = 60_000;

export class ImdsClient implements InstanceMetadata {
  readonly endpoint: string;
  private readonly timeoutMs: number;
  private readonly tokenTtlSeconds: number;
  private readonly clock: Clock;
  private token: { value: string; expiresAt: number } | undefined;

  constructor(options: ImdsClientOptions = {}) {
    this.endpoint = (options.endpoint ?? imdsEndpointFromEnv()).replace(/\/+$/, '');
    this.timeoutMs = options.timeoutMs ?? 1000;
    this.tokenTtlSeconds = options.tokenTtlSeconds ?? 21600;
    this.clock = options.clock ?? systemClock;
  }

  instanceId(): Promise<string> {
    return this.get('/latest/meta-data/instance-id');
  }

  region(): Promise<string> {
    return this.get('/latest/meta-data/placement/region');
  }

  /** GET a metadata path with a session token; a token rejected as expired is renewed once. */
  async get(path: string): Promise<string> {
    for (let attempt = 0; ; attempt++) {
      const token = await this.sessionToken();
      const response = await this.request(path, { method: 'GET', headers: { 'x-aws-ec2-metadata-token': token } });
      if (response.status === 401 && attempt === 0) {
        this.token = undefined;
        continue;
      }
      if (response.status !== 200) throw new ImdsUnavailableError(this.endpoint, path, `HTTP ${response.status}`);
      const value = response.body.trim();
      if (value === '') throw new ImdsUnavailableError(this.endpoint, path, 'empty answer');
      return value;
    }
  }

  private async sessionToken(): Promise<string> {
    const now = this.clock.now();
    if (this.token && this.token.expiresAt - TOKEN_RENEW_MARGIN_MS > now) return this.token.value;
    const response = await this.request(TOKEN_PATH, {
      method: 'PUT',
      headers: { 'x-aws-ec2-metadata-token-ttl-seconds': String(this.tokenTtlSeconds) },
    });
    if (response.status !== 200 || response.body === '') {
      throw new ImdsUnavailableError(this.endpoint, TOKEN_PATH, `token request answered HTTP ${response.status}`);
    }
    this.token = { value: response.body, expiresAt: now + this.tokenTtlSeconds * 1000 };
    return response.body;
  }

  /** One round trip; the timeout covers reading the body too, since a stalled body hangs as well as no answer. */
  private async request(
    path: string,
    init: { method: string; headers: Record<string, string> },
  ): Promise<{ status: number; body: string }> {
    try {
      const response = await fetch(`${this.endpoint}${path}`, { ...init, signal: AbortSignal.timeout(this.timeoutMs) });
      return { status: response.status, body: await response.text() };
    } catch (e) {
      const reason = e instanceof Error && e.name === 'TimeoutError' ? `no answer within ${this.timeoutMs} ms` : errorText(e);
      throw new ImdsUnavailableError(this.endpoint, path, reason, { cause: e });
    }
  }
}

function errorText(e: unknown): string {
  if (e instanceof Error) {
    const cause = e.cause instanceof Error ? `: ${e.cause.message}` : '';
    return `${e.message}${cause}`;
  }
  return String(e);
}
