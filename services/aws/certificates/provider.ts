// What the certificate cache needs from a certificate source (ACM, IAM), and what the providers share: list,
// keep those carrying the filter tag, fetch each PEM, summarize (memoized), skip what does not parse.
import type { CertificateSource, CertificateSummary } from '../../planning/types/certificate.ts';
import { CertificateParseError, CertificateProviderError } from './errors.ts';
import { SummaryMemo } from './summary-memo.ts';
import type { TrustedRoots } from './trusted-roots.ts';

export interface CertificateProvider {
  readonly source: CertificateSource;
  /** Every usable certificate; rejects with CertificateProviderError when the listing cannot be completed. */
  list(): Promise<CertificateSummary[]>;
}

/** pino's Logger fits this. */
export interface CertificateLogger {
  warn(details: Record<string, unknown>, message: string): void;
}

export interface FilterTag {
  readonly key: string;
  readonly value: string;
}

/** `--cert-filter-tag` (already validated as `key=value` or '') as a tag to match exactly; '' = no filter. */
export function parseFilterTag(flag: string): FilterTag | undefined {
  const eq = flag.indexOf('=');
  if (flag === '' || eq < 0) return undefined;
  return { key: flag.slice(0, eq), value: flag.slice(eq + 1) };
}

export function hasTag(tags: readonly { Key?: string | undefined; Value?: string | undefined }[], wanted: FilterTag): boolean {
  return tags.some((t) => t.Key === wanted.key && (t.Value ?? '') === wanted.value);
}

/**
 * Map with at most `limit` calls in flight, results in input order. After a failure no new call starts, and
 * the first error is thrown once the running ones settle.
 */
export async function mapConcurrent<T, R>(items: readonly T[], limit: number, fn: (item: T) => Promise<R>): Promise<R[]> {
  const results = new Array<R>(items.length);
  let next = 0;
  let failure: { error: unknown } | undefined;
  const worker = async () => {
    while (!failure && next < items.length) {
      const index = next++;
      try {
        results[index] = await fn(items[index]!);
      } catch (error) {
        failure ??= { error };
      }
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, Math.min(limit, items.length)) }, worker));
  if (failure) throw failure.error;
  return results;
}

export interface ListedProviderOptions {
  readonly trustedRoots: TrustedRoots;
  /** `--cert-filter-tag`; '' = every certificate. */
  readonly filterTag?: string;
  /** Per-certificate calls in flight. */
  readonly concurrency?: number;
  readonly logger?: CertificateLogger;
}

export interface CertificatePem {
  readonly certificatePem: string;
  readonly chainPem: string;
}

/** A provider whose source lists certificates first and then answers per certificate (tags, PEM). */
export abstract class ListedCertificateProvider<Listed extends { readonly arn: string }> implements CertificateProvider {
  private readonly memo: SummaryMemo;
  private readonly filterTag: FilterTag | undefined;

  protected constructor(readonly source: CertificateSource, private readonly shared: ListedProviderOptions) {
    this.memo = new SummaryMemo(source, shared.trustedRoots);
    this.filterTag = parseFilterTag(shared.filterTag ?? '');
  }

  /** Every certificate the source lists (errors wrapped by call()). */
  protected abstract listAll(): Promise<Listed[]>;
  protected abstract carriesTag(item: Listed, tag: FilterTag): Promise<boolean>;
  protected abstract fetchPem(item: Listed): Promise<CertificatePem>;

  async list(): Promise<CertificateSummary[]> {
    const listed = await this.listAll();
    const summaries = await mapConcurrent(listed, this.shared.concurrency ?? 5, (item) => this.summary(item));
    this.memo.retain(listed.map((item) => item.arn));
    return summaries.filter((s): s is CertificateSummary => s !== undefined);
  }

  /** Runs one call of the source's API; a failure becomes a CertificateProviderError naming the operation. */
  protected async call<T>(operation: string, send: () => Promise<T>): Promise<T> {
    try {
      return await send();
    } catch (e) {
      throw new CertificateProviderError(this.source, operation, e);
    }
  }

  private async summary(item: Listed): Promise<CertificateSummary | undefined> {
    if (this.filterTag && !(await this.carriesTag(item, this.filterTag))) return undefined;
    const pem = await this.fetchPem(item);
    try {
      return this.memo.summarize({ arn: item.arn, ...pem });
    } catch (e) {
      if (!(e instanceof CertificateParseError)) throw e;
      // Upstream fails the whole listing here, which would freeze the cache on one bad import; skipping only
      // the unusable certificate keeps the others current.
      this.shared.logger?.warn({ arn: item.arn, err: e }, `skipping ${this.source.toUpperCase()} certificate that does not parse`);
      return undefined;
    }
  }
}
