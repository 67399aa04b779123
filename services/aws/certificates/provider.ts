// What the certificate cache needs from a certificate source (ACM, IAM), and what the providers share.
import type { CertificateSource, CertificateSummary } from '../../planning/types/certificate.ts';

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
