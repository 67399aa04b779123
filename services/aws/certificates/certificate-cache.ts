// The certificates the reconciliation cycle selects from, refreshed in the background as upstream's
// caching provider does: all providers in parallel, a refresh counts only if every provider succeeded (a
// partial set could make stacks lose certificates), and a failed refresh keeps the previous set. The first
// load must succeed, since a controller without certificates can only do harm.
import type { Clock, TimerHandle } from '../../clock.ts';
import type { CertificateSummary } from '../../planning/types/certificate.ts';
import { CertificateLoadError } from './errors.ts';
import type { CertificateLogger, CertificateProvider } from './provider.ts';

export interface CertificateCacheOptions {
  /** `--blacklist-certificate-arns`: never offered for selection. */
  readonly blacklist: readonly string[];
  readonly clock: Clock;
  /** `--cert-polling-interval`. */
  readonly refreshIntervalMs: number;
  readonly logger?: CertificateLogger;
}

export class CertificateCache {
  private certificates: readonly CertificateSummary[] | undefined;
  private error: CertificateLoadError | undefined;
  private loadedAt: number | undefined;
  private inFlight: Promise<void> | undefined;
  private timer: TimerHandle | undefined;
  private stopped = false;
  private readonly blacklist: ReadonlySet<string>;

  constructor(
    private readonly providers: readonly CertificateProvider[],
    private readonly options: CertificateCacheOptions,
  ) {
    this.blacklist = new Set(options.blacklist);
  }

  /** The initial load (throws CertificateLoadError), then a refresh every interval on the injected clock. */
  async start(): Promise<void> {
    this.stop();
    this.stopped = false;
    await this.load();
    if (this.error) throw this.error;
    this.schedule();
  }

  /** undefined until a load has succeeded. */
  current(): readonly CertificateSummary[] | undefined {
    return this.certificates;
  }

  /** Why the latest load failed; cleared by the next successful one. */
  get lastError(): CertificateLoadError | undefined {
    return this.error;
  }

  /** Clock time of the latest successful load. */
  get lastLoadedAt(): number | undefined {
    return this.loadedAt;
  }

  /** Load now; never rejects (the outcome is in lastError). Joins a load already running. */
  refresh(): Promise<void> {
    return this.load();
  }

  stop(): void {
    this.stopped = true;
    if (this.timer !== undefined) this.options.clock.clearTimeout(this.timer);
    this.timer = undefined;
  }

  // Like Go's time.Ticker: ticks keep their rhythm regardless of how long a load takes, and a tick that finds
  // a load still running joins it instead of starting another.
  private schedule(): void {
    if (this.stopped) return;
    this.timer = this.options.clock.setTimeout(() => {
      this.schedule();
      void this.load();
    }, this.options.refreshIntervalMs);
  }

  private load(): Promise<void> {
    this.inFlight ??= this.loadOnce().finally(() => {
      this.inFlight = undefined;
    });
    return this.inFlight;
  }

  private async loadOnce(): Promise<void> {
    const outcomes = await Promise.allSettled(this.providers.map(listSafely));
    const failures = outcomes.flatMap((o) => (o.status === 'rejected' ? [asError(o.reason)] : []));
    if (failures.length > 0) {
      this.error = new CertificateLoadError(failures);
      this.options.logger?.warn(
        { err: this.error, keptCertificates: this.certificates?.length ?? 0 },
        this.certificates ? 'certificate refresh failed; keeping the previous certificates' : 'loading certificates failed',
      );
      return;
    }
    const all = outcomes.flatMap((o) => (o.status === 'fulfilled' ? o.value : []));
    this.certificates = Object.freeze(all.filter((c) => !this.blacklist.has(c.arn)));
    this.error = undefined;
    this.loadedAt = this.options.clock.now();
  }
}

// A provider that throws instead of rejecting must still count as a failed load, not break refresh().
function listSafely(provider: CertificateProvider): Promise<readonly CertificateSummary[]> {
  try {
    return provider.list();
  } catch (e) {
    return Promise.reject(e);
  }
}

function asError(reason: unknown): Error {
  return reason instanceof Error ? reason : new Error(String(reason));
}
