// The rate limits applied to the SDK clients: one token bucket per rule, consulted by a middleware on every
// request attempt (retries count, as AWS counts them). A call over the limit waits for its turn; it is never
// failed. The wait sits before signing, so a long queue cannot outlive the signature.
import type { Clock } from '../../clock.ts';
import { TokenBucket } from './token-bucket.ts';
import type { ThrottledService, ThrottleRule } from './throttle-rules.ts';

export interface ThrottleDelay {
  readonly service: ThrottledService;
  readonly operation: string;
  readonly delayMs: number;
}

export interface ApiThrottleOptions {
  readonly rules: readonly ThrottleRule[];
  /** Real time in production: AWS's limits are per real second. */
  readonly clock: Clock;
  /** Told about every call that had to wait (metrics). */
  readonly onDelay?: (delay: ThrottleDelay) => void;
}

interface MiddlewareStackLike {
  addRelativeTo(middleware: unknown, options: Record<string, unknown>): void;
}

export class ApiThrottle {
  private readonly buckets: { rule: ThrottleRule; bucket: TokenBucket }[];
  private readonly clock: Clock;
  private readonly onDelay: ((delay: ThrottleDelay) => void) | undefined;

  constructor(options: ApiThrottleOptions) {
    this.clock = options.clock;
    this.onDelay = options.onDelay;
    this.buckets = options.rules.map((rule) => ({ rule, bucket: new TokenBucket(rule.rate, rule.burst, options.clock) }));
  }

  /** Reserves a token in every bucket whose rule matches; the call may go after the longest of the waits. */
  reserve(service: ThrottledService, operation: string): number {
    let wait = 0;
    for (const { rule, bucket } of this.buckets) {
      if (rule.service === service && rule.operations.test(operation)) wait = Math.max(wait, bucket.reserve());
    }
    return wait;
  }

  /** Resolves when the call may be sent. */
  async admit(service: ThrottledService, operation: string): Promise<void> {
    const delayMs = this.reserve(service, operation);
    if (delayMs <= 0) return;
    this.onDelay?.({ service, operation, delayMs });
    await new Promise<void>((resolve) => this.clock.setTimeout(resolve, delayMs));
  }

  /** Installs the limits on one SDK client. */
  install(client: { middlewareStack: unknown }, service: ThrottledService): void {
    const stack = client.middlewareStack as MiddlewareStackLike;
    stack.addRelativeTo(
      (next: (args: unknown) => Promise<unknown>, context: { commandName?: string }) => async (args: unknown) => {
        await this.admit(service, (context.commandName ?? '').replace(/Command$/, ''));
        return next(args);
      },
      { name: 'apiThrottle', relation: 'before', toMiddleware: 'httpSigningMiddleware' },
    );
  }
}
